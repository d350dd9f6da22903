"""The sweep's plot: latency against area and energy against latency, one
point per design, the Pareto front marked and joined."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402

from isamapper_bench.sweep.pareto import DesignSummary  # noqa: E402


def _panel(axes, xs: list[float], ys: list[float], front: list[bool], labels: list[str]) -> None:
    axes.scatter(xs, ys, color="tab:gray", marker="o", label="design")
    on = sorted((x, y, t) for x, y, t, f in zip(xs, ys, labels, front, strict=True) if f)
    if on:
        axes.plot(
            [p[0] for p in on], [p[1] for p in on], color="tab:red", marker="*",
            markersize=11, linewidth=1, label="Pareto front",
        )  # fmt: skip
        for x, y, text in on:
            axes.annotate(text, (x, y), fontsize=6, xytext=(4, 4), textcoords="offset points")
    axes.grid(True, which="both", linewidth=0.3)


def pareto_plot(
    path: str, summaries: Sequence[DesignSummary], labels: Sequence[str], title: str
) -> None:
    """Write the plot to `path` (PNG); a panel whose figure the description
    does not give (no energies, no areas) is left out."""
    latency = [s.latency_cycles for s in summaries]
    front = [s.front for s in summaries]
    panels = []
    if all(s.area_mm2 is not None for s in summaries):
        panels.append(([s.area_mm2 for s in summaries], latency, "area (mm²)", "latency"))
    if all(s.energy_pj is not None for s in summaries):
        panels.append((latency, [s.energy_pj for s in summaries], "latency", "energy (pJ)"))
    if not panels:
        panels.append((list(range(len(summaries))), latency, "design", "latency"))
    figure, axes_list = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), dpi=120)
    axes_list = axes_list if len(panels) > 1 else [axes_list]
    for axes, (xs, ys, xlabel, ylabel) in zip(axes_list, panels, strict=True):
        _panel(axes, xs, ys, front, list(labels))
        name = "geomean cycles over the workloads"
        axes.set_xlabel(name if xlabel == "latency" else xlabel)
        axes.set_ylabel(name if ylabel == "latency" else ylabel)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.legend(fontsize=7)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
