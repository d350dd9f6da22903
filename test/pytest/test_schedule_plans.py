"""The scheduler without IR (issue 14, item 8): routes of instruction operands,
block sizes, feasibility against capacities and engines, and the strategies'
choice, on plain specs."""

import pytest

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.scheduling.cost_model import AnalyticCostModel, Infeasible, check_feasible
from isamapper_passes.scheduling.plan import Axis, block_choices, block_multiples
from isamapper_passes.scheduling.plan_building import Unroutable, make_plan, routes, statement_axes
from isamapper_passes.scheduling.plan_growth import TIE, better_plan
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
