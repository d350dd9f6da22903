"""Timing-only fast-forwarding must give the cycles of the full simulation,
also when the last block of a loop is a ragged edge (sizes that the instruction
tiles do not divide) and buffers rotate through up to eight slots, when loops
that never repeat stop being watched, and when the matrix units' rotation
repeats only past a loop's first blocks."""

import numpy as np
import pytest
from xdsl.parser import Parser

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.parsing import make_context
from isamapper_hardware.model import fast_forward, loop_nest, machine
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.gemm_kernel import gemm_text
from isamapper_tools.kernel_inputs import find_kernel, random_inputs

from conftest import PROJECT


@pytest.mark.parametrize("hardware", ["nnp.mlir", "systolic.mlir"])
@pytest.mark.parametrize(("m", "n", "k"), [(600, 100, 96), (330, 70, 200)])
def test_timing_only_equals_full_run_on_ragged_gemms(hardware: str, m: int, n: int, k: int):
    text = gemm_text(m, n, k, "g")
    context = make_context()
    module = Parser(context, text).parse_module()
    inputs = random_inputs(find_kernel(module, None), 0)
    compile_module(module, PROJECT / "hardware" / hardware, context=context)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    full = run_program(module, program, inputs, functional=True).stats
    fast = run_program(module, program, inputs, functional=False).stats
    assert fast.cycles == pytest.approx(full.cycles, rel=1e-9)
    assert fast.busy == pytest.approx(full.busy, rel=1e-9)
    assert fast.bytes_moved == pytest.approx(full.bytes_moved, rel=1e-9)


def _nnp_gemm(m: int, n: int, k: int):
    context = make_context()
    module = Parser(context, gemm_text(m, n, k, "g")).parse_module()
    compile_module(module, PROJECT / "hardware" / "nnp.mlir", context=context)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    arrays = {a.name_hint: np.zeros(a.type.get_shape(), np.float32) for a in program.arguments}
    return module, program, arrays


def test_cheap_loops_that_never_repeat_stop_being_watched(monkeypatch):
    # On nnp the 10 x 43 x 2 executions of a block do not divide over the 48
    # matrix units, so the loop over 43 (two executions per iteration) never
    # repeats, while other loops still fast-forward. Watching every call of the
    # cheap inner loop cost most of the run. (Execution-only nests such as
    # this one now run as a batch, exec_batch.py: op by op here.)
    monkeypatch.setattr(loop_nest, "batchable", lambda op: False)
    module, program, arrays = _nnp_gemm(4100, 700, 300)
    snapshots, jumps = [0], [0]
    snapshot, advance = machine.Machine.snapshot, machine.Machine.advance

    def counting_snapshot(self, changed):
        snapshots[0] += 1
        return snapshot(self, changed)

    def counting_advance(self, delta, times):
        jumps[0] += times > 0
        return advance(self, delta, times)

    monkeypatch.setattr(machine.Machine, "snapshot", counting_snapshot)
    monkeypatch.setattr(machine.Machine, "advance", counting_advance)
    fast = run_program(module, program, arrays, functional=False).stats
    watched_jumps, watched_snapshots = jumps[0], snapshots[0]
    assert watched_jumps > 0  # fast-forwarding still kicks in

    snapshots[0] = jumps[0] = 0
    monkeypatch.setattr(fast_forward._Watching, "MISSES", 10**9)  # watch every call
    always = run_program(module, program, arrays, functional=False).stats
    assert jumps[0] == watched_jumps
    assert watched_snapshots * 4 < snapshots[0]
    assert always.cycles == fast.cycles

    monkeypatch.setattr(fast_forward, "_repeat", lambda snapshots, tiles, longest: None)
    full = run_program(module, program, arrays, functional=False).stats
    assert fast.cycles == full.cycles  # exactly: unwatched iterations run for real
    assert fast.executions == full.executions
    assert fast.busy == pytest.approx(full.busy, rel=1e-12)
    assert fast.bytes_moved == pytest.approx(full.bytes_moved, rel=1e-12)


def test_watching_backs_off_only_for_cheap_misses():
    watching = fast_forward._Watching()
    for _ in range(watching.MISSES):
        assert watching.due()
        watching.watched(found=False, cheap=True)
    due = [watching.due() for _ in range(2 * watching.RETRY)]
    assert due.count(True) == 2 and due[watching.RETRY - 1]
    watching.watched(found=True, cheap=True)  # a repeat found: watch every call again
    assert all(watching.due() for _ in range(3))
    costly = fast_forward._Watching()
    for _ in range(3 * costly.MISSES):
        assert costly.due()
        costly.watched(found=False, cheap=False)


def test_the_longest_period_is_the_slots_or_the_most_units_of_a_kind():
    assert fast_forward.longest_period({"fma": 2, "valu": 1}) == fast_forward.SLOT_PERIOD == 8
    assert fast_forward.longest_period({"mxu": 48, "vpu": 24}) == 48


def test_a_rotation_of_the_units_found_past_the_first_blocks_equals_the_full_run(monkeypatch):
    # On nnp a block of 3 x 47 x 10 = 1410 executions leaves the 48 matrix
    # units' clocks rotated by 18, which repeats every 8 blocks, but only once
    # the pipeline has filled: watching the loop over the 40 blocks for
    # 2 x 8 + 2 iterations found no repeat, 2 x 48 + 2 do.
    module, program, arrays = _nnp_gemm(3840, 1500, 320)
    periods: list[int] = []
    repeat = fast_forward._repeat

    def recording(snapshots, tiles, longest):
        found = repeat(snapshots, tiles, longest)
        if found is not None:
            periods.append(found[0])
        return found

    monkeypatch.setattr(fast_forward, "_repeat", recording)
    fast = run_program(module, program, arrays, functional=False).stats
    assert periods == [8]
    monkeypatch.setattr(fast_forward, "_repeat", lambda snapshots, tiles, longest: None)
    full = run_program(module, program, arrays, functional=False).stats
    assert fast.cycles == full.cycles
    assert fast.executions == full.executions
    assert fast.busy == pytest.approx(full.busy, rel=1e-12)
    assert fast.bytes_moved == pytest.approx(full.bytes_moved, rel=1e-12)
