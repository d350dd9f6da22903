"""Timing-only fast-forwarding must give the cycles of the full simulation,
also when the last block of a loop is a ragged edge (sizes that the instruction
tiles do not divide) and buffers rotate through up to eight slots."""

import pytest
from xdsl.parser import Parser

from isamapper_dialect.accel import ProgramOp
from isamapper_hardware.accel_model import run_program
from isamapper_passes.map_instructions import MapInstructionsPass
from isamapper_passes.schedule import SchedulePass
from isamapper_tools.gemm_kernel import gemm_text
from isamapper_tools.kernel_inputs import find_kernel, random_inputs
from isamapper_tools.loading import make_context

from conftest import PROJECT


@pytest.mark.parametrize("hardware", ["nnp.mlir", "systolic.mlir"])
@pytest.mark.parametrize(("m", "n", "k"), [(600, 100, 96), (330, 70, 200)])
def test_timing_only_equals_full_run_on_ragged_gemms(hardware: str, m: int, n: int, k: int):
    text = gemm_text(m, n, k, "g")
    context = make_context()
    module = Parser(context, text).parse_module()
    inputs = random_inputs(find_kernel(module, None), 0)
    MapInstructionsPass(hardware_file=str(PROJECT / "hardware" / hardware)).apply(context, module)
    SchedulePass().apply(context, module)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    full = run_program(module, program, inputs, functional=True).stats
    fast = run_program(module, program, inputs, functional=False).stats
    assert fast.cycles == pytest.approx(full.cycles, rel=1e-9)
    assert fast.busy == pytest.approx(full.busy, rel=1e-9)
    assert fast.bytes_moved == pytest.approx(full.bytes_moved, rel=1e-9)
