"""The bench's workload lists: DeepBench GEMM and GRU rows, MobileNet v1 blocks.

The CSV files in `workloads/` are copied unchanged from the sources named in
their `source` column (DeepBench `code/kernels/gemm_problems.h` and
`rnn_problems.h`; TensorFlow's `research/slim/nets/mobilenet_v1.py`).

- `deepbench-gemm`: every row of `deepbench_gemm.csv` (248: training,
  inference server and inference device sets). `C = op(A) op(B)` with an MxK
  `op(A)` and a KxN `op(B)`; `a_trans` stores A as KxM, `b_trans` stores B as
  NxK (row-major throughout).
- `deepbench-gru`: the 73 GRU rows of `deepbench_rnn.csv` (hidden size, batch,
  timesteps; the input size equals the hidden size, as in DeepBench).
- `mobilenet-v1-dwsep`: the 27 layers of `mobilenet_v1_dwsep.csv` grouped into
  their 14 blocks: block 0 is the full 3x3 convolution, blocks 1-13 a depthwise
  then a pointwise layer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

WORKLOADS = Path(__file__).resolve().parent / "workloads"

SUITES = ("deepbench-gemm", "deepbench-gru", "mobilenet-v1-dwsep")


@dataclass(frozen=True)
class GemmRow:
    """One DeepBench GEMM."""

    set: str
    index: int
    m: int
    n: int
    k: int
    a_trans: bool
    b_trans: bool
    source: str

    @property
    def name(self) -> str:
        transposes = ("t" if self.a_trans else "n") + ("t" if self.b_trans else "n")
        return f"{self.set}/{self.index} {self.m}x{self.n}x{self.k} {transposes}"


@dataclass(frozen=True)
class GruRow:
    """One DeepBench GRU layer: `timesteps` steps of a cell of `hidden` units."""

    set: str
    index: int
    hidden: int
    batch: int
    timesteps: int
    source: str

    @property
    def name(self) -> str:
        return f"{self.set}/{self.index} h{self.hidden} b{self.batch} t{self.timesteps}"


@dataclass(frozen=True)
class ConvLayer:
    """One MobileNet v1 layer (`op` is conv, depthwise or pointwise)."""

    layer: str
    op: str
    h_in: int
    w_in: int
    c_in: int
    c_out: int
    kernel: int
    stride: int
    pad: int
    h_out: int
    w_out: int
    macs: int
    source: str


@dataclass(frozen=True)
class MobileNetBlock:
    """Block 0 (one full convolution) or a depthwise-separable block."""

    block: int
    layers: tuple[ConvLayer, ...]

    @property
    def name(self) -> str:
        first = self.layers[0]
        last = self.layers[-1]
        shape = f"{first.h_in}x{first.w_in}x{first.c_in}->{last.c_out} s{first.stride}"
        return f"{first.layer.removesuffix('_depthwise')} {shape}"


Row = GemmRow | GruRow | MobileNetBlock


def _read(name: str) -> list[dict[str, str]]:
    with open(WORKLOADS / name, newline="") as file:
        return list(csv.DictReader(file))


def gemm_rows() -> list[GemmRow]:
    """Every DeepBench GEMM, in file order."""
    return [
        GemmRow(
            r["set"],
            int(r["index"]),
            int(r["M"]),
            int(r["N"]),
            int(r["K"]),
            r["a_trans"] == "1",
            r["b_trans"] == "1",
            r["source"],
        )
        for r in _read("deepbench_gemm.csv")
    ]


def gru_rows() -> list[GruRow]:
    """The DeepBench RNN rows whose cell is a GRU, in file order."""
    return [
        GruRow(
            r["set"],
            int(r["index"]),
            int(r["hidden"]),
            int(r["batch"]),
            int(r["timesteps"]),
            r["source"],
        )
        for r in _read("deepbench_rnn.csv")
        if r["cell"] == "gru"
    ]


def mobilenet_layers() -> list[ConvLayer]:
    """The MobileNet v1 layers, in file order."""
    return [
        ConvLayer(
            r["layer"],
            r["op"],
            int(r["H_in"]),
            int(r["W_in"]),
            int(r["C_in"]),
            int(r["C_out"]),
            int(r["kernel"]),
            int(r["stride"]),
            int(r["pad"]),
            int(r["H_out"]),
            int(r["W_out"]),
            int(r["MACs"]),
            r["source"],
        )
        for r in _read("mobilenet_v1_dwsep.csv")
    ]


def mobilenet_blocks() -> list[MobileNetBlock]:
    """The layers grouped by block, in file order."""
    blocks: dict[int, list[ConvLayer]] = {}
    for r, layer in zip(_read("mobilenet_v1_dwsep.csv"), mobilenet_layers(), strict=True):
        blocks.setdefault(int(r["block"]), []).append(layer)
    return [MobileNetBlock(b, tuple(layers)) for b, layers in blocks.items()]


def suite_rows(suite: str) -> list[Row]:
    """The rows of one suite."""
    if suite == "deepbench-gemm":
        return list(gemm_rows())
    if suite == "deepbench-gru":
        return list(gru_rows())
    if suite == "mobilenet-v1-dwsep":
        return list(mobilenet_blocks())
    raise ValueError(f"unknown suite `{suite}`; use {', '.join(SUITES)}")
