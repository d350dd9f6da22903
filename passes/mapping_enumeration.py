"""Enumerate every legal mapping of an instruction onto a statement.

Legality, operand by operand (statement operand `o` bound to instruction
operand `q`):

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

A mapping must give the instruction at least one kernel index when it has a
dimension with more than one lane; mappings that leave an instruction index
empty while a kernel index that could fill it stays outer are dominated and not
emitted. Inputs are tried in both orders when the operation commutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import permutations, product
from math import prod

from isamapper_dialect.accel import merged_dims
from isamapper_dialect.affine_access import AccessRow, one_to_one
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.mapping import IndexGroup, Mapping
from isamapper_passes.mapping_specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping_tiles import tile_count, used_lanes

COMMUTATIVE = (ComputeKind.MAC, ComputeKind.ADD, ComputeKind.MUL)

DEFAULT_MAX_CANDIDATES = 20000


class TooManyCandidates(Exception):
    """The enumeration went past its bound."""


@dataclass(frozen=True)
class MappingSearch:
    """The legal mappings of one instruction, or why there is none."""

    mappings: tuple[Mapping, ...]
    failure: str | None = None


def _uses_list(spec: InstructionSpec, index: int) -> str:
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


def group_variants(
    statement: StatementSpec, spec: InstructionSpec, i: int, members: tuple[int, ...]
) -> list[IndexGroup]:
    """Boxes and fused groups that put `members` (kernel indices) on index `i`."""
    iname = spec.statement.indices[i]
    extent = spec.statement.extents[i]
    names = statement.indices
    if not members:
        return [IndexGroup(iname, ())]
    variants: list[IndexGroup] = []
    seen_boxes: set[tuple[int, ...]] = set()
    for order in permutations(members):
        remaining = extent
        tiles: dict[int, int] = {}
        for k in reversed(order):
            tiles[k] = min(statement.extents[k], remaining)
            remaining //= tiles[k]
        box = tuple(tiles[k] for k in members)
        if min(box) > 1 and box not in seen_boxes:
            seen_boxes.add(box)
            variants.append(IndexGroup(iname, tuple(names[k] for k in members), box))
    if len(members) > 1 and prod(statement.extents[k] for k in members) > extent:
        for order in permutations(members):
            if linearisable(statement, order):
                variants.append(IndexGroup(iname, tuple(names[k] for k in order), fused=True))
    return variants


def fused_groups_hold(statement: StatementSpec, mapping: Mapping) -> bool:
    """Whether every fused group of `mapping` still linearises its indices in
    `statement` (it may not once an operand's allocation is padded)."""
    return all(
        linearisable(statement, tuple(statement.position(k) for k in group.kernel_indices))
        for group in mapping.groups
        if group.fused
    )


def _tile_dimensions(
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
    return merged_dims([d[0] for d in dims], [d[1] for d in dims], [d[2] for d in dims])


def _output_tile_one_to_one(
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


def _complete(
    statement: StatementSpec,
    spec: InstructionSpec,
    binding: tuple[int, ...],
    groups: tuple[IndexGroup, ...],
) -> Mapping | str:
    """The mapping these groups define, or why it is illegal."""
    if not _output_tile_one_to_one(statement, spec, groups):
        return (
            f"the output {statement.operands[0].label} would receive two lanes of one "
            "tile in the same element"
        )
    dims_by_statement_operand = []
    for q, o in enumerate(binding):
        needed = _tile_dimensions(statement, spec, groups, q, o)
        reach = spec.reach[q]
        operand = spec.statement.operands[q]
        if reach == 0:
            if q == 0:
                return (
                    f"{operand.label} lives in @{spec.memories[q]}, from which no transfer "
                    "engine leads back to the kernel's memory"
                )
            return (
                f"{operand.label} lives in @{spec.memories[q]}, which no transfer engine "
                "reaches from the kernel's memory"
            )
        if needed > reach:
            return (
                f"{statement.operands[o].label} needs a {needed}-dimensional strided "
                f"transfer to fill {operand.label} in @{spec.memories[q]}, but the engines "
                f"there address at most {reach}"
            )
        dims_by_statement_operand.append(needed)
    grouped = {name for g in groups for name in g.kernel_indices}
    outer = tuple(n for n in statement.indices if n not in grouped)
    executions = prod(statement.extent(n) for n in outer) * prod(
        tile_count(g, statement, e) for g, e in zip(groups, spec.statement.extents, strict=True)
    )
    return Mapping(
        hardware=spec.hardware,
        instruction=spec.name,
        operands=tuple(binding[q] for q in spec.signature),
        groups=groups,
        outer=outer,
        executions=executions,
        real_work=prod(statement.extents),
        issued_work=executions * spec.lanes,
        transfer_dims=tuple(dims_by_statement_operand[q] for q in spec.signature),
    )


def _assignments(
    statement: StatementSpec, spec: InstructionSpec, binding: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], ...]]:
    """For each assignment of kernel indices: the members of each instruction index."""
    n_instruction = len(spec.statement.indices)
    choices = []
    for k in range(len(statement.indices)):
        allowed: list[int | None] = [None]
        if statement.extents[k] > 1:
            allowed += [
                i
                for i in range(n_instruction)
                if placement_failure(statement, spec, binding, k, i) is None
            ]
        choices.append(allowed)
    for assignment in product(*choices):
        yield tuple(
            tuple(k for k, target in enumerate(assignment) if target == i)
            for i in range(n_instruction)
        )


def _explain_no_placement(
    statement: StatementSpec, spec: InstructionSpec, binding: tuple[int, ...]
) -> str:
    """Why no kernel index fits any instruction index (the first one, in full)."""
    usage = "; ".join(
        f"`{name}`: {_uses_list(spec, i)}" for i, name in enumerate(spec.statement.indices)
    )
    for k, name in enumerate(statement.indices):
        if statement.extents[k] == 1:
            continue
        users = [op.label for op in statement.operands if op.uses(k)]
        reasons = [
            f"`{spec.statement.indices[i]}` ({placement_failure(statement, spec, binding, k, i)})"
            for i in range(len(spec.statement.indices))
        ]
        return (
            f"no index of the statement fits an index of @{spec.name} "
            f"(used by {usage}): `{name}`, used by {', '.join(users) or 'no operand'}, "
            f"cannot go to {'; nor to '.join(reasons)}"
        )
    return f"the statement has no index with more than one point to put on @{spec.name}"


def enumerate_mappings(
    statement: StatementSpec,
    spec: InstructionSpec,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
) -> MappingSearch:
    """Every legal, undominated mapping of `spec` onto `statement`, in a
    deterministic order (best utilisation first), or the reason there is none."""
    incompatibility = instruction_incompatibility(statement, spec)
    if incompatibility is not None:
        return MappingSearch((), incompatibility)
    needs_index = any(e > 1 for e in spec.statement.extents)
    found: dict[Mapping, tuple[tuple[int, ...], frozenset[IndexGroup]]] = {}
    first_rejection: str | None = None
    tried = 0
    for binding in operand_bindings(statement, spec):
        for members in _assignments(statement, spec, binding):
            if needs_index and not any(members):
                continue
            variants = [group_variants(statement, spec, i, m) for i, m in enumerate(members)]
            for groups in product(*variants):
                tried += 1
                if tried > max_candidates:
                    raise TooManyCandidates(
                        f"more than {max_candidates} candidate mappings of @{spec.name}"
                    )
                result = _complete(statement, spec, binding, groups)
                if isinstance(result, str):
                    first_rejection = first_rejection or result
                    continue
                filled = frozenset(g for g in groups if g.kernel_indices)
                found[result] = (binding, filled)
    if not found:
        if first_rejection is not None:
            return MappingSearch((), first_rejection)
        return MappingSearch(
            (), _explain_no_placement(statement, spec, operand_bindings(statement, spec)[0])
        )
    kept = [
        mapping
        for mapping, (binding, filled) in found.items()
        if not any(b == binding and filled < f for b, f in found.values())
    ]
    kept.sort(key=lambda m: (-m.utilisation, m.executions, m.format()))
    return MappingSearch(tuple(kept))
