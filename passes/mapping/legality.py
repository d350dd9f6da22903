"""The legality rules of a mapping (statement operand `o` bound to instruction
operand `q`), one definition read by the enumeration, fusion and the roofline:

1. operations agree (`mac` with `mac`, `sigmoid` with `sigmoid`, ...) and so do
   element types;
2. a kernel index goes to an instruction index of the same role (parallel:
   used by the output; reduction: not), and every operand whose access uses the
   kernel index is bound to an instruction operand that uses the instruction
   index (otherwise one datum of the tile would stand for many of the kernel);
   an input that does not use it is broadcast along it;
3. one tile of the output is written one-to-one;
4. each operand tile is a strided box of the kernel tensor (a fused group
   counts as one dimension when every access addresses it as `c * L`), and some
   transfer engine between the kernel's memory and the operand's memory
   addresses at least that many strided dimensions.
"""

from __future__ import annotations

from math import prod

from isamapper_dialect.affine_access import AccessRow, one_to_one
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.mapping import IndexGroup, Mapping
from isamapper_dialect.strided_box import merged_dims
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping.tiles import used_lanes

COMMUTATIVE = (ComputeKind.MAC, ComputeKind.ADD, ComputeKind.MUL)


def uses_list(spec: InstructionSpec, index: int) -> str:
    names = [op.label for op in spec.statement.operands if op.uses(index)]
    return ", ".join(names) if names else "no operand"


def instruction_incompatibility(statement: StatementSpec, spec: InstructionSpec) -> str | None:
    """Why the instruction can never run this statement, or None."""
    semantics = spec.statement
    if semantics.kind is not statement.kind:
        return f"computes `{semantics.kind.value}`, not `{statement.kind.value}`"
    ours = statement.operands[0].element_type
    theirs = semantics.operands[0].element_type
    if ours != theirs:
        return f"works on {theirs} elements, not {ours}"
    for operand in semantics.operands:
        seen: set[int] = set()
        for dim, row in enumerate(operand.access):
            used = row.used()
            if not used:
                if row.offset != 0 or operand.shape[dim] != 1:
                    return (
                        f"operand {operand.label} has a constant coordinate other than "
                        "a unit dimension, which the mapper does not support"
                    )
                continue
            if (
                len(used) != 1
                or row.coefficients[used[0]] != 1
                or row.offset != 0
                or used[0] in seen
            ):
                return (
                    f"operand {operand.label} is not addressed one index per coordinate, "
                    "which the mapper does not support"
                )
            seen.add(used[0])
    return None


def operand_bindings(statement: StatementSpec, spec: InstructionSpec) -> list[tuple[int, ...]]:
    """Statement operand for each instruction statement operand (output first)."""
    arity = len(statement.operands)
    identity = tuple(range(arity))
    if statement.kind not in COMMUTATIVE or arity != 3:
        return [identity]
    ins = spec.statement.operands
    symmetric = ins[1] == ins[2] or (
        ins[1].access == ins[2].access
        and ins[1].shape == ins[2].shape
        and spec.memories[1] == spec.memories[2]
        and spec.reach[1] == spec.reach[2]
    )
    return [identity] if symmetric else [identity, (0, 2, 1)]


def placement_failure(
    statement: StatementSpec,
    spec: InstructionSpec,
    binding: tuple[int, ...],
    k: int,
    i: int,
) -> str | None:
    """Why kernel index `k` cannot go to instruction index `i`, or None."""
    kname = statement.indices[k]
    iname = spec.statement.indices[i]
    k_parallel = statement.is_parallel(k)
    if k_parallel != spec.statement.is_parallel(i):
        return (
            f"`{kname}` is {'parallel' if k_parallel else 'a reduction index'} but `{iname}` "
            f"is {'a reduction index' if k_parallel else 'parallel'}"
        )
    for q, o in enumerate(binding):
        ours, theirs = statement.operands[o], spec.statement.operands[q]
        if ours.uses(k) and not theirs.uses(i):
            return f"{ours.label} uses `{kname}` but {theirs.label} does not use `{iname}`"
    if spec.statement.extents[i] == 1:
        return f"`{iname}` has a single lane"
    return None


def linearisable(statement: StatementSpec, order: tuple[int, ...]) -> bool:
    """Whether every access using the indices addresses them as `c * L`,
    `L` their row-major linearisation in `order` (outer first)."""
    for operand in statement.operands:
        coefficients = operand.address_coefficients()
        if not any(coefficients[k] for k in order):
            continue
        step = coefficients[order[-1]]
        if step == 0:
            return False
        for position, k in enumerate(order):
            span = prod(statement.extents[j] for j in order[position + 1 :])
            if coefficients[k] != step * span:
                return False
    return True


def fused_groups_hold(statement: StatementSpec, mapping: Mapping) -> bool:
    """Whether every fused group of `mapping` still linearises its indices in
    `statement` (it may not once an operand's allocation is padded)."""
    return all(
        linearisable(statement, tuple(statement.position(k) for k in group.kernel_indices))
        for group in mapping.groups
        if group.fused
    )


def tile_dimensions(
    statement: StatementSpec,
    spec: InstructionSpec,
    groups: tuple[IndexGroup, ...],
    q: int,
    o: int,
) -> int:
    """Strided dimensions a transfer needs to fill (or drain) instruction operand
    `q`'s tile from statement operand `o`.

    The tile is a box of dimensions `(extent, source stride, tile stride)`, in
    the tile's row-major order: each tile coordinate contributes its group's
    members (outer first; a fused group is one dimension). Neighbours merge when
    both strides continue each other (broadcasts, source stride 0, included)."""
    source = statement.operands[o].address_coefficients()
    shape = spec.statement.operands[q].shape
    dims: list[tuple[int, int, int]] = []
    for axis, row in enumerate(spec.statement.operands[q].access):
        if not row.used():
            continue
        i = row.used()[0]
        group = groups[i]
        tile_stride = prod(shape[axis + 1 :])
        if group.fused:
            lanes = used_lanes(group, statement, spec.statement.extents[i])
            inner = statement.position(group.kernel_indices[-1])
            dims.append((lanes, source[inner], tile_stride))
            continue
        for position, (name, tile) in enumerate(
            zip(group.kernel_indices, group.tiles, strict=True)
        ):
            step = tile_stride * prod(group.tiles[position + 1 :])
            dims.append((tile, source[statement.position(name)], step))
    return merged_dims(dims)


def output_tile_one_to_one(
    statement: StatementSpec, spec: InstructionSpec, groups: tuple[IndexGroup, ...]
) -> bool:
    tile_extents = [1] * len(statement.indices)
    for i, group in enumerate(groups):
        if not spec.statement.is_parallel(i):
            continue
        for position, name in enumerate(group.kernel_indices):
            k = statement.position(name)
            tile_extents[k] = statement.extents[k] if group.fused else group.tiles[position]
    access: tuple[AccessRow, ...] = statement.operands[0].access
    return one_to_one(access, tile_extents) is True
