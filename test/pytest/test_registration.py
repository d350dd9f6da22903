"""The `xdsl.universe` entry point makes stock xdsl-opt know our dialect."""

import os
import subprocess
import sys
from pathlib import Path

from xdsl.universe import Universe

XDSL_OPT = Path(sys.executable).parent / "xdsl-opt"


def test_multiverse_has_isa() -> None:
    multiverse = Universe.get_multiverse()
    assert multiverse.all_dialects["isa"]().name == "isa"
    assert multiverse.all_passes["isa-map-instructions"]().name == "isa-map-instructions"
    assert multiverse.all_passes["convert-linalg-to-isa"]().name == "convert-linalg-to-isa"
    assert multiverse.all_passes["convert-accel-to-mlir"]().name == "convert-accel-to-mlir"


def test_xdsl_opt_help_lists_our_pass() -> None:
    wide = {**os.environ, "COLUMNS": "10000"}  # argparse would wrap inside the name
    result = subprocess.run([str(XDSL_OPT), "--help"], capture_output=True, text=True, env=wide)
    assert "isa-map-instructions" in result.stdout


def test_xdsl_opt_parses_isa_from_stdin() -> None:
    text = (
        "isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {\n"
        "  isa.compute %B[i] = tanh(%A[i]) for i < 4\n"
        "}\n"
    )
    result = subprocess.run([str(XDSL_OPT)], input=text, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "isa.compute %B[i] = tanh(%A[i]) for i < 4" in result.stdout
