"""Differential fuzzing of the whole pipeline: random kernels on random hardware.

`pairs()` draws one module text holding a random `isa.hardware` and a random
`isa.kernel`; `check_pair` takes it through mapping, scheduling and the
accelerator model. The pipeline must either produce a program whose numbers
equal the reference semantics (float32 tolerance) in no fewer cycles than the
roofline bound, or stop with a diagnostic that says why (an xDSL verifier or
pass error with a message). A crash, a wrong number, cycles below the bound or
a scheduled module that does not print and parse back to itself is a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from pathlib import Path

import numpy as np
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, make_context, parse_text
from isamapper_dialect.reference_semantics import used_indices
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_hardware.model.machine import ModelError
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.schedule import SchedulePass
from isamapper_tools.energy_report import energy_figures
from isamapper_tools.kernel_inputs import checked_outputs, random_inputs

NAMES = ("a", "b", "c", "d", "e")
MAX_POINTS = 200_000
MAX_OPERATIONS = 200_000
"""The model's bound per run: a pair past it stops with the model's diagnostic."""
ELEMENTWISE = ("copy", "add", "sub", "mul", "relu", "neg", "tanh", "sigmoid", "exp")
BINARY = {"add": "+", "sub": "-", "mul": "*"}


def _row(coefficients: dict[str, int], offset: int) -> str:
    terms = [name if c == 1 else f"{c}*{name}" for name, c in coefficients.items() if c]
    text = " + ".join(terms) if terms else ""
    if offset:
        text = f"{text} + {offset}" if text else str(offset)
    return text or "0"


@st.composite
def contractions(draw) -> str:
    """`%O[...] += %X[...] * %W[...]` with 2-5 indices: random strides, offsets,
    index sums and transposes; sizes from 1 to 40, primes included."""
    names = NAMES[: draw(st.integers(2, 5))]
    # At most about MAX_POINTS points of work, so every pair simulates quickly.
    largest = MAX_POINTS ** (1 / len(names))
    sizes = [s for s in (1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 32, 40) if s <= largest]
    extents = {n: draw(st.sampled_from(sizes)) for n in names}
    parallel = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    operands = []
    for label, pool in (("O", parallel), ("X", names), ("W", names)):
        if label == "O":
            chosen = draw(st.permutations(pool))
        else:
            chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        rows, shape = [], []
        for name in chosen:
            coefficients = dict.fromkeys(names, 0)
            coefficients[name] = 1 if label == "O" else draw(st.integers(1, 2))
            if label != "O" and draw(st.booleans()):
                coefficients[draw(st.sampled_from(names))] += 1
            offset = 0 if label == "O" else draw(st.integers(0, 2))
            rows.append(_row(coefficients, offset))
            high = offset + sum(c * (extents[n] - 1) for n, c in coefficients.items())
            shape.append(high + 1 + draw(st.integers(0, 1)))
        operands.append((label, rows, shape))
    signature = ", ".join(
        f"%{label} : memref<{'x'.join(map(str, shape))}xf32>" for label, _, shape in operands
    )
    (o, x, w) = [f"%{label}[{', '.join(rows)}]" for label, rows, _ in operands]
    domain = ", ".join(f"{n} < {extents[n]}" for n in names)
    return f"isa.kernel @fuzz({signature}) {{\n  isa.compute {o} += {x} * {w} for {domain}\n}}\n"


@st.composite
def elementwise_chains(draw) -> str:
    """1-3 element-wise statements over 1-2 dimensional tensors through kernel
    buffers, with transposed reads."""
    rank = draw(st.integers(1, 2))
    shape = [draw(st.sampled_from((1, 3, 4, 7, 16, 33, 64, 100))) for _ in range(rank)]
    square = rank == 2 and shape[0] == shape[1]
    memref = f"memref<{'x'.join(map(str, shape))}xf32>"
    names = NAMES[:rank]
    plain = f"[{', '.join(names)}]"
    domain = ", ".join(f"{n} < {s}" for n, s in zip(names, shape, strict=True))
    steps = draw(st.lists(st.sampled_from(ELEMENTWISE), min_size=1, max_size=3))
    lines, values = [], ["%X", "%Y"]
    for position, kind in enumerate(steps):
        last = position == len(steps) - 1
        target = "%Z" if last else f"%T{position}"
        if not last:
            lines.append(f"  {target} = isa.buffer : {memref}")
        source = draw(st.sampled_from(values))
        read = f"[{', '.join(reversed(names))}]" if square and draw(st.booleans()) else plain
        if kind in BINARY:
            other = draw(st.sampled_from(values))
            body = f"{source}{read} {BINARY[kind]} {other}{plain}"
        elif kind == "copy":
            body = f"{source}{read}"
        else:
            body = f"{kind}({source}{read})"
        lines.append(f"  isa.compute {target}{plain} = {body} for {domain}")
        values.append(target)
    return (
        f"isa.kernel @fuzz(%X : {memref}, %Y : {memref}, %Z : {memref}) {{\n"
        + "\n".join(lines)
        + "\n}\n"
    )


@st.composite
def hardwares(draw) -> str:
    """An `isa.hardware` with 1-4 memories in a chain from the largest, transfer
    engines of 1-3 strided dimensions between neighbours (sometimes one missing,
    sometimes all of one dimension), a matrix instruction (4 to 64 per side,
    non-square too) and vector instructions of one width, whose operands live in
    any memory, the main one included (a one-memory machine works in place);
    names sometimes need quotes; half of them give energies (any of them 0)."""
    costed = draw(st.booleans())

    def cost(*fields: str) -> str:
        values = (0.0, 0.5, 3.0, 40.0)
        return "".join(f" {f} {draw(st.sampled_from(values))}" for f in fields) if costed else ""

    levels = draw(st.sampled_from((2, 3, 4) * 3 + (1,)))
    quoted = draw(st.integers(0, 3)) == 0
    memory = [f'@"m-{level}"' if quoted else f"@m{level}" for level in range(levels)]
    if quoted and levels > 1:
        memory[1] = '@"mém 1"'
    lines = [
        f"  isa.memory {memory[0]} capacity 1073741824 bandwidth 64 latency 100"
        + cost("read_energy", "write_energy")
    ]
    for level in range(1, levels):
        capacity = draw(st.sampled_from((1024, 8192, 65536, 262144, 1048576, 8388608)))
        bandwidth = draw(st.sampled_from((1, 16, 64, 256, 1024)))
        lines.append(
            f"  isa.memory {memory[level]} capacity {capacity} bandwidth {bandwidth} "
            f"latency {draw(st.integers(1, 20))}" + cost("read_energy", "write_energy")
        )
    missing = draw(st.sampled_from([None] * 6 + [(1, True), (levels - 1, False)]))
    one_d = draw(st.integers(0, 7)) == 0
    for level in range(1, levels):
        for inward in (True, False):
            if missing == (level, inward):
                continue
            source, target = (level - 1, level) if inward else (level, level - 1)
            name = f'@"t{source}->{target}"' if quoted else f"@t{source}{target}"
            dims = 1 if one_d else draw(st.integers(1, 3))
            lines.append(
                f"  isa.transfer {name} from {memory[source]} to {memory[target]} "
                f"bandwidth {draw(st.sampled_from((8, 64, 512)))} "
                f"latency {draw(st.integers(1, 50))} dims {dims}" + cost("energy")
            )
    mx, vx = ('@"m x"', '@"v-x"') if quoted else ("@mx", "@vx")
    mm, vfma = ('@"m.m-1"', '@"v-fma"') if quoted else ("@mm", "@vfma")
    lines.append(f"  isa.unit {mx} count {draw(st.integers(1, 4))}" + cost("static_energy"))
    lines.append(f"  isa.unit {vx} count {draw(st.integers(1, 4))}" + cost("static_energy"))
    m, n, k = (draw(st.sampled_from((4, 8, 16, 32, 64))) for _ in range(3))
    # Now and then in the main memory itself (always on a one-memory machine).
    in_main = levels == 1 or draw(st.integers(0, 9)) == 0
    operand_level = 0 if in_main else draw(st.integers(1, levels - 1))
    result_level = 0 if in_main else draw(st.integers(1, levels - 1))
    lines.append(
        f"  isa.instruction {mm} on {mx} "
        f"latency {draw(st.integers(1, 64))} interval {draw(st.integers(1, 32))}"
        f"{cost('energy')} (%X : memref<{m}x{k}xf32> in {memory[operand_level]}, "
        f"%W : memref<{k}x{n}xf32> in {memory[operand_level]}, "
        f"%O : memref<{m}x{n}xf32> in {memory[result_level]}) {{\n"
        f"    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < {m}, j < {n}, k < {k}\n  }}"
    )
    width = draw(st.sampled_from((1, 4, 8, 16, 32)))
    vector = f"memref<{width}xf32> in {memory[operand_level]}"
    lines.append(
        f"  isa.instruction {vfma} on {vx} latency 4 "
        f"interval 1{cost('energy')} (%X : {vector}, %W : {vector}, %O : {vector}) {{\n"
        f"    isa.compute %O[i] += %X[i] * %W[i] for i < {width}\n  }}"
    )
    kinds = [kind for kind in ELEMENTWISE if draw(st.integers(0, 9)) < 8]
    for kind in kinds:
        if kind in BINARY:
            operands, body = f"%X : {vector}, %Y : {vector}", f"%X[i] {BINARY[kind]} %Y[i]"
        else:
            operands, body = f"%X : {vector}", "%X[i]" if kind == "copy" else f"{kind}(%X[i])"
        name = f'@"v-{kind}"' if quoted else f"@v{kind}"
        lines.append(
            f"  isa.instruction {name} on {vx} latency {draw(st.integers(1, 24))} "
            f"interval {draw(st.integers(1, 8))}{cost('energy')} ({operands}, %O : {vector}) {{\n"
            f"    isa.compute %O[i] = {body} for i < {width}\n  }}"
        )
    hardware = '@"fuzz-hw"' if quoted else "@fuzzhw"
    return f"isa.hardware {hardware} {{\n" + "\n".join(lines) + "\n}\n"


def pairs() -> st.SearchStrategy[str]:
    """One module text: a random hardware and a random kernel."""
    kernels = st.one_of(contractions(), elementwise_chains())
    return st.tuples(hardwares(), kernels).map(lambda pair: pair[0] + pair[1])


@dataclass(frozen=True)
class Outcome:
    """How the pipeline ended for one pair."""

    compiled: bool
    reason: str = ""
    cycles: float = 0.0
    bound: float = 0.0


DIAGNOSTICS = (DiagnosticException, VerifyException, ParseError, InputError)


def check_pair(text: str, failure_file: Path | None = None) -> Outcome:
    """Take one hardware + kernel module through the pipeline and judge it (see
    the module docstring); raise AssertionError on a failure, after writing the
    case to `failure_file` when given."""
    try:
        return _check(text)
    except ModelError as error:
        if "too long to simulate" not in str(error):
            _record(text, failure_file)
            raise
        return Outcome(False, str(error))
    except DIAGNOSTICS as error:
        message = str(error).strip()
        if not message:
            _record(text, failure_file)
            raise AssertionError(f"a diagnostic without a message: {error!r}") from None
        return Outcome(False, message.splitlines()[0])
    except Exception:
        _record(text, failure_file)
        raise


def _record(text: str, failure_file: Path | None) -> None:
    if failure_file is not None:
        failure_file.write_text(text)


def _tolerance(
    module: ModuleOp,
    kernel: KernelOp,
    inputs: dict[str, np.ndarray],
    expected: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Per output element, the float32 error a different summation order may
    make: 1e-4 absolute and relative, plus, for a multiply-accumulate of K terms
    per element, 2 K eps times the sum of the terms' magnitudes (the reference
    run on the inputs' absolute values)."""
    terms = max(
        (
            prod(e for d, e in enumerate(op.extents) if d not in used_indices(op.access(0)))
            for op in kernel.statements
            if op.compute_kind is ComputeKind.MAC
        ),
        default=0,
    )
    magnitude = run_kernel(module, kernel, {n: np.abs(a) for n, a in inputs.items()})
    eps = float(np.finfo(np.float32).eps)
    return {
        name: 1e-4 + 1e-4 * np.abs(value) + 2 * terms * eps * np.abs(magnitude[name])
        for name, value in expected.items()
    }


def _verify_after(module: ModuleOp, name: str) -> None:
    """A pass that leaves IR that does not verify is a failure, not a diagnostic."""
    try:
        module.verify()
    except VerifyException as error:
        raise AssertionError(f"{name} left IR that does not verify: {error}") from None


def _check(text: str) -> Outcome:
    module = parse_text(text, "fuzz.mlir")
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    inputs = random_inputs(kernel, 0)
    expected = run_kernel(module, kernel, inputs)
    context = make_context()
    MapInstructionsPass().apply(context, module)
    _verify_after(module, "isa-map-instructions")
    SchedulePass().apply(context, module)
    _verify_after(module, "isa-schedule")
    # Every printed form parses again (quoted names included) to the same text.
    printed = str(module)
    try:
        again = str(parse_text(printed, "scheduled.mlir"))
    except InputError as error:
        raise AssertionError(f"the scheduled module does not parse again: {error}") from None
    assert again == printed, "the scheduled module prints differently after parsing"
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    result = run_program(module, program, inputs, max_operations=MAX_OPERATIONS)
    reference = next(
        op
        for op in module.walk()
        if isinstance(op, KernelOp) and op.sym_name.data.endswith("_reference")
    )
    allowed = _tolerance(module, reference, inputs, expected)
    for name in checked_outputs(program, reference):
        error = np.abs(result.arrays[name] - expected[name])
        assert np.all(error <= allowed[name]), (
            f"%{name} differs from the reference by up to {np.nanmax(error):.3g}"
        )
    bound = roofline(reference, program.hardware_op()).bound
    cycles = result.stats.cycles
    assert cycles >= bound * (1 - 1e-9), f"{cycles} cycles, below the roofline bound {bound}"
    energy = energy_figures(result.stats, program.hardware_op(), reference)
    if energy.energy_pj is not None:
        assert energy.energy_bound_pj is not None
        assert energy.energy_pj >= energy.energy_bound_pj * (1 - 1e-9), (
            f"{energy.energy_pj} pJ, below the energy bound {energy.energy_bound_pj}"
        )
    timing = run_program(module, program, inputs, functional=False, max_operations=MAX_OPERATIONS)
    assert np.isclose(timing.stats.cycles, cycles, rtol=1e-9), (
        f"timing-only {timing.stats.cycles} cycles against functional {cycles}"
    )
    return Outcome(True, cycles=cycles, bound=bound)
