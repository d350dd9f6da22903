"""The upstream MLIR tools of the `mlir` extra, for the tests that run them."""

from __future__ import annotations

import importlib.util
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest


def _mlir_root() -> Path | None:
    spec = importlib.util.find_spec("mlir")
    for root in list(spec.submodule_search_locations or []) if spec else []:
        if (Path(root) / "bin" / "mlir-runner").exists():
            return Path(root)
    return None


MLIR = _mlir_root()
needs_mlir = pytest.mark.skipif(MLIR is None, reason="the `mlir` extra is not installed")


def run_upstream(text: str, lowering: Sequence[str]) -> np.ndarray:
    """Lower `text` with mlir-opt and run its `@main` with mlir-runner; the
    printed values."""
    assert MLIR is not None
    lowering_run = subprocess.run(
        [str(MLIR / "bin" / "mlir-opt"), *lowering], input=text, capture_output=True, text=True
    )
    assert lowering_run.returncode == 0, lowering_run.stderr
    libraries = ",".join(
        str(MLIR / "lib" / name)
        for name in ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so")
    )
    runner = [str(MLIR / "bin" / "mlir-runner"), "-e", "main", "-entry-point-result=void"]
    run = subprocess.run(
        [*runner, f"-shared-libs={libraries}"],
        input=lowering_run.stdout,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return np.array([float(line) for line in run.stdout.split()])
