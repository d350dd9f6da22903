"""Geometry of an index group: how many tiles it takes and which kernel index
values each lane of the instruction index stands for.

Shared by the enumeration (counts) and the soundness checker (values), so both
read a mapping the same way.
"""

from __future__ import annotations

from math import ceil, prod

import numpy as np

from isamapper_dialect.mapping import IndexGroup
from isamapper_passes.mapping.specs import StatementSpec


def used_lanes(group: IndexGroup, statement: StatementSpec, extent: int) -> int:
    """Lanes of the instruction index one tile of the group can fill."""
    if group.fused:
        return min(extent, prod(statement.extent(k) for k in group.kernel_indices))
    return prod(group.tiles)


def tile_count(group: IndexGroup, statement: StatementSpec, extent: int) -> int:
    """How many tiles cover the group's kernel indices."""
    if group.fused:
        return ceil(prod(statement.extent(k) for k in group.kernel_indices) / extent)
    return prod(
        ceil(statement.extent(k) / t)
        for k, t in zip(group.kernel_indices, group.tiles, strict=True)
    )


def tile_positions(group: IndexGroup, statement: StatementSpec) -> tuple[int, ...]:
    """The shape of the grid of tiles (one axis per box member, one for a fused group)."""
    if group.fused:
        return ()
    return tuple(
        ceil(statement.extent(k) / t)
        for k, t in zip(group.kernel_indices, group.tiles, strict=True)
    )


def _mixed_radix(value: np.ndarray, radices: tuple[int, ...]) -> list[np.ndarray]:
    """Digits of `value` in the given radices, most significant first."""
    digits: list[np.ndarray] = []
    for radix in reversed(radices):
        digits.append(value % radix)
        value = value // radix
    return digits[::-1]


def lane_values(
    group: IndexGroup,
    statement: StatementSpec,
    extent: int,
    position: np.ndarray,
    lanes: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Kernel index values and validity of each lane, for a batch of tiles.

    `position` (shape `(B,)`) is the tile's linear number in the group's tile
    grid; `lanes` the instruction index values. Returns arrays of shape
    `(B, len(lanes))`: one per kernel index of the group, and a mask that is
    False on padding lanes.
    """
    position = position[:, None]
    lanes = lanes[None, :]
    valid = lanes < extent
    if not group.kernel_indices:
        return {}, np.broadcast_to(valid & (lanes == 0), (position.shape[0], lanes.shape[1]))
    extents = tuple(statement.extent(k) for k in group.kernel_indices)
    if group.fused:
        linear = position * extent + lanes
        valid = valid & (linear < prod(extents))
        digits = _mixed_radix(linear, extents)
        return dict(zip(group.kernel_indices, digits, strict=True)), valid
    valid = valid & (lanes < prod(group.tiles))
    inner = _mixed_radix(lanes, group.tiles)
    outer = _mixed_radix(position, tile_positions(group, statement))
    values: dict[str, np.ndarray] = {}
    for k, tile, high, low, size in zip(
        group.kernel_indices, group.tiles, outer, inner, extents, strict=True
    ):
        values[k] = high * tile + low
        valid = valid & (values[k] < size)
    return values, valid
