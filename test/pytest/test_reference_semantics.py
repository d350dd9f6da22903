"""Reference semantics against numpy written independently in this file.

The examples are checked against explicit slicing / matrix products, and random
affine statements against a plain loop over every domain point.
"""

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.parsing import parse_module
from isamapper_dialect.reference_semantics import evaluate_statement
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_tools.kernel_inputs import find_kernel, random_inputs

from conftest import EXAMPLES


def conv_by_slices(image: np.ndarray, filt: np.ndarray, stride: int, out_hw: int) -> np.ndarray:
    """Sum over filter taps of strided image slices; depthwise when filt is (r, s, c)."""
    total = 0
    span = stride * (out_hw - 1) + 1
    for r in range(filt.shape[0]):
        for s in range(filt.shape[1]):
            window = image[:, r : r + span : stride, s : s + span : stride, :]
            if filt.ndim == 3:
                total = total + window * filt[r, s]
            else:
                total = total + np.tensordot(window, filt[r, s], axes=([3], [0]))
    return total


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def expected_outputs(stem: str, a: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if stem == "gemm_nn":
        return {"C": np.dot(a["A"], a["B"])}
    if stem == "gemm_tn":
        return {"C": np.dot(a["A"].T, a["B"])}
    if stem == "gemm_nt":
        return {"C": np.dot(a["A"], a["B"].T)}
    if stem == "gemv":
        return {"y": np.dot(a["A"], a["x"])}
    if stem == "conv2d_nhwc":
        return {"O": conv_by_slices(a["I"], a["F"], 1, 28)}
    if stem == "depthwise_conv":
        return {"O": conv_by_slices(a["I"], a["F"], 2, 28)}
    if stem == "pointwise_conv":
        return {"O": np.tensordot(a["I"], a["W"], axes=([3], [0]))}
    if stem == "mobilenet_dwsep_block":
        hidden = np.maximum(conv_by_slices(a["I"], a["Fd"], 1, 28), 0)
        return {"O": np.tensordot(hidden, a["Wp"], axes=([3], [0]))}
    if stem == "gru_cell":
        x, h, hid = a["x"], a["h"], a["h"].shape[1]
        gates_x = np.dot(x, a["W"]) + a["bx"]
        gates_h = np.dot(h, a["U"]) + a["bh"]
        r = sigmoid(gates_x[:, :hid] + gates_h[:, :hid])
        z = sigmoid(gates_x[:, hid : 2 * hid] + gates_h[:, hid : 2 * hid])
        n = np.tanh(gates_x[:, 2 * hid :] + r * gates_h[:, 2 * hid :])
        return {"h_next": (1 - z) * n + z * h}
    raise AssertionError(f"no numpy formulation for example {stem}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_numpy(path: Path) -> None:
    module = parse_module(path)
    kernel = find_kernel(module, None)
    inputs = random_inputs(kernel, seed=1)
    results = run_kernel(module, kernel, inputs)
    as64 = {k: v.astype(np.float64) for k, v in inputs.items()}
    for name, value in expected_outputs(path.stem, as64).items():
        assert results[name].dtype == np.float32
        np.testing.assert_allclose(results[name], value, rtol=1e-4, atol=1e-5)
    # Inputs are not modified by the run.
    for name, value in inputs.items():
        if name not in expected_outputs(path.stem, as64):
            np.testing.assert_array_equal(results[name], value)


def test_every_example_is_checked() -> None:
    assert {p.stem for p in EXAMPLES} == {
        "gemm_nn",
        "gemm_tn",
        "gemm_nt",
        "gemv",
        "conv2d_nhwc",
        "depthwise_conv",
        "pointwise_conv",
        "mobilenet_dwsep_block",
        "gru_cell",
    }


# ---- random statements against a loop over every domain point ----------------

SCALAR = {
    ComputeKind.COPY: lambda x: x,
    ComputeKind.SIGMOID: lambda x: 1 / (1 + np.exp(-x)),
    ComputeKind.TANH: np.tanh,
    ComputeKind.EXP: np.exp,
    ComputeKind.RELU: lambda x: max(x, 0.0),
    ComputeKind.NEG: lambda x: -x,
    ComputeKind.ADD: lambda x, y: x + y,
    ComputeKind.SUB: lambda x, y: x - y,
    ComputeKind.MUL: lambda x, y: x * y,
}


def loop_evaluate(kind, extents, accesses, output, inputs) -> None:
    def address(access, point):
        return tuple(
            row.offset + sum(c * p for c, p in zip(row.coefficients, point, strict=True))
            for row in access
        )

    for point in itertools.product(*(range(e) for e in extents)):
        values = [x[address(a, point)] for x, a in zip(inputs, accesses[1:], strict=True)]
        target = address(accesses[0], point)
        if kind is ComputeKind.MAC:
            output[target] += values[0] * values[1]
        elif kind is ComputeKind.SUM:
            output[target] += values[0]
        else:
            output[target] = SCALAR[kind](*values)


@st.composite
def in_bounds_operand(draw, extents, rank=None):
    """An access with random coefficients and the smallest shape (plus slack) holding it."""
    rank = rank if rank is not None else draw(st.integers(1, 3))
    rows, shape = [], []
    for _ in range(rank):
        coefficients = tuple(draw(st.integers(-2, 2)) for _ in extents)
        low, high = AccessRow(coefficients, 0).value_range(extents)
        offset = -low + draw(st.integers(0, 2))
        rows.append(AccessRow(coefficients, offset))
        shape.append(high - low + 1 + offset + low + draw(st.integers(0, 1)))
    return tuple(rows), tuple(shape)


@st.composite
def injective_output(draw, extents):
    """Each index in its own coordinate (permuted), with a stride and an offset."""
    order = draw(st.permutations(range(len(extents))))
    rows, shape = [], []
    for d in order:
        coefficients = [0] * len(extents)
        coefficients[d] = draw(st.integers(1, 2))
        offset = draw(st.integers(0, 2))
        rows.append(AccessRow(tuple(coefficients), offset))
        shape.append(offset + coefficients[d] * (extents[d] - 1) + 1)
    return tuple(rows), tuple(shape)


@st.composite
def statements(draw):
    extents = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    kind = draw(st.sampled_from(list(ComputeKind)))
    if kind.accumulates:
        out = draw(in_bounds_operand(extents))
    else:
        out = draw(injective_output(extents))
    ins = [draw(in_bounds_operand(extents)) for _ in range(kind.arity)]
    return kind, extents, [out, *ins]


@settings(max_examples=300, deadline=None)
@given(statements(), st.integers(0, 2**32 - 1))
def test_random_statement_matches_loops(statement, seed) -> None:
    kind, extents, operands = statement
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(-1, 1, shape) for _, shape in operands]
    accesses = [access for access, _ in operands]
    expected = arrays[0].copy()
    loop_evaluate(kind, extents, accesses, expected, arrays[1:])
    actual = arrays[0].copy()
    evaluate_statement(kind, extents, accesses, actual, arrays[1:])
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)
