"""Cross-statement fusion: which tensors stay on chip between the statements using them.

An intermediate (`isa.buffer`) kept in an on-chip memory is left there by its
producer and read there by its consumers, without a round trip through the main
memory; a kernel argument only read (weights, an input image) may be copied on
chip once before its first user. `place_intermediates` decides, tensor by
tensor, with the strategy's plans for the statements using it (`PlanChooser`):
a tensor goes to the largest memory that, at every statement it is live in,
keeps half its capacity for the statements' own buffers, where every statement
using it has a plan, and where the cost model rates those statements no slower
(counting the copy that brings an argument in). An intermediate in an
instruction's own memory is addressed in place; where a ragged last tile would
then touch the tensor, it may get a padded allocation (padding.py), the
padded and the plain placement competing on cost. The tensors it leaves in the
main memory for want of room or of a plan are reported (`declined`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from math import prod

from xdsl.dialects.builtin import MemRefType
from xdsl.ir import SSAValue

from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.instruction_op import element_bytes, memref_bytes
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.legality import fused_groups_hold
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.cost_model import Infeasible, check_feasible
from isamapper_passes.scheduling.padding import padded_shape, safe_in_place
from isamapper_passes.scheduling.plan import Home, StatementPlan
from isamapper_passes.scheduling.plan_building import Unroutable, binding, make_plan, routes
from isamapper_passes.scheduling.strategies import NoFeasiblePlan, Strategy
from isamapper_passes.statement_error import StatementError

Candidates = list[tuple[InstructionSpec, Mapping]]
Work = list[tuple[ComputeOp, StatementSpec, Candidates]]
"""Per statement: the op, its spec and its candidate mappings."""
Homes = dict[SSAValue, Home]
"""Where fusion keeps each tensor it keeps on chip."""


def memref_shape(value: SSAValue) -> tuple[int, ...]:
    """A tensor's own shape."""
    assert isinstance(value.type, MemRefType)
    return tuple(value.type.get_shape())


def home_bytes(value: SSAValue, home: Home) -> int:
    """Bytes of a tensor's allocation in its home."""
    assert isinstance(value.type, MemRefType)
    return prod(home.shape) * element_bytes(value.type)


def statement_inputs(work: Work, index: int, homes: Homes) -> tuple[StatementSpec, Candidates]:
    """Statement `index`'s spec with its operands' allocations as placed (padded
    ones addressed by their padded shape) and the candidates that still hold."""
    statement, spec, candidates = work[index]
    padded = {
        position: homes[value].shape
        for position, value in enumerate(statement.all_operands)
        if value in homes and homes[value].shape != memref_shape(value)
    }
    if not padded:
        return spec, candidates
    operands = tuple(
        replace(operand, shape=padded[position], real_shape=operand.shape)
        if position in padded
        else operand
        for position, operand in enumerate(spec.operands)
    )
    spec = replace(spec, operands=operands)
    return spec, [(i, m) for i, m in candidates if fused_groups_hold(spec, m)]


def live_range(work: Work, value: SSAValue) -> range:
    """Statements from the first to the last that use `value`."""
    return _live_ranges(work).get(value, range(0))


_ranges: list[tuple[Work, dict[SSAValue, range]]] = []


def _live_ranges(work: Work) -> dict[SSAValue, range]:
    """Every used value's live range, worked out once per (fully built) work list:
    placement asks for them O(statements^2) times, and reading an op's operands
    is slow in xDSL (a 400-statement chain spent minutes here)."""
    if _ranges and _ranges[0][0] is work:
        return _ranges[0][1]
    ranges: dict[SSAValue, range] = {}
    for index, (op, _, _) in enumerate(work):
        for value in op.all_operands:
            first = ranges[value].start if value in ranges else index
            ranges[value] = range(first, index + 1)
    _ranges[:] = [(work, ranges)]
    return ranges


def room(hardware: HardwareSpec, homes: Homes, work: Work, index: int) -> HardwareSpec:
    """The hardware with the capacity that tensors live on chip at statement
    `index` take away."""
    taken: dict[str, int] = {}
    for value, home in homes.items():
        if index in live_range(work, value):
            taken[home.memory] = taken.get(home.memory, 0) + home_bytes(value, home)
    memories = {
        name: (capacity - taken.get(name, 0), bandwidth, latency)
        for name, (capacity, bandwidth, latency) in hardware.memories.items()
    }
    return replace(hardware, memories=memories)


@dataclass
class PlanChooser:
    """The strategy's plan for each statement, given where tensors live;
    remembered, since fusion asks for the same plans again."""

    work: Work
    hardware: HardwareSpec
    strategy: Strategy
    plans: dict[tuple, StatementPlan | StatementError] = field(default_factory=dict)

    def plan(self, index: int, homes: Homes) -> StatementPlan:
        """Statement `index`'s plan; StatementError when none fits."""
        statement = self.work[index][0]
        spec, candidates = statement_inputs(self.work, index, homes)
        here = room(self.hardware, homes, self.work, index)
        main = self.hardware.main
        operand_homes = tuple(
            homes[v].memory if v in homes else main for v in statement.all_operands
        )
        shapes = tuple(homes[v].shape if v in homes else None for v in statement.all_operands)
        key = (index, operand_homes, shapes, tuple(sorted(here.memories.items())))
        if key not in self.plans:
            try:
                self.plans[key] = self.strategy.choose(index, spec, candidates, here, operand_homes)
            except NoFeasiblePlan as error:
                self.plans[key] = StatementError(statement, f"isa-schedule: {error}")
        found = self.plans[key]
        if isinstance(found, StatementError):
            raise found
        return found

    def cost(self, index: int, homes: Homes) -> float:
        """The cost model's cycles for statement `index` (infinite if none fits)."""
        try:
            plan = self.plan(index, homes)
        except StatementError:
            return float("inf")
        return self.strategy.cost_model.estimate(
            plan, room(self.hardware, homes, self.work, index)
        ).cycles

    def runnable(self, index: int, homes: Homes) -> str | None:
        """None when some mapping of statement `index` has a feasible unblocked
        plan with the tensors where `homes` puts them; else the first reason."""
        statement = self.work[index][0]
        spec, candidates = statement_inputs(self.work, index, homes)
        here = room(self.hardware, homes, self.work, index)
        operand_homes = [
            homes[v].memory if v in homes else here.main for v in statement.all_operands
        ]
        reason = None
        for instruction, mapping in candidates:
            try:
                route = routes(instruction, mapping, here, operand_homes)
                check_feasible(make_plan(index, spec, instruction, mapping, route), here)
            except (Unroutable, Infeasible) as error:
                reason = reason or f"@{instruction.name}: {error}"
                continue
            return None
        return reason or "no candidate mapping holds with the padded allocation"


def load_cycles(hardware: HardwareSpec, memref: MemRefType, memory: str) -> float | None:
    """Cycles to copy a whole (contiguous) kernel argument from the main memory
    into `memory` with one engine; None when no single engine does it."""
    path = hardware.route(hardware.main, memory)
    if not path or len(path) != 1:
        return None
    engine = path[0]
    return engine.latency + memref_bytes(memref) / engine.bandwidth


def padded_homes(work: Work, value: SSAValue, memory: str) -> list[Home]:
    """Padded allocations of `value` in `memory` worth trying: the one that lets
    the best-utilised candidates of each statement using it address their
    ragged tiles there in place, and the one that lets every candidate (where
    padding can make them safe); none where no candidate needs padding."""
    found: list[Home] = []
    for best_only in (True, False):
        home = _padded_home(work, value, memory, best_only)
        if home is not None and home not in found:
            found.append(home)
    return found


def _padded_home(work: Work, value: SSAValue, memory: str, best_only: bool) -> Home | None:
    # The writers' padding first: readers may need none more once it is there.
    own = memref_shape(value)
    shape = own
    for written in (True, False):
        start = shape
        for index in live_range(work, value):
            statement, spec, candidates = work[index]
            positions = [
                p
                for p, v in enumerate(statement.all_operands)
                if v is value and (p == 0) == written
            ]
            if not positions:
                continue
            fits = [
                (mapping, grown)
                for instruction, mapping in candidates
                if (
                    grown := _candidate_padding(
                        spec, instruction, mapping, positions, memory, own, start
                    )
                )
                is not None
            ]
            if best_only and fits:
                best = max(mapping.utilisation for mapping, _ in fits)
                fits = [(m, grown) for m, grown in fits if m.utilisation == best]
            for _, grown in fits:
                shape = tuple(max(a, b) for a, b in zip(shape, grown, strict=True))
    return Home(memory, shape) if shape != own else None


def _candidate_padding(
    spec: StatementSpec,
    instruction: InstructionSpec,
    mapping: Mapping,
    positions: list[int],
    memory: str,
    own: tuple[int, ...],
    start: tuple[int, ...],
) -> tuple[int, ...] | None:
    """The allocation, from `start` up, one candidate needs to address the tensor
    (its own shape `own`; statement operands `positions`) in place in `memory`
    with its lanes past an extent (`start` itself when it needs no more); None
    when no padding makes them safe (a fused group's ragged tile, a writer whose
    extra lanes land on the tensor's elements)."""
    shape = start
    for q, o in enumerate(binding(instruction, mapping)):
        if o not in positions or instruction.memories[q] != memory:
            continue
        for row in instruction.statement.operands[q].access:
            if not row.used():
                continue
            i = row.used()[0]
            group = mapping.groups[i]
            lanes = instruction.statement.extents[i]
            if not group.kernel_indices:
                if lanes > 1:
                    return None  # a padded instruction dimension runs over the tensor
                continue
            extent = prod(spec.extent(k) for k in group.kernel_indices)
            if group.fused:
                if extent % lanes:
                    return None
                continue
            if len(group.kernel_indices) != 1:
                return None  # a box of several indices spans several tensor dimensions
            k = spec.position(group.kernel_indices[0])
            if extent % lanes == 0:
                continue
            if q and not instruction.statement.is_parallel(i):
                return None
            # Whole tiles up past the extent, or one tile narrower than the lanes.
            covered = -(-extent // lanes) * lanes
            operand = replace(spec.operands[o], shape=shape, real_shape=own)
            if safe_in_place(operand, spec.extents, k, covered, output=o == 0):
                continue
            grown = padded_shape(operand, spec.extents, k, covered, output=o == 0)
            if grown is None:
                return None
            shape = grown
    return shape


def place_intermediates(
    kernel: KernelOp, chooser: PlanChooser, declined: list[str] | None = None
) -> Homes:
    """Where fusion keeps each tensor (see the module docstring); the
    intermediates left in the main memory for want of room or of a plan are
    added to `declined`, each with the reason."""
    work, hardware = chooser.work, chooser.hardware
    homes: Homes = {}
    on_chip = sorted(
        (m for m in hardware.memories if m != hardware.main),
        key=lambda m: -hardware.memories[m][0],
    )
    written = {op.output for op, _, _ in work}
    candidates: list[tuple[SSAValue, bool]] = [
        (op.result, False) for op in kernel.body.block.ops if isinstance(op, BufferOp)
    ]
    # Then the arguments only read: copied on chip once (`load_cycles`) before
    # their first user when their users gain more than the copy costs.
    candidates += [(a, True) for a in kernel.arguments if a not in written]
    for value, argument in candidates:
        assert isinstance(value.type, MemRefType)
        live = live_range(work, value)
        if not live:
            continue  # unused: nothing to gain
        users = [i for i in live if value in work[i][0].all_operands]
        reasons: list[str] = []
        rated: list[str] = []
        before = sum(chooser.cost(i, homes) for i in users)
        for memory in on_chip:
            load = load_cycles(hardware, value.type, memory) if argument else 0.0
            if load is None:
                continue
            options = [Home(memory, memref_shape(value)), *padded_homes(work, value, memory)]
            best: tuple[float, Home] | None = None
            for home in options:
                trial = {**homes, value: home}
                reason = _fits(work, hardware, trial, value, home, live)
                if reason is None:
                    reason = next(
                        (
                            f"statement #{i} has no plan with it there ({why})"
                            for i in users
                            if (why := chooser.runnable(i, trial)) is not None
                        ),
                        None,
                    )
                if reason is not None:
                    padding = (
                        ""
                        if home.shape == memref_shape(value)
                        else f" padded to {list(home.shape)}"
                    )
                    reasons.append(f"in @{memory}{padding}: {reason}")
                    continue
                cost = load + sum(chooser.cost(i, trial) for i in users)
                if cost > before:
                    padding = (
                        ""
                        if home.shape == memref_shape(value)
                        else f" padded to {list(home.shape)}"
                    )
                    rated.append(
                        f"in @{memory}{padding}: its users are rated slower ({cost:.0f} "
                        f"against {before:.0f} cycles)"
                    )
                elif best is None or cost < best[0]:
                    best = (cost, home)
            if best is not None:
                homes = {**homes, value: best[1]}
                break
        else:
            if reasons and not argument and declined is not None:
                name = value.name_hint or "an intermediate"
                why = "; ".join(reasons + rated)
                declined.append(f"%{name} stays in @{hardware.main}: {why}")
    return homes


def _fits(
    work: Work, hardware: HardwareSpec, trial: Homes, value: SSAValue, home: Home, live: range
) -> str | None:
    """Why the tensors placed by `trial` leave the statements `value` is live
    in less than half of `home.memory`, or None when they do not."""
    capacity = hardware.memories[home.memory][0]
    if home_bytes(value, home) > capacity // 2:
        return f"it takes {home_bytes(value, home)} bytes, more than half of {capacity}"
    for i in live:
        taken = capacity - room(hardware, trial, work, i).memories[home.memory][0]
        if taken > capacity // 2:
            return (
                f"at statement #{i} the tensors kept there take {taken} bytes, more than "
                f"half of {capacity}"
            )
    return None
