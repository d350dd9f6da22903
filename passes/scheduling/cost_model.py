"""Feasibility and cost of a statement plan.

`AnalyticCostModel` is closed-form: every transfer engine and every compute
unit kind is busy for a known time (bytes / bandwidth, executions x interval /
units); with double buffering they overlap, so the statement takes the busiest
resource's time plus the pipeline's start (the first blocks in, through every
level) and end (the last block out). A station's slot is held for a transfer's
round trip (latency + bytes / bandwidth) and the computation on its block, and
its `slots` slots take turns, which bounds its throughput; a station with one
buffer stalls the computation while it is refilled (or drained). Accumulating
executions into one output tile wait for each other's result, so the units
cannot go faster than one instruction latency per distinct output tile of the
innermost block. A learned model implements the same `CostModel` interface.

On hardware with caches (a CPU) the core itself moves the data, and the rule
differs (measured with perf on cpu_avx512, docs/bench.md): the register loads
of the inputs, interleaved with the executions, and the cache lines they read
through views overlap with the executions (out of order, registers renamed:
no slot waits its turn and none stalls); every other transfer (packing a block
into a cache buffer, adding the output block back, and the lines those read
through views above them) is a loop of the core's own, which the executions
wait for: its round trips add up. A register station's tiles are each a
register of their own, so moving a block costs whole accesses per tile (a
broadcast element is a load). A chain of accumulating executions there turns
in its latency plus one issue interval (CORE_CHAIN_SLACK): with the operands'
loads in the same loop, 8 chains of a latency-4 FMA on 2 units ran 10% slower
than 16 (forced plans of 1024^3 on cpu_avx512, same outer blocks: 0.73x
against 0.81x OpenBLAS), though a loop of FMAs alone peaks with 8.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod
from typing import Protocol

from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_dialect.resources import Resource, ResourceKind
from isamapper_dialect.strided_box import charged_bytes, demand_misses, merged_dims
from isamapper_passes.mapping.specs import InstructionSpec
from isamapper_passes.scheduling.plan import OperandLayout, StatementPlan
from isamapper_passes.scheduling.transfers import MAX_TRANSFERS, transfer_count


class Infeasible(Exception):
    """The plan cannot run on the hardware (capacity or transfer shape)."""


class OverCapacity(Infeasible):
    """The plan's buffers do not fit a memory (nor would any larger blocks)."""


def engine_of(layout: OperandLayout, hardware: HardwareSpec) -> Engine:
    """The engine moving the station's blocks."""
    return hardware.engine_named[layout.engine]


def station_box(
    plan: StatementPlan, layout: OperandLayout, hardware: HardwareSpec
) -> list[tuple[int, int, int]]:
    """(size, source stride, target stride) of the station's transfer, in the
    direction its data moves (a view's: the lines it touches, both strides the
    viewed buffer's)."""
    # Remembered per plan (feasibility and cost both ask), as `views` is; the
    # box depends on the hardware only through which stations are views.
    remembered = plan.__dict__.setdefault("_station_boxes", {})
    key = (layout.position, layout.level, hardware.caches, hardware.tlbs, hardware.geometries)
    found = remembered.get(key)
    if found is not None:
        return found
    box = plan.source_box(layout, hardware)
    if (layout.position, layout.level) in plan.views(hardware):
        box = [(size, stride, stride) for size, stride, _ in box]
    elif layout.position == 0:
        box = [(size, inner, outer) for size, outer, inner in box]
    remembered[key] = box
    return box


def misses(
    plan: StatementPlan,
    layout: OperandLayout,
    hardware: HardwareSpec,
    box: list[tuple[int, int, int]],
) -> int:
    """Latencies one transfer of the station (its `station_box`) waits
    (strided_box.demand_misses); a view's touches, the cache's own traffic, one."""
    if (layout.position, layout.level) in plan.views(hardware):
        return 1
    return demand_misses(box, layout.element_bytes, engine_of(layout, hardware).prefetch)


def check_feasible(plan: StatementPlan, hardware: HardwareSpec) -> None:
    """Raise Infeasible unless every transfer fits its engine and every memory
    holds the plan's stations (with their slots), and its blocks nest evenly."""
    _check_nesting(plan)
    usage: dict[str, int] = {}
    for layout in plan.direct:
        if layout is not None and layout.tensor_tile_strides is None:
            raise Infeasible(
                f"operand {layout.position}'s tiles are ragged or spread over several "
                f"dimensions of its tensor in @{layout.memory}, so they must be staged, "
                "but it is already in the instruction's memory"
            )
    for stations in plan.operands:
        for layout in stations:
            engine = engine_of(layout, hardware)
            if (
                layout.position == 0
                and layout.level == 1
                and engine.target != hardware.main
                and not plan.spec.statement.kind.accumulates
                and any(d.bound is not None and d.bound % d.size for d in layout.box)
            ):
                # A copy pads its destination with zeros unless it is in the main
                # memory: a ragged block would clobber an on-chip tensor's neighbours.
                raise Infeasible(
                    f"the output's ragged blocks cannot be stored into @{engine.target}"
                )
            box = station_box(plan, layout, hardware)
            dims = merged_dims(box)
            if dims > engine.dims and transfer_count(box, engine.dims) > MAX_TRANSFERS:
                raise Infeasible(
                    f"the level-{layout.level} block of operand {layout.position} needs a "
                    f"{dims}-dimensional transfer but @{engine.name} addresses {engine.dims}, "
                    f"so it would take {transfer_count(box, engine.dims)} transfers (at most "
                    f"{MAX_TRANSFERS})"
                )
            usage[layout.memory] = usage.get(layout.memory, 0) + layout.slots * layout.block_bytes
    for memory, used in usage.items():
        capacity = hardware.memories[memory][0]
        if used > capacity:
            raise OverCapacity(
                f"the buffers need {used} bytes of @{memory}, which holds {capacity}"
            )


def _check_nesting(plan: StatementPlan) -> None:
    """Raise Infeasible unless every level's block of an axis divides the block
    of the level outside it (level 1's: the axis). Only the tensor's own edge
    may be ragged (level 1's transfers clip it, plan.py); a block that leaves a
    remainder inside its parent block is not lowered correctly (measured: a
    64x20x64 GEMM with j blocked 8 inside 20 gave wrong sums natively), and no
    strategy proposes one (plan.block_choices, block_multiples)."""
    for position, axis in enumerate(plan.axes):
        outer = axis.count
        for level, blocks in enumerate(plan.levels, 1):
            if outer % blocks[position]:
                parent = (
                    f"its {axis.count} positions" if level == 1 else f"level {level - 1}'s {outer}"
                )
                raise Infeasible(
                    f"axis {position} ({axis.name}) has a level-{level} block of "
                    f"{blocks[position]}, which does not divide {parent}: blocks must nest evenly"
                )
            outer = blocks[position]


def transfers_per_refill(plan: StatementPlan, hardware: HardwareSpec) -> int:
    """Transfers one refill of every station takes (more than one per station
    where its engine addresses fewer dimensions than its block needs): the
    tie-break between plans of equal cost, which prefers compact programs."""
    return sum(
        transfer_count(station_box(plan, layout, hardware), engine_of(layout, hardware).dims)
        for stations in plan.operands
        for layout in stations
    )


@dataclass(frozen=True)
class CostBreakdown:
    """Estimated cycles and the busy time of each resource."""

    cycles: float
    busy: dict[Resource, float]

    @property
    def traffic(self) -> float:
        """Cycles the transfer engines are busy, summed: the tie-break between
        plans of (nearly) equal cycles, where the one moving less data wins."""
        return sum(t for r, t in self.busy.items() if r.kind is ResourceKind.ENGINE)

    @property
    def rank(self) -> tuple[float, float]:
        """(cycles, traffic): what plan_growth.better_plan compares."""
        return self.cycles, self.traffic


class CostModel(Protocol):
    """Estimates the cycles of a statement plan."""

    name: str

    def estimate(self, plan: StatementPlan, hardware: HardwareSpec) -> CostBreakdown:
        """The plan's estimated cycles (the plan is feasible)."""
        ...

    def lower_bound(self, spec: InstructionSpec, mapping: Mapping) -> float:
        """Cycles below which `estimate` rates no plan of this mapping, on any
        hardware room: what lets fusion skip placements that cannot pay."""
        ...


CORE_CHAIN_SLACK = 1
"""Issue intervals a core's chain of accumulating executions waits beyond the
instruction's latency (the module docstring)."""


class AnalyticCostModel:
    """Busiest resource plus pipeline start and end (see the module docstring)."""

    name = "analytic"

    def lower_bound(self, spec: InstructionSpec, mapping: Mapping) -> float:
        # `estimate` takes the busiest resource, the unit among them.
        return spec.issue_cycles(mapping.executions)

    def estimate(self, plan: StatementPlan, hardware: HardwareSpec) -> CostBreakdown:
        spec = plan.spec
        executions = plan.mapping.executions
        compute = spec.issue_cycles(executions)
        core = bool(hardware.caches)
        if spec.statement.kind.accumulates:
            # Executions into one output tile wait for each other's result: only
            # the innermost block's distinct output tiles are in flight at once.
            chains = prod(plan.blocks[a] for a in plan.output_axes if not plan.axes[a].reduction)
            turn = spec.latency + (CORE_CHAIN_SLACK * spec.interval if core else 0)
            compute = max(compute, executions * turn / chains)
        busy: dict[Resource, float] = {Resource(ResourceKind.UNIT, spec.unit or spec.name): compute}
        views = plan.views(hardware)
        # The core's own loops (on hardware with caches): engine time, and rounds.
        looped: dict[Resource, float] = {}
        serial = 0.0
        start = end = stall = 0.0
        for stations in plan.operands:
            chain = 0.0
            if not stations:
                continue
            for index, layout in enumerate(stations):
                engine = engine_of(layout, hardware)
                box = station_box(plan, layout, hardware)
                size = charged_size(plan, layout, engine, box)
                count = plan.transfers(layout)
                hop = engine.latency * misses(plan, layout, hardware, box) + size / engine.bandwidth
                chain += hop
                used = Resource(ResourceKind.ENGINE, engine.name)
                if core and not feeds_executions(stations, index, views):
                    looped[used] = looped.get(used, 0.0) + count * size / engine.bandwidth
                    serial += count * hop
                    continue
                busy[used] = busy.get(used, 0.0) + count * size / engine.bandwidth
                if core:
                    continue  # renamed registers and prefetched lines: no turns, no stalls
                # A slot is busy for a transfer's round trip plus the computation on
                # its block (until the last result is ready); `slots` of them take
                # turns. The first (for the output: the last) trip is the pipeline's
                # start (end), counted below.
                key = Resource(
                    ResourceKind.STATION, f"operand {layout.position} level {layout.level}"
                )
                turns = (count * (hop + spec.latency) + compute) / layout.slots
                busy[key] = max(0.0, turns - hop)
                if layout.slots == 1 and count > 1:
                    # One buffer: the computation on it stops while it is refilled
                    # (or drained, after the last result into it is ready).
                    drain = spec.latency if layout is stations[-1] and not layout.position else 0
                    stall += count * (hop + drain)
            if stations[0].position == 0:
                end = max(end, chain)
            else:
                start = max(start, chain)
        cycles = max(busy.values()) + start + end + stall + serial
        for used, time in looped.items():
            busy[used] = busy.get(used, 0.0) + time
        return CostBreakdown(cycles, busy)


def charged_size(
    plan: StatementPlan, layout: OperandLayout, engine: Engine, box: list[tuple[int, int, int]]
) -> float:
    """Bytes one transfer of the station keeps its engine busy for: whole
    `granule`-byte accesses per contiguous run (strided_box.charged_bytes) and,
    in the instruction's own memory, at least one access per operand tile (each
    tile a register of its own: a broadcast element is a load of its own)."""
    if engine.granule <= 1:
        return float(layout.block_bytes)
    size = charged_bytes(box, layout.element_bytes, engine.granule)
    spec = plan.spec
    if layout.memory != spec.memories[layout.position]:
        return size
    tile = prod(spec.statement.operands[layout.position].shape)
    per_tile = -(-tile * layout.element_bytes // engine.granule) * engine.granule
    return max(size, layout.block_elements // tile * per_tile)


def feeds_executions(
    stations: Sequence[OperandLayout], index: int, views: frozenset[tuple[int, int]]
) -> bool:
    """Whether station `index` of an operand's `stations` (level 1 first) moves
    data the executions read as it arrives: an input's register station, or a
    view above it with only views in between (on a CPU, lines the register
    loads pull through the caches)."""
    layout = stations[index]
    if layout.position == 0:
        return False
    return all((s.position, s.level) in views for s in stations[index:-1])


COST_MODELS: dict[str, type] = {"analytic": AnalyticCostModel}
