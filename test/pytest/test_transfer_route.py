"""One rule for the way tiles travel (issue 14, item 4): `HardwareSpec.route`
picks, among the simple paths of engines, the one whose widest engine addresses
the most dimensions (then fewest hops, then first declared). The mapper credits
a tile with that route's reach and the scheduler places its stations along it."""

import re
from pathlib import Path

from isamapper_dialect.hardware_spec import Engine, HardwareSpec

from test_user_targets import compiled, tool


def spec(*engines: tuple[str, str, str, int]) -> HardwareSpec:
    memories = {m: (1 << 20, 64, 1) for e in engines for m in e[1:3]}
    return HardwareSpec(
        name="h",
        memories=memories,
        engines=tuple(Engine(n, s, t, 16, 1, d) for n, s, t, d in engines),
        units={},
        main="dram",
    )


TWO_PATHS = spec(
    ("direct", "dram", "l1", 1),
    ("down", "dram", "sram", 3),
    ("up", "sram", "l1", 3),
    ("back", "l1", "dram", 1),
)


def names(route: list[Engine] | None) -> list[str] | None:
    return None if route is None else [e.name for e in route]


def test_the_widest_route_wins_over_the_shortest() -> None:
    assert names(TWO_PATHS.route("dram", "l1")) == ["down", "up"]
    assert TWO_PATHS.reach("l1", into=True) == 3


def test_equal_reach_prefers_fewer_hops_then_the_first_declared() -> None:
    hardware = spec(
        ("a", "dram", "sram", 2),
        ("b", "sram", "l1", 2),
        ("c", "dram", "l1", 2),
        ("d", "dram", "l1", 2),
    )
    assert names(hardware.route("dram", "l1")) == ["c"]


def test_same_memory_and_unreachable() -> None:
    assert TWO_PATHS.route("l1", "l1") == []
    assert TWO_PATHS.reach("dram", into=True) == 1
    assert names(TWO_PATHS.route("sram", "dram")) == ["up", "back"]
    assert TWO_PATHS.route("dram", "spad") is None
    assert TWO_PATHS.reach("spad", into=False) == 0


def test_a_cycle_of_engines_ends() -> None:
    hardware = spec(("x", "dram", "sram", 1), ("y", "sram", "dram", 1), ("z", "sram", "l1", 2))
    assert names(hardware.route("dram", "l1")) == ["x", "z"]


def test_programs_take_the_route_the_mapper_counted_on(tmp_path: Path) -> None:
    """The mapper gives the GEMM's tiles 2 strided dimensions (through the SRAM's
    3-dim engines); the scheduler used to move them over the shortest path, the
    1-dim @direct engine, as many 1-D pieces."""
    program = compiled("gemm_64x64x512.mlir", "two_paths.mlir", tmp_path)
    text = program.read_text()
    engines = set(re.findall(r"accel\.copy @(\w+)", text))
    assert engines == {"dram_sram", "sram_l1", "l1_sram", "sram_dram"}
    checked = tool("isamapper-run", program, "--check", "--seed", "0")
    assert checked.returncode == 0, checked.stderr
    assert "check against the reference kernel: passed" in checked.stdout
