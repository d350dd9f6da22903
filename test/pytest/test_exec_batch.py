"""Batched execution-only nests (hardware/model/exec_batch.py) time exactly
as op by op: clocks, counters and cycles bit for bit, on hand-written nests
(two unit kinds at two depths, tiles written twice, an input the nest writes,
a bound that changes within the nest) and on scheduled GEMMs, GRU steps and
MobileNet blocks on every shipped accelerator."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

import numpy as np
import pytest
from xdsl.dialects import arith
from xdsl.parser import Parser

from isamapper_bench.kernels import gemm_kernel, gru_steps, mobilenet_kernel
from isamapper_bench.measure import scaled_block
from isamapper_bench.workloads import GemmRow, GruRow, mobilenet_blocks
from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import make_context
from isamapper_hardware.model import exec_arith, exec_batch, loop_nest
from isamapper_hardware.model.machine import ModelError
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.kernel_inputs import find_kernel, random_inputs

from conftest import PROJECT

NESTS = PROJECT / "test" / "pytest" / "model_inputs" / "exec_nests.mlir"


def fingerprint(stats) -> tuple:
    """Everything a run measured, exactly (floats as hex)."""
    return (
        stats.cycles.hex(),
        sorted((str(k), v.hex()) for k, v in stats.busy.items()),
        sorted((k, v.hex()) for k, v in stats.bytes_moved.items()),
        sorted((k, v.hex()) for k, v in stats.engine_bytes.items()),
        sorted((k, v.hex()) for k, v in stats.executions.items()),
    )


def counting_batches(monkeypatch) -> list[bool]:
    """What every batched run of a nest returned (True: timed as a batch)."""
    outcomes: list[bool] = []
    run = exec_batch.ExecBatch.run

    def counting(self, frame):
        outcome = run(self, frame)
        outcomes.append(outcome)
        return outcome

    monkeypatch.setattr(exec_batch.ExecBatch, "run", counting)
    return outcomes


def _hand_written():
    module = Parser(make_context(), NESTS.read_text()).parse_module()
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    rng = np.random.default_rng(0)
    arrays = {"A": rng.uniform(-1, 1, 64).astype(np.float32), "C": np.zeros(64, np.float32)}
    return module, program, arrays


def test_hand_written_nests_batch_or_fall_back_and_time_exactly(monkeypatch) -> None:
    module, program, arrays = _hand_written()
    full = run_program(module, program, arrays, functional=True).stats  # op by op
    outcomes = counting_batches(monkeypatch)
    batched = run_program(module, program, arrays, functional=False).stats
    # The first nest as one batch; the second falls back (it reads what it
    # writes); the third's outer loop is no batch (its inner bound changes),
    # its inner loop batches in each of its 4 iterations; the last batches.
    assert outcomes == [True, False, True, True, True, True, True]
    monkeypatch.setattr(loop_nest, "batchable", lambda op: False)
    unbatched = run_program(module, program, arrays, functional=False).stats
    assert fingerprint(batched) == fingerprint(full) == fingerprint(unbatched)
    assert batched.executions == {"vadd4": 32 + 32 + 10 + 64, "vmul4": 10}
    assert batched.cycles > 0


def test_which_nests_are_batchable() -> None:
    module, program, _ = _hand_written()
    from xdsl.dialects import scf

    top = [op for op in program.body.block.ops if isinstance(op, scf.ForOp)]
    assert [exec_batch.batchable(op) for op in top] == [True, True, True, True]
    module.verify()


def test_a_bound_on_operations_stops_a_batched_run_as_it_stops_op_by_op(monkeypatch) -> None:
    module, program, arrays = _hand_written()
    messages = []
    for batching in (True, False):
        if not batching:
            monkeypatch.setattr(loop_nest, "batchable", lambda op: False)
        with pytest.raises(ModelError) as refused:
            run_program(module, program, arrays, functional=False, max_operations=20)
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert "passed 20 copies and executions" in messages[0]


def _compiled(text: str, hardware: str):
    context = make_context()
    module = Parser(context, text).parse_module()
    inputs = random_inputs(find_kernel(module, None), 0)
    with redirect_stderr(io.StringIO()):
        compile_module(module, PROJECT / "hardware" / f"{hardware}.mlir", context=context)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    return module, program, inputs


def _block() -> str:
    return mobilenet_kernel(scaled_block(mobilenet_blocks()[2]), False)


KERNELS = {
    "gemm 300x70x200": lambda: gemm_kernel(GemmRow("t", 0, 300, 70, 200, False, False, "")),
    "gemm tn 97x33x130": lambda: gemm_kernel(GemmRow("t", 0, 97, 33, 130, True, False, "")),
    "gru 2 steps": lambda: gru_steps(GruRow("t", 0, 64, 4, 2, ""), 2, False),
    "mobilenet block 2": _block,
}


@pytest.mark.parametrize("hardware", ["nnp", "systolic", "cpu_avx2"])
@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_scheduled_kernels_time_as_op_by_op(hardware: str, kernel: str, monkeypatch) -> None:
    module, program, inputs = _compiled(KERNELS[kernel](), hardware)
    outcomes = counting_batches(monkeypatch)
    fast = run_program(module, program, inputs, functional=False).stats
    assert True in outcomes  # the compute blocks were batched
    monkeypatch.setattr(loop_nest, "batchable", lambda op: False)
    unbatched = run_program(module, program, inputs, functional=False).stats
    assert fingerprint(fast) == fingerprint(unbatched)
    # Op by op, without fast-forwarding either: fast-forwarding adds a period's
    # change times the periods, not period by period, so the last bits may differ.
    full = run_program(module, program, inputs, functional=True).stats
    assert fast.executions == full.executions
    assert fast.cycles == pytest.approx(full.cycles, rel=1e-12)
    assert fast.busy == pytest.approx(full.busy, rel=1e-12)
    assert fast.bytes_moved == pytest.approx(full.bytes_moved, rel=1e-12)


@pytest.mark.parametrize("width", [8, 32, 64])
def test_index_arithmetic_over_arrays_equals_the_wrapping_scalars(width: int) -> None:
    rng = np.random.default_rng(width)
    a = rng.integers(-300, 300, 50)
    for kind in exec_arith.ARITH:
        b = rng.integers(1, 40, 50) if kind in (arith.DivUIOp, arith.RemUIOp) else a[::-1]
        node = exec_arith.IndexArith(kind, 0, 1, 2, width, True)
        result, bound = exec_arith.vector(node, a, b, 300, 300)
        expected = [exec_arith.scalar(node, int(x), int(y)) for x, y in zip(a, b, strict=True)]
        assert result.tolist() == expected
        assert np.abs(result).max() <= bound
    big = exec_arith.IndexArith(arith.MuliOp, 0, 1, 2, 64, True)
    with pytest.raises(exec_arith.NotBatchable):  # could overflow int64
        exec_arith.vector(big, a, a, 1 << 31, 1 << 31)
    divide = exec_arith.IndexArith(arith.DivUIOp, 0, 1, 2, 64, True)
    with pytest.raises(exec_arith.NotBatchable):  # the interpreter raises, op by op
        exec_arith.vector(divide, a, np.zeros(50, np.int64), 300, 0)
