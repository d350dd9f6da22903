"""Shared paths for the pytest suite."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((PROJECT / "examples").glob("*.mlir"))
HARDWARE = sorted((PROJECT / "hardware").glob("*.mlir"))
