"""Ragged tiles addressed in place, and the padded allocations that make them safe.

An execution always covers a whole tile. Where a kernel index's extent is not a
multiple of the tile (70 elements in 16-lane vectors), the last tile has lanes
past the extent. A staged operand gets them as zeros and drops them on the way
out (the copies' padding limits); an operand addressed in place, an
intermediate kept in its instruction's memory, has no copy to do that, so its
ragged lanes touch the tensor itself:

- an input's extra lanes read whatever lies there, which is harmless when they
  run along an index the instruction's output also runs along (they only feed
  the output's extra lanes) and stay inside the allocation;
- an output's extra lanes write there, which is harmless only where no element
  of the tensor lives: past the end of its dimension, in padding.

So a tensor kept on chip may be allocated with a padded shape: an output's
`[3, 70]` as `[3, 80]` (its elements keep their coordinates, the strides are the
padded shape's, the padding takes the extra lanes), a tensor only read as
`[4, 70]` (a tail, so it is still copied in whole). `Overrun` says where the
extra lanes of one tile row land in one operand; `safe_in_place` and
`padded_shape` apply the two rules. Only accesses with non-negative
coefficients qualify, and for an output the ragged index in one coordinate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

from isamapper_passes.mapping.specs import OperandSpec


@dataclass(frozen=True)
class Overrun:
    """Where the lanes of a ragged last tile land along one dimension of an operand."""

    dim: int
    first_extra: int
    """The lowest coordinate a lane past the extent addresses."""
    last: int
    """The highest coordinate any lane of the tile addresses."""


def overrun(operand: OperandSpec, extents: Sequence[int], k: int, covered: int) -> Overrun | None:
    """Where the lanes of kernel index `k` up to `covered` (its extent rounded up
    to whole tiles) land in `operand`; None when its access has no qualifying
    form (see the module docstring)."""
    rows = [d for d, row in enumerate(operand.access) if row.coefficients[k]]
    if len(rows) != 1:
        return None
    dim = rows[0]
    row = operand.access[dim]
    if any(c < 0 for c in row.coefficients):
        return None
    others = sum(
        c * (extent - 1)
        for j, (c, extent) in enumerate(zip(row.coefficients, extents, strict=True))
        if j != k
    )
    step = row.coefficients[k]
    return Overrun(dim, step * extents[k] + row.offset, step * (covered - 1) + others + row.offset)


def highest_address(
    operand: OperandSpec, extents: Sequence[int], k: int, covered: int
) -> int | None:
    """The highest flat element offset a tile addresses in `operand` when kernel
    index `k` runs up to `covered`; None when a coefficient is negative."""
    strides = [prod(operand.shape[d + 1 :]) for d in range(len(operand.shape))]
    highest = 0
    for stride, row in zip(strides, operand.access, strict=True):
        if any(c < 0 for c in row.coefficients):
            return None
        top = row.offset + sum(
            c * ((covered if j == k else extent) - 1)
            for j, (c, extent) in enumerate(zip(row.coefficients, extents, strict=True))
        )
        highest += stride * top
    return highest


def safe_in_place(
    operand: OperandSpec, extents: Sequence[int], k: int, covered: int, output: bool
) -> bool:
    """Whether the ragged lanes of `k` may address `operand` in place: an input's
    inside its allocation (`operand.shape`); an output's only on padding, past the
    tensor's own extent (`operand.tensor_shape`) in their dimension."""
    if not output:
        highest = highest_address(operand, extents, k, covered)
        return highest is not None and highest < prod(operand.shape)
    where = overrun(operand, extents, k, covered)
    if where is None or where.last >= operand.shape[where.dim]:
        return False
    return where.first_extra >= operand.tensor_shape[where.dim]


def padded_shape(
    operand: OperandSpec, extents: Sequence[int], k: int, covered: int, output: bool
) -> tuple[int, ...] | None:
    """The smallest allocation (at least `operand.shape`) that makes the ragged
    lanes of `k` safe in place: for an input, more of the outermost dimension (the
    tensor's elements keep their offsets, so it is still copied in whole); for an
    output, more of the dimension they run along. None when no padding does (an
    output whose extra lanes land on elements of the tensor)."""
    shape = list(operand.shape)
    if not output:
        highest = highest_address(operand, extents, k, covered)
        if highest is None:
            return None
        inner = prod(shape[1:])
        shape[0] = max(shape[0], -(-(highest + 1) // inner))
        return tuple(shape)
    where = overrun(operand, extents, k, covered)
    if where is None or where.first_extra < operand.tensor_shape[where.dim]:
        return None
    shape[where.dim] = max(shape[where.dim], where.last + 1)
    return tuple(shape)
