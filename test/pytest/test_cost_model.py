"""The analytic cost model against the simulated cycles of the programs it chose.

The target is agreement within 15%. It holds for the GEMMs on the
accelerators, the pointwise convolution on them and the GRU cell on the
systolic target. On the AVX2 core the cost model follows the core (renamed
registers, the core's own copy loops; cost_model.py) while the timing model
still charges a scratchpad's slot waits and stalls, so the estimate is 0.52
(gemm_nn) to 0.59 (conv2d) of the simulated cycles, inside the factor of 3:
the native bench's model_error says which of the two is closer to the
silicon. conv2d on the NNP-like
and on the systolic target (where the input is now copied into the scratchpad
once and read in place, 17% fewer cycles than before, which the model
underestimates by 17%), the depthwise ones on the systolic target and the
multi-statement kernels (whose statements the model overlaps while the
estimate adds them) are within a factor of 3 (docs/compiling.md's table gives every
ratio). Both are asserted, so a regression in either shows. The estimate is
the kernel's: its statements' and the copies of promoted arguments.
"""

import pytest

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_hardware.model.run import run_program
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.cost_model import AnalyticCostModel
from isamapper_passes.scheduling.lowering import lower_kernel
from isamapper_passes.scheduling.schedule import schedule_kernel
from isamapper_passes.scheduling.strategies import Strategy
from isamapper_tools.kernel_inputs import find_kernel, random_inputs

from conftest import EXAMPLES, PROJECT

CLOSE = {
    (hardware, name)
    for hardware, names in (
        ("nnp.mlir", ("gemm_nn", "gemm_tn", "gemm_nt", "pointwise_conv")),
        ("systolic.mlir", ("gemm_nn", "gemm_tn", "gemm_nt", "pointwise_conv", "gru_cell")),
    )
    for name in names
}
QUICK = ("gemm_nn", "gemm_tn", "gemm_nt", "pointwise_conv", "conv2d_nhwc", "gru_cell")


def estimate_and_simulate(example, hardware: str) -> tuple[float, float]:
    module = parse_module(example)
    kernel = find_kernel(module, None)
    inputs = random_inputs(kernel, 0)
    MapInstructionsPass(hardware_file=str(PROJECT / "hardware" / hardware)).apply(
        make_context(), module
    )
    model = AnalyticCostModel()
    chosen = schedule_kernel(module, kernel, Strategy("greedy", model))
    program = lower_kernel(kernel, chosen.hardware, chosen.plans, chosen.homes)
    kernel.parent_block().insert_op_before(program, kernel)
    assert isinstance(program, ProgramOp)
    simulated = run_program(module, program, inputs, functional=False).stats.cycles
    return chosen.estimate(model), simulated


@pytest.mark.parametrize("hardware", ["nnp.mlir", "systolic.mlir", "cpu_avx2.mlir"])
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.stem in QUICK], ids=lambda p: p.stem)
def test_estimate_tracks_the_model(example, hardware) -> None:
    estimate, simulated = estimate_and_simulate(example, hardware)
    ratio = estimate / simulated
    if (hardware, example.stem) in CLOSE:
        assert ratio == pytest.approx(1.0, abs=0.15)
    assert 0.4 <= ratio <= 3.0
