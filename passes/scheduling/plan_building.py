"""Building a statement's plan from a mapping: the grid of axes it runs over,
the route of each operand through the memories, and each station's layout (the
plain data is in `plan.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_dialect.mapping import IndexGroup, Mapping
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping.tiles import tile_count, tile_positions
from isamapper_passes.scheduling.padding import safe_in_place
from isamapper_passes.scheduling.plan import (
    Axis,
    BoxDim,
    OperandLayout,
    Route,
    StatementPlan,
    Term,
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
        # A single-index group blocks by whole tiles; a ragged last tile is
        # clipped by its box's bound like any other edge.
        single = not group.fused and len(group.kernel_indices) == 1 and group.tiles[0] == extent
        axes.append(
            Axis(
                group.instruction_index,
                tile_count(group, statement, extent),
                i,
                not spec.statement.is_parallel(i),
                single,
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
    station: tuple[str, Engine, int] | None = None,
) -> OperandLayout:
    """The block buffer of instruction operand `q` for `blocks` and its transfer
    box from the tensor; `station` is (memory, engine, level)."""
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
    dims: list[tuple[int, int]] = []
    dim = 0
    for a in outer_axes:
        k = statement.position(axes[a].name)
        if blocks[a] > 1:
            box.append(BoxDim(blocks[a], coefficients[k], strides[dim]))
            exec_terms.append((a, strides[dim]))
            dims.append((blocks[a], strides[dim]))
            dim += 1
        else:
            dims.append((1, 0))
        terms.append(Term(a, coefficients[k] * blocks[a]))
    tile_strides = []
    # Strides of the tile rows in the tensor itself, for executions addressing it
    # directly: only when every row is one whole, never ragged box dimension.
    direct: list[int] | None = []
    for r, row in enumerate(semantics.access):
        tile_strides.append(strides[dim + r])
        dims.append((tile_shape[r], strides[dim + r]))
        if not row.used():
            if direct is not None:
                direct.append(0)
            continue
        i = row.used()[0]
        a = group_axes[i]
        group = mapping.groups[i]
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
        # (An empty group is a single lane: whole only on a one-lane dimension.)
        lanes = spec.statement.extents[i] * blocks[a]
        size = group_box[0].size
        whole = (
            len(group_box) == 1
            and size <= lanes
            and all(t.divisor == 1 and not t.modulus for t in group_terms)
            and (bool(group.kernel_indices) or lanes == 1)
        )
        if whole and (size < lanes or (group_box[0].bound or 0) % size):
            # Lanes past the extent (a ragged last tile, or a tile narrower than the
            # instruction): in place only where they are harmless.
            k = statement.position(group.kernel_indices[-1])
            covered = -(-statement.extents[k] // size) * size if size == lanes else lanes
            whole = (
                not group.fused
                and (q == 0 or spec.statement.is_parallel(i))
                and safe_in_place(operand, statement.extents, k, covered, output=q == 0)
            )
        if direct is not None:
            direct = [*direct, group_box[0].tensor_stride] if whole else None
        if blocks[a] > 1:
            exec_terms.append((a, spec.statement.extents[i] * strides[dim + r]))
    offset = sum(prod(operand.shape[d + 1 :]) * row.offset for d, row in enumerate(operand.access))
    dependent = tuple(sorted(set(outer_axes) | {group_axes[i] for i in used_groups}))
    memory, engine, level = station or (spec.memories[q], None, 1)
    return OperandLayout(
        position=q,
        statement_operand=o,
        memory=memory,
        level=level,
        engine=engine.name if engine else "",
        axes=dependent,
        shape=tuple(shape),
        slots=slots,
        tensor_offset=offset,
        tensor_terms=tuple(t for t in terms if t.coefficient),
        box=tuple(box),
        tile_strides=tuple(tile_strides),
        exec_terms=tuple(exec_terms),
        dims=tuple(dims),
        element_bytes=operand.element_bytes,
        tensor_tile_strides=tuple(direct) if direct is not None else None,
    )


def routes(
    spec: InstructionSpec,
    mapping: Mapping,
    hardware: HardwareSpec,
    homes: Sequence[str] | None = None,
) -> tuple[Route, ...]:
    """The stations of each instruction operand: the memories on its transfer path
    from its tensor's memory (to it, for the output), level 1 first, with the
    engine of each hop; none when the tile is already in the tensor's memory (the
    executions address the tensor). `homes` gives the memory of each statement
    operand's tensor (default: all in the main memory). Raises Unroutable when an
    operand cannot be reached."""
    bound = binding(spec, mapping)
    result = []
    for q, memory in enumerate(spec.memories):
        home = homes[bound[q]] if homes else hardware.main
        if memory == home:
            result.append(())
            continue
        if q == 0:
            path = hardware.route(memory, home)
            route = [(e.source, e) for e in reversed(path)] if path is not None else None
        else:
            path = hardware.route(home, memory)
            route = [(e.target, e) for e in path] if path is not None else None
        if route is None:
            direction = f"from @{memory} to" if q == 0 else f"to @{memory} from"
            raise Unroutable(
                f"no transfer path {direction} @{home} for operand {q} of @{spec.name}"
            )
        result.append(tuple(route))
    return tuple(result)


class Unroutable(Exception):
    """An instruction operand's memory is not reachable through transfer engines."""


def make_plan(
    index: int,
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    route: tuple[Route, ...],
    levels: Sequence[Sequence[int]] | None = None,
    orders: Sequence[Sequence[int]] | None = None,
    depth: int = 2,
    output_depth: int | None = None,
    cache: dict | None = None,
    packed: frozenset[tuple[int, int]] = frozenset(),
    one_slot: frozenset[str] = frozenset(),
) -> StatementPlan:
    """A plan with the given blocks per level (default all 1), block-loop order
    per level (default: output axes in grid order, then reduction axes) and
    buffering depth (slots of each station refilled inside a loop; of the
    output's stations, `output_depth` if given; one in the memories
    `one_slot`). `cache`, shared by the plans of one mapping, keeps the axes
    and station layouts already worked out; `packed` names the cache stations
    packed into buffers of their own."""
    cache = {} if cache is None else cache
    if "axes" not in cache:
        cache["axes"] = statement_axes(statement, spec, mapping)
    axes = cache["axes"]
    count = max(1, *(len(r) for r in route))
    if levels:
        levels = tuple(tuple(b) for b in levels)
    else:
        levels = tuple((1,) * len(axes) for _ in range(count))
    assert len(levels) == count

    unblocked = (1,) * len(axes)

    def direct_layout(q: int) -> OperandLayout:
        key = ("direct", q)
        if key not in cache:
            cache[key] = operand_layout(
                statement, spec, mapping, axes, unblocked, q, 1, (spec.memories[q], None, 0)
            )
        return cache[key]

    def layout(q: int, level: int, slots: int) -> OperandLayout:
        # A layout reads only the blocks of the axes its operand depends on (the
        # unblocked layout's `axes`): plans differing in other axes share it.
        blocks = levels[level - 1]
        key = (q, level, slots, tuple(blocks[a] for a in direct_layout(q).axes))
        if key not in cache:
            memory, engine = route[q][level - 1]
            cache[key] = operand_layout(
                statement, spec, mapping, axes, blocks, q, slots, (memory, engine, level)
            )
        return cache[key]

    def layouts(slots: dict[tuple[int, int], int]) -> tuple[tuple[OperandLayout, ...], ...]:
        return tuple(
            tuple(layout(q, level, slots.get((q, level), 1)) for level in range(1, len(r) + 1))
            for q, r in enumerate(route)
        )

    direct = [None if r else direct_layout(q) for q, r in enumerate(route)]
    output_axes = set(direct_layout(0).axes)
    if orders is None:
        default = tuple(a for a in range(len(axes)) if a in output_axes) + tuple(
            a for a in range(len(axes)) if a not in output_axes
        )
        orders = (default,) * count
    orders = tuple(tuple(o) for o in orders)
    # The loops alone say which stations rotate through slots: no layouts yet.
    loops = StatementPlan(index, spec, mapping, axes, levels, orders, (), tuple(direct))
    slots = {
        (q, level): depth if q or output_depth is None else output_depth
        for q, r in enumerate(route)
        for level in range(1, len(r) + 1)
        if loops.slot_loop_of(level, direct_layout(q).axes) is not None
        and r[level - 1][0] not in one_slot
    }
    return StatementPlan(
        index, spec, mapping, axes, levels, orders, layouts(slots), tuple(direct), packed
    )
