"""How a station's block moves: one strided-box transfer, or several when its
engine addresses fewer strided dimensions than the block needs.

A block whose rows are not contiguous in its tensor (a 2-D tile of a matrix)
needs a 2-dimensional transfer; on a 1-D engine (a DMA that moves one
contiguous run per command) it moves as one transfer per row. In general the
box's outer dimensions are iterated, innermost kept, until the rest merges into
as many dimensions as the engine addresses (`split_point`); each position of
the iterated dimensions is one transfer of the rest, its size-1 outer
dimensions keeping their padding limits. The engine takes the transfers in
turn, so they cost its time for the bytes as one transfer would; a block that
would take more than `MAX_TRANSFERS` is not planned (its program would grow
without bound).
"""

from __future__ import annotations

from math import prod

from isamapper_dialect.strided_box import Box, merged_dims

MAX_TRANSFERS = 64
"""Most transfers one station's block may take per refill."""


def split_point(box: Box, engine_dims: int) -> int:
    """How many leading dimensions of `box` to iterate so that the rest fits an
    engine addressing `engine_dims` strided dimensions (0: the box fits as it is)."""
    for k in range(len(box) + 1):
        rest = box[k:]
        if merged_dims(rest) <= engine_dims:
            return k
    return len(box)


def transfer_count(box: Box, engine_dims: int) -> int:
    """How many transfers move `box` on an engine of `engine_dims` dimensions."""
    return prod(size for size, _, _ in box[: split_point(box, engine_dims)])
