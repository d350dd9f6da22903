"""`isamapper-sweep`: paths parsed and fields set (with the messages for bad
ones), the Pareto front, and small sweeps whose CSV does not depend on the
number of workers, nor on whether Ray runs them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from isamapper_bench.sweep.cli import sweep
from isamapper_bench.sweep.designs import check_paths, designs, parse_vary, with_design
from isamapper_bench.sweep.pareto import pareto_front
from isamapper_dialect.hardware_ops import UnitOp
from isamapper_dialect.parsing import InputError, parse_module

from conftest import PROJECT

NNP = PROJECT / "hardware" / "nnp.mlir"
GEMM = str(PROJECT / "examples" / "gemm_nn.mlir")
GRU = str(PROJECT / "examples" / "gru_cell.mlir")


def test_a_path_and_its_values() -> None:
    vary = parse_vary("@nnp::@mxu.count=16,32,48")
    assert (vary.hardware, vary.node, vary.field, vary.values) == (
        "nnp",
        "mxu",
        "count",
        (16, 32, 48),
    )
    assert parse_vary("@nnp.clock=900,1100").node is None
    assert parse_vary("@nnp::@sram.read_energy=0.5,1e-1").values == (0.5, 0.1)
    grid = designs([parse_vary("@a::@b.c=1,2"), parse_vary("@a::@d.e=3,4,5")])
    assert grid == [(1, 3), (1, 4), (1, 5), (2, 3), (2, 4), (2, 5)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@nnp::@mxu.count",
         "--vary @nnp::@mxu.count: give the values after '=' (@hw::@node.field=1,2,3)"),
        ("nnp::mxu.count=1",
         "--vary nnp::mxu.count=1: a path is @hardware::@node.field or @hardware.field, "
         "e.g. @nnp::@mxu.count"),
        ("@nnp::@mxu.count=1,x", "--vary @nnp::@mxu.count=1,x: 'x' is not a number"),
        ("@nnp::@mxu.count=2,2", "--vary @nnp::@mxu.count=2,2: a value is given twice"),
    ],
)  # fmt: skip
def test_a_bad_path_is_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        parse_vary(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@tpu::@mxu.count=1", "--vary @tpu::@mxu.count=1: the file has no isa.hardware @tpu"),
        ("@nnp::@gpu.count=1", "--vary @nnp::@gpu.count=1: @nnp has no @gpu"),
        ("@nnp::@mxu.lanes=1",
         "--vary @nnp::@mxu.lanes=1: isa.unit @mxu has no field 'lanes' "
         "(its fields: count, static_energy, area)"),
        ("@nnp::@mxu.count=1.5",
         "--vary @nnp::@mxu.count=1.5: count takes whole numbers, not 1.5"),
    ],
)  # fmt: skip
def test_a_path_must_name_a_field(text: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        check_paths(parse_module(NNP), [parse_vary(text)])
    assert str(error.value) == message


def test_a_design_sets_its_fields_and_must_verify() -> None:
    module = parse_module(NNP)
    varies = [parse_vary("@nnp::@mxu.count=16"), parse_vary("@nnp::@sram.area=0.002")]
    edited = with_design(module, varies, (16, 0.002))
    units = {u.sym_name.data: u.count.value.data for u in edited.walk() if isinstance(u, UnitOp)}
    assert units == {"mxu": 16, "vpu": 24}
    sram = "@sram capacity 62914560 bandwidth 30720 latency 8 read_energy 0.7 write_energy 0.7"
    assert f"{sram} area 0.002\n" in str(edited)
    with pytest.raises(InputError) as error:
        with_design(module, [parse_vary("@nnp::@mxu.count=0")], (0,))
    assert str(error.value) == (
        "design @nnp::@mxu.count=0 does not verify: Unit @mxu has count 0; there must be at "
        "least one."
    )


def test_the_pareto_front() -> None:
    points = [(1, 5), (2, 2), (5, 1), (3, 3), (2, 2), (1, 6)]
    assert pareto_front(points) == [True, True, True, False, True, False]


ARGS = ["--vary", "@nnp::@mxu.count=16,48", "--vary", "@nnp::@sram.capacity=1048576,62914560",
        "--kernels", GEMM, GRU, "--quiet"]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open()))


def test_a_sweep_writes_one_line_per_design_and_workload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert (
        sweep(
            [str(NNP), *ARGS, "--jobs", "1", "--csv", str(one), "--plot", str(tmp_path / "p.png")]
        )
        == 0
    )
    table = capsys.readouterr().out
    assert sweep([str(NNP), *ARGS, "--jobs", "2", "--csv", str(two)]) == 0
    assert one.read_text() == two.read_text()
    rows = _rows(one)
    assert list(rows[0]) == [
        "@nnp::@mxu.count", "@nnp::@sram.capacity", "workload", "cycles", "bound_cycles",
        "efficiency", "energy_pj", "energy_bound_pj", "area_mm2",
    ]  # fmt: skip
    assert [(r["@nnp::@mxu.count"], r["@nnp::@sram.capacity"], r["workload"]) for r in rows] == [
        (count, capacity, workload)
        for count in ("16", "48")
        for capacity in ("1048576", "62914560")
        for workload in ("gemm_nn", "gru_cell")
    ]
    for r in rows:
        assert float(r["cycles"]) >= float(r["bound_cycles"]) > 0
        assert float(r["energy_pj"]) >= float(r["energy_bound_pj"]) > 0
    # More SRAM costs area; 48 MXUs cost area and static energy.
    areas = {(r["@nnp::@mxu.count"], r["@nnp::@sram.capacity"]): float(r["area_mm2"]) for r in rows}
    assert areas[("16", "1048576")] < areas[("16", "62914560")] < areas[("48", "62914560")]
    head = "| @nnp::@mxu.count | @nnp::@sram.capacity | geomean cycles | energy pJ | area mm² |"
    assert f"{head} front |" in table
    assert (tmp_path / "p.png").stat().st_size > 0


def test_a_design_a_workload_does_not_fit_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 192 MiB of tensors against 64 MiB of HBM (still the largest memory).
    big = tmp_path / "big.mlir"
    big.write_text(
        "isa.kernel @big(%A : memref<4096x4096xf32>, %B : memref<4096x4096xf32>, "
        "%C : memref<4096x4096xf32>) {\n"
        "  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 4096, j < 4096, k < 4096\n}\n"
    )
    assert sweep([str(NNP), "--vary", "@nnp::@hbm.capacity=67108864", "--kernels", str(big),
                  "--quiet", "--jobs", "1"]) == 1  # fmt: skip
    message = capsys.readouterr().err
    assert message.startswith("isamapper-sweep: error: design @nnp::@hbm.capacity=67108864: @big: ")


def test_the_cli_refuses_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        sweep([str(NNP), "--vary", "@nnp::@mxu.count=1", "--kernels", GEMM, "--filter", "x"]) == 1
    )
    assert capsys.readouterr().err == (
        "isamapper-sweep: error: --filter selects suite rows; it does not apply to --kernels\n"
    )
    assert sweep([str(NNP), "--vary", "@nnp::@mxu.count=1", "--vary", "@sys::@a.count=1",
                  "--kernels", GEMM]) == 1  # fmt: skip
    assert capsys.readouterr().err == (
        "isamapper-sweep: error: the --vary paths name several hardwares (@nnp, @sys)\n"
    )


def test_the_same_sweep_on_a_local_ray_instance(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is the optional extra isamapper[distributed]")
    local, through_ray = tmp_path / "local.csv", tmp_path / "ray.csv"
    assert sweep([str(NNP), *ARGS, "--jobs", "1", "--csv", str(local)]) == 0
    assert sweep([str(NNP), *ARGS, "--ray", "local", "--csv", str(through_ray)]) == 0
    assert local.read_text() == through_ray.read_text()
