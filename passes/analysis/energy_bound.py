"""The energy lower bound of a kernel on a hardware: no program can spend less.

Three parts, each at its cheapest rate (the model charges what energy.py says,
hardware/model/energy.py):

- traffic: the compulsory bytes of the roofline (`compulsory_bytes`: every
  element of an argument a statement reads crosses from the main memory once,
  every element it writes crosses back once) at the cheapest engine leaving
  (entering) the main memory, its memories' read and write energies included;
- work: every statement's real points (never padding) at the cheapest
  instruction able to run it, its energy per execution over its lanes;
- static: every unit's static energy over the roofline bound's cycles (no
  program runs in fewer).

Tensors start in the main memory (a cold start: `isamapper-run`, the bench).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from isamapper_dialect.energy_spec import energy_spec
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_passes.analysis.roofline import compulsory_bytes, roofline
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.legality import instruction_incompatibility


@dataclass(frozen=True)
class EnergyBound:
    """The bound's parts (module docstring), in pJ; static per cycle in pJ."""

    traffic: float
    work: float
    static_per_cycle: float
    cycles: float
    """The roofline bound the static part is charged over."""

    @property
    def total(self) -> float:
        """The bound."""
        return self.traffic + self.work + self.static_per_cycle * self.cycles


def energy_bound(kernel: KernelOp, hardware: HardwareOp) -> EnergyBound | None:
    """The bound (module docstring); None when the hardware gives no energies."""
    energies = energy_spec(hardware)
    if energies is None:
        return None
    spec = hardware_spec(hardware)
    read, written = compulsory_bytes(kernel.statements, kernel.arguments, hardware)
    leaving = [energies.per_byte(e.name) for e in spec.engines if e.source == spec.main]
    entering = [energies.per_byte(e.name) for e in spec.engines if e.target == spec.main]
    traffic = read * min(leaving, default=0.0) + written * min(entering, default=0.0)
    specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
    work = 0.0
    for op in kernel.statements:
        statement = statement_spec(op)
        rates = [
            energies.instructions.get(s.name, 0.0) / s.lanes
            for s in specs
            if instruction_incompatibility(statement, s) is None
        ]
        work += prod(statement.extents) * min(rates, default=0.0)
    cycles = roofline(kernel, hardware).bound
    return EnergyBound(traffic, work, energies.static_per_cycle, cycles)
