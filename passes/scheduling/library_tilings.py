"""The `library` strategy's plans: what a hand-written kernel library does (the
bench's baseline, docs/baseline.md): mappings whose instruction indices each
run along at most one kernel index, blocked by a few fixed tilings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import log

from isamapper_dialect.mapping import Mapping
from isamapper_passes.scheduling.plan import (
    Axis,
    block_multiples,
)


@dataclass(frozen=True)
class LibraryTiling:
    """A fixed blocking in instruction tiles: targets for the output and the
    reduction axes of the innermost level, then of every outer level (each block
    the size closest to its target that divides the axis and is a multiple of
    the inner block). A plan with one level gets the outer blocks."""

    inner_output: int
    inner_reduction: int
    outer_output: int
    outer_reduction: int

    def levels(self, axes: Sequence[Axis], count: int) -> list[list[int]]:
        """Blocks per level (level 1 first) for a plan with `count` levels."""
        inner = [
            _clip(axis, 1, self.inner_reduction if axis.reduction else self.inner_output)
            for axis in axes
        ]
        outer = [
            _clip(axis, b, self.outer_reduction if axis.reduction else self.outer_output)
            for axis, b in zip(axes, inner, strict=True)
        ]
        # A single level is the block moved from the main memory: the outer one.
        return [list(outer) for _ in range(count - 1)] + [inner if count > 1 else outer]


def _clip(axis: Axis, inner: int, target: int) -> int:
    """The block of `axis` closest to `target` (by ratio, the smaller on a tie)
    among the multiples of `inner` that divide the axis."""
    sizes = block_multiples(axis, inner, axis.count, axis.count) or [1]
    return min(sizes, key=lambda size: (abs(log(size / target)), size))


LIBRARY_TILINGS = (
    LibraryTiling(1, 1, 4, 16),
    LibraryTiling(2, 1, 8, 8),
    LibraryTiling(4, 1, 8, 4),
    LibraryTiling(4, 2, 16, 8),
    LibraryTiling(8, 1, 16, 4),
    LibraryTiling(1, 1, 64, 1),
    LibraryTiling(4, 1, 256, 1),
)
"""The library's hand-chosen tilings: a skinny one for matrix-vector shapes,
square-ish ones of growing size (in 32x32 tiles on a 32x32x32 unit: 64x64 to
256x256 accumulators over 512x512 blocks), and two streaming ones with large
output blocks for element-wise and vector kernels."""


def library_mapping(mapping: Mapping) -> bool:
    """Whether a kernel library has this mapping: every instruction index runs
    along at most one kernel index, neither split into a box of several nor fused."""
    return all(not group.fused and len(group.kernel_indices) <= 1 for group in mapping.groups)
