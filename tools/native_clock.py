"""The clock at which this machine delivers a CPU description's peak: the
description's clock measured on the machine that runs its native code.

A description gives its clock in MHz (`isa.hardware ... clock 2600`), but the
same core runs at different clocks on different machines and under different
loads (turbo, the AVX-512 licence, a shared host). The model counts cycles; to
compare them with a native run's seconds, `isamapper-run --native` and
`isamapper-bench --native` divide by the clock measured here, on this machine,
just before:

- the description's peak multiply-accumulate rate is its fastest `mac`
  instruction's points per issue interval times its unit's count (the same
  figure the roofline bound uses: 2 x 16 lanes per cycle on cpu_avx512);
- a loop of independent FMAs on vectors of that instruction's width (enough
  chains to cover its latency on every unit) is written in LLVM IR, built by
  the same `llc` as the programs, for the description's CPU and features, and
  timed (the median of several calls);
- the clock is the measured MAC rate over the description's MACs per cycle.

If the machine has fewer FMA units than the description says, the "clock"
comes out low by that factor: it is the clock the description's peak needs to
match this machine's, which is what converts the model's cycles into seconds.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import time
from dataclasses import dataclass
from math import ceil, prod

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.parsing import InputError
from isamapper_tools.native_build import Toolchain, build_llvm_library

LLVM_TYPES = {"f32": "float", "f64": "double"}
"""The element types the FMA loop can be written in (LLVM's names)."""


@dataclass(frozen=True)
class PeakInstruction:
    """The description's fastest multiply-accumulate and its peak rate."""

    name: str
    lanes: int
    element: str
    """The LLVM element type of its operands."""
    chains: int
    """Independent accumulators a loop needs to keep every unit busy."""
    macs_per_cycle: float


@dataclass(frozen=True)
class MeasuredClock:
    """The clock this machine runs the description's peak at."""

    mhz: float
    gflops: float
    """The FMA loop's measured rate (2 FLOP per multiply-accumulate)."""
    peak: PeakInstruction

    def describe(self, hardware: HardwareOp) -> str:
        """One line for a report: the measured clock and how it was found."""
        stated = hardware.clock_mhz
        said = f"; the description says {stated} MHz" if stated is not None else ""
        return (
            f"clock measured on this machine: {self.mhz:.0f} MHz (an FMA loop on "
            f"{self.peak.lanes}-lane vectors at {self.gflops:.1f} GFLOP/s over "
            f"@{hardware.sym_name.data}'s {2 * self.peak.macs_per_cycle:g} FLOP per cycle "
            f"of @{self.peak.name}{said})"
        )


def peak_instruction(hardware: HardwareOp) -> PeakInstruction:
    """The `mac` instruction with the most multiply-accumulates per cycle over
    all its units; an InputError when the description has none the loop can
    be written for."""
    best: PeakInstruction | None = None
    for instruction in hardware.ops_of(InstructionOp):
        statement = instruction.statement
        if statement.compute_kind != ComputeKind.MAC:
            continue
        element = str(statement.all_operands[0].type.get_element_type())
        if element not in LLVM_TYPES:
            continue
        lanes = prod(statement.extents)
        interval = instruction.interval.value.data
        units = instruction.unit_op().count.value.data
        rate = lanes / interval * units
        if best is None or rate > best.macs_per_cycle:
            # Enough chains to cover the latency on every unit, with a margin.
            chains = max(2, ceil(2 * instruction.latency.value.data * units / interval))
            best = PeakInstruction(
                instruction.sym_name.data, lanes, LLVM_TYPES[element], chains, rate
            )
    if best is None:
        raise InputError(
            f"@{hardware.sym_name.data} has no f32 or f64 `mac` instruction to measure "
            "its clock with (use --model-clock description)"
        )
    return best


def fma_loop_ir(peak: PeakInstruction, registers: int) -> str:
    """LLVM IR of `T fma_loop(i64 n, T x, T y)`: n rounds of `peak.chains`
    independent FMAs (at most `registers` - 2 of them, so none spill) on
    `peak.lanes`-wide vectors; it returns a lane of their sum so nothing is
    dead."""
    chains = max(1, min(peak.chains, registers - 2))
    vector = f"<{peak.lanes} x {peak.element}>"
    splat = f"<{peak.lanes} x i32> zeroinitializer"
    fma = f"@llvm.fma.v{peak.lanes}{'f32' if peak.element == 'float' else 'f64'}"
    lines = [
        f"declare {vector} {fma}({vector}, {vector}, {vector})",
        f"define {peak.element} @fma_loop(i64 %n, {peak.element} %x, {peak.element} %y) {{",
        "entry:",
        f"  %x0 = insertelement {vector} poison, {peak.element} %x, i64 0",
        f"  %xs = shufflevector {vector} %x0, {vector} poison, {splat}",
        f"  %y0 = insertelement {vector} poison, {peak.element} %y, i64 0",
        f"  %ys = shufflevector {vector} %y0, {vector} poison, {splat}",
        "  br label %loop",
        "loop:",
        "  %i = phi i64 [ 0, %entry ], [ %next, %loop ]",
    ]
    for c in range(chains):
        lines.append(f"  %a{c} = phi {vector} [ %ys, %entry ], [ %b{c}, %loop ]")
    for c in range(chains):
        lines.append(f"  %b{c} = call {vector} {fma}({vector} %a{c}, {vector} %xs, {vector} %ys)")
    lines += [
        "  %next = add i64 %i, 1",
        "  %more = icmp ult i64 %next, %n",
        "  br i1 %more, label %loop, label %done",
        "done:",
        f"  %s0 = fadd {vector} %b0, %b0",
    ]
    for c in range(1, chains):
        lines.append(f"  %s{c} = fadd {vector} %s{c - 1}, %b{c}")
    lines += [
        f"  %lane = extractelement {vector} %s{chains - 1}, i64 0",
        f"  ret {peak.element} %lane",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _registers(hardware: HardwareOp, peak: PeakInstruction) -> int:
    """How many vectors of the peak instruction's width its operand memory holds."""
    instruction = next(i for i in hardware.ops_of(InstructionOp) if i.sym_name.data == peak.name)
    memory = instruction.operand_memories()[-1]
    width = peak.lanes * (4 if peak.element == "float" else 8)
    return max(3, memory.capacity.value.data // width)


def measure_clock(
    hardware: HardwareOp, toolchain: Toolchain, seconds: float = 0.02, calls: int = 7
) -> MeasuredClock:
    """Time the FMA loop natively (the median of `calls` calls of about
    `seconds` each) and turn its rate into the description's clock."""
    peak = peak_instruction(hardware)
    registers = _registers(hardware, peak)
    library, _ = build_llvm_library(fma_loop_ir(peak, registers), hardware, toolchain)
    entry = ctypes.CDLL(str(library)).fma_loop
    scalar = ctypes.c_float if peak.element == "float" else ctypes.c_double
    entry.restype = scalar
    entry.argtypes = [ctypes.c_int64, scalar, scalar]
    chains = max(1, min(peak.chains, registers - 2))

    def rate(rounds: int) -> tuple[float, float]:
        start = time.perf_counter()
        entry(rounds, 0.999999, 1e-7)
        elapsed = time.perf_counter() - start
        return elapsed, rounds * chains * peak.lanes / elapsed

    rounds = 100_000
    elapsed, _ = rate(rounds)  # also warms the clock up
    rounds = max(rounds, int(rounds * seconds / max(elapsed, 1e-9)))
    macs = statistics.median(rate(rounds)[1] for _ in range(calls))
    return MeasuredClock(macs / peak.macs_per_cycle / 1e6, 2 * macs / 1e9, peak)


CLOCK_CHOICES = ("measured", "description")
"""How the model's cycles become seconds beside a native run (`--model-clock`)."""


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """`--model-clock` and `--model-start`: the conditions of the model's
    prediction beside a native run (isamapper-run and isamapper-bench)."""
    parser.add_argument(
        "--model-clock",
        choices=CLOCK_CHOICES,
        default="measured",
        help="(--native) the clock that turns the model's cycles into seconds: measured on "
        "this machine just before (default) or the description's",
    )
    parser.add_argument(
        "--model-start",
        choices=("warm", "cold"),
        default="warm",
        help="(--native) where the model's tensors start: warm in the smallest cache that "
        "holds them, as repeated native calls find them (default), or cold in main memory",
    )


def model_clock(hardware: HardwareOp, how: str, toolchain: Toolchain) -> tuple[float | None, str]:
    """The clock (MHz) for the model's predictions and a line saying where it
    comes from: measured on this machine (`measure_clock`) or the description's
    own (None and a note when it gives none)."""
    if how == "measured":
        measured = measure_clock(hardware, toolchain)
        return measured.mhz, measured.describe(hardware)
    if how != "description":
        raise InputError(f"--model-clock {how}: choose one of {', '.join(CLOCK_CHOICES)}")
    stated = hardware.clock_mhz
    if stated is None:
        return None, f"@{hardware.sym_name.data} gives no clock"
    return float(stated), f"clock: the description's {stated} MHz"
