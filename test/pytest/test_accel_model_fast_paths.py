"""The model's fast paths change nothing: compiled loop nests agree bit for bit
with the xDSL interpreter, and the repeat detection on recorded tiles finds the
period and per-period change of every clock, counter and tile."""

import numpy as np
import pytest
from xdsl.parser import Parser

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.parsing import make_context
from isamapper_dialect.reference_semantics import compile_statement, evaluate_statement
from isamapper_hardware.model import loop_nest
from isamapper_hardware.model.fast_forward import _repeat
from isamapper_hardware.model.machine import Snapshot
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.gemm_kernel import gemm_text

from conftest import PROJECT


def gemm_program(hardware: str, m: int, n: int, k: int):
    text = gemm_text(m, n, k, "gemm")
    module = Parser(make_context(), text).parse_module()
    compile_module(module, PROJECT / "hardware" / hardware)
    return module, next(op for op in module.walk() if isinstance(op, ProgramOp))


def fingerprint(result):
    stats = result.stats
    return (
        stats.cycles.hex(),
        sorted((k, v.hex()) for k, v in stats.busy.items()),
        sorted((k, v.hex()) for k, v in stats.bytes_moved.items()),
        sorted((k, v.hex()) for k, v in stats.executions.items()),
        [(e["name"], e["ts"], e["dur"], e["tid"]) for e in stats.trace],
        sorted((k, v.tobytes()) for k, v in result.arrays.items()),
    )


@pytest.mark.parametrize("hardware", ["nnp.mlir", "systolic.mlir", "cpu_avx2.mlir"])
@pytest.mark.parametrize("functional", [False, True])
def test_compiled_nests_match_the_interpreter(hardware, functional, monkeypatch) -> None:
    module, program = gemm_program(hardware, 48, 40, 24)
    rng = np.random.default_rng(1)
    arrays = {
        a.name_hint: rng.uniform(-1, 1, a.type.get_shape()).astype(np.float32)
        for a in program.arguments
    }
    compiled = run_program(module, program, arrays, functional, trace=True)
    monkeypatch.setattr(loop_nest, "_compilable", lambda op: False)
    interpreted = run_program(module, program, arrays, functional, trace=True)
    assert fingerprint(compiled) == fingerprint(interpreted)
    assert compiled.stats.cycles > 0
    assert sum(compiled.stats.executions.values()) > 0
    if functional:
        expected = arrays["C"] + arrays["A"] @ arrays["B"]
        np.testing.assert_allclose(compiled.arrays["C"], expected, rtol=1e-4, atol=1e-4)


def snapshot(values, tiles, changed):
    return Snapshot(((), len(tiles), 0, 0, 0), list(values), dict(changed))


def test_repeat_uses_the_tiles_each_iteration_changed() -> None:
    # Tile (1, 0) is written every iteration (+5 each), tile (1, 8) only before
    # the window; the clocks advance by 3 each iteration.
    tiles = {(1, 0): 15.0, (1, 8): 2.0}
    snapshots = [
        snapshot([0.0, 1.0], tiles, {}),
        snapshot([3.0, 4.0], tiles, {(1, 0): 0.0, (1, 8): 1.0}),
        snapshot([6.0, 7.0], tiles, {(1, 0): 5.0}),
        snapshot([9.0, 10.0], tiles, {(1, 0): 10.0}),
    ]
    assert _repeat(snapshots, tiles, 8) == (1, ([3.0, 3.0], {(1, 0): 5.0}))


def test_repeat_finds_double_buffered_period_two() -> None:
    # Iterations alternate between slots: tile (1, 0) on even ones, (1, 4) on odd.
    tiles = {(1, 0): 20.0, (1, 4): 25.0}
    snapshots = [
        snapshot([0.0], tiles, {}),
        snapshot([1.0], tiles, {(1, 0): 0.0}),
        snapshot([5.0], tiles, {(1, 4): 5.0}),
        snapshot([6.0], tiles, {(1, 0): 10.0}),
        snapshot([10.0], tiles, {(1, 4): 15.0}),
    ]
    assert _repeat(snapshots, tiles, 8) == (2, ([5.0], {(1, 0): 10.0, (1, 4): 10.0}))


def test_repeat_refuses_a_tile_that_changes_unevenly() -> None:
    tiles = {(1, 0): 20.0}
    snapshots = [
        snapshot([0.0], tiles, {}),
        snapshot([3.0], tiles, {(1, 0): 0.0}),
        snapshot([6.0], tiles, {(1, 0): 5.0}),
    ]
    assert _repeat(snapshots, tiles, 8) is None


def test_compiled_statement_is_cached_and_evaluates() -> None:
    # C[i, j] += A[i, k] * B[k, j] over i < 2, j < 2, k < 3.
    accesses = (
        (AccessRow((1, 0, 0), 0), AccessRow((0, 1, 0), 0)),
        (AccessRow((1, 0, 0), 0), AccessRow((0, 0, 1), 0)),
        (AccessRow((0, 0, 1), 0), AccessRow((0, 1, 0), 0)),
    )
    evaluator = compile_statement(ComputeKind.MAC, (2, 2, 3), accesses)
    assert compile_statement(ComputeKind.MAC, (2, 2, 3), accesses) is evaluator
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(6, dtype=np.float32).reshape(3, 2)
    output = np.ones((2, 2), np.float32)
    evaluator(output, [a, b])
    assert output.tolist() == [[11.0, 14.0], [29.0, 41.0]]
    again = np.ones((2, 2), np.float32)
    evaluate_statement(ComputeKind.MAC, [2, 2, 3], list(accesses), again, [a, b])
    assert again.tolist() == output.tolist()
