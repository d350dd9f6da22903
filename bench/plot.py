"""The bench's roofline plot: arithmetic intensity vs attained throughput."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only, no display needed

import matplotlib.pyplot as plt  # noqa: E402

from isamapper_bench.measure import RowResult  # noqa: E402
from isamapper_dialect.compute_kind import ComputeKind  # noqa: E402
from isamapper_dialect.hardware_spec import hardware_spec  # noqa: E402
from isamapper_dialect.instruction_op import InstructionOp  # noqa: E402
from isamapper_dialect.parsing import parse_module  # noqa: E402
from isamapper_passes.mapping.from_ir import instruction_spec  # noqa: E402


def roofs(hardware_path: str) -> tuple[float, float]:
    """(peak FLOP per cycle, main-memory bytes per cycle): every unit running its
    fastest multiply-accumulate instruction, and every engine leaving the main
    memory at once."""
    module = parse_module(hardware_path)
    hardware = next(op for op in module.ops if op.name == "isa.hardware")
    best: dict[str, float] = {}
    for op in hardware.ops_of(InstructionOp):  # type: ignore[attr-defined]
        spec = instruction_spec(op, hardware)
        if spec.statement.kind is ComputeKind.MAC:
            unit = op.unit.root_reference.data
            best[unit] = max(best.get(unit, 0.0), 2 * spec.lanes / spec.interval * spec.units)
    spec = hardware_spec(hardware)  # type: ignore[arg-type]
    bandwidth = sum(e.bandwidth for e in spec.engines if e.source == spec.main)
    return sum(best.values()), float(bandwidth)


def roofline_plot(path: str, rows: Sequence[RowResult], hardware_path: str, title: str) -> None:
    """Write a log-log roofline plot of ours and the baseline to `path`."""
    peak, bandwidth = roofs(hardware_path)
    intensity = [r.flops / r.bytes for r in rows]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    low = min(min(intensity) / 2, peak / bandwidth / 4)
    high = max(max(intensity) * 2, peak / bandwidth * 4)
    ridge = peak / bandwidth
    axes.plot([low, ridge, high], [low * bandwidth, peak, peak], color="black", linewidth=1.2)
    axes.annotate(f"{peak:.0f} FLOP/cycle", (high, peak), ha="right", va="bottom")
    axes.annotate(f"{bandwidth:.0f} B/cycle", (low, low * bandwidth), ha="left", va="bottom")
    axes.scatter(
        intensity,
        [r.flops / r.baseline_cycles for r in rows],
        marker="x",
        color="tab:gray",
        label="library-style baseline",
    )
    axes.scatter(
        intensity,
        [r.flops / r.cycles for r in rows],
        marker="o",
        facecolors="none",
        edgecolors="tab:blue",
        label="isamapper",
    )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("arithmetic intensity (FLOP / byte of compulsory traffic)")
    axes.set_ylabel("attained FLOP / cycle")
    axes.set_title(title)
    axes.legend(loc="lower right")
    axes.grid(True, which="both", linewidth=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def native_plot(path: str, results: Sequence, title: str) -> None:
    """Write GFLOP/s against problem size (FLOP, log scale) of ours and numpy."""
    figure, axes = plt.subplots(figsize=(7, 4.5))
    flops = [r.flops for r in results]
    axes.scatter(flops, [r.gflops for r in results], label="isamapper, native", marker="o")
    axes.scatter(flops, [r.numpy_gflops for r in results], label="numpy (OpenBLAS)", marker="x")
    axes.set_xscale("log")
    axes.set_xlabel("problem size (FLOP)")
    axes.set_ylabel("GFLOP/s, one thread")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
