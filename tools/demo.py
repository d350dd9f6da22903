"""`make demo`: run the bundled examples and check each against numpy.

Every example in `examples/` runs on the reference semantics with random
inputs (seed 0); its outputs are compared with a numpy formulation of the same
kernel written independently here (float64). The shipped hardware
descriptions are loaded and summarised, every statement is mapped onto the
NNP-like accelerator (its best candidate checked tile by tile), and the main job
runs: the depthwise-separable block, the GRU step and a DeepBench GEMM are
mapped, scheduled and run on the accelerator model, checked against the
reference (the full-size GEMM in timing-only mode, a scaled-down copy of it
functionally), with cycles, utilisation and the roofline bound.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, UnitOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, make_context, parse_module
from isamapper_dialect.shipped_hardware import load_hardware
from isamapper_dialect.transfer_op import TransferOp
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.compile_module import compile_module
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.soundness import check_mapping
from isamapper_tools.gemm_kernel import gemm_text
from isamapper_tools.kernel_inputs import find_kernel, random_inputs, written_arguments

PROJECT = Path(__file__).resolve().parent.parent

Arrays = dict[str, np.ndarray]


def _windows(image: np.ndarray, size: int, stride: int) -> np.ndarray:
    """(n, h, w, c, r, s) windows of an NHWC image."""
    return sliding_window_view(image, (size, size), axis=(1, 2))[:, ::stride, ::stride]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _gru(a: Arrays) -> Arrays:
    hidden = a["h"].shape[1]
    gx = a["x"] @ a["W"] + a["bx"]
    gh = a["h"] @ a["U"] + a["bh"]
    r = _sigmoid(gx[:, :hidden] + gh[:, :hidden])
    z = _sigmoid(gx[:, hidden : 2 * hidden] + gh[:, hidden : 2 * hidden])
    n = np.tanh(gx[:, 2 * hidden :] + r * gh[:, 2 * hidden :])
    return {"h_next": (1 - z) * n + z * a["h"]}


def _dwsep(a: Arrays) -> Arrays:
    depthwise = np.einsum("nhwcrs,rsc->nhwc", _windows(a["I"], 3, 1), a["Fd"])
    return {"O": np.einsum("nhwc,ck->nhwk", np.maximum(depthwise, 0), a["Wp"])}


NUMPY_FORMULAS: dict[str, Callable[[Arrays], Arrays]] = {
    "gemm_nn": lambda a: {"C": a["A"] @ a["B"]},
    "gemm_tn": lambda a: {"C": a["A"].T @ a["B"]},
    "gemm_nt": lambda a: {"C": a["A"] @ a["B"].T},
    "conv2d_nhwc": lambda a: {"O": np.einsum("nhwcrs,rscf->nhwf", _windows(a["I"], 3, 1), a["F"])},
    "depthwise_conv": lambda a: {
        "O": np.einsum("nhwcrs,rsc->nhwc", _windows(a["I"], 3, 2), a["F"])
    },
    "pointwise_conv": lambda a: {"O": np.einsum("nhwc,ck->nhwk", a["I"], a["W"])},
    "mobilenet_dwsep_block": _dwsep,
    "gru_cell": _gru,
}


def check_example(path: Path, seed: int = 0) -> tuple[str, float, bool]:
    """Run one example; return (kernel name, max abs error, matches numpy)."""
    module = parse_module(path)
    kernel = find_kernel(module, None)
    inputs = random_inputs(kernel, seed)
    results = run_kernel(module, kernel, inputs)
    expected = NUMPY_FORMULAS[path.stem]({k: v.astype(np.float64) for k, v in inputs.items()})
    error = 0.0
    matches = True
    for name, value in expected.items():
        error = max(error, float(np.max(np.abs(results[name] - value))))
        matches &= bool(np.allclose(results[name], value, rtol=1e-4, atol=1e-4))
    return kernel.sym_name.data, error, matches


def describe_hardware(path: Path) -> str:
    """One line per hardware description: its nodes and peak multiply-accumulates."""
    module = parse_module(path)
    lines = []
    for hardware in (op for op in module.walk() if isinstance(op, HardwareOp)):
        instructions = hardware.ops_of(InstructionOp)
        peak = 0.0
        for instruction in instructions:
            statement = instruction.statement
            if statement.compute_kind is ComputeKind.MAC and statement.extents:
                work = float(np.prod(statement.extents))
                rate = work / instruction.interval.value.data
                peak = max(peak, rate * instruction.unit_op().count.value.data)
        lines.append(
            f"  {path.name:<18} @{hardware.sym_name.data}: "
            f"{len(hardware.ops_of(MemoryOp))} memories, "
            f"{len(hardware.ops_of(TransferOp))} transfer engines, "
            f"{len(hardware.ops_of(UnitOp))} unit kinds, "
            f"{len(instructions)} instructions, peak {peak:.0f} MAC/cycle"
        )
    return "\n".join(lines)


def show_mappings(example: Path, hardware_path: Path) -> int:
    """Print each statement's candidate count and best mapping on the hardware,
    checking that best mapping tile by tile; returns how many statements
    have no sound mapping."""
    hardware = load_hardware(hardware_path)
    specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
    kernel = find_kernel(parse_module(example), None)
    failures = 0
    for position, op in enumerate(kernel.statements):
        statement = statement_spec(op)
        found = [
            (spec, mapping)
            for spec in specs
            for mapping in enumerate_mappings(statement, spec).mappings
        ]
        if not found:
            failures += 1
            print(f"  {example.stem} #{position}: no mapping")
            continue
        spec, best = min(found, key=lambda pair: pair[0].issue_cycles(pair[1].executions))
        check_mapping(statement, spec, best)
        groups = ", ".join(g.format() for g in best.groups)
        print(
            f"  {example.stem} #{position} ({op.compute_kind.value}): {len(found)} candidates;"
            f" fastest to issue @{best.instruction} ({spec.issue_cycles(best.executions):.0f}"
            f" cycles, {float(best.utilisation):.1%} of lanes used): {groups}"
        )
    return failures


def gemm_module(m: int, n: int, k: int) -> ModuleOp:
    """A DeepBench-style NN GEMM kernel."""
    return Parser(make_context(), gemm_text(m, n, k)).parse_module()


def compile_and_run(module: ModuleOp, target: Path, functional: bool) -> str:
    """Map, schedule and run a kernel; one line of figures (raises on a wrong result)."""
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    inputs = random_inputs(kernel, 0)
    expected = run_kernel(module, kernel, inputs) if functional else {}
    start = time.perf_counter()
    compile_module(module, target)
    compile_seconds = time.perf_counter() - start
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    start = time.perf_counter()
    result = run_program(module, program, inputs, functional=functional)
    simulate_seconds = time.perf_counter() - start
    check = "timing only"
    if functional:
        worst = max(
            float(np.max(np.abs(result.arrays[name] - expected[name])))
            for name in written_arguments(kernel)
        )
        if worst > 1e-3:
            raise InputError(f"@{kernel.sym_name.data}: the program differs by {worst:.3g}")
        check = f"matches the reference (max |error| {worst:.1e})"
    bound = roofline(kernel, program.hardware_op()).bound
    stats = result.stats
    busiest = max(stats.units, key=stats.utilisation)
    return (
        f"  @{program.sym_name.data}: {check}\n"
        f"      {stats.cycles:.0f} cycles, roofline bound {bound:.0f} "
        f"(efficiency {bound / stats.cycles:.2f}), @{busiest} {stats.utilisation(busiest):.0%} "
        f"busy; compiled in {compile_seconds:.2f} s, simulated in {simulate_seconds:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the exit status (1 when an example does not match)."""
    parser = argparse.ArgumentParser(prog="isamapper-demo", description=__doc__)
    parser.add_argument("--examples", type=Path, default=PROJECT / "examples")
    parser.add_argument("--hardware", type=Path, default=PROJECT / "hardware")
    parser.add_argument("--target", type=Path, default=PROJECT / "hardware" / "nnp.mlir")
    args = parser.parse_args(argv)
    try:
        print("Hardware descriptions:")
        for path in sorted(args.hardware.glob("*.mlir")):
            print(describe_hardware(path))
        print("\nExamples on the reference semantics (random inputs, seed 0) vs numpy:")
        print(f"  {'example':<28} {'kernel':<24} {'max |error|':>12}  check")
        failures = 0
        examples = sorted(args.examples.glob("*.mlir"))
        for path in examples:
            kernel, error, matches = check_example(path)
            failures += not matches
            verdict = "OK" if matches else "MISMATCH"
            print(f"  {path.name:<28} @{kernel:<23} {error:>12.2e}  {verdict}")
        print(
            f"\nInstruction mapping on {args.target.name} (isa-map-instructions): per statement "
            "the candidate\nwith the fewest issue cycles (executions x interval / units, "
            "transfers ignored),\nrun tile by tile against the reference semantics:"
        )
        for path in examples:
            failures += show_mappings(path, args.target)
        print(
            f"\nThe main job on {args.target.name}: map + schedule (greedy, analytic cost "
            "model) + run on the accelerator model:"
        )
        for name in ("mobilenet_dwsep_block", "gru_cell"):
            print(compile_and_run(parse_module(args.examples / f"{name}.mlir"), args.target, True))
        print(compile_and_run(gemm_module(2560, 64, 2560), args.target, False))
        print(compile_and_run(gemm_module(320, 64, 320), args.target, True))
    except InputError as error:
        print(f"isamapper-demo: {error}", file=sys.stderr)
        return 1
    print(
        "\nAll examples match numpy (rtol 1e-4, atol 1e-4) and every statement maps."
        if not failures
        else f"\n{failures} problem(s) above."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
