"""A schedule of one statement, as plain data, and the buffers and transfers it implies.

A chosen mapping runs the instruction over a grid of *axes*: the mapping's
outer kernel indices and, for every instruction index, the tile positions of
its group. The schedule splits the grid into *blocks* (a block size per axis;
only outer axes and single-index boxes whose tile fills the instruction
dimension can take more than one position) and orders the block loops: the
axes the output depends on outside, reduction axes inside, so an output block
stays in its memory while it accumulates. Each operand gets, in its
instruction's memory, a buffer holding one block of its tiles; an input's
buffer is refilled in the loop of the innermost axis it depends on and is
double-buffered there, so the next block's transfer overlaps the current
block's computation. Tiles travel along a shortest path of transfer engines;
the hop at the main memory does the gather (or scatter), the others move the
block as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from isamapper_dialect.mapping import IndexGroup, Mapping
from isamapper_passes.mapping_specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping_tiles import tile_count, tile_positions


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
    """Where one instruction operand's block lives and how it is filled."""

    position: int
    """Instruction statement operand position (0: output)."""
    statement_operand: int
    memory: str
    axes: tuple[int, ...]
    """Axes the operand depends on."""
    shape: tuple[int, ...]
    """One block (without slots)."""
    slots: int
    tensor_offset: int
    tensor_terms: tuple[Term, ...]
    box: tuple[BoxDim, ...]
    tile_strides: tuple[int, ...]
    exec_terms: tuple[tuple[int, int], ...]
    """(axis, stride in the buffer) per blocked axis, for the exec's tile offset."""
    element_bytes: int

    @property
    def block_elements(self) -> int:
        """Elements of one slot."""
        return prod(self.shape)


@dataclass(frozen=True)
class StatementPlan:
    """Everything the lowering needs for one statement."""

    statement: int
    spec: InstructionSpec
    mapping: Mapping
    axes: tuple[Axis, ...]
    blocks: tuple[int, ...]
    order: tuple[int, ...]
    """Block loops, outermost first."""
    operands: tuple[OperandLayout, ...]

    def block_count(self, axis: int) -> int:
        """Iterations of the block loop of `axis`."""
        return self.axes[axis].count // self.blocks[axis]

    def slot_axis(self, layout: OperandLayout) -> int | None:
        """The block loop whose iterations rotate through the operand's slots: the
        innermost loop enclosing its transfers that runs more than once."""
        level = self.hoist_level(layout)
        for axis in reversed(self.order[:level]):
            if self.block_count(axis) > 1:
                return axis
        return None

    def hoist_level(self, layout: OperandLayout) -> int:
        """How many block loops enclose the operand's transfers: for an input, up to
        the innermost loop that changes its block; for the output, up to the first
        loop that does not (the reduction), so its block stays while it accumulates.
        Loops of one iteration change nothing."""
        if layout.position == 0:
            depth = 0
            for axis in self.order:
                if axis not in layout.axes and self.block_count(axis) > 1:
                    break
                depth += 1
            return depth
        return max(
            (self.order.index(a) + 1 for a in layout.axes if self.block_count(a) > 1),
            default=0,
        )


def statement_axes(
    statement: StatementSpec, spec: InstructionSpec, mapping: Mapping
) -> tuple[Axis, ...]:
    """The execution grid of a mapping: outer kernel indices, then one axis per group."""
    axes = [
        Axis(
            name,
            statement.extent(name),
            None,
            not statement.is_parallel(statement.position(name)),
            True,
        )
        for name in mapping.outer
    ]
    for i, (group, extent) in enumerate(zip(mapping.groups, spec.statement.extents, strict=True)):
        single_full = (
            not group.fused
            and len(group.kernel_indices) == 1
            and group.tiles[0] == extent
            and statement.extent(group.kernel_indices[0]) % extent == 0
        )
        axes.append(
            Axis(
                group.instruction_index,
                tile_count(group, statement, extent),
                i,
                not spec.statement.is_parallel(i),
                single_full,
            )
        )
    return tuple(axes)


def binding(spec: InstructionSpec, mapping: Mapping) -> list[int]:
    """Statement operand bound to each instruction statement operand."""
    bound = [0] * len(spec.statement.operands)
    for signature_position, statement_position in enumerate(spec.signature):
        bound[statement_position] = mapping.operands[signature_position]
    return bound


def _group_dims(
    statement: StatementSpec,
    group: IndexGroup,
    axis: int,
    extent: int,
    block: int,
    coefficients: tuple[int, ...],
    row_stride: int,
) -> tuple[list[BoxDim], list[Term]]:
    """Box dimensions and tensor-offset terms of one tile coordinate."""
    if not group.kernel_indices:
        return [BoxDim(extent, 0, row_stride, 1)], []
    if group.fused:
        inner = coefficients[statement.position(group.kernel_indices[-1])]
        total = prod(statement.extent(k) for k in group.kernel_indices)
        return (
            [BoxDim(extent, inner, row_stride, total, (Term(axis, extent),))],
            [Term(axis, inner * extent)],
        )
    positions = tile_positions(group, statement)
    dims: list[BoxDim] = []
    terms: list[Term] = []
    for j, (name, tile) in enumerate(zip(group.kernel_indices, group.tiles, strict=True)):
        k = statement.position(name)
        divisor = prod(positions[j + 1 :])
        if len(group.kernel_indices) == 1:
            size = tile * block
            dims.append(
                BoxDim(size, coefficients[k], row_stride, statement.extents[k], (Term(axis, size),))
            )
            terms.append(Term(axis, coefficients[k] * size))
            continue
        step = row_stride * prod(group.tiles[j + 1 :])
        term = Term(axis, tile, divisor, positions[j])
        dims.append(BoxDim(tile, coefficients[k], step, statement.extents[k], (term,)))
        terms.append(Term(axis, coefficients[k] * tile, divisor, positions[j]))
    return dims, terms


def operand_layout(
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    axes: tuple[Axis, ...],
    blocks: tuple[int, ...],
    q: int,
    slots: int,
) -> OperandLayout:
    """The block buffer of instruction operand `q` and its transfer box."""
    o = binding(spec, mapping)[q]
    operand = statement.operands[o]
    coefficients = operand.address_coefficients()
    semantics = spec.statement.operands[q]
    outer_axes = [
        a
        for a, axis in enumerate(axes)
        if axis.group is None and operand.uses(statement.position(axis.name))
    ]
    used_groups = {row.used()[0]: r for r, row in enumerate(semantics.access) if row.used()}
    group_axes = {axes[a].group: a for a in range(len(axes)) if axes[a].group is not None}
    # Buffer shape: blocked outer axes, then the tile rows (extended by their block).
    shape = [blocks[a] for a in outer_axes if blocks[a] > 1]
    tile_shape = list(semantics.shape)
    for r, row in enumerate(semantics.access):
        if row.used():
            tile_shape[r] *= blocks[group_axes[row.used()[0]]]
    shape += tile_shape
    strides = [prod(shape[d + 1 :]) for d in range(len(shape))]
    box: list[BoxDim] = []
    terms: list[Term] = []
    exec_terms: list[tuple[int, int]] = []
    dim = 0
    for a in outer_axes:
        k = statement.position(axes[a].name)
        if blocks[a] > 1:
            box.append(BoxDim(blocks[a], coefficients[k], strides[dim]))
            exec_terms.append((a, strides[dim]))
            dim += 1
        terms.append(Term(a, coefficients[k] * blocks[a]))
    tile_strides = []
    for r, row in enumerate(semantics.access):
        tile_strides.append(strides[dim + r])
        if not row.used():
            continue
        i = row.used()[0]
        a = group_axes[i]
        group_box, group_terms = _group_dims(
            statement,
            mapping.groups[i],
            a,
            spec.statement.extents[i],
            blocks[a],
            coefficients,
            strides[dim + r],
        )
        box += group_box
        terms += group_terms
        if blocks[a] > 1:
            exec_terms.append((a, spec.statement.extents[i] * strides[dim + r]))
    offset = sum(prod(operand.shape[d + 1 :]) * row.offset for d, row in enumerate(operand.access))
    dependent = tuple(sorted(set(outer_axes) | {group_axes[i] for i in used_groups}))
    return OperandLayout(
        position=q,
        statement_operand=o,
        memory=spec.memories[q],
        axes=dependent,
        shape=tuple(shape),
        slots=slots,
        tensor_offset=offset,
        tensor_terms=tuple(t for t in terms if t.coefficient),
        box=tuple(box),
        tile_strides=tuple(tile_strides),
        exec_terms=tuple(exec_terms),
        element_bytes=element_bytes(operand.element_type),
    )


def element_bytes(element_type: str) -> int:
    """Bytes of an element type written like `f32` or `i8`."""
    digits = "".join(c for c in element_type if c.isdigit())
    return (int(digits) + 7) // 8 if digits else 4


def make_plan(
    index: int,
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    blocks: tuple[int, ...] | None = None,
    order: tuple[int, ...] | None = None,
    depth: int = 2,
) -> StatementPlan:
    """A plan with the given blocks (default all 1), block-loop order (default:
    output axes in grid order, then reduction axes) and buffering depth (slots of
    each buffer refilled inside a loop)."""
    axes = statement_axes(statement, spec, mapping)
    blocks = blocks or tuple(1 for _ in axes)
    layouts_single = [
        operand_layout(statement, spec, mapping, axes, blocks, q, 1)
        for q in range(len(spec.statement.operands))
    ]
    output_axes = set(layouts_single[0].axes)
    if order is None:
        order = tuple(a for a in range(len(axes)) if a in output_axes) + tuple(
            a for a in range(len(axes)) if a not in output_axes
        )
    plan = StatementPlan(index, spec, mapping, axes, blocks, order, ())
    layouts = []
    for layout in layouts_single:
        slots = 1 if plan.slot_axis(layout) is None else depth
        layouts.append(
            operand_layout(statement, spec, mapping, axes, blocks, layout.position, slots)
        )
    return StatementPlan(index, spec, mapping, axes, blocks, order, tuple(layouts))


def block_choices(axis: Axis, limit: int = 64) -> list[int]:
    """Block sizes an axis can take (divisors of its count, up to `limit`)."""
    if not axis.blockable:
        return [1]
    return [d for d in range(1, min(axis.count, limit) + 1) if axis.count % d == 0]
