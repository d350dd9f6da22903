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

So an intermediate kept on chip may be allocated with a padded shape (`[3, 80]`
for a `[3, 70]` tensor): its elements keep their coordinates, the strides are
the padded shape's, and the padding takes the extra lanes. `Overrun` says where
the extra lanes of one tile row land in one operand; `safe_in_place` and
`padded_shape` apply the two rules. Only rows `sum(c_j * index_j) + offset` with
non-negative coefficients, the ragged index in one coordinate, qualify.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from isamapper_passes.mapping_specs import OperandSpec


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


def safe_in_place(
    operand: OperandSpec, extents: Sequence[int], k: int, covered: int, output: bool
) -> bool:
    """Whether the ragged lanes of `k` may address `operand` in place: inside its
    allocation (`operand.shape`), and for an output only on padding (past the
    tensor's own extent, `operand.tensor_shape`)."""
    where = overrun(operand, extents, k, covered)
    if where is None or where.last >= operand.shape[where.dim]:
        return False
    return not output or where.first_extra >= operand.tensor_shape[where.dim]


def padded_shape(
    operand: OperandSpec, extents: Sequence[int], k: int, covered: int, output: bool
) -> tuple[int, ...] | None:
    """The smallest allocation (at least `operand.shape`) that makes the ragged
    lanes of `k` safe in place; None when no padding does (an output whose extra
    lanes land on elements of the tensor)."""
    where = overrun(operand, extents, k, covered)
    if where is None or (output and where.first_extra < operand.tensor_shape[where.dim]):
        return None
    shape = list(operand.shape)
    shape[where.dim] = max(shape[where.dim], where.last + 1)
    return tuple(shape)
