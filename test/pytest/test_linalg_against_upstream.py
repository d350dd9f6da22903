"""The whole flow against upstream MLIR's own execution: each linalg function of the
import tests, run by mlir-runner after upstream's `convert-linalg-to-loops`, prints
the same numbers as the same function imported (convert-linalg-to-isa), mapped and
scheduled on nnp, exported (convert-accel-to-mlir) and run by mlir-runner."""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import Float32Type, MemRefType, ModuleOp

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_passes.compile_module import compile_module
from isamapper_passes.interop.accel_export import ConvertAccelToMlirPass
from isamapper_passes.interop.export_harness import harness
from isamapper_passes.interop.linalg_import import ConvertLinalgToIsaPass
from isamapper_passes.interop.upstream_lowering import LOWER_TO_LLVM
from isamapper_tools.kernel_inputs import argument_names, written_arguments

from conftest import PROJECT
from mlir_tools import needs_mlir, run_upstream

TESTS = PROJECT / "test" / "filecheck" / "passes" / "convert-linalg-to-isa"
FILES = (
    "matmul.mlir",
    "conv.mlir",
    "depthwise.mlir",
    "elementwise.mlir",
    "fill.mlir",
    "dwsep.mlir",
)


def _functions() -> list[tuple[str, str]]:
    cases = []
    for name in FILES:
        module = parse_module(TESTS / name)
        for op in module.body.block.ops:
            if not isinstance(op, func.FuncOp):
                continue
            types = op.function_type.inputs.data
            if all(
                isinstance(t, MemRefType) and isinstance(t.element_type, Float32Type) for t in types
            ):
                cases.append((name, op.sym_name.data))
    return cases


CASES = _functions()


def _single(file: str, function: str) -> ModuleOp:
    module = parse_module(TESTS / file)
    for op in list(module.body.block.ops):
        if not (isinstance(op, func.FuncOp) and op.sym_name.data == function):
            op.detach()
            op.erase()
    return module


@needs_mlir
@pytest.mark.parametrize(("file", "function"), CASES, ids=[f"{f[:-5]}-{n}" for f, n in CASES])
def test_flow_prints_what_upstream_computes(file: str, function: str) -> None:
    context = make_context()
    ours = _single(file, function)
    ConvertLinalgToIsaPass().apply(context, ours)
    compile_module(ours, PROJECT / "hardware" / "nnp.mlir", context=context)
    program = next(op for op in ours.walk() if isinstance(op, ProgramOp))
    written = written_arguments(program)
    flags = [name in written for name in argument_names(program)]
    ConvertAccelToMlirPass(harness=True).apply(context, ours)
    ours.verify()
    actual = run_upstream(str(ours), LOWER_TO_LLVM)

    upstream = _single(file, function)
    target = next(op for op in upstream.body.block.ops if isinstance(op, func.FuncOp))
    for op in harness(function, list(target.function_type.inputs.data), flags):
        upstream.body.block.add_op(op)
    expected = run_upstream(
        str(upstream), ["--convert-linalg-to-loops", "--lower-affine", *LOWER_TO_LLVM]
    )

    assert actual.shape == expected.shape and actual.size > 0
    np.testing.assert_allclose(actual, expected, rtol=2e-6, atol=1e-6)
