"""The reduction split across vector lanes (passes/scheduling/split_reduction.py):
the rewritten kernel, which index is split, which hardware offers it, and that
the split kernel computes what the original does (reference semantics)."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import parse_text
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_passes.scheduling.split_reduction import (
    reduction_lanes,
    split_choice,
    split_kernel,
)
from isamapper_tools.kernel_inputs import random_inputs

from conftest import PROJECT


def _hardware(name: str) -> HardwareOp:
    module = parse_text((PROJECT / "hardware" / name).read_text(), name)
    return next(o for o in module.walk() if isinstance(o, HardwareOp))


def _kernel(text: str) -> tuple[ModuleOp, KernelOp]:
    module = parse_text(text, "kernel.mlir")
    return module, next(o for o in module.walk() if isinstance(o, KernelOp))


GEMV = """
isa.kernel @gemv(%A : memref<8x64xf32>, %x : memref<64xf32>, %y : memref<8xf32>) {
  isa.compute %y[i] += %A[i, k] * %x[k] for i < 8, k < 64
}
"""

CONV = """
isa.kernel @conv(%I : memref<6x6x32xf32>, %F : memref<3x3x32x4xf32>, %O : memref<4x4x4xf32>) {
  isa.compute %O[h, w, f] += %I[h + r, w + s, c] * %F[r, s, c, f]
    for h < 4, w < 4, f < 4, r < 3, s < 3, c < 32
}
"""


def test_the_cpu_descriptions_sum_their_vector_width_and_the_accelerators_nothing() -> None:
    assert reduction_lanes(_hardware("cpu_avx512.mlir")) == (16,)
    assert reduction_lanes(_hardware("cpu_avx2.mlir")) == (8,)
    assert reduction_lanes(_hardware("nnp.mlir")) == ()


def test_a_gemv_is_split_into_partial_sums_and_their_sum() -> None:
    _, kernel = _kernel(GEMV)
    split = split_kernel(kernel, _hardware("cpu_avx512.mlir"))
    assert split is not None
    assert [str(op) for op in split.body.block.ops] == [
        "%y_lanes = isa.buffer : memref<8x16xf32>",
        "isa.compute %y_lanes[i, k_lane] += %A[i, 16*k_block + k_lane] * %x[16*k_block + k_lane]"
        " for i < 8, k_block < 4, k_lane < 16",
        "isa.compute %y[i] += %y_lanes[i, k_lane] for i < 8, k_lane < 16",
    ]
    # The original is left alone.
    assert len(kernel.statements) == 1


def test_the_split_index_is_the_one_the_inputs_address_most_densely() -> None:
    # c (stride 1 in I, 4 in F) rather than s (32 and 128) or r; 32 divides by 16.
    _, kernel = _kernel(CONV)
    (statement,) = kernel.statements
    assert split_choice(statement, (16,)) == (5, 16)
    # No reduction bound divisible by 64 more than once: no split.
    assert split_choice(statement, (64,)) is None


# Output addresses that several points share (r + s), and offsets and strides.
OVERLAP = """
isa.kernel @overlap(%A : memref<3x3x32xf32>, %x : memref<32xf32>, %O : memref<5xf32>) {
  isa.compute %O[r + s] += %A[r, s, c] * %x[c] for r < 3, s < 3, c < 32
}
"""

STRIDED = """
isa.kernel @strided(%A : memref<8x80xf32>, %x : memref<48xf32>, %y : memref<20xf32>) {
  isa.compute %y[2*i + 3] += %A[i, 2*k + 1] * %x[k + 5] for i < 8, k < 32
}
"""


def test_the_split_kernel_computes_what_the_original_does() -> None:
    for text in (GEMV, CONV, OVERLAP, STRIDED):
        module, kernel = _kernel(text)
        split = split_kernel(kernel, _hardware("cpu_avx2.mlir"))
        assert split is not None
        # A name of its own: the interpreter calls kernels by name.
        split.sym_name = StringAttr(f"{kernel.sym_name.data}_split")
        module.body.block.add_op(split)
        inputs = random_inputs(kernel, seed=2)
        expected = run_kernel(module, kernel, inputs)
        actual = run_kernel(module, split, inputs)
        for name, value in expected.items():
            np.testing.assert_allclose(actual[name], value, rtol=1e-5, atol=1e-5)


def test_the_partial_sums_are_indexed_by_the_outputs_indices() -> None:
    _, kernel = _kernel(OVERLAP)
    split = split_kernel(kernel, _hardware("cpu_avx2.mlir"))
    assert split is not None
    assert [str(op) for op in split.body.block.ops] == [
        "%O_lanes = isa.buffer : memref<3x3x8xf32>",
        "isa.compute %O_lanes[r, s, c_lane] += %A[r, s, 8*c_block + c_lane]"
        " * %x[8*c_block + c_lane] for r < 3, s < 3, c_block < 4, c_lane < 8",
        "isa.compute %O[r + s] += %O_lanes[r, s, c_lane] for r < 3, s < 3, c_lane < 8",
    ]


def test_only_the_chosen_statements_are_split_and_names_stay_unique() -> None:
    _, kernel = _kernel(
        """
isa.kernel @two(%A : memref<8x64xf32>, %x : memref<64xf32>, %y : memref<8xf32>) {
  isa.compute %y[i] += %A[i, k] * %x[k] for i < 8, k < 64
  isa.compute %y[i] += %A[i, k] * %A[i, k] for i < 8, k < 64
}
"""
    )
    hardware = _hardware("cpu_avx512.mlir")
    one = split_kernel(kernel, hardware, {1})
    assert one is not None
    assert [s.compute_kind.value for s in one.statements] == ["mac", "mac", "sum"]
    both = split_kernel(kernel, hardware)
    assert both is not None
    buffers = [op for op in both.body.block.ops if not op.name == "isa.compute"]
    assert [b.result.name_hint for b in buffers] == ["y_lanes", "y_lanes_"]


def test_an_assignment_is_not_split() -> None:
    _, kernel = _kernel(
        """
isa.kernel @copy(%X : memref<64xf32>, %Y : memref<64xf32>) {
  isa.compute %Y[i] = %X[i] for i < 64
}
"""
    )
    assert split_kernel(kernel, _hardware("cpu_avx512.mlir")) is None
