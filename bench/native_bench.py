"""`isamapper-bench SUITE --hardware cpu_avx512 --native`: workload rows run on
this machine's CPU against numpy (OpenBLAS), single-threaded.

Per row: its kernels (one for a GEMM or a MobileNet block; a GRU layer's
projection and its steps, native_workloads.py) are compiled for the CPU
description, built into shared libraries (tools/native_build.py) and timed
natively; numpy's formulation of the same computation is timed in the same
process, the two calls interleaved (one of ours, one of numpy's, repeated),
each with one BLAS thread (threadpoolctl); the medians (weighted over a row's
kernels) give `native_vs_numpy` = numpy_s / native_s. The model's prediction
for the same calls (their timing-only cycles with the tensors warm from the
previous call, at the clock measured on this machine just before the row's
timing, tools/native_clock.py; `--model-start cold` and `--model-clock
description` give the cold, nominal prediction) gives `model_error` =
model_s / native_s - 1. Every native output is compared
with numpy's.

Compilation, builds and simulation run in `--jobs` processes; the timings run
one at a time in the main process, so they do not compete with each other.
"""

from __future__ import annotations

import csv
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
from tqdm import tqdm

from isamapper_bench.native_workloads import (
    native_terms,
    numpy_formulation,
    relative_tolerance,
    row_flops,
)
from isamapper_bench.workloads import Row
from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import InputError, make_context, parse_text
from isamapper_dialect.shipped_hardware import load_hardware
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.kernel_inputs import argument_names, random_inputs, written_arguments
from isamapper_tools.native_build import build_library, export_native, find_toolchain
from isamapper_tools.native_call import load_program
from isamapper_tools.native_clock import model_clock
from isamapper_tools.native_tuning import NativeTuner

NATIVE_COLUMNS = (
    "suite",
    "row",
    "name",
    "flops",
    "compile_s",
    "native_s",
    "gflops",
    "numpy_s",
    "numpy_gflops",
    "native_vs_numpy",
    "model_s",
    "model_error",
    "model_clock_mhz",
)

MAX_MODEL_OPERATIONS = 1_000_000
"""Copies and executions the model may simulate per row for its prediction
(fast-forwarded ones do not count; about 15 s); past it the row's model_s is empty."""


@dataclass(frozen=True)
class Built:
    """A row compiled and built (phase 1, in a worker process)."""

    program: str
    library: str
    compile_s: float
    model_cycles: float | None
    clock_mhz: int | None


@dataclass(frozen=True)
class NativeResult:
    """One row measured."""

    suite: str
    row: int
    name: str
    flops: float
    compile_s: float
    native_s: float
    numpy_s: float
    model_s: float | None
    model_clock_mhz: float | None = None
    """The clock model_s was computed at."""

    @property
    def gflops(self) -> float:
        return self.flops / self.native_s / 1e9

    @property
    def numpy_gflops(self) -> float:
        return self.flops / self.numpy_s / 1e9

    @property
    def native_vs_numpy(self) -> float:
        return self.numpy_s / self.native_s

    @property
    def model_error(self) -> float | None:
        return None if self.model_s is None else self.model_s / self.native_s - 1


def build_row(job: tuple[Row, str, str, bool, int]) -> list[Built]:
    """Compile, build and simulate each of one row's kernels (a worker's job;
    the model's tensors warm or not, `run_program`), with `tune` > 0 each
    statement's best `tune` other plans timed natively too (native_tuning.py)."""
    row, hardware, strategy, warm, tune = job
    built = []
    for _, text in native_terms(row):
        start = time.perf_counter()
        module = parse_text(text, row.name)
        tuner = NativeTuner(tune, log=lambda _: None) if tune else None
        compile_module(module, hardware, strategy=strategy, tuner=tuner)
        compile_s = time.perf_counter() - start
        program = next(op for op in module.walk() if isinstance(op, ProgramOp))
        target = program.hardware_op()
        library, _ = build_library(export_native(module, make_context()), target, find_toolchain())
        arrays = {
            a.name_hint or f"arg{i}": np.zeros(a.type.get_shape(), np.float32)
            for i, a in enumerate(program.body.block.args)
        }
        try:
            stats = run_program(
                module,
                program,
                arrays,
                functional=False,
                max_operations=MAX_MODEL_OPERATIONS,
                warm=warm,
            ).stats
            cycles: float | None = stats.cycles
        except Exception:  # the model refused or gave up: no prediction for this row
            cycles = None
        built.append(Built(str(module), str(library), compile_s, cycles, target.clock_mhz))
    return built


def _time_term(
    row: Row, term: int, built: Built, seed: int, repeats: int, budget: float
) -> tuple[float, float]:
    """Medians (ours, numpy's) of one kernel of the row, checked and timed interleaved."""
    module = parse_text(built.program, row.name)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    call = load_program(Path(built.library), program.sym_name.data)
    arrays = random_inputs(program, seed)
    arguments = [arrays[name] for name in argument_names(program)]
    written = {name: arrays[name].copy() for name in written_arguments(program)}
    numpy_call, expected = numpy_formulation(row, term, arrays)

    def reset() -> None:
        for name, start in written.items():
            np.copyto(arrays[name], start)

    call(arguments)
    numpy_call()
    for name, value in expected.items():
        scale = max(1.0, float(np.abs(value).max()) if value.size else 0.0)
        tolerance = relative_tolerance(row) * scale
        worst = float(np.abs(arrays[name] - value).max()) if value.size else 0.0
        if not worst <= tolerance:
            raise InputError(f"{row.name}: the native {name} differs from numpy's by {worst:.3g}")
    ours: list[float] = []
    theirs: list[float] = []
    spent = 0.0
    while len(ours) < repeats and (spent < budget or len(ours) < 3):
        reset()
        start = time.perf_counter()
        call(arguments)
        middle = time.perf_counter()
        numpy_call()
        end = time.perf_counter()
        ours.append(middle - start)
        theirs.append(end - middle)
        spent += end - start
    return statistics.median(ours), statistics.median(theirs)


def time_row(
    suite: str,
    index: int,
    row: Row,
    built: Sequence[Built],
    repeats: int,
    budget: float,
    clock_mhz: float | None,
) -> NativeResult:
    """Check one built row's kernels against numpy and time both, interleaved;
    the row's times are the kernels' medians, weighted (native_terms); the
    model's at `clock_mhz`."""
    native_s = numpy_s = 0.0
    model_s: float | None = 0.0
    for term, ((weight, _), done) in enumerate(zip(native_terms(row), built, strict=True)):
        ours, theirs = _time_term(row, term, done, index, repeats, budget)
        native_s += weight * ours
        numpy_s += weight * theirs
        if model_s is not None and done.model_cycles is not None and clock_mhz:
            model_s += weight * done.model_cycles / (clock_mhz * 1e6)
        else:
            model_s = None
    if native_s <= 0 or numpy_s <= 0:
        # A long GRU layer's steps are extrapolated from the 2- and 3-step times.
        raise InputError(
            f"{row.name}: the times extrapolate to {native_s:.3g} s (ours) and "
            f"{numpy_s:.3g} s (numpy): the 3-step programs ran no slower than the 2-step "
            "ones, which is timing noise; run the row again"
        )
    return NativeResult(
        suite, index, row.name, row_flops(row), sum(b.compile_s for b in built),
        native_s, numpy_s, model_s, clock_mhz,
    )  # fmt: skip


def blas_description() -> str:
    """Which BLAS numpy calls, its kernel and threads (threadpoolctl), and the
    OpenBLAS variables that would force its choice."""
    parts = [
        f"{i['internal_api']} {i.get('version') or ''} kernel {i.get('architecture')}".strip()
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    forced = [v for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if v in os.environ]
    text = ", ".join(parts) or "no BLAS found by threadpoolctl"
    if forced:
        text += " (set: " + ", ".join(f"{v}={os.environ[v]}" for v in forced) + ")"
    return text


def run_native_bench(
    suite: str,
    rows: Sequence[tuple[int, Row]],
    hardware: str,
    strategy: str,
    jobs: int,
    progress: bool,
    repeats: int = 15,
    budget: float = 2.0,
    log: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
    clock: str = "measured",
    warm: bool = True,
    tune: int = 0,
) -> list[NativeResult]:
    """Build every row (in `jobs` processes), then time each one against numpy;
    the model's predictions at the `clock` (measured before each row's timing,
    or the description's) with its tensors `warm` or not; `tune` > 0 tunes
    each row's plans natively as it is built (in the workers, side by side)."""
    work = [(row, hardware, strategy, warm, tune) for _, row in rows]
    bar = tqdm(total=len(work), unit="kernel", disable=not progress, file=sys.stderr)
    built: list[list[Built]] = []
    try:
        if jobs <= 1:
            for job in work:
                built.append(build_row(job))
                bar.update()
        else:
            with ProcessPoolExecutor(jobs) as pool:
                for result in pool.map(build_row, work):
                    built.append(result)
                    bar.update()
    finally:
        bar.close()
    log(f"timing natively against numpy ({blas_description()}), one thread each")
    target = load_hardware(hardware)
    toolchain = find_toolchain()
    start = "warm" if warm else "cold"
    log(f"the model: {model_clock(target, clock, toolchain)[1]}, tensors {start}")
    results = []
    with threadpool_limits(limits=1, user_api="blas"):
        for (index, row), done in zip(
            tqdm(rows, unit="row", disable=not progress, file=sys.stderr), built, strict=True
        ):
            mhz = model_clock(target, clock, toolchain)[0]
            results.append(time_row(suite, index, row, done, repeats, budget, mhz))
    return results


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}g}"


def write_native_csv(path: str, results: Sequence[NativeResult]) -> None:
    """One line per row, NATIVE_COLUMNS."""
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(NATIVE_COLUMNS)
        for r in results:
            writer.writerow(
                [
                    r.suite,
                    r.row,
                    r.name,
                    f"{r.flops:.0f}",
                    f"{r.compile_s:.3f}",
                    _number(r.native_s, 6),
                    f"{r.gflops:.3f}",
                    _number(r.numpy_s, 6),
                    f"{r.numpy_gflops:.3f}",
                    f"{r.native_vs_numpy:.4f}",
                    _number(r.model_s, 6),
                    _number(r.model_error, 4),
                    _number(r.model_clock_mhz, 5),
                ]
            )


def native_table(results: Sequence[NativeResult]) -> str:
    """A Markdown table of the rows."""
    lines = [
        "| row | name | ours ms | GFLOP/s | numpy ms | numpy GFLOP/s | vs numpy | model ms "
        "| model error |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        model = "" if r.model_s is None else f"{r.model_s * 1e3:.3f}"
        error = "" if r.model_error is None else f"{r.model_error:+.0%}"
        lines.append(
            f"| {r.row} | {r.name} | {r.native_s * 1e3:.3f} | {r.gflops:.1f} "
            f"| {r.numpy_s * 1e3:.3f} | {r.numpy_gflops:.1f} | {r.native_vs_numpy:.2f} "
            f"| {model} | {error} |"
        )
    return "\n".join(lines)


def native_summary(results: Sequence[NativeResult]) -> str:
    """Geomeans per workload set: GFLOP/s of both, ours over numpy, and the
    model's error (the geomean of model_s / native_s, minus one)."""
    sets: dict[str, list[NativeResult]] = {}
    for r in results:
        # DeepBench names its sets (`inference_server_set/3 ...`); other suites are one set.
        sets.setdefault(r.name.split("/")[0] if "/" in r.name else r.suite, []).append(r)
    if len(sets) > 1:
        sets["all"] = list(results)
    lines = [
        "| set | rows | ours GFLOP/s | numpy GFLOP/s | vs numpy geomean (min-max) "
        "| model / measured geomean |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, rows in sets.items():
        ratio = [r.native_vs_numpy for r in rows]
        modelled = [r.model_s / r.native_s for r in rows if r.model_s is not None]
        model = f"{_geomean(modelled):.2f} ({len(modelled)} rows)" if modelled else ""
        lines.append(
            f"| {name} | {len(rows)} | {_geomean([r.gflops for r in rows]):.1f} "
            f"| {_geomean([r.numpy_gflops for r in rows]):.1f} "
            f"| {_geomean(ratio):.3f}x ({min(ratio):.2f}-{max(ratio):.2f}) | {model} |"
        )
    return "\n".join(lines)


def _geomean(values: Sequence[float]) -> float:
    return float(np.exp(np.mean(np.log(values))))
