"""Benchmark: how fast the accelerator model simulates (it measures; it is no test).

Cases: timing-only simulation of the DeepBench GEMM 7680x1500x2560 on nnp, and
functional simulation of a small GEMM on cpu_avx2 (tens of thousands of tiny
8-wide `accel.exec`s and their copies). Each case is compiled once, then
simulated `--runs` times; prints the median seconds and the cycles.

    .venv/bin/python bench/simulate_speed.py [--runs 3] [--baseline REV]

With `--baseline REV` (a git revision, e.g. `HEAD~3`) the model of that
revision (its hardware/model/ and reference semantics) runs the
same programs, interleaved with the current one, and the table also says
whether the two agree bit for bit (cycles, busy, bytes moved, executions,
outputs).
"""

from __future__ import annotations

import argparse
import importlib
import re
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
from isamapper_dialect.parsing import make_context
from isamapper_hardware.model import run as current_model
from isamapper_passes.compile_module import compile_module
from isamapper_tools.gemm_kernel import gemm_text

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
    compile_module(module, PROJECT / "hardware" / f"{hardware}.mlir")
    return module, next(op for op in module.walk() if isinstance(op, ProgramOp))


def baseline_model(revision: str, directory: Path) -> ModuleType:
    """The model of a git revision (the package `hardware/model/`, or the single
    `hardware/accel_model.py` of revisions before it was split), importable next
    to the current one: its files are renamed into `baseline_isamapper_hardware`
    with the reference semantics of that revision, the dialect is shared."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=PROJECT, check=True, capture_output=True, text=True
        ).stdout

    paths = git("ls-tree", "-r", "--name-only", revision, "hardware/", "isamapper_dialect/")
    package = directory / "baseline_isamapper_hardware"
    renames = (
        (
            "isamapper_dialect.reference_semantics",
            "baseline_isamapper_hardware.reference_semantics",
        ),
        (
            "isamapper_hardware.reference_semantics",
            "baseline_isamapper_hardware.reference_semantics",
        ),
        ("isamapper_hardware.", "baseline_isamapper_hardware."),
        ("isamapper_passes.hardware_spec", "isamapper_dialect.hardware_spec"),
    )
    for path in paths.split():
        name = Path(path).name
        if not path.endswith(".py") or (
            path.startswith("isamapper_dialect/") and name != "reference_semantics.py"
        ):
            continue
        target = package / (name if name == "reference_semantics.py" else path[len("hardware/") :])
        text = git("show", f"{revision}:{path}")
        for old, new in renames:
            text = re.sub(r"(?<![\w.])" + re.escape(old), new, text)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (package / "__init__.py").touch()
    sys.path.insert(0, str(directory))
    if (package / "model" / "run.py").exists():
        return importlib.import_module("baseline_isamapper_hardware.model.run")
    return importlib.import_module("baseline_isamapper_hardware.accel_model")


def fingerprint(result) -> tuple:
    """Everything a run must reproduce, bit for bit."""
    stats = result.stats
    return (
        stats.cycles.hex(),
        sorted((str(k), v.hex()) for k, v in stats.busy.items()),
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
        models = {"current": current_model}
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
