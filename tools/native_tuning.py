"""Native tuning (`isamapper-compile --tune N`): time the cost model's best few
plans of each statement on this CPU and keep the fastest.

The cost model ranks plans well but ties or misorders some that run 10-50%
apart natively (a register block's depth along the reduction, which panel of
the cache a loop keeps: docs/bench.md). The tuner watches every plan the
strategy rates (`RecordingCostModel`); once the scheduler has chosen, it takes
per statement the `count` plans the cost model rated cheapest after the chosen
one, distinct in instruction, mapping and blocks, feasible in the statement's
room and routed through the same memories, builds them all into one library
beside the chosen plan, runs each on the same random inputs (an output that
differs from the chosen plan's is a bug: refused with a message), times them
round robin and keeps the fastest (when it is MARGIN faster); statements are
tuned one after the other, each with the plans chosen so far for the others
(coordinate descent).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.mapping import Mapping
from isamapper_dialect.parsing import InputError, make_context
from isamapper_passes.mapping.specs import InstructionSpec
from isamapper_passes.scheduling.cost_model import (
    CostBreakdown,
    CostModel,
    Infeasible,
    check_feasible,
)
from isamapper_passes.scheduling.lowering import lower_kernel
from isamapper_passes.scheduling.plan import StatementPlan
from isamapper_passes.scheduling.schedule import KernelSchedule
from isamapper_tools.kernel_inputs import argument_names, random_inputs, written_arguments
from isamapper_tools.native_build import build_library, check_host, export_native, find_toolchain
from isamapper_tools.native_call import load_program

TUNE_SECONDS = 1.0
"""Wall time the round-robin timing of one statement's plans aims at (at least
MIN_ROUNDS rounds, at most MAX_ROUNDS)."""
MIN_ROUNDS = 3
MAX_ROUNDS = 50
MARGIN = 0.03
"""How much faster than the chosen plan another must run to replace it: less
is within the noise of timing side by side (docs/bench.md)."""


def plan_key(plan: StatementPlan) -> tuple:
    """What makes two plans of a statement different for tuning: the instruction,
    the mapping and the blocks of every level (plans differing only in loop
    order or buffering depth mostly run alike, and would crowd the shortlist)."""
    return plan.spec.name, plan.mapping, plan.levels


def _route(plan: StatementPlan) -> tuple:
    """The memories and engines each operand passes through: plans of one
    statement lowered with the same homes must agree on them."""
    return (
        tuple(tuple((s.memory, s.engine) for s in stations) for stations in plan.operands),
        tuple(d is None for d in plan.direct),
    )


def _room_key(hardware: HardwareSpec) -> tuple:
    """What tells the rooms of a kernel's statements apart (as greedy's memo does)."""
    return hardware.name, tuple(sorted(hardware.memories.items()))


class RecordingCostModel:
    """A cost model that remembers the cheapest plan it rated of each kind
    (`plan_key`, route) per statement and room: a few thousand, where keeping
    every rating took gigabytes on a large GEMV."""

    def __init__(self, inner: CostModel) -> None:
        self.inner = inner
        self.name = inner.name
        self.rated: dict[tuple, dict[tuple, tuple[float, StatementPlan]]] = defaultdict(dict)

    def estimate(self, plan: StatementPlan, hardware: HardwareSpec) -> CostBreakdown:
        """The inner model's estimate, recorded."""
        breakdown = self.inner.estimate(plan, hardware)
        kinds = self.rated[(plan.statement, plan.spec.statement, _room_key(hardware))]
        key = (plan_key(plan), _route(plan))
        if key not in kinds or breakdown.cycles < kinds[key][0]:
            kinds[key] = (breakdown.cycles, plan)
        return breakdown

    def lower_bound(self, spec: InstructionSpec, mapping: Mapping) -> float:
        """The inner model's."""
        return self.inner.lower_bound(spec, mapping)

    def alternatives(
        self, chosen: StatementPlan, room: HardwareSpec, count: int
    ) -> list[StatementPlan]:
        """Up to `count` plans of `chosen`'s statement other than it, cheapest
        first as rated in `room`, distinct by `plan_key`, feasible there and
        routed as `chosen` is."""
        kinds = self.rated[(chosen.statement, chosen.spec.statement, _room_key(room))]
        route, own = _route(chosen), plan_key(chosen)
        found: list[StatementPlan] = []
        for (key, other_route), (_, plan) in sorted(kinds.items(), key=lambda item: item[1][0]):
            if len(found) >= count:
                break
            if key == own or other_route != route:
                continue
            try:
                check_feasible(plan, room)
            except Infeasible:
                continue
            found.append(plan)
        return found


class NativeTuner:
    """`ScheduleTuner` that times the shortlisted plans natively (module docstring)."""

    def __init__(self, count: int, seed: int = 0, log: Callable[[str], None] | None = None) -> None:
        if count < 1:
            raise InputError(f"--tune {count}: give the number of plans to time (1 or more)")
        self.count = count
        self.seed = seed
        self.log = log or (lambda line: print(line, file=sys.stderr))
        self.recorder: RecordingCostModel | None = None

    def observe(self, cost_model: CostModel) -> CostModel:
        """The strategy's cost model, recorded."""
        self.recorder = RecordingCostModel(cost_model)
        return self.recorder

    def pick(self, module: ModuleOp, kernel: KernelOp, chosen: KernelSchedule) -> KernelSchedule:
        """`chosen` with each statement's plan replaced by the fastest measured."""
        assert self.recorder is not None, "observe() comes first"
        hardware = _hardware(module, chosen.hardware.name)
        if hardware.native_target is None:
            raise InputError(
                f"--tune times plans on this CPU, and @{hardware.sym_name.data} is not a CPU "
                'description (one names the CPU to compile for: `cpu "x86-64-v4" features [...]`, '
                "as hardware/cpu_avx512.mlir does)"
            )
        check_host(hardware)
        toolchain = find_toolchain()
        inputs = random_inputs(kernel, self.seed)
        plans = list(chosen.plans)
        name = kernel.sym_name.data
        names = argument_names(kernel)
        written = [n for n in names if n in written_arguments(kernel)]
        for index, room in enumerate(chosen.rooms):
            others = self.recorder.alternatives(plans[index], room, self.count)
            if not others:
                continue
            shortlist = [plans[index], *others]
            trials = [[*plans[:index], plan, *plans[index + 1 :]] for plan in shortlist]
            start = time.perf_counter()
            calls = self._build(kernel, chosen, trials, hardware, toolchain)
            seconds = time_round_robin(calls, names, written, inputs, f"@{name}")
            best = min(range(len(trials)), key=seconds.__getitem__)
            if seconds[best] > seconds[0] * (1 - MARGIN):
                best = 0
            plans[index] = trials[best][index]
            choice = "the cost model's choice" if best == 0 else f"its #{best + 1}"
            self.log(
                f"tune: @{name} statement #{index}: {len(trials)} plans timed natively in "
                f"{time.perf_counter() - start:.1f} s; kept {choice} "
                f"({seconds[best] * 1e3:.3f} ms against {seconds[0] * 1e3:.3f} ms)"
            )
        return replace(chosen, plans=tuple(plans))

    def _build(
        self,
        kernel: KernelOp,
        chosen: KernelSchedule,
        trials: Sequence[Sequence[StatementPlan]],
        hardware: HardwareOp,
        toolchain: object,
    ) -> list[Callable[[Sequence[np.ndarray]], None]]:
        """Every trial lowered into one module (programs `tune0`, `tune1`, ...)
        and built into one library: one run of the toolchain."""
        module = ModuleOp([hardware.clone()])
        for number, plans in enumerate(trials):
            program = lower_kernel(kernel, chosen.hardware, plans, chosen.homes)
            program.sym_name = StringAttr(f"tune{number}")
            module.body.block.add_op(program)
        library, _ = build_library(export_native(module, make_context()), hardware, toolchain)
        return [load_program(library, f"tune{n}") for n in range(len(trials))]


AGREE = 1e-4
"""How close (relative to the output's largest magnitude) two plans' outputs
must be: plans add a reduction's terms in different orders, and a long
reduction (a GEMV's K of 10^5) rounds differently in float32."""


def time_round_robin(
    calls: Sequence[Callable[[Sequence[np.ndarray]], None]],
    names: Sequence[str],
    written: Sequence[str],
    inputs: dict[str, np.ndarray],
    label: str,
) -> list[float]:
    """The median time of each call, timed in turns, on the arguments `names`
    from `inputs` (the `written` ones copied, and reset before every call,
    untimed); an
    InputError naming `label` when a call's outputs differ from the first
    call's by more than AGREE of their largest magnitude. All calls share one
    set of arguments: a copy per call of a large GEMV's 2 GB matrix for nine
    plans ran out of memory."""
    initial = [np.ascontiguousarray(inputs[n]) for n in names]
    arrays = [a.copy() if n in written else a for a, n in zip(initial, names, strict=True)]

    def reset() -> None:
        for target, source, arg in zip(arrays, initial, names, strict=True):
            if arg in written:
                np.copyto(target, source)

    first: dict[str, np.ndarray] | None = None
    times: list[list[float]] = [[] for _ in calls]
    for number, call in enumerate(calls):
        reset()
        begin = time.perf_counter()
        call(arrays)
        times[number].append(time.perf_counter() - begin)
        results = dict(zip(names, arrays, strict=True))
        if first is None:
            first = {n: results[n].copy() for n in written}
            continue
        for wrong in written:
            worst = float(np.max(np.abs(results[wrong] - first[wrong]), initial=0.0))
            scale = max(1.0, float(np.max(np.abs(first[wrong]), initial=0.0)))
            if not worst <= AGREE * scale:  # a NaN fails too
                raise InputError(
                    f"--tune: {label}'s plan #{number + 1} writes %{wrong} differently from "
                    f"the chosen plan (by up to {worst:.3g}); a bug of the scheduler, please "
                    "report it"
                )
    round_s = sum(t[0] for t in times)
    rounds = max(MIN_ROUNDS, min(MAX_ROUNDS, int(TUNE_SECONDS / max(round_s, 1e-9))))
    times = [[] for _ in calls]
    for _ in range(rounds):
        for number, call in enumerate(calls):
            reset()
            begin = time.perf_counter()
            call(arrays)
            times[number].append(time.perf_counter() - begin)
    return [statistics.median(t) for t in times]


def _hardware(module: ModuleOp, name: str) -> HardwareOp:
    for op in module.walk():
        if isinstance(op, HardwareOp) and op.sym_name.data == name:
            return op
    raise InputError(f"--tune: no isa.hardware @{name} in the module")
