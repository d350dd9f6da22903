"""`convert-accel-to-mlir`: exported programs, lowered by the real mlir-opt and run
by mlir-runner, print the numbers of the accelerator model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import MemRefType, ModuleOp, i32

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_passes.interop.accel_export import ConvertAccelToMlirPass
from isamapper_passes.interop.export_emitter import ExportError
from isamapper_passes.interop.export_harness import harness, pattern_values, print_values
from isamapper_passes.interop.upstream_lowering import LOWER_TO_LLVM
from isamapper_tools.kernel_inputs import argument_names, pattern_inputs, written_arguments

from conftest import EXAMPLES, PROJECT
from mlir_tools import needs_mlir, run_upstream


def _compile(path: Path, hardware: str | Path, **options) -> ModuleOp:
    module = parse_module(path)
    return compile_module(module, PROJECT / "hardware" / hardware, **options)


def _mlir_runner_values(module: ModuleOp) -> np.ndarray:
    ConvertAccelToMlirPass(harness=True).apply(make_context(), module)
    module.verify()
    return run_upstream(str(module), LOWER_TO_LLVM)


# Every example on nnp; on the other two targets the ones that use most kinds of
# instruction (vector and scalar units, transcendental functions).
CASES = [(example, "nnp.mlir") for example in EXAMPLES] + [
    (example, hardware)
    for hardware in ("systolic.mlir", "cpu_avx2.mlir")
    for example in EXAMPLES
    if example.stem in ("gemm_tn", "gru_cell", "mobilenet_dwsep_block")
]
# Targets unlike the shipped ones: outputs written in place by executions on a
# one-memory machine, instructions reading the main memory, quoted names, and
# a 1-D DMA with padded on-chip intermediates.
TARGETS = PROJECT / "test" / "targets"
CASES += [
    (TARGETS / kernel, TARGETS / hardware)
    for kernel, hardware in (
        ("vadd64.mlir", "mcu_one_memory.mlir"),
        ("vadd4096.mlir", "dsp_in_place.mlir"),
        ("gemm_20x12x16.mlir", "quoted_names.mlir"),
        ("chain_3x70.mlir", "dsp_1d.mlir"),
        ("lstm_h45.mlir", "dsp_1d.mlir"),
    )
]


@needs_mlir
@pytest.mark.parametrize(
    ("example", "hardware"),
    CASES,
    ids=[f"{e.stem}-{Path(h).stem}" for e, h in CASES],
)
def test_exported_program_prints_the_model_values(example: Path, hardware: str | Path) -> None:
    module = _compile(example, hardware)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    inputs = pattern_inputs(program)
    model = run_program(module, program, inputs).arrays
    written = written_arguments(program)
    expected = np.concatenate(
        [model[n].reshape(-1) for n in argument_names(program) if n in written]
    )
    # What --print-values prints, parsed back: %g keeps 6 significant digits.
    expected = np.array([float(v) for v in print_values([expected]).split()])
    reference = next(op for op in module.walk() if isinstance(op, KernelOp))
    exact = all(s.compute_kind.exact_on_integers for s in reference.statements)
    actual = _mlir_runner_values(module)
    assert actual.shape == expected.shape
    if exact:
        # Sums of products of the harness's small integers are exact: equal text.
        np.testing.assert_array_equal(actual, expected)
    else:
        # libm and numpy round sigmoid, tanh and exp differently (seen: up to 8.3e-6
        # relative in the 6th printed digit).
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
    assert len(np.unique(expected)) > 1


def test_pattern_inputs_differ_between_rows_and_arguments() -> None:
    first = pattern_values((50, 70), 0, np.dtype(np.float32))
    second = pattern_values((50, 70), 1, np.dtype(np.float32))
    assert set(np.unique(first)) == {-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0}
    assert len({tuple(row) for row in first}) == 50
    assert not np.array_equal(first, second)


def test_print_values_matches_printf_g() -> None:
    text = print_values([np.array([[1.0, -0.0], [0.5, 1234567.0]], np.float32)])
    assert text == "1\n-0\n0.5\n1.23457e+06\n"


def test_harness_prints_f32_only() -> None:
    with pytest.raises(
        ExportError, match=r"the harness prints f32 arguments only, not memref<4xi32> \(@p\)"
    ):
        harness("p", [MemRefType(i32, [4])], [True])
