"""The hardware descriptions isamapper ships (`nnp`, `systolic`, `cpu_avx2`): data
files of the installed `isamapper_hardware` package, found by name wherever
isamapper is installed, so `--hardware nnp` and `hardware-file=nnp` work outside
a checkout. (They are read as package data; no code of that package is imported.)"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.parsing import InputError, parse_module


def shipped_hardware() -> dict[str, Path]:
    """Every shipped description by name (its file name without `.mlir`)."""
    folder = files("isamapper_hardware")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".mlir"):
            found[entry.name.removesuffix(".mlir")] = Path(str(entry))
    return dict(sorted(found.items()))


def resolve_hardware(name_or_path: str | Path) -> Path:
    """A description's path: `name_or_path` itself when it is a file, else the
    shipped description of that name (with or without `.mlir`); else the path
    unchanged (reading it then reports it missing)."""
    path = Path(name_or_path)
    if path.exists():
        return path
    shipped = shipped_hardware()
    return shipped.get(path.name.removesuffix(".mlir"), path) if path.parent == Path() else path


def load_hardware(name_or_path: str | Path) -> HardwareOp:
    """The first `isa.hardware` of a description (`resolve_hardware`), parsed and
    verified; an `InputError` when the file holds none."""
    path = resolve_hardware(name_or_path)
    found = next((op for op in parse_module(path).walk() if isinstance(op, HardwareOp)), None)
    if found is None:
        raise InputError(f"{path}: no isa.hardware in this file")
    return found
