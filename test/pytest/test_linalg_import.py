"""convert-linalg-to-isa: every imported kernel of the lit tests computes what its linalg
function computes (numpy formulation, all arguments random and non-zero beforehand),
on the reference semantics and, mapped and scheduled on the NNP-like target, on the
accelerator model; every diagnostic comes out of isamapper-opt located, with status 1."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import MemRefType, ModuleOp

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_hardware.model.isa_interpreter import numpy_dtype, run_kernel
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_passes.interop.linalg_import import ConvertLinalgToIsaPass

from conftest import PROJECT

TESTS = PROJECT / "test" / "filecheck" / "passes" / "convert-linalg-to-isa"
IMPORT_FILES = (
    "matmul.mlir",
    "conv.mlir",
    "depthwise.mlir",
    "elementwise.mlir",
    "named_elementwise.mlir",
    "fill.mlir",
    "memref_copy.mlir",
    "in_place.mlir",
    "dwsep.mlir",
    "pipeline.mlir",
)
DIAGNOSTIC_FILES = ("unsupported_ops.mlir", "unsupported_bodies.mlir")
ISAMAPPER_OPT = Path(sys.executable).parent / "isamapper-opt"

Arrays = dict[str, np.ndarray]


# ---- numpy formulations of the linalg ops -----------------------------------------


def _windows(
    image: np.ndarray,
    out_hw: tuple[int, int],
    r: int,
    s: int,
    strides: tuple[int, int],
    dilations: tuple[int, int],
) -> np.ndarray:
    """`image[n, h*sh + r*dh, w*sw + s*dw, c]` over the output's h, w."""
    (sh, sw), (dh, dw) = strides, dilations
    height, width = out_hw
    return image[
        :,
        r * dh : r * dh + sh * (height - 1) + 1 : sh,
        s * dw : s * dw + sw * (width - 1) + 1 : sw,
        :,
    ]


def conv_nhwc_hwcf(
    image: np.ndarray, filters: np.ndarray, out: np.ndarray, strides=(1, 1), dilations=(1, 1)
) -> np.ndarray:
    """`out` plus linalg.conv_2d_nhwc_hwcf of `image` and `filters`."""
    result = out.astype(np.float64)
    for r in range(filters.shape[0]):
        for s in range(filters.shape[1]):
            patch = _windows(image, out.shape[1:3], r, s, strides, dilations)
            result += np.einsum("nhwc,cf->nhwf", patch, filters[r, s])
    return result


def depthwise_nhwc_hwc(
    image: np.ndarray, filters: np.ndarray, out: np.ndarray, strides=(1, 1), dilations=(1, 1)
) -> np.ndarray:
    """`out` plus linalg.depthwise_conv_2d_nhwc_hwc of `image` and `filters`."""
    result = out.astype(np.float64)
    for r in range(filters.shape[0]):
        for s in range(filters.shape[1]):
            result += _windows(image, out.shape[1:3], r, s, strides, dilations) * filters[r, s]
    return result


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def pointwise(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The 1x1 convolution `O[n, h, w, k] = sum_c x[n, h, w, c] * W[c, k]`."""
    return np.einsum("nhwc,ck->nhwk", x, weights)


def _fill_twice(x: Arrays) -> Arrays:
    d = x["A"] @ x["B"]
    return {"D": d, "C": d @ x["B"]}


# For each (file, kernel): the final value of every argument the function writes,
# from the initial values of all arguments. Arguments not listed must be unchanged.
EXPECTED: dict[tuple[str, str], Callable[[Arrays], Arrays]] = {
    ("matmul.mlir", "matmul"): lambda x: {"C": x["C"] + x["A"] @ x["B"]},
    ("matmul.mlir", "matmul_transpose_a"): lambda x: {"C": x["C"] + x["A"].T @ x["B"]},
    ("matmul.mlir", "matmul_transpose_b"): lambda x: {"C": x["C"] + x["A"] @ x["B"].T},
    ("matmul.mlir", "matmul_i32"): lambda x: {"C": x["C"] + x["A"] @ x["B"]},
    ("conv.mlir", "conv_stride2_dilation2"): lambda x: {
        "O": conv_nhwc_hwcf(x["I"], x["F"], x["O"], (2, 2), (2, 2))
    },
    ("conv.mlir", "conv_mixed"): lambda x: {
        "O": conv_nhwc_hwcf(x["I"], x["F"], x["O"], (3, 1), (1, 2))
    },
    ("conv.mlir", "conv_default"): lambda x: {"O": conv_nhwc_hwcf(x["I"], x["F"], x["O"])},
    ("depthwise.mlir", "depthwise"): lambda x: {"O": depthwise_nhwc_hwc(x["I"], x["F"], x["O"])},
    ("depthwise.mlir", "depthwise_stride2"): lambda x: {
        "O": depthwise_nhwc_hwc(x["I"], x["F"], x["O"], (2, 2))
    },
    ("depthwise.mlir", "depthwise_dilated"): lambda x: {
        "O": depthwise_nhwc_hwc(x["I"], x["F"], x["O"], (1, 1), (2, 3))
    },
    ("elementwise.mlir", "bias_add"): lambda x: {"Y": x["X"] + x["b"]},
    ("elementwise.mlir", "sub_swapped"): lambda x: {"Y": x["Z"] - x["X"]},
    ("elementwise.mlir", "mul"): lambda x: {"Y": x["X"] * x["Z"].T},
    ("elementwise.mlir", "tanh"): lambda x: {"Y": np.tanh(x["X"])},
    ("elementwise.mlir", "exp"): lambda x: {"Y": np.exp(x["X"])},
    ("elementwise.mlir", "neg"): lambda x: {"Y": -x["X"]},
    ("elementwise.mlir", "relu"): lambda x: {"Y": relu(x["X"])},
    ("elementwise.mlir", "relu_maxnumf"): lambda x: {"Y": relu(x["X"])},
    ("elementwise.mlir", "sigmoid"): lambda x: {"Y": sigmoid(x["X"])},
    ("elementwise.mlir", "sigmoid_swapped"): lambda x: {"Y": sigmoid(x["X"])},
    ("elementwise.mlir", "copy"): lambda x: {"Y": x["X"].T},
    ("named_elementwise.mlir", "named_add"): lambda x: {"Y": x["X"] + x["Z"]},
    ("named_elementwise.mlir", "named_sub"): lambda x: {"Y": x["X"] - x["Z"]},
    ("named_elementwise.mlir", "named_mul"): lambda x: {"Y": x["X"] * x["Z"]},
    ("named_elementwise.mlir", "named_exp"): lambda x: {"Y": np.exp(x["X"])},
    ("named_elementwise.mlir", "named_copy"): lambda x: {"Y": x["X"]},
    ("named_elementwise.mlir", "named_transpose"): lambda x: {"Y": np.transpose(x["X"], (2, 0, 1))},
    ("fill.mlir", "fill_fresh_alloc"): lambda x: {"C": x["A"] @ x["B"]},
    # The argument holds non-zero values before the call and ends with exactly A @ B.
    ("fill.mlir", "fill_argument"): lambda x: {"C": x["A"] @ x["B"]},
    ("fill.mlir", "fill_then_assign"): lambda x: {"Y": relu(x["X"])},
    ("fill.mlir", "fill_written_alloc"): lambda x: {"C": x["A"] @ x["B"], "D": x["B"] @ x["A"]},
    ("fill.mlir", "fill_twice"): _fill_twice,
    ("fill.mlir", "fill_only"): lambda x: {"Y": x["X"], "Z": np.zeros_like(x["Z"])},
    ("fill.mlir", "fill_dead"): lambda x: {"Y": x["X"]},
    ("memref_copy.mlir", "staged"): lambda x: {"Y": np.exp(x["X"]) + x["X"]},
    ("memref_copy.mlir", "self_copy"): lambda x: {"Y": x["X"]},
    ("in_place.mlir", "add_in_place"): lambda x: {"X": x["X"] + x["Z"]},
    ("in_place.mlir", "relu_in_place"): lambda x: {"Y": x["Y"] + relu(x["X"]) @ x["W"]},
    # The output is zeroed by a fill first: O ends as exactly the block's result.
    ("dwsep.mlir", "dwsep_block"): lambda x: {
        "O": pointwise(
            relu(depthwise_nhwc_hwc(x["I"], x["Fd"], np.zeros((1, 28, 28, 32)))), x["Wp"]
        )
    },
    ("pipeline.mlir", "matmul"): lambda x: {"C": x["A"] @ x["B"]},
    ("pipeline.mlir", "conv"): lambda x: {
        "O": conv_nhwc_hwcf(x["I"], x["F"], x["O"], (2, 2), (2, 2))
    },
    # No fill here: the pointwise convolution adds into what O holds.
    ("pipeline.mlir", "dwsep_block"): lambda x: {
        "O": x["O"]
        + pointwise(relu(depthwise_nhwc_hwc(x["I"], x["Fd"], np.zeros((1, 14, 14, 32)))), x["Wp"])
    },
}


# ---- importing ------------------------------------------------------------------


@cache
def imported(file: str) -> dict[str, KernelOp]:
    """The kernels convert-linalg-to-isa makes of a test file, by name."""
    module = parse_module(TESTS / file)
    ConvertLinalgToIsaPass().apply(make_context(), module)
    module.verify()
    return {op.sym_name.data: op for op in module.walk() if isinstance(op, KernelOp)}


def random_arguments(kernel: KernelOp, seed: int) -> Arrays:
    """Every argument random and non-zero-mean, outputs included (so that a missing
    fill, or a missing accumulation, shows)."""
    rng = np.random.default_rng(seed)
    arrays: Arrays = {}
    for argument in kernel.arguments:
        memref = argument.type
        assert isinstance(memref, MemRefType)
        shape, dtype = memref.get_shape(), numpy_dtype(memref.element_type)
        if np.issubdtype(dtype, np.integer):
            arrays[argument.name_hint or ""] = rng.integers(-8, 8, shape).astype(dtype)
        else:
            arrays[argument.name_hint or ""] = rng.uniform(-1, 1, shape).astype(dtype)
    return arrays


def expected_arguments(file: str, name: str, before: Mapping[str, np.ndarray]) -> Arrays:
    inputs = {k: v.astype(np.float64) if v.dtype.kind == "f" else v for k, v in before.items()}
    written = EXPECTED[(file, name)](inputs)
    return {k: written.get(k, v) for k, v in before.items()}


def assert_arguments(actual: Mapping[str, np.ndarray], expected: Mapping[str, np.ndarray]) -> None:
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        if actual[key].dtype.kind == "i":
            np.testing.assert_array_equal(actual[key], value, err_msg=key)
        else:
            np.testing.assert_allclose(actual[key], value, rtol=1e-5, atol=1e-5, err_msg=key)


CASES = [(file, name) for file in IMPORT_FILES for name in imported(file)]


def test_every_imported_kernel_has_a_formulation() -> None:
    assert sorted(CASES) == sorted(EXPECTED)


@pytest.mark.parametrize(("file", "name"), CASES, ids=[f"{f[:-5]}-{n}" for f, n in CASES])
def test_reference_semantics_match_numpy(file: str, name: str) -> None:
    kernel = imported(file)[name]
    module = kernel.parent_op()
    assert isinstance(module, ModuleOp)
    before = random_arguments(kernel, 0)
    after = run_kernel(module, kernel, before)
    assert_arguments(after, expected_arguments(file, name, before))


def _element_types(kernel: KernelOp) -> set[str]:
    return {str(a.type.element_type) for a in kernel.arguments}  # pyright: ignore


MODEL_CASES = [(f, n) for f, n in CASES if _element_types(imported(f)[n]) == {"f32"}]
"""The f32 kernels (the NNP-like target has f32 instructions only)."""


@pytest.mark.parametrize(
    ("file", "name"), MODEL_CASES, ids=[f"{f[:-5]}-{n}" for f, n in MODEL_CASES]
)
def test_maps_schedules_and_runs_on_nnp(file: str, name: str) -> None:
    module = ModuleOp([imported(file)[name].clone()])
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    before = random_arguments(kernel, 1)
    compile_module(module, PROJECT / "hardware" / "nnp.mlir")
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    result = run_program(module, program, before)
    assert_arguments(result.arrays, expected_arguments(file, name, before))


def test_integer_kernels_do_not_map_on_nnp() -> None:
    """Why MODEL_CASES leaves some kernels out: only these, all integer."""
    left_out = sorted(set(CASES) - set(MODEL_CASES))
    assert left_out == [("fill.mlir", "fill_written_alloc"), ("matmul.mlir", "matmul_i32")]


# ---- diagnostics --------------------------------------------------------------

_LOCATED = re.compile(
    r"isamapper-opt: (?P<file>.+):(?P<line>\d+):(?P<column>\d+): error: (?P<rest>.*)"
)


def _chunks(file: str) -> list[str]:
    return (TESTS / file).read_text().split("\n// -----\n")


DIAGNOSTIC_CASES = [(file, i) for file in DIAGNOSTIC_FILES for i in range(len(_chunks(file)))]


@pytest.mark.parametrize(
    ("file", "index"), DIAGNOSTIC_CASES, ids=[f"{f[:-5]}-{i}" for f, i in DIAGNOSTIC_CASES]
)
def test_diagnostic_is_located(file: str, index: int, tmp_path: Path) -> None:
    """isamapper-opt on one chunk alone: status 1, no traceback, one located message
    pointing at the failing operation (or function), its source line and a caret."""
    chunk = _chunks(file)[index]
    path = tmp_path / "case.mlir"
    path.write_text(chunk)
    result = subprocess.run(
        [str(ISAMAPPER_OPT), str(path), "-p", "convert-linalg-to-isa"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.rstrip("\n").split("\n")
    assert len(lines) == 3, result.stderr
    located = _LOCATED.fullmatch(lines[0])
    assert located is not None, lines[0]
    assert located["file"] == str(path)
    assert located["rest"].startswith("convert-linalg-to-isa: ")
    source_line = chunk.split("\n")[int(located["line"]) - 1]
    assert lines[1] == f"  {source_line}"
    column = int(located["column"])
    assert lines[2] == "  " + " " * (column - 1) + "^"
    assert re.match(r"(%\w+ = )?[a-z_]+\.[a-z_0-9]+", source_line[column - 1 :])
