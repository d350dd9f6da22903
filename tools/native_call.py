"""Call a natively built program from Python with `ctypes`, and time it.

The native export is lowered with the bare-pointer calling convention: a
program `@p` is `void p(T *argument0, T *argument1, ...)`, each pointer the
first element of a C-contiguous array of the argument's static shape.
"""

from __future__ import annotations

import ctypes
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from isamapper_dialect.parsing import InputError

_LIBRARIES: dict[Path, ctypes.CDLL] = {}


def load_program(library: Path, name: str) -> Callable[[Sequence[np.ndarray]], None]:
    """A callable running program `name` of `library` on C-contiguous arrays, in
    place."""
    handle = _LIBRARIES.get(library)
    if handle is None:
        handle = _LIBRARIES[library] = ctypes.CDLL(str(library))
    try:
        entry = getattr(handle, name)
    except AttributeError:
        raise InputError(f"--native: the built library has no entry point for @{name}") from None
    entry.restype = None

    def call(arrays: Sequence[np.ndarray]) -> None:
        assert all(a.flags.c_contiguous for a in arrays)
        entry(*(ctypes.c_void_p(a.ctypes.data) for a in arrays))

    return call


def median_seconds(
    run: Callable[[], None],
    reset: Callable[[], None],
    repeats: int,
    budget: float = 1.0,
) -> tuple[float, int]:
    """The median wall time of `run` over up to `repeats` timed calls (after one
    warm-up), calling `reset` untimed before each; stops early once `budget`
    seconds were spent. Returns (median, calls timed)."""
    reset()
    run()
    times: list[float] = []
    spent = 0.0
    while len(times) < repeats and (spent < budget or len(times) < 3):
        reset()
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
    return statistics.median(times), len(times)
