"""Reference semantics of `isa` statements, vectorised with numpy.

This is the ground truth: every mapping, schedule and lowering is compared
against what `evaluate_statement` computes. Accesses are evaluated as gathers
over the indices each operand uses (strided views for plain projections), and
a multiply-accumulate is one `np.einsum`, so no Python loop runs per element.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod

import numpy as np

from isamapper_dialect.affine_access import Access
from isamapper_dialect.compute_kind import ComputeKind


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


def _exp(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.exp(x)


UNARY: dict[ComputeKind, Callable[[np.ndarray], np.ndarray]] = {
    ComputeKind.COPY: lambda x: x,
    ComputeKind.SIGMOID: _sigmoid,
    ComputeKind.TANH: np.tanh,
    ComputeKind.EXP: _exp,
    ComputeKind.RELU: lambda x: np.maximum(x, x.dtype.type(0)),
    ComputeKind.NEG: np.negative,
}

BINARY: dict[ComputeKind, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ComputeKind.ADD: np.add,
    ComputeKind.SUB: np.subtract,
    ComputeKind.MUL: np.multiply,
}


def used_indices(access: Access) -> tuple[int, ...]:
    """Sorted positions of the domain indices an access depends on."""
    return tuple(sorted({d for row in access for d in row.used()}))


def strided_view(array: np.ndarray, access: Access, extents: Sequence[int]) -> np.ndarray | None:
    """`array[access]` as a numpy view (axes in index order), when basic slicing can
    express it: each coordinate is a constant or `c*index + offset` with `c > 0`,
    and no index appears in two coordinates. None otherwise."""
    selection: list[slice] = []
    dims: list[int] = []
    constant_axes: list[int] = []
    for axis, row in enumerate(access):
        used = row.used()
        if not used:
            # A length-1 slice squeezed away: integer indexing would copy a scalar.
            selection.append(slice(row.offset, row.offset + 1))
            constant_axes.append(axis)
            continue
        if len(used) != 1 or used[0] in dims or row.coefficients[used[0]] <= 0:
            return None
        (d,) = used
        step = row.coefficients[d]
        selection.append(slice(row.offset, row.offset + step * (extents[d] - 1) + 1, step))
        dims.append(d)
    view = np.squeeze(array[tuple(selection)], axis=tuple(constant_axes))
    return view.transpose(sorted(range(len(dims)), key=lambda axis: dims[axis]))


def _index_arrays(
    access: Access, used: tuple[int, ...], extents: Sequence[int]
) -> tuple[np.ndarray | int, ...]:
    """Integer index arrays over the `used` sub-domain, one per access row."""
    grids = {
        d: np.arange(extents[d]).reshape([extents[d] if u == d else 1 for u in used]) for d in used
    }
    arrays: list[np.ndarray | int] = []
    for row in access:
        value: np.ndarray | int = row.offset
        for d in row.used():
            value = value + row.coefficients[d] * grids[d]
        arrays.append(value)
    return tuple(arrays)


def gather(array: np.ndarray, access: Access, extents: Sequence[int]) -> np.ndarray:
    """`array[access]` over the sub-domain the access uses (axes in index order)."""
    view = strided_view(array, access, extents)
    if view is not None:
        return view
    used = used_indices(access)
    gathered = array[_index_arrays(access, used, extents)]
    return np.broadcast_to(gathered, [extents[d] for d in used])


def _broadcast_to_domain(
    values: np.ndarray, used: tuple[int, ...], extents: Sequence[int]
) -> np.ndarray:
    shape = [extents[d] if d in used else 1 for d in range(len(extents))]
    return values.reshape(shape)


def _store(
    output: np.ndarray,
    access: Access,
    extents: Sequence[int],
    values: np.ndarray,
    accumulate: bool,
) -> None:
    view = strided_view(output, access, extents)
    if view is not None:
        if accumulate:
            view += values
        else:
            view[...] = values
        return
    index = _index_arrays(access, used_indices(access), extents)
    if accumulate:
        np.add.at(output, index, values)
    else:
        output[index] = values


def evaluate_statement(
    kind: ComputeKind,
    extents: Sequence[int],
    accesses: Sequence[Access],
    output: np.ndarray,
    inputs: Sequence[np.ndarray],
) -> None:
    """Execute one statement in place on `output`.

    `accesses[0]` is the output's access, `accesses[1:]` the inputs'. A `mac`
    adds the products over every index absent from the output; an assignment
    writes every output element its domain covers once (the verifier ensures
    it is one-to-one).
    """
    extents = tuple(extents)
    used_out = used_indices(accesses[0])
    if kind is ComputeKind.MAC:
        a, b = (gather(x, acc, extents) for x, acc in zip(inputs, accesses[1:], strict=True))
        used_a, used_b = used_indices(accesses[1]), used_indices(accesses[2])
        in_dims = set(used_a) | set(used_b)
        kept = [d for d in used_out if d in in_dims]
        product = np.einsum(a, list(used_a), b, list(used_b), kept, optimize=True)
        # An index no operand uses repeats every product `extent` times.
        unused = set(range(len(extents))) - in_dims - set(used_out)
        repeats = prod(extents[d] for d in unused)
        if repeats != 1:
            product = product * product.dtype.type(repeats)
        shape = [extents[d] if d in kept else 1 for d in used_out]
        product = np.broadcast_to(product.reshape(shape), [extents[d] for d in used_out])
        _store(output, accesses[0], extents, product.astype(output.dtype), True)
        return
    operands = [
        _broadcast_to_domain(gather(x, acc, extents), used_indices(acc), extents)
        for x, acc in zip(inputs, accesses[1:], strict=True)
    ]
    if kind in BINARY:
        result = BINARY[kind](operands[0], operands[1])
    else:
        result = UNARY[kind](operands[0])
    result = np.broadcast_to(result, extents)
    _store(output, accesses[0], extents, result.astype(output.dtype), False)
