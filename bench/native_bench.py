"""`isamapper-bench SUITE --hardware cpu_avx512 --native`: workload rows run on
this machine's CPU against numpy (OpenBLAS), single-threaded.

Per row: our kernel is compiled for the CPU description, built into a shared
library (tools/native_build.py) and timed natively; numpy's formulation of
the same computation is timed in the same process, the two calls interleaved
(one of ours, one of numpy's, repeated), each with one BLAS thread
(threadpoolctl); the medians give `native_vs_numpy` = numpy_s / native_s. The
model's prediction for the same program (its cycles at the description's
clock, timing-only) gives `model_error` = model_s / native_s - 1. Every native
output is compared with numpy's.

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

from isamapper_bench.kernels import gemm_kernel
from isamapper_bench.workloads import GemmRow, Row
from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import InputError, make_context, parse_text
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.native_build import build_library, export_native, find_toolchain
from isamapper_tools.native_call import load_program

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


def supported(row: Row) -> bool:
    """Whether the native bench has a numpy formulation for the row."""
    return isinstance(row, GemmRow)


def build_row(job: tuple[Row, str, str]) -> Built:
    """Compile, build and simulate one row's kernel (a worker's job)."""
    row, hardware, strategy = job
    assert isinstance(row, GemmRow)
    start = time.perf_counter()
    module = parse_text(gemm_kernel(row), row.name)
    compile_module(module, hardware, strategy=strategy)
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
            module, program, arrays, functional=False, max_operations=MAX_MODEL_OPERATIONS
        ).stats
        cycles: float | None = stats.cycles
    except Exception:  # the model refused or gave up: no prediction for this row
        cycles = None
    return Built(str(module), str(library), compile_s, cycles, target.clock_mhz)


def _gemm_operands(row: GemmRow, seed: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Our arguments (A, B, C as the kernel lays them out) and numpy's views of
    op(A) and op(B)."""
    generator = np.random.default_rng(seed)
    a_shape = (row.k, row.m) if row.a_trans else (row.m, row.k)
    b_shape = (row.n, row.k) if row.b_trans else (row.k, row.n)
    a = generator.uniform(-1, 1, a_shape).astype(np.float32)
    b = generator.uniform(-1, 1, b_shape).astype(np.float32)
    c = np.zeros((row.m, row.n), np.float32)
    return [a, b, c], a.T if row.a_trans else a, b.T if row.b_trans else b


def time_row(
    suite: str, index: int, row: GemmRow, built: Built, repeats: int, budget: float
) -> NativeResult:
    """Check one built row against numpy and time both, interleaved."""
    module = parse_text(built.program, row.name)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    call = load_program(Path(built.library), program.sym_name.data)
    arguments, left, right = _gemm_operands(row, seed=index)
    out = np.empty((row.m, row.n), np.float32)
    call(arguments)
    np.matmul(left, right, out=out)
    tolerance = 1e-4 * max(1.0, float(np.abs(out).max()))
    worst = float(np.abs(arguments[2] - out).max()) if out.size else 0.0
    if not worst <= tolerance:
        raise InputError(f"{row.name}: the native result differs from numpy's by {worst:.3g}")
    ours: list[float] = []
    theirs: list[float] = []
    spent = 0.0
    while len(ours) < repeats and (spent < budget or len(ours) < 3):
        arguments[2].fill(0.0)
        start = time.perf_counter()
        call(arguments)
        middle = time.perf_counter()
        np.matmul(left, right, out=out)
        end = time.perf_counter()
        ours.append(middle - start)
        theirs.append(end - middle)
        spent += end - start
    model_s = None
    if built.model_cycles is not None and built.clock_mhz:
        model_s = built.model_cycles / (built.clock_mhz * 1e6)
    return NativeResult(
        suite,
        index,
        row.name,
        2.0 * row.m * row.n * row.k,
        built.compile_s,
        statistics.median(ours),
        statistics.median(theirs),
        model_s,
    )


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
) -> list[NativeResult]:
    """Build every row (in `jobs` processes), then time each one against numpy."""
    unsupported = [row.name for _, row in rows if not supported(row)]
    if unsupported:
        raise InputError(
            f"--native benches GEMM rows (deepbench-gemm); {unsupported[0]} has no numpy "
            "formulation here yet"
        )
    work = [(row, hardware, strategy) for _, row in rows]
    bar = tqdm(total=len(work), unit="kernel", disable=not progress, file=sys.stderr)
    built: list[Built] = []
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
    results = []
    with threadpool_limits(limits=1, user_api="blas"):
        for (index, row), done in zip(
            tqdm(rows, unit="row", disable=not progress, file=sys.stderr), built, strict=True
        ):
            assert isinstance(row, GemmRow)
            results.append(time_row(suite, index, row, done, repeats, budget))
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
        sets.setdefault(r.name.split("/")[0], []).append(r)
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
