"""The rules for a transfer's box: how many strided dimensions it needs (the
engine's `dims`, the mapper's reach and the cost model all count them so), and
how many bytes it costs an engine that accesses whole granules (the cost model
and the model charge it so), how many of its rows are demand misses (rows too
far apart for the prefetchers), and how many pages a block spans and how many
of its lines share one cache set (whether a cache holds it as a view,
cache_views.keeps_view)."""

from collections.abc import Sequence
from functools import lru_cache
from math import prod

import numpy as np

Box = Sequence[tuple[int, int, int]]
"""(size, source stride, target stride) per dimension, outermost first."""


def merged_dims(box: Box) -> int:
    """Strided dimensions of a box after merging neighbours that continue each
    other in both the source and the destination (at least 1)."""
    merged: list[tuple[int, int, int]] = []
    for size, stride, step in reversed(box):
        if size == 1:
            continue
        if merged:
            inner_size, inner_stride, inner_step = merged[-1]
            if stride == inner_stride * inner_size and step == inner_step * inner_size:
                merged[-1] = (inner_size * size, inner_stride, inner_step)
                continue
        merged.append((size, stride, step))
    return max(1, len(merged))


def _run_elements(box: Box, side: int) -> int:
    """Elements of the innermost run contiguous on one side (1: source, 2: target)."""
    run = 1
    for dim in reversed(box):
        size, stride = dim[0], dim[side]
        if size == 1:
            continue
        if stride != run:
            break
        run *= size
    return run


def charged_bytes(box: Box, element_bytes: int, granule: int) -> float:
    """Bytes an engine of `granule`-byte accesses is busy for when it moves `box`
    (sizes already clipped): every contiguous run, on whichever side breaks the
    data into more runs, costs whole granules."""
    elements = 1
    for size, _, _ in box:
        elements *= size
    if elements == 0:
        return 0.0
    if granule <= 1:
        return float(elements * element_bytes)
    run = min(_run_elements(box, 1), _run_elements(box, 2))
    runs = elements // run
    return float(runs * (-(-run * element_bytes // granule)) * granule)


def pages_spanned(sizes_strides: Sequence[tuple[int, int]], element_bytes: int, page: int) -> int:
    """Pages of `page` bytes a block touches, given (size, stride in elements)
    of each of its dimensions, outermost first, from an aligned start: each
    slice of a dimension whose stride is a page or more lies on pages of its
    own; a dimension with a shorter stride touches every page of its span."""
    dims = sorted(((n, s) for n, s in sizes_strides if n > 1), key=lambda d: -d[1])
    pages = 1
    for index, (size, stride) in enumerate(dims):
        if stride * element_bytes < page:
            span = 1 + sum((n - 1) * s for n, s in dims[index:])
            return pages * -(-span * element_bytes // page)
        pages *= size
    return pages


def most_in_one_set(
    sizes_strides: Sequence[tuple[int, int]],
    element_bytes: int,
    geometry: tuple[int, int, int],
) -> int:
    """The most lines of a block (given as (size, stride in elements) per
    dimension, outermost first, from a line-aligned start) that map to one set
    of a cache of `geometry` (sets, ways, line bytes): rows a power-of-two
    stride apart crowd a few sets, and past its ways a set cannot keep them."""
    sets, ways, line = geometry
    dims = tuple((n, s) for n, s in sizes_strides if n > 1)
    elements = prod(n for n, _ in dims)
    if elements * element_bytes > sets * ways * line:
        # Larger than the cache: some set overflows whatever the strides.
        return -(-elements * element_bytes // (sets * line))
    return _most_in_one_set(dims, element_bytes, sets, line)


@lru_cache(maxsize=65536)
def _most_in_one_set(
    dims: tuple[tuple[int, int], ...], element_bytes: int, sets: int, line: int
) -> int:
    run = 1
    inner = len(dims)
    while inner and dims[inner - 1][1] == run:
        inner -= 1
        run *= dims[inner][0]
    starts = np.zeros(1, dtype=np.int64)
    for size, stride in dims[:inner]:
        starts = (starts[:, None] + np.arange(size, dtype=np.int64) * stride).ravel()
    first = starts * element_bytes // line
    last = ((starts + run) * element_bytes - 1) // line
    span = int((last - first).max()) + 1
    lines = first[:, None] + np.arange(span, dtype=np.int64)
    lines = np.unique(lines[lines <= last[:, None]])
    return int(np.bincount(lines % sets, minlength=sets).max())


def demand_misses(box: Box, element_bytes: int, prefetch: int | None) -> int:
    """Latencies a transfer of `box` costs an engine whose prefetching follows rows
    up to `prefetch` bytes apart: one per row when some dimension's rows (on
    either side) lie farther apart, as each is then a demand miss; else one.
    Whether an earlier transfer already streamed the same rows is not tracked,
    so rows that a loop walks along are charged as if each transfer were new."""
    if prefetch is None:
        return 1
    contiguous = bool(box) and box[-1][1] == 1 and box[-1][2] == 1
    rows = 1
    far = False
    for size, source, target in box[:-1] if contiguous else box:
        if size > 1:
            rows *= size
            far = far or max(source, target) * element_bytes >= prefetch
    return rows if far else 1
