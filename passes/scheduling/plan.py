"""A schedule of one statement, as plain data, and the buffers and transfers it implies.

A chosen mapping runs the instruction over a grid of *axes*: the mapping's
outer kernel indices and, for every instruction index, the tile positions of
its group. Only outer axes and single-index boxes whose tile fills the
instruction dimension can be blocked (take more than one position at a time).

Tiling is multi-level, one level per memory on the way from the main memory to
the instruction's operands (`levels`: L3, L2, L1 and registers on a CPU; the
SRAM and the accumulators on the NNP). Level 1 splits the grid into blocks,
level 2 splits a level-1 block into smaller ones, and so on; each level has its
own loops, the axes the output depends on outside and the reduction axes
inside, so an output block stays where it is while it accumulates.

Every operand has one *station* per memory on its transfer path, level 1 the
memory next to the main memory, its last the instruction's memory (an operand
with a shorter path than the deepest one stops early, and its executions index
into its last station's block). A station holds one block of its level (or
`slots` of them, so the next block's transfer overlaps the current block's
computation) and is refilled in the loop of the innermost axis it depends on at
its level or outside it. Level 1 gathers from (or scatters to) the kernel's
tensor, with bounds for ragged edges; the deeper levels copy a sub-block of the
parent station. An output station is zeroed before it accumulates and added
into its parent (or the tensor) after.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from math import prod

from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.specs import InstructionSpec
from isamapper_passes.scheduling.cache_views import keeps_view


@dataclass(frozen=True)
class Axis:
    """One axis of the execution grid."""

    name: str
    count: int
    group: int | None
    """Instruction index position for a group axis; None for an outer kernel index."""
    reduction: bool
    blockable: bool


@dataclass(frozen=True)
class Term:
    """`coefficient * ((iv // divisor) % modulus)` of a block loop's index (modulus 0: none)."""

    axis: int
    coefficient: int
    divisor: int = 1
    modulus: int = 0


@dataclass(frozen=True)
class BoxDim:
    """One dimension of a transfer between a kernel tensor and a block buffer.

    Its valid extent is `bound - sum(terms)` (clipped to `[0, size]`); `bound`
    None means always `size`."""

    size: int
    tensor_stride: int
    buffer_stride: int
    bound: int | None = None
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class OperandLayout:
    """One station of an instruction operand: its block buffer in one memory."""

    position: int
    """Instruction statement operand position (0: output)."""
    statement_operand: int
    memory: str
    level: int
    """Tiling level (1: next to the main memory)."""
    engine: str
    """The engine bringing the block in (an input) or taking it out (the output)."""
    axes: tuple[int, ...]
    """Axes the operand depends on."""
    shape: tuple[int, ...]
    """One block (without slots)."""
    slots: int
    tensor_offset: int
    tensor_terms: tuple[Term, ...]
    box: tuple[BoxDim, ...]
    """The transfer between the tensor and a level-1 block."""
    tile_strides: tuple[int, ...]
    exec_terms: tuple[tuple[int, int], ...]
    """(axis, stride in the buffer of one tile position) per blocked axis."""
    dims: tuple[tuple[int, int], ...]
    """(size, stride) of every logical dimension: each outer axis the operand
    uses (size 1 included), then each tile row; for copies between levels."""
    element_bytes: int
    tensor_tile_strides: tuple[int, ...] | None = None
    """Strides of the tile rows in the tensor, when an execution can address its
    tile there directly (each row one whole box dimension, none ragged)."""

    @property
    def block_elements(self) -> int:
        """Elements of one slot."""
        return prod(self.shape)

    @property
    def block_bytes(self) -> int:
        """Bytes of one slot."""
        return self.block_elements * self.element_bytes

    def inner_box(self, child: OperandLayout) -> list[tuple[int, int, int]]:
        """(size, stride here, stride in the child) of a child station's block."""
        return [
            (size, stride, child_stride)
            for (size, child_stride), (_, stride) in zip(child.dims, self.dims, strict=True)
            if size > 1
        ] or [(1, 1, 1)]


@dataclass(frozen=True)
class Home:
    """Where fusion keeps a tensor on chip: the memory and its allocation's shape
    (the tensor's own, or padded so ragged tiles can address it in place; see
    padding.py)."""

    memory: str
    shape: tuple[int, ...]


Route = tuple[tuple[str, Engine], ...]
"""(memory, engine) of each station of an operand, level 1 first."""


@dataclass(frozen=True)
class StatementPlan:
    """Everything the lowering needs for one statement."""

    statement: int
    spec: InstructionSpec
    mapping: Mapping
    axes: tuple[Axis, ...]
    levels: tuple[tuple[int, ...], ...]
    """Block size of every axis at every tiling level, level 1 first; each
    divides the one before (the axis count for level 1)."""
    orders: tuple[tuple[int, ...], ...]
    """Block loops of each level, outermost first."""
    operands: tuple[tuple[OperandLayout, ...], ...]
    """Stations of each instruction operand (output first), level 1 first."""
    direct: tuple[OperandLayout | None, ...]
    """For each instruction operand without stations (its tensor is in the
    instruction's memory), how executions address its tiles in the tensor."""
    packed: frozenset[tuple[int, int]] = frozenset()
    """(operand, level) of the cache stations the schedule packs into a buffer
    of their own (BLIS's packed panels) rather than viewing the one above."""

    @property
    def output_axes(self) -> tuple[int, ...]:
        """Axes the output depends on."""
        layout = self.direct[0] or self.operands[0][-1]
        return layout.axes

    @property
    def blocks(self) -> tuple[int, ...]:
        """The innermost level's blocks: the executions of one innermost block."""
        return self.levels[-1]

    @cached_property
    def loops(self) -> tuple[tuple[int, int], ...]:
        """(level, axis) of every block loop, outermost first."""
        return tuple(
            (level, axis) for level, order in enumerate(self.orders, start=1) for axis in order
        )

    def loop_count(self, level: int, axis: int) -> int:
        """Iterations of the block loop of `axis` at `level`."""
        outer = self.axes[axis].count if level == 1 else self.levels[level - 2][axis]
        return outer // self.levels[level - 1][axis]

    @cached_property
    def _counts(self) -> tuple[int, ...]:
        return tuple(self.loop_count(level, axis) for level, axis in self.loops)

    def hoist_level(self, layout: OperandLayout) -> int:
        """How many block loops enclose the station's transfers: up to the innermost
        loop of its level or above that changes its block (loops of one iteration
        change nothing)."""
        return self._hoist(layout.level, layout.axes)

    def _hoist(self, station_level: int, axes: tuple[int, ...]) -> int:
        counts = self._counts
        for g in range(len(counts) - 1, -1, -1):
            level, axis = self.loops[g]
            if level <= station_level and counts[g] > 1 and axis in axes:
                return g + 1
        return 0

    def slot_loop(self, layout: OperandLayout) -> tuple[int, int] | None:
        """The block loop whose iterations rotate through the station's slots: the
        innermost loop enclosing its transfers that runs more than once."""
        return self.slot_loop_of(layout.level, layout.axes)

    def slot_loop_of(self, level: int, axes: tuple[int, ...]) -> tuple[int, int] | None:
        """`slot_loop` of a station at `level` of an operand using `axes` (what
        it depends on of the station: the plan's blocks and loops need no layout)."""
        for g in range(self._hoist(level, axes) - 1, -1, -1):
            if self._counts[g] > 1:
                return self.loops[g]
        return None

    def transfers(self, layout: OperandLayout) -> int:
        """How many times the station's block moves."""
        return prod(self._counts[: self.hoist_level(layout)])

    def views(self, hardware: HardwareSpec) -> frozenset[tuple[int, int]]:
        """(operand, level) of the stations that are views of the buffer above:
        those in a cache (a hardware-managed memory) but not an operand's last,
        unless the schedule packs them (`packed`) or, for an input, the cache
        cannot keep the block as a view (cache_views.keeps_view): those get a
        buffer of their own."""
        # Remembered per hardware: the cost model asks for every station.
        remembered = self.__dict__.setdefault("_views", {})
        key = (hardware.caches, hardware.tlbs, hardware.geometries)
        if key in remembered:
            return remembered[key]
        chosen: set[tuple[int, int]] = set()
        for stations in self.operands:
            above = 0
            for layout in stations[:-1]:
                station = (layout.position, layout.level)
                if (
                    layout.memory in hardware.caches
                    and station not in self.packed
                    # Inputs only: an output's block is added back at every
                    # reduction step it leaves, which a packed copy would repeat.
                    and (
                        layout.position == 0
                        or keeps_view(
                            layout.memory,
                            layout.element_bytes,
                            self._box_from(layout, above),
                            hardware,
                        )
                    )
                ):
                    chosen.add(station)
                else:
                    above = layout.level
        remembered[key] = result = frozenset(chosen)
        return result

    def buffered_above(self, layout: OperandLayout, hardware: HardwareSpec) -> int:
        """The level of the nearest station above `layout` with a buffer (0: the
        tensor), which its transfers (or a view's touches) address."""
        views = self.views(hardware)
        q = layout.position
        return max((lv for lv in range(1, layout.level) if (q, lv) not in views), default=0)

    def _box_from(self, layout: OperandLayout, above: int) -> list[tuple[int, int, int]]:
        if above == 0:
            return [(d.size, d.tensor_stride, d.buffer_stride) for d in layout.box]
        return self.operands[layout.position][above - 1].inner_box(layout)

    def source_box(
        self, layout: OperandLayout, hardware: HardwareSpec
    ) -> list[tuple[int, int, int]]:
        """(size, stride above, stride here) of the station's transfer from (to,
        for the output) the nearest buffer above it, or the tensor."""
        return self._box_from(layout, self.buffered_above(layout, hardware))


@lru_cache(maxsize=4096)
def divisors(n: int) -> tuple[int, ...]:
    """The divisors of `n` (n >= 1), ascending."""
    small, large = [], []
    d = 1
    while d * d <= n:
        if n % d == 0:
            small.append(d)
            if d * d != n:
                large.append(n // d)
        d += 1
    return (*small, *reversed(large))


def block_choices(axis: Axis, limit: int = 64) -> list[int]:
    """Block sizes an axis can take (divisors of its count, up to `limit`)."""
    if not axis.blockable:
        return [1]
    return [d for d in divisors(axis.count) if d <= limit]


def block_multiples(axis: Axis, inner: int, outer: int, limit: int) -> list[int]:
    """Block sizes of a level between an inner level's `inner` and an outer level's
    `outer`: multiples of the one that divide the other, up to `limit`."""
    if not axis.blockable:
        return [1]
    if outer < inner:
        return []
    return [d for d in divisors(outer) if d % inner == 0 and d <= limit]
