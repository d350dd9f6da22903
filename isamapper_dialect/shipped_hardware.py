"""The hardware descriptions isamapper ships (`nnp`, `systolic`, `cpu_avx2`): data
files of the installed `isamapper_hardware` package, found by name wherever
isamapper is installed, so `--hardware nnp` and `hardware-file=nnp` work outside
a checkout. (They are read as package data; no code of that package is imported.)"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


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
