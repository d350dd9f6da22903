"""Compile, simulate and bound the kernels of a bench row.

A row is a weighted sum of *parts*, each one kernel text with the scheduling
options it is compiled with. Parts are measured independently (so the same
kernel shared by several rows is measured once, in any process) and rows are
assembled from the results:

- a GEMM or a MobileNet block: one kernel;
- a GRU layer of T steps: the input projection of every step, plus the steps.
  The steps are not simulated one by one (T reaches 1500): the bench simulates
  programs of 3 and 4 consecutive steps and takes their difference as the
  cost of every further step, `S(T) = S(3) + (T - 3) (S(4) - S(3))`, the way
  the model itself fast-forwards a loop whose iterations repeat. Not 2 and
  3: fusion keeps the recurrent weights on chip only for 3 steps or more
  where the copy pays (h1024 b2 on nnp), so a 2-step program is scheduled
  unlike every longer one, and its difference from 3 steps came out negative
  in energy. A pytest compares this with simulating all steps of small layers.

Every measurement is timing-only (the model moves no data); correctness is
checked on *scaled-down* copies (`functional` parts: the same kernel form and
options on small sizes, run with random inputs against the reference
semantics).
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr
from dataclasses import dataclass, replace
from math import prod

from xdsl.parser import Parser

from isamapper_bench.kernels import (
    gemm_kernel,
    gru_projection,
    gru_recurrent_gemm,
    gru_steps,
    mobilenet_kernel,
)
from isamapper_bench.workloads import GemmRow, GruRow, MobileNetBlock, Row
from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.energy_spec import energy_spec
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import memref_bytes
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context
from isamapper_dialect.shipped_hardware import load_hardware
from isamapper_hardware.model.energy import program_energy
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.energy_bound import EnergyBound, energy_bound
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.compile_module import compile_module
from isamapper_tools.kernel_inputs import (
    compare_outputs,
    random_inputs,
    written_arguments,
    zero_inputs,
)

BASELINE = "library"
"""The strategy of the library-style baseline (fusion off)."""


class BenchError(Exception):
    """A measurement that must stop the bench: a wrong result, or cycles below
    the roofline bound."""


@dataclass(frozen=True)
class Part:
    """One kernel to measure."""

    text: str
    strategy: str
    fuse: bool
    mode: str = "timing"
    """`timing` (compile and simulate), `functional` (compile, run with data and
    compare with the reference semantics) or `bound` (roofline only)."""


@dataclass(frozen=True)
class PartResult:
    """What a part measured."""

    compile_s: float
    simulate_s: float
    cycles: float
    bound: float
    compute_bound: float
    flops: float
    error: float = 0.0
    """Largest absolute difference from the reference (functional parts)."""
    notes: tuple[str, ...] = ()
    """What the scheduler said on stderr while compiling it (e.g. which tensors
    fusion left in the main memory, and why): kept here, not printed per kernel."""
    energy_pj: float | None = None
    """The run's energy (None: the hardware gives no energies, or not simulated)."""
    energy_bound: EnergyBound | None = None
    """The kernel's energy bound (None: the hardware gives no energies)."""


def kernel_flops(kernel: KernelOp) -> float:
    """Floating-point operations: two per multiply-accumulate point, one per
    point of any other statement (a copy counts as one)."""
    total = 0.0
    for statement in kernel.statements:
        points = prod(statement.bounds.get_values())
        total += points * (2 if statement.kind.data == ComputeKind.MAC else 1)
    return total


def measure_part(part: Part, hardware: str | HardwareOp) -> PartResult:
    """Measure one part on the hardware file `hardware` (or that hardware op)."""
    context = make_context()
    module = Parser(context, part.text).parse_module()
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    flops = kernel_flops(kernel)
    if part.mode == "bound":
        # The roofline needs the hardware only, not the statements' mappings.
        hardware_op = hardware if isinstance(hardware, HardwareOp) else load_hardware(hardware)
        limits = roofline(kernel, hardware_op)
        return PartResult(
            0.0, 0.0, 0.0, limits.bound, limits.compute, flops,
            energy_bound=energy_bound(kernel, hardware_op),
        )  # fmt: skip
    functional = part.mode == "functional"
    inputs = random_inputs(kernel, 0) if functional else zero_inputs(kernel)
    expected = run_kernel(module, kernel, inputs) if functional else {}
    start = time.perf_counter()
    with redirect_stderr(io.StringIO()) as said:
        compile_module(module, hardware, strategy=part.strategy, fuse=part.fuse, context=context)
    compile_s = time.perf_counter() - start
    notes = tuple(line for line in said.getvalue().splitlines() if line)
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    start = time.perf_counter()
    result = run_program(module, program, inputs, functional=functional)
    simulate_s = time.perf_counter() - start
    limits = roofline(kernel, program.hardware_op())
    error = 0.0
    if functional:
        error, wrong = compare_outputs(result.arrays, expected, written_arguments(kernel))
        if wrong is not None:
            raise BenchError(
                f"@{kernel.sym_name.data} ({part.strategy}): %{wrong} differs from the "
                f"reference semantics by up to {error:.3g}"
            )
    cycles = result.stats.cycles
    if cycles < limits.bound * (1 - 1e-9):
        raise BenchError(
            f"@{kernel.sym_name.data} ({part.strategy}): {cycles:.0f} cycles beat the "
            f"roofline bound {limits.bound:.0f}; the model or the bound is wrong"
        )
    energies = energy_spec(program.hardware_op())
    energy = None if energies is None else program_energy(result.stats, energies).total
    bound = energy_bound(kernel, program.hardware_op())
    if energy is not None and bound is not None and energy < bound.total * (1 - 1e-9):
        raise BenchError(
            f"@{kernel.sym_name.data} ({part.strategy}): {energy:.4g} pJ beat the energy "
            f"bound {bound.total:.4g} pJ; the model or the bound is wrong"
        )
    return PartResult(
        compile_s, simulate_s, cycles, limits.bound, limits.compute, flops, error, notes,
        energy, bound,
    )  # fmt: skip


Terms = tuple[tuple[float, Part], ...]


@dataclass(frozen=True)
class RowPlan:
    """How to measure one row: cycles and flops are weighted sums of parts;
    the bound is the largest weighted bound (`bound` or `compute`) of its terms."""

    suite: str
    row: int
    name: str
    ours: Terms
    baseline: Terms
    bound: tuple[tuple[float, Part, str], ...]
    bytes: int
    """Compulsory traffic: every argument read from and written to the main
    memory once (the roofline's memory term; the plot's intensity)."""
    checks: tuple[Part, ...]

    def parts(self) -> list[Part]:
        """Every part the row needs."""
        terms = [p for _, p in self.ours + self.baseline] + [p for _, p, _ in self.bound]
        return terms + list(self.checks)


@dataclass(frozen=True)
class RowResult:
    """One line of the bench's table and CSV."""

    suite: str
    row: int
    name: str
    compile_s: float
    simulate_s: float
    cycles: float
    bound_cycles: float
    baseline_cycles: float
    flops: float
    bytes: int
    energy_pj: float | None = None
    """pJ (None: the hardware gives no energies)."""
    energy_bound_pj: float | None = None

    @property
    def efficiency(self) -> float:
        return self.bound_cycles / self.cycles

    @property
    def speedup(self) -> float:
        return self.baseline_cycles / self.cycles

    @property
    def set(self) -> str:
        """The workload set (DeepBench's training / inference sets)."""
        return self.name.split("/")[0] if "/" in self.name else self.suite


def assemble(plan: RowPlan, results: dict[Part, PartResult]) -> RowResult:
    """The row's figures from its parts' results."""
    cycles = sum(w * results[p].cycles for w, p in plan.ours)
    baseline = sum(w * results[p].cycles for w, p in plan.baseline)
    bound = max(
        w * (results[p].bound if field == "bound" else results[p].compute_bound)
        for w, p, field in plan.bound
    )
    ours = list(dict.fromkeys(p for _, p in plan.ours))
    compile_s = sum(results[p].compile_s for p in ours)
    simulate_s = sum(results[p].simulate_s for p in ours)
    flops = sum(w * results[p].flops for w, p in plan.ours)
    energies = [results[p].energy_pj for _, p in plan.ours]
    energy = (
        None
        if None in energies
        else sum(w * e for (w, _), e in zip(plan.ours, energies, strict=True))
    )
    return RowResult(
        plan.suite,
        plan.row,
        plan.name,
        compile_s,
        simulate_s,
        cycles,
        bound,
        baseline,
        flops,
        plan.bytes,
        energy,
        _energy_bound(plan, results, bound),
    )


def _energy_bound(plan: RowPlan, results: dict[Part, PartResult], cycles: float) -> float | None:
    """The row's energy bound: its bound terms' traffic and work (a `compute`
    term, such as a GRU's recurrent GEMM of every step, its work only) and the
    static energy over the row's cycle bound."""
    bounds = [(w, results[p].energy_bound, field) for w, p, field in plan.bound]
    if any(b is None for _, b, _ in bounds):
        return None
    total = sum(w * (b.work + (b.traffic if field == "bound" else 0.0)) for w, b, field in bounds)
    return total + bounds[0][1].static_per_cycle * cycles


def _small(size: int, limit: int = 96) -> int:
    """A scaled-down size of the same shape class: unchanged up to `limit`,
    otherwise 64 plus the size's remainder modulo 32 (so ragged instruction
    tiles stay ragged)."""
    return size if size <= limit else 64 + size % 32


def _float32_bytes(*shapes: tuple[int, ...]) -> int:
    """Bytes of float32 tensors of the given shapes."""
    return sum(4 * prod(shape) for shape in shapes)


def plan_row(suite: str, index: int, row: Row, strategy: str, check: bool) -> RowPlan:
    """The parts of one row (and its scaled-down checks when `check`)."""

    def both(text: str, library_text: str | None = None, mode: str = "timing"):
        return Part(text, strategy, True, mode), Part(library_text or text, BASELINE, False, mode)

    if isinstance(row, GemmRow):
        ours, library = both(gemm_kernel(row))
        small = GemmRow(
            row.set, row.index, _small(row.m), _small(row.n), _small(row.k),
            row.a_trans, row.b_trans, row.source,
        )  # fmt: skip
        checks = both(gemm_kernel(small), mode="functional") if check else ()
        traffic = _float32_bytes((row.m, row.k), (row.k, row.n), (row.m, row.n))
        return RowPlan(
            suite, index, row.name, ((1, ours),), ((1, library),), ((1, ours, "bound"),),
            traffic, tuple(checks),
        )  # fmt: skip
    if isinstance(row, GruRow):
        t = row.timesteps
        projection, projection_library = both(gru_projection(row))

        def steps(count: int, gru: GruRow = row, mode: str = "timing") -> tuple[Part, Part]:
            return both(gru_steps(gru, count, False), gru_steps(gru, count, True), mode)

        if t <= 3:
            ours_steps, library_steps = steps(t)
            ours_terms = ((1.0, projection), (1.0, ours_steps))
            library_terms = ((1.0, projection_library), (1.0, library_steps))
        else:
            (three, three_library), (four, four_library) = steps(3), steps(4)
            ours_terms = ((1.0, projection), (4.0 - t, three), (t - 3.0, four))
            library_terms = (
                (1.0, projection_library), (4.0 - t, three_library), (t - 3.0, four_library)
            )  # fmt: skip
        recurrent = Part(gru_recurrent_gemm(row), strategy, True, "bound")
        checks: tuple[Part, ...] = ()
        if check:
            small = GruRow(
                row.set, row.index, _small(row.hidden), min(row.batch, 32), min(t, 3), row.source
            )
            checks = (*both(gru_projection(small), mode="functional"),)
            checks += steps(small.timesteps, small, "functional")
        h, b = row.hidden, row.batch
        traffic = _float32_bytes(
            (t * b, h), (h, 3 * h), (h, 3 * h), (3 * h,), (3 * h,), (b, h), (t * b, h)
        )
        return RowPlan(
            suite, index, row.name, ours_terms, library_terms,
            ((1.0, projection, "bound"), (float(t), recurrent, "compute")), traffic, checks,
        )  # fmt: skip
    assert isinstance(row, MobileNetBlock)
    ours, library = both(mobilenet_kernel(row, False), mobilenet_kernel(row, True))
    checks = ()
    if check:
        small = scaled_block(row)
        checks = both(mobilenet_kernel(small, False), mobilenet_kernel(small, True), "functional")
    context = make_context()
    kernel = next(
        op for op in Parser(context, ours.text).parse_module().walk() if isinstance(op, KernelOp)
    )
    traffic = sum(memref_bytes(a.type) for a in kernel.arguments)  # type: ignore[arg-type]
    return RowPlan(
        suite, index, row.name, ((1, ours),), ((1, library),), ((1, ours, "bound"),),
        traffic, tuple(checks),
    )  # fmt: skip


def scaled_block(block: MobileNetBlock) -> MobileNetBlock:
    """The block on a small image (at most 6x6 outputs) with at most 64 channels,
    the same strides, kernel and padding."""

    layers = []
    for layer in block.layers:
        h_out, w_out = min(layer.h_out, 6), min(layer.w_out, 6)
        layers.append(
            replace(
                layer,
                h_in=h_out * layer.stride,
                w_in=w_out * layer.stride,
                c_in=min(layer.c_in, 64),
                c_out=min(layer.c_out, 64),
                h_out=h_out,
                w_out=w_out,
            )
        )
    return MobileNetBlock(block.block, tuple(layers))
