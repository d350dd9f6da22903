"""isamapper-bench: workload parsing, generated kernels against numpy, the
library-style baseline against the reference, the GRU step extrapolation and
the CLI."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from xdsl.parser import Parser

from isamapper_bench.cli import COLUMNS, bench
from isamapper_bench.kernels import gemm_kernel, gru_projection, gru_steps, mobilenet_kernel
from isamapper_bench.measure import Part, measure_part, scaled_block
from isamapper_bench.workloads import (
    GemmRow,
    GruRow,
    gemm_rows,
    gru_rows,
    mobilenet_blocks,
    mobilenet_layers,
)
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_passes.compile_module import compile_module

PROJECT = Path(__file__).resolve().parents[2]
NNP = str(PROJECT / "hardware" / "nnp.mlir")


def test_gemm_rows():
    rows = gemm_rows()
    assert len(rows) == 248
    assert Counter(r.set for r in rows) == {
        "training_set": 160,
        "inference_server_set": 75,
        "inference_device_set": 13,
    }
    assert Counter((r.a_trans, r.b_trans) for r in rows) == {
        (False, False): 165,
        (True, False): 73,
        (False, True): 10,
    }
    assert rows[0] == GemmRow(
        "training_set", 0, 1760, 16, 1760, False, False, "code/kernels/gemm_problems.h"
    )
    assert rows[0].name == "training_set/0 1760x16x1760 nn"


def test_gru_rows():
    rows = gru_rows()
    assert len(rows) == 73
    assert rows[0] == GruRow("training_set", 34, 2816, 32, 1500, "code/kernels/rnn_problems.h")
    assert {r.hidden for r in rows} == {512, 1024, 1536, 2048, 2560, 2816}
    assert max(r.timesteps for r in rows) == 1500


def test_mobilenet_rows():
    layers = mobilenet_layers()
    assert len(layers) == 27
    blocks = mobilenet_blocks()
    assert len(blocks) == 14
    assert [layer.op for layer in blocks[0].layers] == ["conv"]
    assert all([layer.op for layer in b.layers] == ["depthwise", "pointwise"] for b in blocks[1:])
    assert blocks[2].name == "Conv2d_2 112x112x64->128 s2"
    assert sum(layer.macs for layer in layers) == 567716352


def _kernel(text: str):
    module = Parser(make_context(), text).parse_module()
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    return module, kernel


def _run(text: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    module, kernel = _kernel(text)
    return run_kernel(module, kernel, arrays)


@pytest.mark.parametrize("a_trans, b_trans", [(False, False), (True, False), (False, True)])
def test_gemm_kernel_matches_numpy(a_trans, b_trans):
    row = GemmRow("training_set", 0, 70, 33, 45, a_trans, b_trans, "")
    rng = np.random.default_rng(1)
    a = rng.standard_normal((70, 45)).astype(np.float32)
    b = rng.standard_normal((45, 33)).astype(np.float32)
    out = _run(
        gemm_kernel(row),
        {
            "A": a.T.copy() if a_trans else a,
            "B": b.T.copy() if b_trans else b,
            "C": np.zeros((70, 33), np.float32),
        },
    )
    np.testing.assert_allclose(out["C"], a @ b, rtol=1e-4, atol=1e-4)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize("library", [False, True])
def test_gru_layer_matches_numpy(library):
    row = GruRow("training_set", 0, 48, 3, 4, "")
    h, b, t = row.hidden, row.batch, row.timesteps
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (t * b, h)).astype(np.float32)
    w, u = (rng.uniform(-0.2, 0.2, (h, 3 * h)).astype(np.float32) for _ in range(2))
    bx, bh = (rng.uniform(-1, 1, 3 * h).astype(np.float32) for _ in range(2))
    h0 = rng.uniform(-1, 1, (b, h)).astype(np.float32)
    xw = _run(gru_projection(row), {"X": x, "W": w, "XW": np.zeros((t * b, 3 * h), np.float32)})
    states = _run(
        gru_steps(row, t, library),
        {"XW": xw["XW"], "h0": h0, "U": u, "bx": bx, "bh": bh, "H": np.zeros((t * b, h))},
    )["H"]
    state = h0
    for step in range(t):
        gx = x[step * b : (step + 1) * b] @ w + bx
        gh = state @ u + bh
        r = _sigmoid(gx[:, :h] + gh[:, :h])
        z = _sigmoid(gx[:, h : 2 * h] + gh[:, h : 2 * h])
        n = np.tanh(gx[:, 2 * h :] + r * gh[:, 2 * h :])
        state = (1 - z) * n + z * state
        np.testing.assert_allclose(states[step * b : (step + 1) * b], state, atol=1e-4)


def _conv(image: np.ndarray, weights: np.ndarray, stride: int) -> np.ndarray:
    """NHWC x HWCF 3x3 convolution of an already padded image (valid windows)."""
    _, height, width, _ = image.shape
    out_h, out_w = (height - 3) // stride + 1, (width - 3) // stride + 1
    out = np.zeros((1, out_h, out_w, weights.shape[-1]), np.float64)
    for r in range(3):
        for s in range(3):
            window = image[:, r : r + stride * out_h : stride, s : s + stride * out_w : stride]
            out += np.einsum("nhwc,cf->nhwf", window, weights[r, s])
    return out


@pytest.mark.parametrize("block", [0, 2, 5])
@pytest.mark.parametrize("library", [False, True])
def test_mobilenet_block_matches_numpy(block, library):
    small = scaled_block(mobilenet_blocks()[block])
    first = small.layers[0]
    rng = np.random.default_rng(3)
    image = np.zeros((1, first.h_in + 2, first.w_in + 2, first.c_in), np.float32)
    image[:, 1:-1, 1:-1] = rng.uniform(-1, 1, (1, first.h_in, first.w_in, first.c_in))
    relu = np.maximum
    if first.op == "conv":
        weights = rng.uniform(-1, 1, (3, 3, first.c_in, first.c_out)).astype(np.float32)
        expected = relu(_conv(image, weights, first.stride), 0)
        arrays = {"I": image, "F": weights.reshape(-1, first.c_out) if library else weights}
    else:
        depthwise = rng.uniform(-1, 1, (3, 3, first.c_in)).astype(np.float32)
        pointwise = rng.uniform(-1, 1, (first.c_in, small.layers[1].c_out)).astype(np.float32)
        diagonal = np.zeros((3, 3, first.c_in, first.c_in), np.float32)
        for c in range(first.c_in):
            diagonal[:, :, c, c] = depthwise[:, :, c]
        middle = relu(_conv(image, diagonal, first.stride), 0)
        expected = relu(np.einsum("nhwc,ck->nhwk", middle, pointwise), 0)
        arrays = {"I": image, "Fd": depthwise, "Wp": pointwise}
    shape = expected.shape if not library else (expected.shape[1] * expected.shape[2], -1)
    arrays["O"] = np.zeros(expected.reshape(shape).shape, np.float32)
    out = _run(mobilenet_kernel(small, library), arrays)["O"]
    np.testing.assert_allclose(out.reshape(expected.shape), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "text",
    [
        gemm_kernel(GemmRow("s", 0, 68, 33, 70, True, False, "")),
        gru_steps(GruRow("s", 0, 64, 4, 3, ""), 3, True),
        mobilenet_kernel(scaled_block(mobilenet_blocks()[0]), True),
        mobilenet_kernel(scaled_block(mobilenet_blocks()[4]), True),
    ],
    ids=["gemm-tn", "gru-steps", "conv-im2col", "dwsep"],
)
def test_library_baseline_matches_reference(text):
    """The baseline (library strategy, no fusion) runs like any scheduled program:
    functional model output equals the reference semantics, cycles above the bound."""
    result = measure_part(Part(text, "library", False, "functional"), NNP)
    assert result.error < 1e-4
    assert result.cycles >= result.bound


def test_library_strategy_keeps_textbook_mappings():
    """The baseline maps the depthwise convolution along one index only."""
    text = mobilenet_kernel(scaled_block(mobilenet_blocks()[1]), True)
    module, _ = _kernel(text)
    compile_module(module, NNP, strategy="library", fuse=False)
    execs = [op for op in module.walk() if op.name == "accel.exec"]
    assert [op.properties["instruction"].root_reference.data for op in execs] == [
        "vfma32",
        "vrelu32",
        "mm32",
        "vrelu32",
    ]
    allocs = [op for op in module.walk() if op.name == "accel.alloc"]
    # No fusion: the intermediates live in the main memory.
    assert {op.properties["memory"].root_reference.data for op in allocs} >= {"hbm"}


def test_gru_step_extrapolation_matches_full_simulation():
    """S(T) = S(3) + (T - 3) (S(4) - S(3)) against simulating all T steps, in
    cycles and energy."""
    row = GruRow("s", 0, 96, 4, 8, "")

    def measured(steps: int, library: bool, gru: GruRow = row) -> tuple[float, float]:
        strategy = "library" if library else "greedy"
        part = Part(gru_steps(gru, steps, library), strategy, not library)
        result = measure_part(part, NNP)
        return result.cycles, result.energy_pj

    for library in (False, True):
        three, four, full = measured(3, library), measured(4, library), measured(8, library)
        for k in range(2):
            estimate = three[k] + 5 * (four[k] - three[k])
            assert abs(estimate - full[k]) / full[k] < 1e-6, (library, k, estimate, full)
    # From 3 steps on, h1024 b2 keeps its recurrent weights on chip, which 2
    # steps do not pay for: each step after the third costs the same, in cycles
    # and energy, while the third costs less energy than the second.
    big = GruRow("s", 0, 1024, 2, 1500, "")
    two, three, four, five = (measured(steps, False, big) for steps in (2, 3, 4, 5))
    for k in range(2):
        assert four[k] - three[k] == pytest.approx(five[k] - four[k], rel=1e-9)
        assert four[k] - three[k] > 0
    assert three[1] < two[1]


def test_cli_writes_csv_and_plot(tmp_path, capsys):
    table, plot = tmp_path / "rows.csv", tmp_path / "roofline.png"
    code = bench(
        [
            "deepbench-gemm",
            "--hardware",
            NNP,
            "--filter",
            "inference_device_set/(3|7|11) ",
            "--jobs",
            "2",
            "--csv",
            str(table),
            "--plot",
            str(plot),
        ]
    )
    assert code == 0
    with open(table) as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == COLUMNS
    assert [r["name"] for r in rows] == [
        "inference_device_set/3 64x1x1216 nn",
        "inference_device_set/7 128x1x1024 nn",
        "inference_device_set/11 128x1x1408 nn",
    ]
    for r in rows:
        assert 0 < float(r["efficiency"]) <= 1
        assert float(r["speedup"]) == pytest.approx(
            float(r["baseline_cycles"]) / float(r["cycles"]), rel=1e-3
        )
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "| inference_device_set | 3 |" in out


def test_cli_rejects_bad_input(capsys):
    assert bench(["deepbench-gemm", "--hardware", "missing.mlir"]) == 1
    assert "no hardware file missing.mlir" in capsys.readouterr().err
    assert bench(["deepbench-gemm", "--hardware", NNP, "--filter", "no such row"]) == 1
    assert "no row of deepbench-gemm matches" in capsys.readouterr().err
    assert bench(["deepbench-gemm", "--hardware", NNP, "--filter", "("]) == 1
    assert "bad --filter" in capsys.readouterr().err


def test_scaled_block_keeps_shape_class():
    def shape_free(layer):
        return replace(layer, h_in=0, w_in=0, c_in=0, c_out=0, h_out=0, w_out=0)

    block = mobilenet_blocks()[12]
    small = scaled_block(block)
    assert [shape_free(a) for a in small.layers] == [shape_free(a) for a in block.layers]
    assert small.layers[0].stride == 2 and small.layers[0].h_out == 6


SMALL_HARDWARE = """
isa.hardware @small {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 20 dims 2
  isa.transfer @store from @sram to @dram bandwidth 16 latency 20 dims 2
  isa.unit @vu count 1
  isa.instruction @vadd on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram,
      %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
}
"""

CHAIN = """
isa.kernel @k(%x : memref<512xf32>, %y : memref<512xf32>, %z : memref<512xf32>) {
  %t = isa.buffer : memref<512xf32>
  isa.compute %t[i] = %x[i] + %y[i] for i < 512
  isa.compute %z[i] = %t[i] + %y[i] for i < 512
}
"""


def test_scheduler_notes_are_kept_with_the_part_not_printed(tmp_path, capsys):
    hardware = tmp_path / "small.mlir"
    hardware.write_text(SMALL_HARDWARE)
    result = measure_part(Part(CHAIN, "greedy", True), str(hardware))
    assert result.notes == (
        "isa-schedule: @k: fusion: %t stays in @dram: in @sram: it takes 2048 bytes, more "
        "than half of 1024",
    )
    assert capsys.readouterr().err == ""
