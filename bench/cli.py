"""isamapper-bench: DeepBench GEMM and GRU, MobileNet v1 blocks on a hardware model.

For every workload row: map + schedule time, modelled cycles (timing-only), the
roofline bound, efficiency = bound / cycles, the cycles of the library-style
baseline (docs/baseline.md) and the speed-up over it. Correctness is checked on
a scaled-down copy of each shape class (functional run against the reference
semantics). Rows run in parallel processes; results do not depend on --jobs.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from math import exp, log
from pathlib import Path

from tqdm import tqdm

from isamapper_bench.measure import (
    BenchError,
    Part,
    PartResult,
    RowResult,
    assemble,
    measure_part,
    plan_row,
)
from isamapper_bench.workloads import SUITES, suite_rows
from isamapper_dialect.shipped_hardware import resolve_hardware
from isamapper_passes.scheduling.strategies import STRATEGIES
from isamapper_tools.native_clock import add_model_arguments

COLUMNS = (
    "suite",
    "row",
    "name",
    "compile_s",
    "simulate_s",
    "cycles",
    "bound_cycles",
    "efficiency",
    "baseline_cycles",
    "speedup",
    "flops",
    "bytes",
    "energy_pj",
    "energy_bound_pj",
)


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="isamapper-bench",
        description=__doc__.split("\n\n")[0],
        epilog=(
            "Suites: deepbench-gemm (248 rows), deepbench-gru (73 GRU layers), "
            "mobilenet-v1-dwsep (14 blocks). A row whose cycles beat the roofline "
            "bound stops the bench with exit code 1 (the model would be wrong). "
            "Example: isamapper-bench deepbench-gemm --hardware hardware/nnp.mlir "
            "--csv gemm.csv --plot gemm.png"
        ),
    )
    parser.add_argument("suite", choices=SUITES, help="the workload suite")
    parser.add_argument(
        "--hardware",
        required=True,
        metavar="FILE",
        help="hardware description (isa.hardware): a file, or a shipped one by name (nnp, ...)",
    )
    parser.add_argument(
        "--strategy",
        default="greedy",
        choices=[s for s in STRATEGIES if s != "library"],
        help="isa-schedule strategy for our schedules (default greedy; the baseline "
        "always uses the library strategy without fusion)",
    )
    parser.add_argument(
        "--filter",
        metavar="REGEX",
        help="only rows whose name matches (re.search), e.g. 'training_set/[0-2] '",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="parallel processes (default: all cores)",
    )
    parser.add_argument("--csv", metavar="FILE", help="write one line per row")
    parser.add_argument("--plot", metavar="FILE", help="write the roofline plot (PNG)")
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="skip the functional checks of scaled-down copies",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar, per-row table or scheduler notes"
    )
    parser.add_argument(
        "--native",
        action="store_true",
        help="(a CPU description) run each row's programs on this machine and time them "
        "against numpy's formulation, interleaved and single-threaded; the CSV gets native_s, "
        "gflops, numpy_s, native_vs_numpy, model_s, model_error and model_clock_mhz",
    )
    parser.add_argument(
        "--tune",
        type=int,
        default=0,
        metavar="N",
        help="with --native: time each statement's N next-best plans (as the cost model "
        "rates them) natively beside the chosen one while building, and keep the fastest "
        "(isamapper-compile --tune; default 0: the cost model's choice)",
    )
    add_model_arguments(parser)
    return parser


def _measure(job: tuple[Part, str]) -> PartResult:
    part, hardware = job
    return measure_part(part, hardware)


def geomean(values: Sequence[float]) -> float:
    """The geometric mean."""
    return exp(sum(log(v) for v in values) / len(values))


def run_parts(
    parts: Sequence[Part], hardware: str, jobs: int, progress: bool
) -> dict[Part, PartResult]:
    """Measure every part, `jobs` at a time, in the given order (the results do
    not depend on it; the longest first keeps the processes busy to the end)."""
    order = list(parts)
    results: dict[Part, PartResult] = {}
    bar = tqdm(total=len(order), unit="kernel", disable=not progress, file=sys.stderr)
    try:
        if jobs <= 1:
            for part in order:
                results[part] = _measure((part, hardware))
                bar.update()
        else:
            with ProcessPoolExecutor(jobs) as pool:
                jobs_list = [(part, hardware) for part in order]
                for part, result in zip(order, pool.map(_measure, jobs_list), strict=True):
                    results[part] = result
                    bar.update()
    finally:
        bar.close()
    return results


def table(results: Sequence[RowResult]) -> str:
    """A Markdown table of the rows."""
    lines = [
        "| row | name | compile s | cycles | bound | efficiency | baseline | speed-up |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.row} | {r.name} | {r.compile_s:.2f} | {r.cycles:.0f} | {r.bound_cycles:.0f} "
            f"| {r.efficiency:.3f} | {r.baseline_cycles:.0f} | {r.speedup:.2f} |"
        )
    return "\n".join(lines)


def summary(results: Sequence[RowResult]) -> str:
    """Geomeans (and ranges) of efficiency and speed-up per workload set."""
    sets: dict[str, list[RowResult]] = {}
    for r in results:
        sets.setdefault(r.set, []).append(r)
    if len(sets) > 1:
        sets["all"] = list(results)
    lines = [
        "| set | rows | efficiency geomean (min-max) | speed-up geomean (min-max) |",
        "| --- | ---: | --- | --- |",
    ]
    for name, rows in sets.items():
        eff = [r.efficiency for r in rows]
        speed = [r.speedup for r in rows]
        lines.append(
            f"| {name} | {len(rows)} | {geomean(eff):.3f} ({min(eff):.3f}-{max(eff):.3f}) "
            f"| {geomean(speed):.2f}x ({min(speed):.2f}-{max(speed):.2f}) |"
        )
    return "\n".join(lines)


def write_csv(path: str, results: Sequence[RowResult]) -> None:
    """One line per row, COLUMNS."""
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for r in results:
            writer.writerow(
                [
                    r.suite,
                    r.row,
                    r.name,
                    f"{r.compile_s:.3f}",
                    f"{r.simulate_s:.3f}",
                    f"{r.cycles:.1f}",
                    f"{r.bound_cycles:.1f}",
                    f"{r.efficiency:.4f}",
                    f"{r.baseline_cycles:.1f}",
                    f"{r.speedup:.4f}",
                    f"{r.flops:.0f}",
                    r.bytes,
                    "" if r.energy_pj is None else f"{r.energy_pj:.6g}",
                    "" if r.energy_bound_pj is None else f"{r.energy_bound_pj:.6g}",
                ]
            )


def bench(argv: Sequence[str] | None = None) -> int:
    """Run the bench; the exit code."""
    args = build_parser().parse_args(argv)
    hardware = resolve_hardware(args.hardware)
    if not hardware.is_file():
        print(f"isamapper-bench: error: no hardware file {hardware}", file=sys.stderr)
        return 1
    try:
        pattern = re.compile(args.filter) if args.filter else None
    except re.error as error:
        print(f"isamapper-bench: error: bad --filter: {error}", file=sys.stderr)
        return 1
    if args.tune and not args.native:
        print("isamapper-bench: error: --tune times plans natively; add --native", file=sys.stderr)
        return 1
    if args.tune < 0:
        print(f"isamapper-bench: error: --tune {args.tune}: give 1 or more plans", file=sys.stderr)
        return 1
    rows = [
        (index, row)
        for index, row in enumerate(suite_rows(args.suite))
        if pattern is None or pattern.search(row.name)
    ]
    if not rows:
        print(f"isamapper-bench: error: no row of {args.suite} matches", file=sys.stderr)
        return 1
    if args.native:
        return _bench_native(args, rows, str(hardware))
    plans = [plan_row(args.suite, i, row, args.strategy, not args.no_check) for i, row in rows]
    # The biggest rows' kernels first, the small functional checks last.
    by_size = sorted(plans, key=lambda plan: -plan.bytes)
    parts = list(
        dict.fromkeys(
            [p for plan in by_size for p in plan.parts() if p.mode != "functional"]
            + [p for plan in plans for p in plan.parts() if p.mode == "functional"]
        )
    )
    start = time.perf_counter()
    if not args.quiet:
        print(
            f"{args.suite} on {hardware.name}: {len(plans)} rows, {len(parts)} distinct "
            f"kernels ({sum(p.mode == 'functional' for p in parts)} scaled-down checks)",
            file=sys.stderr,
        )
    try:
        results = run_parts(parts, str(hardware), max(1, args.jobs), not args.quiet)
    except BenchError as error:
        print(f"isamapper-bench: error: {error}", file=sys.stderr)
        return 1
    rows_out = [assemble(plan, results) for plan in plans]
    noted = [result.notes for result in results.values() if result.notes]
    if noted and not args.quiet:
        print(
            f"isamapper-bench: the scheduler left notes on {len(noted)} of {len(results)} "
            f"kernels, e.g.\n  {noted[0][0]}",
            file=sys.stderr,
        )
    if not args.quiet:
        print(table(rows_out))
        print()
    print(summary(rows_out))
    print(
        f"\n{len(rows_out)} rows, {len(parts)} kernels compiled and simulated in "
        f"{time.perf_counter() - start:.0f} s with {max(1, args.jobs)} processes"
    )
    if args.csv:
        write_csv(args.csv, rows_out)
    if args.plot:
        from isamapper_bench.plot import roofline_plot

        roofline_plot(args.plot, rows_out, str(hardware), f"{args.suite} on {hardware.stem}")
    wrong = [r for r in rows_out if r.efficiency > 1 + 1e-9 or r.baseline_cycles < r.bound_cycles]
    if wrong:
        names = ", ".join(r.name for r in wrong[:5])
        print(
            f"isamapper-bench: error: {len(wrong)} rows beat the roofline bound ({names}); "
            "the model or the bound is wrong",
            file=sys.stderr,
        )
        return 1
    below = [
        r
        for r in rows_out
        if r.energy_pj is not None
        and r.energy_bound_pj is not None
        and r.energy_pj < r.energy_bound_pj * (1 - 1e-9)
    ]
    if below:
        names = ", ".join(r.name for r in below[:5])
        print(
            f"isamapper-bench: error: {len(below)} rows beat the energy bound ({names}); "
            "the model or the bound is wrong",
            file=sys.stderr,
        )
        return 1
    return 0


def _bench_native(args: argparse.Namespace, rows: list, hardware: str) -> int:
    """`--native`: time the rows natively against numpy (bench/native_bench.py)."""
    from isamapper_bench.native_bench import (
        native_summary,
        native_table,
        run_native_bench,
        write_native_csv,
    )
    from isamapper_dialect.parsing import InputError

    start = time.perf_counter()
    if not args.quiet:
        tuned = f", each statement's {args.tune} next-best plans timed too" if args.tune else ""
        print(
            f"{args.suite} natively on {Path(hardware).name}: {len(rows)} rows{tuned}",
            file=sys.stderr,
        )
    try:
        results = run_native_bench(
            args.suite,
            rows,
            hardware,
            args.strategy,
            max(1, args.jobs),
            not args.quiet,
            clock=args.model_clock,
            warm=args.model_start == "warm",
            tune=args.tune,
        )
    except InputError as error:
        print(f"isamapper-bench: error: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(native_table(results))
        print()
    print(native_summary(results))
    print(f"\n{len(results)} rows built and timed in {time.perf_counter() - start:.0f} s")
    if args.csv:
        write_native_csv(args.csv, results)
    if args.plot:
        from isamapper_bench.plot import native_plot

        native_plot(args.plot, results, f"{args.suite} natively on {Path(hardware).stem}")
    return 0


def main() -> None:
    """Console entry point."""
    sys.exit(bench())


if __name__ == "__main__":
    main()
