"""Feasibility and cost of a statement plan.

`AnalyticCostModel` is closed-form: every transfer engine and every compute
unit kind is busy for a known time (bytes / bandwidth, executions x interval /
units); with double buffering they overlap, so the statement takes the busiest
resource's time plus the pipeline's start (first blocks in) and end (last block
out). An operand with `slots` buffers has at most that many transfers in
flight, so its transfers take at least (latency + bytes / bandwidth) / slots
each. A learned model implements the same `CostModel` interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Protocol

from isamapper_dialect.accel import merged_dims
from isamapper_passes.hardware_spec import Engine, HardwareSpec
from isamapper_passes.schedule_plan import OperandLayout, StatementPlan


class Infeasible(Exception):
    """The plan cannot run on the hardware (capacity, path or transfer shape)."""


def operand_path(
    plan: StatementPlan, layout: OperandLayout, hardware: HardwareSpec
) -> list[Engine]:
    """Engines carrying the operand's blocks (towards its memory, or back for the output)."""
    if layout.position == 0:
        path = hardware.path(layout.memory, hardware.main)
    else:
        path = hardware.path(hardware.main, layout.memory)
    if path is None:
        raise Infeasible(f"no transfer path between @{hardware.main} and @{layout.memory}")
    return path


def gather_engine(layout: OperandLayout, path: list[Engine]) -> Engine | None:
    """The hop that touches the main memory (it gathers or scatters the box)."""
    if not path:
        return None
    return path[-1] if layout.position == 0 else path[0]


def check_feasible(plan: StatementPlan, hardware: HardwareSpec) -> None:
    """Raise Infeasible unless every transfer fits its engine and every memory
    holds the plan's buffers (double-buffered, plus staging on the way)."""
    usage: dict[str, int] = {}
    for layout in plan.operands:
        path = operand_path(plan, layout, hardware)
        engine = gather_engine(layout, path)
        box = layout.box
        dims = merged_dims(
            [d.size for d in box], [d.tensor_stride for d in box], [d.buffer_stride for d in box]
        )
        if engine is not None and dims > engine.dims:
            raise Infeasible(
                f"the block of operand {layout.position} needs a {dims}-dimensional transfer "
                f"but @{engine.name} addresses {engine.dims}"
            )
        size = layout.slots * layout.block_elements * layout.element_bytes
        memories = {layout.memory} | {e.source for e in path} | {e.target for e in path}
        for memory in memories - {hardware.main}:
            usage[memory] = usage.get(memory, 0) + size
    for memory, used in usage.items():
        capacity = hardware.memories[memory][0]
        if used > capacity:
            raise Infeasible(f"the buffers need {used} bytes of @{memory}, which holds {capacity}")


def transfers(plan: StatementPlan, layout: OperandLayout) -> int:
    """How many times the operand's block moves."""
    level = plan.hoist_level(layout)
    return prod(plan.block_count(axis) for axis in plan.order[:level])


def block_bytes(layout: OperandLayout) -> int:
    """Bytes of one block."""
    return layout.block_elements * layout.element_bytes


@dataclass(frozen=True)
class CostBreakdown:
    """Estimated cycles and the busy time of each resource."""

    cycles: float
    busy: dict[str, float]


class CostModel(Protocol):
    """Estimates the cycles of a statement plan."""

    name: str

    def estimate(self, plan: StatementPlan, hardware: HardwareSpec) -> CostBreakdown:
        """The plan's estimated cycles (the plan is feasible)."""
        ...


class AnalyticCostModel:
    """Busiest resource plus pipeline start and end (see the module docstring)."""

    name = "analytic"

    def estimate(self, plan: StatementPlan, hardware: HardwareSpec) -> CostBreakdown:
        busy: dict[str, float] = {}
        start = end = 0.0
        for layout in plan.operands:
            path = operand_path(plan, layout, hardware)
            size = block_bytes(layout)
            count = transfers(plan, layout)
            hop_time = sum(e.latency + size / e.bandwidth for e in path)
            for engine in path:
                busy[engine.name] = busy.get(engine.name, 0.0) + count * size / engine.bandwidth
            # With `slots` buffers, at most that many transfers of the operand are in
            # flight: each round trip of latency moves `slots` blocks.
            busy[f"operand {layout.position}"] = count * hop_time / layout.slots
            if layout.position == 0:
                end = max(end, hop_time)
            else:
                start = max(start, hop_time)
        spec = plan.spec
        unit = f"unit:{spec.name}"
        busy[unit] = spec.issue_cycles(plan.mapping.executions)
        return CostBreakdown(max(busy.values()) + start + end, busy)


COST_MODELS: dict[str, type] = {"analytic": AnalyticCostModel}
