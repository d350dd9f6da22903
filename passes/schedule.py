"""`isa-schedule`: choose a plan for every statement and lower kernels to `accel`.

Precondition: statements carry candidates (`isa-map-instructions` ran) and the
module holds the target `isa.hardware` (map with `hardware-file` copies it in).

Each `isa.kernel` is replaced by an `accel.program` of the same name and
arguments. Per statement the strategy picks a mapping, block sizes and a loop
order under the cost model (see schedule_strategies.py).

Options:
  strategy=greedy|search|random  how plans are chosen (default greedy)
  cost-model=analytic            how plans are compared (default analytic)
  budget=N                       plans the search strategy may evaluate per statement
  seed=N                         seed of the random strategy
  keep-reference=true|false      keep each kernel, renamed `<name>_reference` and
                                 named by the program's `reference` attribute, so
                                 tools can check the program against it (default true)
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, ModuleOp, StringAttr, SymbolRefAttr
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from isamapper_dialect.compute_op import MAPPINGS
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.mapping_attr import MappingAttr
from isamapper_passes.hardware_spec import hardware_spec
from isamapper_passes.mapping_from_ir import instruction_spec, statement_spec
from isamapper_passes.schedule_cost import COST_MODELS
from isamapper_passes.schedule_lowering import lower_kernel
from isamapper_passes.schedule_strategies import NoFeasiblePlan, Strategy
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

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.strategy not in ("greedy", "search", "random"):
            raise PassFailedException(
                f"isa-schedule: unknown strategy `{self.strategy}`; use greedy, search or random"
            )
        if self.cost_model not in COST_MODELS:
            raise PassFailedException(
                f"isa-schedule: unknown cost model `{self.cost_model}`; use "
                + ", ".join(COST_MODELS)
            )
        strategy = Strategy(self.strategy, COST_MODELS[self.cost_model](), self.budget, self.seed)
        for kernel in [k for k in op.walk() if isinstance(k, KernelOp)]:
            program = self._schedule(op, kernel, strategy)
            kernel.parent_block().insert_op_before(program, kernel)
            if self.keep_reference:
                reference = f"{kernel.sym_name.data}_reference"
                kernel.sym_name = StringAttr(reference)
                program.attributes["reference"] = SymbolRefAttr(reference)
            else:
                kernel.detach()
                kernel.erase()

    def _schedule(self, module: ModuleOp, kernel: KernelOp, strategy: Strategy):
        plans = []
        hardware_op = None
        for index, statement in enumerate(kernel.statements):
            mappings = statement.attributes.get(MAPPINGS)
            if not isinstance(mappings, ArrayAttr) or not mappings.data:
                raise StatementError(
                    statement,
                    "isa-schedule: the statement has no mapping candidates; run "
                    "isa-map-instructions first",
                )
            first = mappings.data[0]
            assert isinstance(first, MappingAttr)
            hardware_op = _hardware(module, first.data.hardware)
            instructions = {
                i.sym_name.data: instruction_spec(i, hardware_op)
                for i in hardware_op.ops_of(InstructionOp)
            }
            candidates = [
                (instructions[m.data.instruction], m.data)
                for m in mappings.data
                if isinstance(m, MappingAttr)
            ]
            try:
                plans.append(
                    strategy.choose(
                        index, statement_spec(statement), candidates, hardware_spec(hardware_op)
                    )
                )
            except NoFeasiblePlan as error:
                raise StatementError(statement, f"isa-schedule: {error}") from None
        assert hardware_op is not None
        return lower_kernel(kernel, hardware_spec(hardware_op), plans)


def _hardware(module: ModuleOp, name: str) -> HardwareOp:
    for op in module.walk():
        if isinstance(op, HardwareOp) and op.sym_name.data == name:
            return op
    raise PassFailedException(f"isa-schedule: no isa.hardware @{name} in the module")
