"""Reference semantics of `isa` statements, vectorised with numpy.

This is the ground truth: every mapping, schedule and lowering is compared
against what `evaluate_statement` computes. Accesses are evaluated as gathers
over the indices each operand uses (strided views for plain projections), and
a multiply-accumulate is one `np.einsum`, so no Python loop runs per element.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
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


def _view_plan(
    access: Access, extents: Sequence[int]
) -> tuple[tuple[slice, ...], tuple[int, ...], tuple[int, ...] | None] | None:
    """How `strided_view` takes its view: (selection, squeezed axes, axis order
    or None if unchanged), or None when basic slicing cannot express the access."""
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
    order = tuple(sorted(range(len(dims)), key=lambda axis: dims[axis]))
    # None for axes already in index order: the model takes millions of views.
    return tuple(selection), tuple(constant_axes), None if order == tuple(sorted(order)) else order


def _take_view(
    array: np.ndarray, plan: tuple[tuple[slice, ...], tuple[int, ...], tuple[int, ...] | None]
) -> np.ndarray:
    selection, constant_axes, order = plan
    view = array[selection]
    if constant_axes:
        view = view.squeeze(axis=constant_axes)
    return view if order is None else view.transpose(order)


def strided_view(array: np.ndarray, access: Access, extents: Sequence[int]) -> np.ndarray | None:
    """`array[access]` as a numpy view (axes in index order), when basic slicing can
    express it: each coordinate is a constant or `c*index + offset` with `c > 0`,
    and no index appears in two coordinates. None otherwise."""
    plan = _view_plan(access, extents)
    return None if plan is None else _take_view(array, plan)


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


def _gatherer(access: Access, extents: Sequence[int]) -> Callable[[np.ndarray], np.ndarray]:
    """`gather` for one access and domain, with its view or index arrays made once."""
    plan = _view_plan(access, extents)
    if plan is not None:
        return lambda array: _take_view(array, plan)
    used = used_indices(access)
    index = _index_arrays(access, used, extents)
    shape = [extents[d] for d in used]
    return lambda array: np.broadcast_to(array[index], shape)


def gather(array: np.ndarray, access: Access, extents: Sequence[int]) -> np.ndarray:
    """`array[access]` over the sub-domain the access uses (axes in index order)."""
    return _gatherer(access, extents)(array)


def _storer(
    access: Access, extents: Sequence[int], accumulate: bool
) -> Callable[[np.ndarray, np.ndarray], None]:
    """Writes (or adds) values over the domain into `output[access]`."""
    plan = _view_plan(access, extents)
    if plan is not None:

        def store_view(output: np.ndarray, values: np.ndarray) -> None:
            view = _take_view(output, plan)
            if accumulate:
                view += values
            else:
                view[...] = values

        return store_view
    index = _index_arrays(access, used_indices(access), extents)

    def store_indexed(output: np.ndarray, values: np.ndarray) -> None:
        if accumulate:
            np.add.at(output, index, values)
        else:
            output[index] = values

    return store_indexed


SMALL_CONTRACTION = 1 << 16
"""Contractions of at most this many products run unplanned (numpy's C loop)."""

Evaluator = Callable[[np.ndarray, Sequence[np.ndarray]], None]
"""`evaluator(output, inputs)` executes a statement in place on `output`."""


@lru_cache(maxsize=4096)
def compile_statement(
    kind: ComputeKind, extents: tuple[int, ...], accesses: tuple[Access, ...]
) -> Evaluator:
    """The evaluator of one statement: everything that depends only on the
    statement (views, index arrays, einsum subscripts) is worked out once.

    `accesses[0]` is the output's access, `accesses[1:]` the inputs'. A `mac`
    adds the products over every index absent from the output, a `sum` the
    input's elements; an assignment writes every output element its domain
    covers once (the verifier ensures it is one-to-one).
    """
    used_out = used_indices(accesses[0])
    full_out = [extents[d] for d in used_out]
    if kind.accumulates:
        gathers = [_gatherer(acc, extents) for acc in accesses[1:]]
        used_in = [list(used_indices(acc)) for acc in accesses[1:]]
        in_dims = set().union(*used_in)
        kept = [d for d in used_out if d in in_dims]
        # An index no operand uses repeats every product `extent` times.
        unused = set(range(len(extents))) - in_dims - set(used_out)
        repeats = prod(extents[d] for d in unused)
        shape = [extents[d] if d in kept else 1 for d in used_out]
        store_sum = _storer(accesses[0], extents, True)
        # Planning a contraction (BLAS for large ones) costs ~40 us a call: worth
        # it for a whole kernel, not for one instruction's tile.
        optimize = prod(extents) > SMALL_CONTRACTION
        reshape = kept != list(used_out)

        def accumulate(output: np.ndarray, inputs: Sequence[np.ndarray]) -> None:
            # `mac`: the products summed; `sum`: the one input summed.
            arguments = [
                part
                for gather, used, x in zip(gathers, used_in, inputs, strict=True)
                for part in (gather(x), used)
            ]
            total = np.einsum(*arguments, kept, optimize=optimize)
            if repeats != 1:
                total = total * total.dtype.type(repeats)
            if reshape:
                total = np.broadcast_to(total.reshape(shape), full_out)
            store_sum(output, total.astype(output.dtype, copy=False))

        return accumulate
    operands = [
        (
            _gatherer(acc, extents),
            [extents[d] if d in used_indices(acc) else 1 for d in range(len(extents))],
        )
        for acc in accesses[1:]
    ]
    binary = BINARY.get(kind)
    unary = None if binary else UNARY[kind]
    store_assign = _storer(accesses[0], extents, False)

    def assign(output: np.ndarray, inputs: Sequence[np.ndarray]) -> None:
        values = [
            gather_x(x).reshape(shape)
            for (gather_x, shape), x in zip(operands, inputs, strict=True)
        ]
        result = binary(values[0], values[1]) if binary else unary(values[0])
        result = np.broadcast_to(result, extents)
        store_assign(output, result.astype(output.dtype, copy=False))

    return assign


def evaluate_statement(
    kind: ComputeKind,
    extents: Sequence[int],
    accesses: Sequence[Access],
    output: np.ndarray,
    inputs: Sequence[np.ndarray],
) -> None:
    """Execute one statement in place on `output` (see `compile_statement`)."""
    compile_statement(kind, tuple(extents), tuple(accesses))(output, inputs)
