"""Call a natively built program from Python with `ctypes`, and time it.

A program `@p` built with `llvm.emit_c_interface` exports
`_mlir_ciface_p(descriptor*, ...)`, one pointer per memref argument to MLIR's
ranked-memref descriptor: allocated and aligned pointers, offset, sizes and
strides (in elements).
"""

from __future__ import annotations

import ctypes
import statistics
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from isamapper_dialect.parsing import InputError


@cache
def _descriptor_type(rank: int) -> type[ctypes.Structure]:
    index = ctypes.c_int64
    fields = [
        ("allocated", ctypes.c_void_p),
        ("aligned", ctypes.c_void_p),
        ("offset", index),
        ("sizes", index * rank),
        ("strides", index * rank),
    ]
    return type(f"MemRef{rank}D", (ctypes.Structure,), {"_fields_": fields})


def descriptor(array: np.ndarray) -> ctypes.Structure:
    """The memref descriptor of a C-contiguous array (which must outlive it)."""
    assert array.flags.c_contiguous
    rank = array.ndim
    pointer = array.ctypes.data
    strides = [s // array.itemsize for s in array.strides]
    return _descriptor_type(rank)(pointer, pointer, 0, tuple(array.shape), tuple(strides))


_LIBRARIES: dict[Path, ctypes.CDLL] = {}


def load_program(library: Path, name: str) -> Callable[[Sequence[np.ndarray]], None]:
    """A callable running program `name` of `library` on arrays (in place)."""
    handle = _LIBRARIES.get(library)
    if handle is None:
        handle = _LIBRARIES[library] = ctypes.CDLL(str(library))
    try:
        entry = getattr(handle, f"_mlir_ciface_{name}")
    except AttributeError:
        raise InputError(f"--native: the built library has no entry point for @{name}") from None
    entry.restype = None

    def call(arrays: Sequence[np.ndarray]) -> None:
        descriptors = [descriptor(a) for a in arrays]
        entry(*(ctypes.byref(d) for d in descriptors))

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
