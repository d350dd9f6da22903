"""The energy of a run, from its statistics and the hardware's energies
(isamapper_dialect/energy_spec.py): every byte an engine moved at its source's
read, its own and its target's write energy, every execution at its
instruction's energy, and every unit's static energy over the run's cycles."""

from __future__ import annotations

from dataclasses import dataclass

from isamapper_dialect.energy_spec import EnergySpec
from isamapper_hardware.model.machine import Statistics

COMPUTE = "compute"
"""The component of instructions' executions."""
STATIC = "static"
"""The component of the units' static energy."""


@dataclass(frozen=True)
class Energy:
    """pJ in total and per component: `compute`, `static`, and each memory and
    engine by its symbol (`@sram`, `@hbm_to_sram`), only those that cost
    something."""

    total: float
    components: dict[str, float]


def program_energy(stats: Statistics, spec: EnergySpec) -> Energy:
    """The energy of the run `stats` measured (section docstring)."""
    parts: dict[str, float] = {}

    def charge(component: str, pj: float) -> None:
        if pj:
            parts[component] = parts.get(component, 0.0) + pj

    for name, count in sorted(stats.executions.items()):
        charge(COMPUTE, count * spec.instructions.get(name, 0.0))
    for name, moved in sorted(stats.engine_bytes.items()):
        source, target, own = spec.engines[name]
        charge(f"@{source}", moved * spec.reads.get(source, 0.0))
        charge(f"@{name}", moved * own)
        charge(f"@{target}", moved * spec.writes.get(target, 0.0))
    charge(STATIC, stats.cycles * spec.static_per_cycle)
    return Energy(sum(parts.values()), dict(sorted(parts.items())))
