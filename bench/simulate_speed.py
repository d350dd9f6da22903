"""Benchmark: how fast the accelerator model simulates (it measures; it is no test).

Cases: timing-only simulation of the DeepBench GEMM 7680x1500x2560 on nnp, and
functional simulation of a small GEMM on cpu_avx2 (tens of thousands of tiny
8-wide `accel.exec`s and their copies). Each case is compiled once, then
simulated `--runs` times; prints the median seconds and the cycles.

    .venv/bin/python bench/simulate_speed.py [--runs 3] [--baseline REV]

With `--baseline REV` (a git revision, e.g. `HEAD~3`) the model of that
revision (hardware/accel_model.py and hardware/reference_semantics.py) runs the
same programs, interleaved with the current one, and the table also says
whether the two agree bit for bit (cycles, busy, bytes moved, executions,
outputs).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np
from xdsl.parser import Parser

from isamapper_dialect.accel import ProgramOp
from isamapper_hardware import accel_model
from isamapper_passes.map_instructions import MapInstructionsPass
from isamapper_passes.schedule import SchedulePass
from isamapper_tools.gemm_kernel import gemm_text
from isamapper_tools.loading import make_context

PROJECT = Path(__file__).resolve().parent.parent
CASES = (
    # name, hardware, (M, N, K), functional
    ("gemm 7680x1500x2560 timing", "nnp", (7680, 1500, 2560), False),
    ("gemm 64x64x64 functional", "cpu_avx2", (64, 64, 64), True),
)


def gemm_program(hardware: str, m: int, n: int, k: int):
    """An NN GEMM mapped and scheduled (greedy) for `hardware`."""
    text = gemm_text(m, n, k, "gemm")
    module = Parser(make_context(), text).parse_module()
    context = make_context()
    MapInstructionsPass(hardware_file=str(PROJECT / "hardware" / f"{hardware}.mlir")).apply(
        context, module
    )
    SchedulePass().apply(context, module)
    return module, next(op for op in module.walk() if isinstance(op, ProgramOp))


def baseline_model(revision: str, directory: Path) -> ModuleType:
    """The model of a git revision, importable next to the current one."""

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{revision}:{path}"],
            cwd=PROJECT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    semantics = show("hardware/reference_semantics.py")
    model = show("hardware/accel_model.py").replace(
        "isamapper_hardware.reference_semantics", "baseline_reference_semantics"
    )
    (directory / "baseline_reference_semantics.py").write_text(semantics)
    (directory / "baseline_accel_model.py").write_text(model)
    sys.path.insert(0, str(directory))
    return importlib.import_module("baseline_accel_model")


def fingerprint(result) -> tuple:
    """Everything a run must reproduce, bit for bit."""
    stats = result.stats
    return (
        stats.cycles.hex(),
        sorted((k, v.hex()) for k, v in stats.busy.items()),
        sorted((k, v.hex()) for k, v in stats.bytes_moved.items()),
        sorted((k, v.hex()) for k, v in stats.executions.items()),
        sorted((k, v.tobytes()) for k, v in result.arrays.items()),
    )


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="git revision of the model to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        models = {"current": accel_model}
        if args.baseline:
            models = {"baseline": baseline_model(args.baseline, Path(directory)), **models}
        print("| case | model | median s | runs s | cycles | identical |")
        print("| --- | --- | ---: | --- | ---: | --- |")
        for name, hardware, (m, n, k), functional in CASES:
            module, program = gemm_program(hardware, m, n, k)
            rng = np.random.default_rng(0)
            arrays = {
                a.name_hint: rng.uniform(-1, 1, a.type.get_shape()).astype(np.float32)
                for a in program.arguments
            }
            seconds: dict[str, list[float]] = {label: [] for label in models}
            results = {}
            for _ in range(args.runs):
                for label, model in models.items():
                    start = time.perf_counter()
                    results[label] = model.run_program(module, program, arrays, functional)
                    seconds[label].append(time.perf_counter() - start)
            prints = {label: fingerprint(result) for label, result in results.items()}
            for label in models:
                same = "yes" if prints[label] == prints["current"] else "NO"
                runs = ", ".join(f"{s:.2f}" for s in seconds[label])
                print(
                    f"| {name} | {label} | {statistics.median(seconds[label]):.2f} | {runs} "
                    f"| {results[label].stats.cycles:.1f} | {same} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
