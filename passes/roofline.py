"""The roofline lower bound of a kernel on a hardware: no schedule can beat it.

Compute: every statement needs its real points of work (never padding) on the
instructions able to run it; a unit kind does at most `lanes / interval x
units` points per cycle. The bound is the larger of (a) the slowest statement
given all its capable units at once and (b) all the work over the best rate of
every unit kind together.

Memory: every kernel argument a statement reads crosses from the main memory
once and every argument it writes crosses back once (intermediates cost
nothing); reads are divided by the bandwidth of the engines leaving the main
memory, writes by the engines entering it. Accumulating outputs are not read:
in the model, a transfer with `accumulate` adds at its destination.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp, memref_bytes
from isamapper_dialect.kernel_op import KernelOp
from isamapper_passes.hardware_spec import hardware_spec
from isamapper_passes.mapping_enumeration import instruction_incompatibility
from isamapper_passes.mapping_from_ir import instruction_spec, statement_spec


@dataclass(frozen=True)
class Roofline:
    """Lower bounds in cycles."""

    compute: float
    memory: float

    @property
    def bound(self) -> float:
        """The larger of the two."""
        return max(self.compute, self.memory)


def roofline(kernel: KernelOp, hardware: HardwareOp) -> Roofline:
    """The bound of `kernel` on `hardware` (see the module docstring)."""
    specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
    unit_of = {i.sym_name.data: i.unit.root_reference.data for i in hardware.ops_of(InstructionOp)}
    best_rate: dict[str, float] = {}
    slowest = 0.0
    total = 0.0
    for op in kernel.statements:
        statement = statement_spec(op)
        work = prod(statement.extents)
        total += work
        rates: dict[str, float] = {}
        for spec in specs:
            if instruction_incompatibility(statement, spec) is None:
                unit = unit_of[spec.name]
                rate = spec.lanes / spec.interval * spec.units
                rates[unit] = max(rates.get(unit, 0.0), rate)
                best_rate[unit] = max(best_rate.get(unit, 0.0), rate)
        if rates:
            slowest = max(slowest, work / sum(rates.values()))
    compute = max(slowest, total / sum(best_rate.values())) if best_rate else 0.0
    spec = hardware_spec(hardware)
    read = written = 0
    for argument in kernel.arguments:
        size = memref_bytes(argument.type)  # type: ignore[arg-type]
        if any(argument in op.inputs for op in kernel.statements):
            read += size
        if any(op.output == argument for op in kernel.statements):
            written += size
    out_bandwidth = sum(e.bandwidth for e in spec.engines if e.source == spec.main)
    in_bandwidth = sum(e.bandwidth for e in spec.engines if e.target == spec.main)
    memory = max(
        read / out_bandwidth if out_bandwidth else 0.0,
        written / in_bandwidth if in_bandwidth else 0.0,
    )
    return Roofline(compute, memory)
