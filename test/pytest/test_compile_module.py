"""`compile_module`, the Python entry point for map + schedule, gives the program
`isamapper-compile` writes, whether the hardware is a file, an op or already in
the module."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from xdsl.utils.exceptions import PassFailedException

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import parse_module
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.kernel_inputs import random_inputs

from conftest import PROJECT

GEMM = PROJECT / "examples" / "gemm_nn.mlir"
NNP = PROJECT / "hardware" / "nnp.mlir"


def cli_output(tmp_path: Path) -> str:
    out = tmp_path / "cli.mlir"
    command = [str(Path(sys.executable).parent / "isamapper-compile"), str(GEMM)]
    subprocess.run([*command, "--hardware", str(NNP), "-o", str(out)], check=True)
    return out.read_text()


def test_a_file_an_op_and_the_module_s_own_hardware_give_the_cli_s_program(
    tmp_path: Path,
) -> None:
    expected = cli_output(tmp_path)
    from_file = compile_module(parse_module(GEMM), NNP)
    assert str(from_file) + "\n" == expected
    hardware = next(op for op in parse_module(NNP).walk() if isinstance(op, HardwareOp))
    assert str(compile_module(parse_module(GEMM), hardware)) + "\n" == expected
    module = parse_module(GEMM)
    module.body.block.add_op(hardware.clone())
    assert str(compile_module(module)) + "\n" == expected


def test_the_program_computes_the_kernel() -> None:
    module = parse_module(GEMM)
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    inputs = random_inputs(kernel, 0)
    expected = run_kernel(module, kernel, inputs)
    compile_module(module, NNP, strategy="search", budget=50)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    result = run_program(module, program, inputs)
    np.testing.assert_allclose(result.arrays["C"], expected["C"], rtol=1e-4, atol=1e-4)


def test_bad_options_are_the_passes_errors() -> None:
    with pytest.raises(PassFailedException, match="unknown strategy `fastest`"):
        compile_module(parse_module(GEMM), NNP, strategy="fastest")
