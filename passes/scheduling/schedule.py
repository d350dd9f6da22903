"""`isa-schedule`: choose a plan for every statement and lower kernels to `accel`.

Precondition: statements carry candidates (`isa-map-instructions` ran) and the
module holds the target `isa.hardware` (map with `hardware-file` copies it in).

Each `isa.kernel` is replaced by an `accel.program` of the same name and
arguments. Per statement the strategy picks a mapping, and block sizes, loop
orders and buffering depths for every tiling level, under the cost model (see
plan.py and strategies.py); with `fuse`, intermediates are
first placed on chip where that pays (`place_intermediates`).

Options:
  strategy=greedy|search|random|library
                                 how plans are chosen (default greedy; library is
                                 the bench's hand-written-library baseline)
  cost-model=analytic            how plans are compared (default analytic)
  budget=N                       plans the search strategy may evaluate per statement
                                 (a note on stderr says when it stopped there)
  seed=N                         seed of the random strategy (0 or more)
  keep-reference=true|false      keep each kernel, renamed `<name>_reference` and
                                 named by the program's `reference` attribute, so
                                 tools can check the program against it (default true)
  fuse=true|false                keep intermediates (`isa.buffer`) on chip where they
                                 fit and every statement using them can run, so a
                                 producer's output feeds its consumer without a
                                 round trip through the main memory, and copy
                                 read-only arguments on chip once where that pays
                                 (default true)
  split-reductions=true|false    also try a multiply-accumulate far from its roofline
                                 bound with its reduction split across the vector
                                 lanes (partial sums, then the hardware's `sum`
                                 instruction adds each one's lanes; split_reduction.py),
                                 keeping it when the cost model rates it cheaper; a
                                 note on stderr says when (default true; not for the
                                 random and library strategies)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, MemRefType, ModuleOp, StringAttr, SymbolRefAttr
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.traits import SymbolTable
from xdsl.utils.exceptions import PassFailedException

from isamapper_dialect.compute_op import MAPPINGS
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import HardwareSpec, hardware_spec
from isamapper_dialect.instruction_op import InstructionOp, memref_bytes
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_dialect.mapping_attr import MappingAttr
from isamapper_passes.analysis.roofline import statement_roofline
from isamapper_passes.mapping.enumeration import DEFAULT_MAX_CANDIDATES
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.map_instructions import AttachMappings
from isamapper_passes.scheduling.cost_model import COST_MODELS, CostModel
from isamapper_passes.scheduling.fusion import UnplannedStatement, fused_plans, load_cycles
from isamapper_passes.scheduling.lowering import lower_kernel
from isamapper_passes.scheduling.plan import StatementPlan
from isamapper_passes.scheduling.plan_chooser import Homes, PlanChooser, room
from isamapper_passes.scheduling.split_reduction import (
    reduction_lanes,
    split_choice,
    split_kernel,
)
from isamapper_passes.scheduling.strategies import STRATEGIES, Strategy, StrategyKind
from isamapper_passes.scheduling.work import Work, WorkStatement
from isamapper_passes.statement_error import StatementError


@dataclass(frozen=True)
class SchedulePass(ModulePass):
    """Pick a mapping, blocks and loop order per statement; lower kernels to accel."""

    name = "isa-schedule"

    strategy: str = "greedy"
    cost_model: str = "analytic"
    budget: int = 2000
    seed: int = 0
    keep_reference: bool = True
    fuse: bool = True
    split_reductions: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        self.schedule(op)

    def schedule(self, op: ModuleOp, tuner: ScheduleTuner | None = None) -> None:
        """Schedule and lower every kernel of `op`; a `tuner` (not a pass option:
        tools give one) sees every plan the cost model rates and may replace the
        chosen plans of each kernel before it is lowered."""
        if self.strategy not in STRATEGIES:
            raise PassFailedException(
                f"isa-schedule: unknown strategy `{self.strategy}`; use " + ", ".join(STRATEGIES)
            )
        if self.cost_model not in COST_MODELS:
            raise PassFailedException(
                f"isa-schedule: unknown cost model `{self.cost_model}`; use "
                + ", ".join(COST_MODELS)
            )
        if self.budget < 1:
            raise PassFailedException(
                f"isa-schedule: budget={self.budget}; the search needs a budget of at least "
                "1 plan per statement"
            )
        if self.seed < 0:
            raise PassFailedException(
                f"isa-schedule: seed={self.seed}; a seed must be a non-negative integer"
            )
        cost_model: CostModel = COST_MODELS[self.cost_model]()
        if tuner is not None:
            cost_model = tuner.observe(cost_model)
        strategy = Strategy(self.strategy, cost_model, self.budget, self.seed)
        for kernel in [k for k in op.walk() if isinstance(k, KernelOp)]:
            self._schedule_one(op, kernel, strategy, tuner)

    def _schedule_one(
        self, op: ModuleOp, kernel: KernelOp, strategy: Strategy, tuner: ScheduleTuner | None
    ) -> None:
        chosen = schedule_kernel(op, kernel, strategy, self.fuse)
        lowered = kernel
        split = (
            split_if_faster(op, kernel, chosen, strategy, self.fuse)
            if self.split_reductions
            else None
        )
        if split is not None:
            lowered, chosen, before = split
            after = chosen.estimate(strategy.cost_model)
            print(
                f"isa-schedule: @{kernel.sym_name.data}: reductions split across vector "
                f"lanes (partial sums, then their sum): {after:.4g} estimated cycles "
                f"against {before:.4g}",
                file=sys.stderr,
            )
        if tuner is not None:
            chosen = tuner.pick(op, lowered, chosen)
        program = lower_kernel(lowered, chosen.hardware, chosen.plans, chosen.homes)
        for note in chosen.declined:
            print(f"isa-schedule: @{kernel.sym_name.data}: fusion: {note}", file=sys.stderr)
        if strategy.cut_short:
            statements = ", ".join(f"#{i}" for i in sorted(set(strategy.cut_short)))
            print(
                f"isa-schedule: @{kernel.sym_name.data}: the search stopped at "
                f"budget={self.budget} plans for statement {statements}; it uses the best "
                "plan found (raise budget to search further)",
                file=sys.stderr,
            )
            strategy.cut_short.clear()
        kernel.parent_block().insert_op_before(program, kernel)
        if self.keep_reference:
            reference = f"{kernel.sym_name.data}_reference"
            kernel.sym_name = StringAttr(reference)
            program.attributes["reference"] = SymbolRefAttr(reference)
        else:
            kernel.detach()
            kernel.erase()


@dataclass(frozen=True)
class KernelSchedule:
    """What `isa-schedule` chose for one kernel, before lowering."""

    hardware: HardwareSpec
    plans: tuple[StatementPlan, ...]
    """One per statement, in order."""
    homes: Homes
    """Where fusion keeps each intermediate or argument it keeps on chip."""
    rooms: tuple[HardwareSpec, ...]
    """Per statement, the hardware with what the intermediates live then take away."""
    loads: float = 0.0
    """Cycles of the whole-tensor copies that bring promoted arguments on chip."""
    declined: tuple[str, ...] = ()
    """Intermediates fusion left in the main memory for want of room or of a
    plan, each with the reason."""

    def estimate(self, cost_model: CostModel) -> float:
        """The cost model's cycles summed over the statements (which the model
        may overlap), with the promoted arguments' loads."""
        return self.loads + sum(
            cost_model.estimate(plan, room).cycles
            for plan, room in zip(self.plans, self.rooms, strict=True)
        )


class ScheduleTuner(Protocol):
    """Something that chooses among plans by other means than the cost model
    (isamapper_tools.native_tuning times them on this CPU)."""

    def observe(self, cost_model: CostModel) -> CostModel:
        """The cost model the strategy rates plans with: `cost_model`, watched."""
        ...

    def pick(self, module: ModuleOp, kernel: KernelOp, chosen: KernelSchedule) -> KernelSchedule:
        """The schedule to lower `kernel` with: `chosen` or one with other plans
        (each feasible in its statement's room, with the same homes)."""
        ...


def schedule_kernel(
    module: ModuleOp, kernel: KernelOp, strategy: Strategy, fuse: bool = True
) -> KernelSchedule:
    """The strategy's plan for every statement of `kernel` (mapped by
    `isa-map-instructions`) and, with `fuse`, where intermediates stay on chip;
    StatementError when a statement has no usable candidate or plan. The search
    strategy returns greedy's schedule when its cost model rates that one
    cheaper (fusion decisions, taken statement by statement, can differ)."""
    chosen = _schedule_kernel(module, kernel, strategy, fuse)
    if strategy.kind is StrategyKind.SEARCH:
        baseline = Strategy(StrategyKind.GREEDY, strategy.cost_model, memo=strategy.memo)
        greedy = _schedule_kernel(module, kernel, baseline, fuse)
        if greedy.estimate(strategy.cost_model) < chosen.estimate(strategy.cost_model):
            return greedy
    return chosen


SPLIT_TRIAL = 2.0
"""A multiply-accumulate whose chosen plan the cost model rates above this many
times its roofline bound is also tried with its reduction split across vector
lanes (split_if_faster)."""


def split_if_faster(
    module: ModuleOp, kernel: KernelOp, chosen: KernelSchedule, strategy: Strategy, fuse: bool
) -> tuple[KernelOp, KernelSchedule, float] | None:
    """`kernel` with some reductions split across the hardware's vector lanes
    (split_reduction.py), mapped and scheduled, with the estimate of `chosen`,
    when the cost model rates it cheaper than `chosen`; else None. The
    statements split are the multiply-accumulates whose plan in `chosen` the
    cost model rates above SPLIT_TRIAL times their own roofline bound. The new
    statements get every candidate (up to the default max-candidates). Not for
    the random and library strategies, whose plans are of the kernel as written
    (a library's kernels do not split indices, docs/baseline.md)."""
    if strategy.kind in (StrategyKind.RANDOM, StrategyKind.LIBRARY):
        return None
    hardware_op = _hardware(module, chosen.hardware.name)
    lanes = reduction_lanes(hardware_op)
    slow = {
        position
        for position, (statement, plan, room) in enumerate(
            zip(kernel.statements, chosen.plans, chosen.rooms, strict=True)
        )
        if split_choice(statement, lanes) is not None
        and strategy.cost_model.estimate(plan, room).cycles
        > SPLIT_TRIAL * statement_roofline(statement, hardware_op).bound
    }
    split = split_kernel(kernel, hardware_op, slow) if slow else None
    if split is None:
        return None
    specs = [instruction_spec(i, hardware_op) for i in hardware_op.ops_of(InstructionOp)]
    mapper = AttachMappings(specs, DEFAULT_MAX_CANDIDATES, False, False)
    for statement in split.statements:
        if MAPPINGS not in statement.attributes:
            mapper.match_and_rewrite(statement, PatternRewriter(statement))
    before = chosen.estimate(strategy.cost_model)
    noted = list(strategy.cut_short)
    try:
        if mapper.failures or any(MAPPINGS not in s.attributes for s in split.statements):
            return None
        schedule = schedule_kernel(module, split, strategy, fuse)
        if schedule.estimate(strategy.cost_model) >= before:
            return None
        noted = list(strategy.cut_short)
        return split, schedule, before
    except StatementError:
        return None
    finally:
        # The search's notes of a split it did not keep name statements the
        # kernel as written does not have.
        strategy.cut_short[:] = noted


def _schedule_kernel(
    module: ModuleOp, kernel: KernelOp, strategy: Strategy, fuse: bool
) -> KernelSchedule:
    statements: list[WorkStatement] = []
    hardware_op = None
    for statement in kernel.statements:
        mappings = statement.attributes.get(MAPPINGS)
        if not isinstance(mappings, ArrayAttr) or not mappings.data:
            raise StatementError(
                statement,
                "isa-schedule: the statement has no mapping candidates; run "
                "isa-map-instructions first",
            )
        candidates = []
        for attribute in mappings.data:
            assert isinstance(attribute, MappingAttr)
            mapping = attribute.data
            if hardware_op is None:
                hardware_op = _hardware(module, mapping.hardware)
            if mapping.hardware != hardware_op.sym_name.data:
                raise StatementError(
                    statement,
                    f"isa-schedule: a candidate runs on @{mapping.hardware}, another on "
                    f"@{hardware_op.sym_name.data}; a kernel is scheduled for one hardware",
                )
            instruction = SymbolTable.lookup_symbol(hardware_op, mapping.instruction)
            if not isinstance(instruction, InstructionOp):
                raise StatementError(
                    statement,
                    f"isa-schedule: the candidate #isa.mapping<{mapping.format()}> names "
                    f"@{mapping.instruction}, which @{mapping.hardware} does not declare as an "
                    "isa.instruction (run isa-map-instructions again)",
                )
            candidates.append((instruction_spec(instruction, hardware_op), mapping))
        statements.append(
            WorkStatement(statement_spec(statement), candidates, tuple(statement.all_operands))
        )
    assert hardware_op is not None
    hardware = hardware_spec(hardware_op)
    _check_main_memory(kernel, hardware, {})
    buffers = tuple(op.result for op in kernel.body.block.ops if isinstance(op, BufferOp))
    tensors = (*kernel.arguments, *buffers)
    work = Work(
        tuple(statements),
        buffers,
        tuple(kernel.arguments),
        {t: t.name_hint for t in tensors if t.name_hint},
    )
    chooser = PlanChooser(work, hardware, strategy)
    try:
        plans, homes, declined = fused_plans(chooser, fuse)
    except UnplannedStatement as error:
        raise StatementError(
            kernel.statements[error.index], f"isa-schedule: {error.reason}"
        ) from None
    _check_main_memory(kernel, hardware, homes)
    rooms = tuple(room(hardware, homes, work, index) for index in range(len(work)))
    loads = sum(
        load_cycles(hardware, work.tensor_bytes(value), home.memory) or 0.0
        for value, home in homes.items()
        if value in kernel.arguments
    )
    return KernelSchedule(hardware, plans, homes, rooms, loads, declined)


def _check_main_memory(kernel: KernelOp, hardware: HardwareSpec, homes: Homes) -> None:
    """StatementError (at the kernel) unless its arguments and the intermediates
    kept in the main memory fit there: they all live for the whole program."""
    capacity = hardware.memories[hardware.main][0]
    buffers = [op.result for op in kernel.body.block.ops if isinstance(op, BufferOp)]
    resident = [*kernel.arguments, *(b for b in buffers if b not in homes)]
    need = 0
    for value in resident:
        assert isinstance(value.type, MemRefType)
        need += memref_bytes(value.type)
    if need > capacity:
        what = "arguments" if len(resident) == len(kernel.arguments) else "arguments and buffers"
        raise StatementError(
            kernel,
            f"isa-schedule: @{kernel.sym_name.data}'s {what} need {need} bytes of the main "
            f"memory @{hardware.main}, which holds {capacity}",
        )


def _hardware(module: ModuleOp, name: str) -> HardwareOp:
    for op in module.walk():
        if isinstance(op, HardwareOp) and op.sym_name.data == name:
            return op
    raise PassFailedException(f"isa-schedule: no isa.hardware @{name} in the module")
