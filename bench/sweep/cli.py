"""`isamapper-sweep`: compile and simulate workloads on every design of a grid
of variations of one hardware description.

Each `--vary @hw::@node.field=v1,v2,...` names a field of the description by
symbol path; the designs are every combination of the values (the first
`--vary` slowest). Each workload (the rows of a bench suite, or kernel files)
is compiled with the scheduler and simulated for time only on every design.
Results do not depend on the number of workers or their order.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from isamapper_bench.measure import BenchError, Part, RowPlan, plan_row
from isamapper_bench.sweep.designs import Vary, check_paths, designs, label, parse_vary, with_design
from isamapper_bench.sweep.pareto import DesignSummary, summarize
from isamapper_bench.sweep.tasks import SweepRow, TaskFailed, local_runner, ray_runner, run_sweep
from isamapper_bench.workloads import SUITES, suite_rows
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import memref_bytes
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, parse_module
from isamapper_dialect.shipped_hardware import resolve_hardware
from isamapper_passes.scheduling.strategies import STRATEGIES
from isamapper_tools.internal_error import report_internal_error

COLUMNS = (
    "workload",
    "cycles",
    "bound_cycles",
    "efficiency",
    "energy_pj",
    "energy_bound_pj",
    "area_mm2",
)
"""The CSV's columns after one per `--vary` (named as given)."""


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="isamapper-sweep",
        description=__doc__.split("\n\n")[0],
        epilog=(
            "Example: isamapper-sweep hardware/nnp.mlir --vary @nnp::@mxu.count=16,32,48 "
            "--vary @nnp::@sram.capacity=16777216,33554432,67108864 --suite deepbench-gemm "
            "--filter inference --csv sweep.csv --plot pareto.png. The fields a path may "
            "name: docs/sweep.md."
        ),
    )
    parser.add_argument("hardware", help="hardware description: a file or a shipped name (nnp)")
    parser.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="@HW::@NODE.FIELD=V1,V2",
        help="a field and its values (repeat for a grid); @HW.clock for the hardware's clock",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--suite", choices=SUITES, help="the bench suite's rows as workloads")
    source.add_argument(
        "--kernels", nargs="+", metavar="KERNEL.mlir", help="kernel files as workloads"
    )
    parser.add_argument("--filter", metavar="REGEX", help="only suite rows whose name matches")
    parser.add_argument(
        "--strategy",
        default="greedy",
        choices=[s for s in STRATEGIES if s != "library"],
        help="isa-schedule strategy (default greedy)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="local processes (default: all cores)",
    )
    parser.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="run the tasks on the Ray cluster at ADDRESS (host:port, or `auto`), or on one "
        "started on this machine (`local`); needs isamapper[distributed]",
    )
    parser.add_argument("--csv", metavar="FILE", help="one line per (design, workload)")
    parser.add_argument("--plot", metavar="FILE", help="the Pareto plot (PNG)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _kernel_plans(paths: Sequence[str], strategy: str) -> list[RowPlan]:
    """One workload per kernel file (one isa.kernel each)."""
    plans = []
    for number, path in enumerate(paths):
        module = parse_module(path)
        kernels = [op for op in module.walk() if isinstance(op, KernelOp)]
        if len(kernels) != 1:
            raise InputError(
                f"{path}: a sweep's kernel file holds one isa.kernel, not {len(kernels)}"
            )
        part = Part(Path(path).read_text(), strategy, True)
        traffic = sum(memref_bytes(a.type) for a in kernels[0].arguments)  # type: ignore[arg-type]
        plans.append(
            RowPlan(
                "kernels",
                number,
                Path(path).stem,
                ((1, part),),
                (),
                ((1, part, "bound"),),
                traffic,
                (),
            )  # fmt: skip
        )
    return plans


def _suite_plans(suite: str, pattern: str | None, strategy: str) -> list[RowPlan]:
    try:
        regex = re.compile(pattern) if pattern else None
    except re.error as error:
        raise InputError(f"bad --filter: {error}") from None
    plans = [
        plan_row(suite, n, row, strategy, False)
        for n, row in enumerate(suite_rows(suite))
        if regex is None or regex.search(row.name)
    ]
    if not plans:
        raise InputError(f"no row of {suite} matches --filter {pattern}")
    return plans


def _design_texts(path: Path, varies: Sequence[Vary], grid: Sequence[tuple]) -> list[str]:
    module = parse_module(path)
    names = {v.hardware for v in varies}
    if len(names) != 1:
        raise InputError(f"the --vary paths name several hardwares (@{', @'.join(sorted(names))})")
    check_paths(module, varies)
    texts = []
    for design in grid:
        edited = with_design(module, varies, design)
        hardware = next(op for op in edited.walk() if isinstance(op, HardwareOp))
        texts.append(str(hardware))
    return texts


def write_csv(path: str, varies: Sequence[Vary], grid: Sequence[tuple], rows: Sequence[SweepRow]):
    """One line per (design, workload)."""

    def number(value: float | None, digits: int = 6) -> str:
        return "" if value is None else f"{value:.{digits}g}"

    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([v.text for v in varies] + list(COLUMNS))
        for r in rows:
            writer.writerow(
                [*grid[r.design], r.workload, f"{r.cycles:.1f}", f"{r.bound_cycles:.1f}",
                 f"{r.efficiency:.4f}", number(r.energy_pj), number(r.energy_bound_pj),
                 number(r.area_mm2)]
            )  # fmt: skip


def table(varies: Sequence[Vary], grid: Sequence[tuple], summaries: Sequence[DesignSummary]):
    """The summary per design, Markdown."""
    head = [v.text for v in varies] + ["geomean cycles", "energy pJ", "area mm²", "front"]
    lines = ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
    for s in summaries:
        cells = [str(v) for v in grid[s.design]] + [
            f"{s.latency_cycles:.4g}",
            "" if s.energy_pj is None else f"{s.energy_pj:.4g}",
            "" if s.area_mm2 is None else f"{s.area_mm2:.4g}",
            "*" if s.front else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sweep(argv: Sequence[str] | None = None) -> int:
    """Run the sweep; the exit code."""
    args = build_parser().parse_args(argv)
    start = time.perf_counter()
    try:
        if args.jobs < 1:
            raise InputError(f"--jobs {args.jobs}: give 1 or more")
        path = resolve_hardware(args.hardware)
        varies = [parse_vary(text) for text in args.vary]
        if len({v.text for v in varies}) != len(varies):
            raise InputError("a field is given to --vary twice")
        grid = designs(varies)
        texts = _design_texts(path, varies, grid)
        if args.suite:
            plans = _suite_plans(args.suite, args.filter, args.strategy)
        else:
            if args.filter:
                raise InputError("--filter selects suite rows; it does not apply to --kernels")
            plans = _kernel_plans(args.kernels, args.strategy)
        runner = ray_runner(args.ray) if args.ray else local_runner(args.jobs)
        if not args.quiet:
            where = f"the Ray cluster {args.ray}" if args.ray else f"{args.jobs} processes"
            print(
                f"isamapper-sweep: {len(grid)} designs x {len(plans)} workloads of {path.name} "
                f"on {where}",
                file=sys.stderr,
            )
        rows = run_sweep(texts, plans, runner, not args.quiet)
    except InputError as error:
        print(f"isamapper-sweep: error: {error}", file=sys.stderr)
        return 1
    except TaskFailed as error:
        print(
            f"isamapper-sweep: error: design {label(varies, grid[error.design])}: "
            f"@{error.kernel}: {error}",
            file=sys.stderr,
        )
        return 1
    except BenchError as error:
        print(f"isamapper-sweep: error: {error}", file=sys.stderr)
        return 1
    summaries = summarize(rows, len(grid))
    print(table(varies, grid, summaries))
    front = sum(s.front for s in summaries)
    print(
        f"\n{len(grid)} designs x {len(plans)} workloads in {time.perf_counter() - start:.0f} s; "
        f"{front} on the Pareto front (*: no design is as good on every figure and better on one)"
    )
    if args.csv:
        write_csv(args.csv, varies, grid, rows)
    if args.plot:
        from isamapper_bench.sweep.plot import pareto_plot

        labels = [",".join(str(v) for v in design) for design in grid]
        title = f"{path.stem}: " + " x ".join(v.text for v in varies)
        pareto_plot(args.plot, summaries, labels, title)
    return 0


def main() -> None:
    """The console entry point."""
    try:
        sys.exit(sweep())
    except Exception as error:  # a bug of ours: one message, no traceback
        sys.exit(report_internal_error("isamapper-sweep", error))
