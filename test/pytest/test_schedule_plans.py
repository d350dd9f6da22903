"""The scheduler without IR (issue 14, item 8): routes of instruction operands,
block sizes, feasibility against capacities and engines, and the strategies'
choice, on plain specs."""

import pytest

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_dialect.strided_box import charged_bytes
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.mapping.specs import InstructionSpec
from isamapper_passes.scheduling.cost_model import (
    CORE_CHAIN_SLACK,
    AnalyticCostModel,
    Infeasible,
    charged_size,
    check_feasible,
    engine_of,
    feeds_executions,
    misses,
    station_box,
)
from isamapper_passes.scheduling.plan import Axis, block_choices, block_multiples, divisors
from isamapper_passes.scheduling.plan_building import Unroutable, make_plan, routes, statement_axes
from isamapper_passes.scheduling.plan_growth import TIE, better_plan, one_slot_memories
from isamapper_passes.scheduling.strategies import Strategy, StrategyKind

from mapping_helpers import matrix_instruction, statement

GEMM = statement(
    ComputeKind.MAC,
    {"i": 64, "j": 64, "k": 64},
    [("%C", (64, 64), "i, j"), ("%A", (64, 64), "i, k"), ("%B", (64, 64), "k, j")],
)
MM = matrix_instruction(16, 16, 16)  # X, W in @sram; O in @acc


def hardware(sram: int = 1 << 20, acc: int = 1 << 16, dims: int = 2) -> HardwareSpec:
    engines = (
        Engine("in", "dram", "sram", 64, 10, dims),
        Engine("out", "sram", "dram", 64, 10, dims),
        Engine("down", "sram", "acc", 128, 2, 2),
        Engine("up", "acc", "sram", 128, 2, 2),
    )
    memories = {"dram": (1 << 30, 64, 100), "sram": (sram, 256, 4), "acc": (acc, 256, 1)}
    return HardwareSpec("hw", memories, engines, {"mu": 1}, "dram")


def square_mapping():
    """The mapping that runs i, j, k on the instruction's i, j, k."""
    return next(
        m
        for m in enumerate_mappings(GEMM, MM).mappings
        if [g.kernel_indices for g in m.groups] == [("i",), ("j",), ("k",)]
    )


def test_block_sizes_divide_the_axis_and_respect_the_inner_level() -> None:
    axis = Axis("i", 12, 0, False, True)
    assert block_choices(axis) == [1, 2, 3, 4, 6, 12]
    assert block_choices(axis, limit=4) == [1, 2, 3, 4]
    assert block_multiples(axis, 2, 12, 64) == [2, 4, 6, 12]
    assert block_choices(Axis("k", 12, None, True, False)) == [1]


def test_operands_are_routed_level_by_level_and_the_output_back() -> None:
    mapping = square_mapping()
    stations = routes(MM, mapping, hardware())
    # Instruction operands in the statement's order (O, X, W), level 1 first:
    # each input has one station in the SRAM, filled by @in; the output has one
    # in the SRAM (written back by @out) and one in the accumulators (by @up).
    assert [[(memory, engine.name) for memory, engine in r] for r in stations] == [
        [("sram", "out"), ("acc", "up")],
        [("sram", "in")],
        [("sram", "in")],
    ]


def test_an_unreachable_memory_is_unroutable() -> None:
    isolated = HardwareSpec(
        "hw",
        {"dram": (1 << 30, 64, 100), "sram": (1 << 20, 256, 4), "acc": (1 << 16, 256, 1)},
        (Engine("in", "dram", "sram", 64, 10, 2),),
        {"mu": 1},
        "dram",
    )
    with pytest.raises(Unroutable, match="no transfer path"):
        routes(MM, square_mapping(), isolated)


def test_blocks_that_overflow_a_memory_are_infeasible() -> None:
    mapping = square_mapping()
    spec = hardware(acc=4096)  # one 16x16 f32 tile of C is 1024 bytes
    route = routes(MM, mapping, spec)
    axes = statement_axes(GEMM, MM, mapping)
    unblocked = make_plan(0, GEMM, MM, mapping, route)
    check_feasible(unblocked, spec)
    levels = [tuple(a.count if a.blockable else 1 for a in axes)] * len(unblocked.levels)
    whole = make_plan(0, GEMM, MM, mapping, route, levels=levels)
    with pytest.raises(Infeasible, match="acc"):
        check_feasible(whole, spec)


def test_blocks_that_do_not_nest_evenly_are_infeasible() -> None:
    # A remainder inside a parent block is not lowered correctly, so no plan
    # may have one (the strategies only propose divisors).
    mapping = square_mapping()
    spec = hardware()
    route = routes(MM, mapping, spec)
    axes = statement_axes(GEMM, MM, mapping)
    assert [a.count for a in axes if a.blockable] == [4, 4, 4]
    count = len(make_plan(0, GEMM, MM, mapping, route).levels)
    even = [tuple(2 if a.blockable else 1 for a in axes)] * count
    check_feasible(make_plan(0, GEMM, MM, mapping, route, levels=even), spec)
    ragged = [tuple(3 if a.blockable else 1 for a in axes)] * count
    first = next(n for n, a in enumerate(axes) if a.blockable)
    with pytest.raises(Infeasible) as error:
        check_feasible(make_plan(0, GEMM, MM, mapping, route, levels=ragged), spec)
    assert str(error.value) == (
        f"axis {first} ({axes[first].name}) has a level-1 block of 3, which does not "
        "divide its 4 positions: blocks must nest evenly"
    )


def test_greedy_is_never_rated_worse_than_the_library() -> None:
    spec = hardware()
    candidates = [(MM, m) for m in enumerate_mappings(GEMM, MM).mappings]
    model = AnalyticCostModel()
    greedy = Strategy(StrategyKind.GREEDY, model).choose(0, GEMM, candidates, spec)
    library = Strategy("library", model).choose(0, GEMM, candidates, spec)
    check_feasible(greedy, spec)
    assert model.estimate(greedy, spec).cycles <= model.estimate(library, spec).cycles


def test_a_strategy_name_must_be_known() -> None:
    with pytest.raises(ValueError, match="fastest"):
        Strategy("fastest", AnalyticCostModel())


def test_of_nearly_equal_plans_the_one_moving_less_data_wins() -> None:
    spec = hardware()
    mapping = square_mapping()
    route = routes(MM, mapping, spec)
    small = make_plan(0, GEMM, MM, mapping, route)
    large = make_plan(0, GEMM, MM, mapping, route, levels=[(2, 2, 2)] * len(small.levels))
    # Cycles within TIE of each other: traffic decides, either way round.
    assert better_plan((1000.0, 50.0), large, (1000.5, 80.0), small, spec)
    assert not better_plan((1000.5, 80.0), small, (1000.0, 50.0), large, spec)
    # Past TIE, cycles decide whatever the traffic.
    assert better_plan((900.0, 80.0), small, (1000.0, 50.0), large, spec)
    assert not better_plan((1000.0 * (1 + 2 * TIE), 10.0), small, (1000.0, 50.0), large, spec)


# A core with one cache level: a broadcast FMA on 16 lanes, O[j] += X[0] * W[j].
BCAST = InstructionSpec(
    "cpu",
    "fma_bcast",
    statement(ComputeKind.MAC, {"j": 16}, [("O", (16,), "j"), ("X", (1,), "0"), ("W", (16,), "j")]),
    (1, 2, 0),
    (2, 2, 2),
    ("regs", "regs", "regs"),
    interval=1,
    units=2,
    unit="fma",
    latency=4,
)
CPU_GEMM = statement(
    ComputeKind.MAC,
    {"i": 64, "j": 64, "k": 64},
    [("%C", (64, 64), "i, j"), ("%A", (64, 64), "i, k"), ("%B", (64, 64), "k, j")],
)


def core(caches: bool) -> HardwareSpec:
    """Registers, an L1 (a cache, or a scratchpad with `caches` False) and DRAM."""
    engines = (
        Engine("fill", "dram", "l1", 8, 100, 4, 64, 2048),
        Engine("evict", "l1", "dram", 8, 100, 4, 64),
        Engine("load", "l1", "regs", 128, 8, 2, 64, 2048),
        Engine("store", "regs", "l1", 64, 5, 2, 64),
    )
    memories = {"dram": (1 << 30, 8, 100), "l1": (49152, 128, 5), "regs": (2048, 704, 1)}
    return HardwareSpec(
        "cpu", memories, engines, {"fma": 2}, "dram", caches=frozenset({"l1"} if caches else ())
    )


def core_plan(hardware: HardwareSpec, depth: int = 2, packed=frozenset()):
    """C += A B blocked 32x32x4 (j in tiles of 16) in L1 and 4x4x2 in registers."""
    mapping = next(
        m
        for m in enumerate_mappings(CPU_GEMM, BCAST).mappings
        if [g.kernel_indices for g in m.groups] == [("j",)]
    )
    route = routes(BCAST, mapping, hardware)
    axes = statement_axes(CPU_GEMM, BCAST, mapping)
    blocks = {"i": (32, 4), "k": (32, 4), "j": (2, 2)}
    levels = [tuple(blocks[a.name][level] for a in axes) for level in range(2)]
    return make_plan(0, CPU_GEMM, BCAST, mapping, route, levels, depth=depth, packed=packed)


def test_a_broadcast_register_block_costs_one_access_per_element() -> None:
    hardware = core(True)
    plan = core_plan(hardware)
    x = plan.operands[1][-1]
    assert (x.memory, x.block_elements) == ("regs", 16)  # 4 rows of A, 4 of k each
    engine = engine_of(x, hardware)
    box = station_box(plan, x, hardware)
    # Four runs of 4 contiguous floats would be 4 accesses; each element is a
    # register (a broadcast load) of its own: 16.
    assert charged_bytes(box, 4, engine.granule) == 4 * 64
    assert charged_size(plan, x, engine, box) == 16 * 64


def test_on_a_core_only_the_inputs_register_loads_and_their_views_feed_the_executions() -> None:
    hardware = core(True)
    plan = core_plan(hardware)
    views = plan.views(hardware)
    fed = {
        (s.position, s.level): feeds_executions(stations, n, views)
        for stations in plan.operands
        for n, s in enumerate(stations)
    }
    # Level 1 in the cache, level 2 in the registers; the output is added back.
    assert fed == {(0, 1): False, (0, 2): False, (1, 1): True, (1, 2): True,
                   (2, 1): True, (2, 2): True}  # fmt: skip
    packed = core_plan(hardware, packed=frozenset({(2, 1)}))
    views = packed.views(hardware)
    assert not feeds_executions(packed.operands[2], 0, views)  # a loop of the core's own


def test_on_a_core_register_stations_take_no_turns_and_the_core_loops_add_up() -> None:
    model = AnalyticCostModel()
    cache, scratchpad = core(True), core(False)
    # With caches (a core renaming its registers) one slot per station costs
    # the same as two; on a scratchpad the single slots stall.
    assert model.estimate(core_plan(cache, depth=1), cache).cycles == pytest.approx(
        model.estimate(core_plan(cache, depth=2), cache).cycles
    )
    assert (
        model.estimate(core_plan(scratchpad, depth=1), scratchpad).cycles
        > model.estimate(core_plan(scratchpad, depth=2), scratchpad).cycles
    )
    # Packing B's L1 block is a copy loop whose round trips add to the time.
    plain, packed = core_plan(cache), core_plan(cache, packed=frozenset({(2, 1)}))
    b = packed.operands[2][0]
    box = station_box(packed, b, cache)
    engine = engine_of(b, cache)
    trip = (
        engine.latency * misses(packed, b, cache, box)
        + charged_size(packed, b, engine, box) / engine.bandwidth
    )
    added = model.estimate(packed, cache).cycles - model.estimate(plain, cache).cycles
    assert added >= packed.transfers(b) * trip - 1e-6


def test_on_a_core_the_search_gives_cache_stations_one_slot_and_registers_two() -> None:
    hardware = core(True)
    mapping = core_plan(hardware).mapping
    strategy = Strategy(StrategyKind.GREEDY, AnalyticCostModel())
    plan = strategy.choose(0, CPU_GEMM, [(BCAST, mapping)], hardware)
    slots = {(s.memory, s.position): s.slots for stations in plan.operands for s in stations}
    assert {slots[("l1", q)] for q in range(3)} == {1}
    assert slots[("regs", 1)] == slots[("regs", 2)] == 2
    assert one_slot_memories(hardware) == frozenset({"l1"})
    assert one_slot_memories(core(False)) == frozenset()


def test_on_a_core_a_chain_of_accumulations_turns_in_latency_plus_one_interval() -> None:
    model = AnalyticCostModel()
    cache, scratchpad = core(True), core(False)
    # The 4x4x2 register block: 8 output tiles, latency 4, 2 units.
    plan = core_plan(cache)
    executions = plan.mapping.executions
    fma = next(t for r, t in model.estimate(plan, cache).busy.items() if r.name == "fma")
    assert fma == pytest.approx(executions * (4 + CORE_CHAIN_SLACK) / 8)
    plan = core_plan(scratchpad)
    fma = next(t for r, t in model.estimate(plan, scratchpad).busy.items() if r.name == "fma")
    assert fma == pytest.approx(executions / 2)  # 8 chains of latency 4 keep 2 units busy


def test_block_sizes_come_from_the_divisors() -> None:
    # The growth of a 500000-long GEMV asks for multiples among 15625 tile
    # positions: by its divisors, not by trying every multiple.
    assert divisors(1) == (1,)
    assert divisors(36) == (1, 2, 3, 4, 6, 9, 12, 18, 36)
    assert divisors(15625) == (1, 5, 25, 125, 625, 3125, 15625)
    axis = Axis("k", 15625, None, True, True)
    assert block_multiples(axis, 5, 15625, 4096) == [5, 25, 125, 625, 3125]
    assert block_multiples(axis, 25, 3125, 10**9) == [25, 125, 625, 3125]
    assert block_multiples(axis, 7, 15625, 4096) == []
    assert block_choices(axis, 64) == [1, 5, 25]
