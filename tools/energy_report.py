"""The energy figures of a model run, as `isamapper-run` and the bench report
them: the run's energy by component (hardware/model/energy.py) beside its
lower bound (passes/analysis/energy_bound.py), both None for a hardware that
gives no energies."""

from __future__ import annotations

from dataclasses import dataclass

from isamapper_dialect.energy_spec import energy_spec
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_hardware.model.energy import program_energy
from isamapper_hardware.model.machine import Statistics
from isamapper_passes.analysis.energy_bound import energy_bound


@dataclass(frozen=True)
class EnergyFigures:
    """pJ; each None when the hardware gives no energies (the bound also when
    the program names no reference kernel)."""

    energy_pj: float | None
    energy_bound_pj: float | None
    components: dict[str, float]

    def line(self) -> str | None:
        """`  energy: ...` for the text report; None without energies."""
        if self.energy_pj is None:
            return None
        bound = "" if self.energy_bound_pj is None else f" (bound {self.energy_bound_pj:.4g} pJ)"
        total = self.energy_pj or 1.0
        parts = ", ".join(
            f"{name} {pj / total:.1%}"
            for name, pj in sorted(self.components.items(), key=lambda item: -item[1])
        )
        return f"  energy: {self.energy_pj:.4g} pJ{bound}: {parts}"


def energy_figures(
    stats: Statistics, hardware: HardwareOp, reference: KernelOp | None
) -> EnergyFigures:
    """The figures of the run `stats` measured on `hardware` (tensors starting
    in the main memory, as the bound assumes)."""
    energies = energy_spec(hardware)
    if energies is None:
        return EnergyFigures(None, None, {})
    energy = program_energy(stats, energies)
    bound = None if reference is None else energy_bound(reference, hardware)
    total = None if bound is None else bound.total
    return EnergyFigures(energy.total, total, energy.components)
