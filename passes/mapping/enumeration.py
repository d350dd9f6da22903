"""Enumerate every legal mapping of an instruction onto a statement (the rules
are in `legality.py`).

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

from isamapper_dialect.mapping import IndexGroup, Mapping
from isamapper_passes.mapping.legality import (
    instruction_incompatibility,
    linearisable,
    operand_bindings,
    output_tile_one_to_one,
    placement_failure,
    tile_dimensions,
    uses_list,
)
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping.tiles import tile_count

DEFAULT_MAX_CANDIDATES = 20000


class TooManyCandidates(Exception):
    """The enumeration went past its bound."""


@dataclass(frozen=True)
class MappingSearch:
    """The legal mappings of one instruction, or why there is none."""

    mappings: tuple[Mapping, ...]
    failure: str | None = None


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


def _complete(
    statement: StatementSpec,
    spec: InstructionSpec,
    binding: tuple[int, ...],
    groups: tuple[IndexGroup, ...],
) -> Mapping | str:
    """The mapping these groups define, or why it is illegal."""
    if not output_tile_one_to_one(statement, spec, groups):
        return (
            f"the output {statement.operands[0].label} would receive two lanes of one "
            "tile in the same element"
        )
    dims_by_statement_operand = []
    for q, o in enumerate(binding):
        needed = tile_dimensions(statement, spec, groups, q, o)
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
        f"`{name}`: {uses_list(spec, i)}" for i, name in enumerate(spec.statement.indices)
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
