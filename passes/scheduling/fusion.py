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

from dataclasses import replace
from math import prod

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.padding import padded_shape, safe_in_place
from isamapper_passes.scheduling.plan import Home, StatementPlan
from isamapper_passes.scheduling.plan_building import binding
from isamapper_passes.scheduling.plan_chooser import Homes, PlanChooser, room
from isamapper_passes.scheduling.strategies import NoFeasiblePlan
from isamapper_passes.scheduling.work import Tensor, Work


class UnplannedStatement(Exception):
    """Statement `index` has no plan that fits (`reason` says why)."""

    def __init__(self, index: int, reason: str):
        super().__init__(reason)
        self.index = index
        self.reason = reason


def fused_plans(
    chooser: PlanChooser, fuse: bool = True
) -> tuple[tuple[StatementPlan, ...], Homes, tuple[str, ...]]:
    """Every statement's plan, where fusion keeps tensors on chip (none without
    `fuse`) and the notes on what it left in the main memory. When the tensors
    kept on chip squeeze a statement out of room, everything is planned through
    the main memory instead and a note says so. UnplannedStatement when a
    statement has no plan even then."""
    work, hardware = chooser.work, chooser.hardware
    declined: list[str] = []
    homes = place_intermediates(chooser, declined) if fuse else {}

    def plans(homes: Homes) -> tuple[StatementPlan, ...]:
        found = []
        for index in range(len(work)):
            try:
                found.append(chooser.plan(index, homes))
            except NoFeasiblePlan as error:
                raise UnplannedStatement(index, str(error)) from None
        return tuple(found)

    try:
        return plans(homes), homes, tuple(declined)
    except UnplannedStatement as error:
        if not homes:
            raise
        kept = ", ".join(work.label(t) for t in homes)
        declined.append(
            f"{kept} planned on chip, but then statement #{error.index} has no plan "
            f"({error.reason}); the kernel is scheduled unfused, every tensor in "
            f"@{hardware.main}"
        )
        return plans({}), {}, tuple(declined)


def load_cycles(hardware: HardwareSpec, size: int, memory: str) -> float | None:
    """Cycles to copy a whole (contiguous) kernel argument of `size` bytes from
    the main memory into `memory` with one engine; None when no single engine
    does it."""
    path = hardware.route(hardware.main, memory)
    if not path or len(path) != 1:
        return None
    engine = path[0]
    return engine.latency + size / engine.bandwidth


def padded_homes(work: Work, value: Tensor, memory: str) -> list[Home]:
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


def _padded_home(work: Work, value: Tensor, memory: str, best_only: bool) -> Home | None:
    # The writers' padding first: readers may need none more once it is there.
    own = work.shape(value)
    shape = own
    for written in (True, False):
        start = shape
        for index in work.live_range(value):
            spec, candidates = work[index].spec, work[index].candidates
            positions = [
                p for p, t in enumerate(work[index].tensors) if t == value and (p == 0) == written
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


def place_intermediates(chooser: PlanChooser, declined: list[str] | None = None) -> Homes:
    """Where fusion keeps each tensor (see the module docstring); the
    intermediates left in the main memory for want of room or of a plan are
    added to `declined`, each with the reason."""
    work, hardware = chooser.work, chooser.hardware
    homes: Homes = {}
    # A cache holds what the program touches by itself: tensors are kept only in
    # memories the program manages.
    on_chip = sorted(
        (m for m in hardware.memories if m != hardware.main and m not in hardware.caches),
        key=lambda m: -hardware.memories[m][0],
    )
    written = work.written()
    candidates: list[tuple[Tensor, bool]] = [(b, False) for b in work.buffers]
    # Then the arguments only read: copied on chip once (`load_cycles`) before
    # their first user when their users gain more than the copy costs.
    candidates += [(a, True) for a in work.arguments if a not in written]
    for value, argument in candidates:
        live = work.live_range(value)
        if not live:
            continue  # unused: nothing to gain
        users = work.users(value)
        reasons: list[str] = []
        rated: list[str] = []
        before = sum(chooser.cost(i, homes) for i in users)
        # No plan of its users is rated below their floor: an argument whose
        # copy and that floor already take longer cannot pay (a compute-bound
        # GEMM's inputs; skipping them leaves one greedy search of three).
        model = chooser.strategy.cost_model
        floor = (
            sum(
                min((model.lower_bound(spec, m) for spec, m in work[i].candidates), default=0.0)
                for i in users
            )
            if argument
            else 0.0
        )
        for memory in on_chip:
            load = load_cycles(hardware, work.tensor_bytes(value), memory) if argument else 0.0
            if load is None or (argument and load + floor > before):
                continue
            options = [Home(memory, work.shape(value)), *padded_homes(work, value, memory)]
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
                        "" if home.shape == work.shape(value) else f" padded to {list(home.shape)}"
                    )
                    reasons.append(f"in @{memory}{padding}: {reason}")
                    continue
                cost = load + sum(chooser.cost(i, trial) for i in users)
                if cost > before:
                    padding = (
                        "" if home.shape == work.shape(value) else f" padded to {list(home.shape)}"
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
                why = "; ".join(reasons + rated)
                declined.append(
                    f"{work.label(value, 'an intermediate')} stays in @{hardware.main}: {why}"
                )
    return homes


def _fits(
    work: Work, hardware: HardwareSpec, trial: Homes, value: Tensor, home: Home, live: range
) -> str | None:
    """Why the tensors placed by `trial` leave the statements `value` is live
    in less than half of `home.memory`, or None when they do not."""
    capacity = hardware.memories[home.memory][0]
    size = work.tensor_bytes(value, home.shape)
    if size > capacity // 2:
        return f"it takes {size} bytes, more than half of {capacity}"
    for i in live:
        taken = capacity - room(hardware, trial, work, i).memories[home.memory][0]
        if taken > capacity // 2:
            return (
                f"at statement #{i} the tensors kept there take {taken} bytes, more than "
                f"half of {capacity}"
            )
    return None
