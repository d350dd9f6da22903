"""A sweep's summary per design (geomean latency over the workloads, total
energy, area) and its Pareto front: the designs no other design beats or
equals on every figure while beating them on one (all three minimised; a
figure the description does not give is left out of the comparison)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import exp, log

from isamapper_bench.sweep.tasks import SweepRow


@dataclass(frozen=True)
class DesignSummary:
    """One design's figures."""

    design: int
    latency_cycles: float
    """Geomean over the workloads of their cycles."""
    energy_pj: float | None
    """Total over the workloads."""
    area_mm2: float | None
    front: bool = False


def pareto_front(points: Sequence[Sequence[float]]) -> list[bool]:
    """Per point, whether no other point is <= on every coordinate and < on one."""

    def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
        return all(x <= y for x, y in zip(a, b, strict=True)) and any(
            x < y for x, y in zip(a, b, strict=True)
        )

    return [not any(dominates(other, point) for other in points) for point in points]


def summarize(rows: Sequence[SweepRow], designs: int) -> list[DesignSummary]:
    """The summary of each of `designs` designs, the front marked."""
    summaries = []
    for design in range(designs):
        mine = [r for r in rows if r.design == design]
        latency = exp(sum(log(r.cycles) for r in mine) / len(mine))
        energies = [r.energy_pj for r in mine]
        energy = None if None in energies else sum(e for e in energies if e is not None)
        summaries.append(DesignSummary(design, latency, energy, mine[0].area_mm2))
    given = [
        name
        for name in ("latency_cycles", "energy_pj", "area_mm2")
        if all(getattr(s, name) is not None for s in summaries)
    ]
    front = pareto_front([[getattr(s, name) for name in given] for s in summaries])
    return [
        DesignSummary(s.design, s.latency_cycles, s.energy_pj, s.area_mm2, on)
        for s, on in zip(summaries, front, strict=True)
    ]
