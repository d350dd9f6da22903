"""The one rule for how many strided dimensions a box of a transfer needs:
the engine's `dims`, the mapper's reach and the cost model all count them so."""

from collections.abc import Sequence

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
