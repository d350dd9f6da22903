"""Panels on a core: greedy's growth of the innermost cache level along the
reduction, in half the cache (plan_growth.panel_room, strategies._grow_and_refine)."""

from __future__ import annotations

from collections.abc import Callable

from test_schedule_plans import BCAST, CPU_GEMM, core, core_plan

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_passes.scheduling.cost_model import AnalyticCostModel
from isamapper_passes.scheduling.plan_building import routes
from isamapper_passes.scheduling.plan_growth import (
    Candidate,
    Grower,
    one_slot_memories,
    panel_room,
)


def test_panel_room_halves_the_caches_and_nothing_else() -> None:
    hardware = core(True)
    room = panel_room(hardware)
    assert room.memories["l1"] == (24576, 128, 5)
    assert room.memories["regs"] == hardware.memories["regs"]
    assert room.memories["dram"] == hardware.memories["dram"]
    assert panel_room(core(False)).memories == core(False).memories


def _grow_l1_reduction_first(
    room_of_growth: Callable[[HardwareSpec], HardwareSpec],
) -> tuple[list[list[int]], int]:
    """The L1 block greedy's panel way grows from a 4x4x2 register block, with
    the hardware `room_of_growth` gives, and the bytes its stations take."""
    hardware = core(True)
    plan = core_plan(hardware)
    candidate = Candidate(
        0,
        CPU_GEMM,
        BCAST,
        plan.mapping,
        routes(BCAST, plan.mapping, hardware),
        one_slot=one_slot_memories(hardware),
    )
    grower = Grower(candidate, room_of_growth(hardware), AnalyticCostModel())
    register = list(plan.levels[-1])  # 4 rows x 4 of k x 2 vectors of 16
    reduction_first = tuple(reversed(plan.orders[0]))  # k, then j, then i
    levels = grower.grow(
        [list(register), list(register)],
        plan.orders,
        1,
        reduction_first,
        False,
        1,
        last_level=1,
    )
    grown = candidate.plan(levels, plan.orders, output_depth=1)
    l1 = sum(s.slots * s.block_bytes for ops in grown.operands for s in ops if s.memory == "l1")
    return levels, l1


def test_a_panel_grows_along_the_reduction_first_in_half_the_cache() -> None:
    # The whole k (64), then j's 4 vectors, then the rows while A's, B's and
    # C's blocks fit 24 KiB: 16 rows (4 + 16 + 4 KiB).
    levels, l1 = _grow_l1_reduction_first(panel_room)
    assert levels == [[16, 64, 4], [4, 4, 2]]
    assert l1 == 24576
    # In the whole cache the same growth takes every row.
    levels, l1 = _grow_l1_reduction_first(lambda hardware: hardware)
    assert levels == [[64, 64, 4], [4, 4, 2]]
    assert l1 == 49152
