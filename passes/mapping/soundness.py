"""Soundness checker: execute a mapping tile by tile and compare with the kernel.

Every execution of the instruction gets its operand tiles gathered from the
kernel's tensors as the mapping says (padding lanes zero), runs the
instruction's own `isa.compute` semantics on them, and its output tile is
written back (accumulated for `mac`). Executions are batched with numpy: the
instruction's statement gets one extra leading index over the batch, so the
same reference semantics run all of them at once. The result must equal the
statement's reference semantics.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

import numpy as np

from isamapper_dialect.affine_access import Access, AccessRow
from isamapper_dialect.mapping import Mapping
from isamapper_dialect.reference_semantics import evaluate_statement
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.mapping.tiles import lane_values, tile_count

# Elements of operand tiles materialised at once; executions are chunked to fit.
CHUNK_ELEMENTS = 1 << 22


class UnsoundMapping(AssertionError):
    """A mapping computed something else than its statement."""


def _batched(access: Access) -> Access:
    """The access with a leading batch index (that also indexes a leading axis)."""
    rows = [AccessRow((0, *row.coefficients), row.offset) for row in access]
    width = len(rows[0].coefficients) if rows else 1
    return (AccessRow((1,) + (0,) * (width - 1), 0), *rows)


def _tile_addresses(
    statement: StatementSpec,
    spec: InstructionSpec,
    q: int,
    o: int,
    outer_values: dict[str, np.ndarray],
    lanes: list[tuple[dict[str, np.ndarray], np.ndarray]],
    batch: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Row-major element addresses, in statement operand `o`, of every element
    of instruction operand `q`'s tiles (shape `(B, *tile)`), and which
    elements are real (not padding; their address is 0)."""
    tile_shape = spec.statement.operands[q].shape
    rank = len(tile_shape)

    def along(array: np.ndarray, axis: int) -> np.ndarray:
        shape = [batch] + [1] * rank
        shape[axis + 1] = array.shape[1]
        return array.reshape(shape)

    values: dict[str, np.ndarray] = {
        name: value.reshape((batch,) + (1,) * rank) for name, value in outer_values.items()
    }
    valid = np.ones((batch,) + (1,) * rank, dtype=bool)
    for axis, row in enumerate(spec.statement.operands[q].access):
        if not row.used():
            continue
        group_values, group_valid = lanes[row.used()[0]]
        valid = valid & along(group_valid[:, : tile_shape[axis]], axis)
        for name, value in group_values.items():
            values[name] = along(value[:, : tile_shape[axis]], axis)
    operand = statement.operands[o]
    shape = operand.shape
    strides = [prod(shape[d + 1 :]) for d in range(len(shape))]
    address: np.ndarray | int = sum(
        stride * row.offset for stride, row in zip(strides, operand.access, strict=True)
    )
    for k, coefficient in enumerate(operand.address_coefficients()):
        if not coefficient:
            continue
        name = statement.indices[k]
        if name not in values:
            raise UnsoundMapping(
                f"{operand.label} depends on `{name}`, which no index of the instruction "
                f"operand {spec.statement.operands[q].label} it is bound to covers"
            )
        address = address + coefficient * values[name]
    full = (batch, *tile_shape)
    valid = np.broadcast_to(valid, full)
    return np.where(valid, np.broadcast_to(address, full), 0), valid


def execute_mapping(
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    arrays: Sequence[np.ndarray],
) -> np.ndarray:
    """The statement's output after running the instruction as `mapping` says,
    starting from `arrays` (the statement's operands, output first)."""
    semantics = spec.statement
    binding = [0] * len(semantics.operands)
    for signature_position, statement_position in enumerate(spec.signature):
        binding[statement_position] = mapping.operands[signature_position]
    axes = [statement.extent(n) for n in mapping.outer] + [
        tile_count(g, statement, e) for g, e in zip(mapping.groups, semantics.extents, strict=True)
    ]
    executions = prod(axes)
    if executions != mapping.executions:
        raise UnsoundMapping(
            f"the mapping claims {mapping.executions} executions but its groups need {executions}"
        )
    per_execution = sum(prod(op.shape) for op in semantics.operands)
    chunk = max(1, CHUNK_ELEMENTS // per_execution)
    result = np.array(arrays[0], copy=True)
    accesses = [_batched(op.access) for op in semantics.operands]
    for start in range(0, executions, chunk):
        numbers = np.arange(start, min(start + chunk, executions))
        coordinates = np.unravel_index(numbers, axes) if axes else ()
        outer_values = dict(zip(mapping.outer, coordinates[: len(mapping.outer)], strict=True))
        lanes = [
            lane_values(group, statement, extent, position, np.arange(extent))
            for group, extent, position in zip(
                mapping.groups,
                semantics.extents,
                coordinates[len(mapping.outer) :],
                strict=True,
            )
        ]
        batch = len(numbers)
        tiles = []
        addresses = []
        for q, o in enumerate(binding):
            address, valid = _tile_addresses(statement, spec, q, o, outer_values, lanes, batch)
            addresses.append((address, valid))
            if q == 0:
                tiles.append(np.zeros(valid.shape, dtype=result.dtype))
            else:
                gathered = arrays[o].reshape(-1)[address]
                tiles.append(np.where(valid, gathered, 0).astype(result.dtype))
        evaluate_statement(
            semantics.kind, (batch, *semantics.extents), accesses, tiles[0], tiles[1:]
        )
        address, valid = addresses[0]
        flat = result.reshape(-1)
        if semantics.kind.accumulates:
            flat += np.bincount(address[valid], weights=tiles[0][valid], minlength=flat.size)
        else:
            flat[address[valid]] = tiles[0][valid]
    return result


def check_mapping(
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    seed: int = 0,
) -> float:
    """Run the mapping on random float64 data and compare with the reference
    semantics; return the largest difference, or raise UnsoundMapping."""
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(-1, 1, op.shape) for op in statement.operands]
    expected = np.array(arrays[0], copy=True)
    evaluate_statement(
        statement.kind,
        statement.extents,
        [op.access for op in statement.operands],
        expected,
        arrays[1:],
    )
    actual = execute_mapping(statement, spec, mapping, arrays)
    error = float(np.max(np.abs(actual - expected))) if actual.size else 0.0
    if not np.allclose(actual, expected, rtol=1e-9, atol=1e-9):
        raise UnsoundMapping(
            f"#isa.mapping<{mapping.format()}> differs from the statement's reference "
            f"semantics by up to {error:.3g}"
        )
    return error
