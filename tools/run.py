"""`isamapper-run`: run a kernel from a `.mlir` file on its reference semantics.

Bad input (unreadable or malformed files, verifier errors, missing or misshaped
arrays) prints one located message and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import MemRefType, ModuleOp, SymbolRefAttr

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.instruction_op import memref_bytes
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, parse_module
from isamapper_dialect.resources import ResourceKind
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_hardware.model.machine import ModelError
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.interop.export_harness import print_values
from isamapper_tools.energy_report import energy_figures
from isamapper_tools.internal_error import report_internal_error
from isamapper_tools.kernel_inputs import (
    argument_names,
    check_element_types,
    check_program,
    find_runnable,
    load_inputs,
    pattern_inputs,
    random_inputs,
    written_arguments,
)
from isamapper_tools.native_clock import add_model_arguments
from isamapper_tools.native_report import kernel_work, native_report

DESCRIPTION = """\
Run an isa.kernel on its reference semantics (numpy), or a scheduled
accel.program on the accelerator model, and summarise the result: for a
program, cycles, the roofline lower bound, unit utilisation and engine busy
time (--check compares with the reference kernel it was compiled from).

Inputs come from --inputs (an .npz with one array per kernel argument, named
after the argument without '%'; arguments the kernel writes may be omitted and
start at zero), are random with --seed (uniform in [-1, 1) for arguments the
kernel only reads, zeros for the ones it writes) or, with --pattern-inputs, are
the small integers in [-3, 3] the exported test driver uses (a hash of the
flat element index and the argument position; see
passes/interop/export_harness.py); --print-values then prints what
mlir-runner prints for the exported program. --outputs writes every
argument after the run to an .npz.

With --native, a program for a CPU description (one that names its `cpu`, as
hardware/cpu_avx512.mlir does) is built into a shared library with the
upstream tools of the `mlir` extra (cached under ~/.cache/isamapper/native),
run on this machine, checked with --check, and timed: the median wall time of
repeated calls, GFLOP/s, and the model's predicted time for the same calls:
its cycles, with the tensors warm from the previous call (--model-start), at
the clock measured on this machine (--model-clock: an FMA loop's rate over the
description's peak FLOP per cycle; see tools/native_clock.py); --json gives
native_s, gflops, model_s, model_clock_mhz and model_start.
"""


DEFAULT_MAX_OPERATIONS = 100_000_000
"""About ten minutes of simulation on one core."""
DEFAULT_MAX_GIB = 8.0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of isamapper-run."""
    parser = argparse.ArgumentParser(
        prog="isamapper-run",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="a .mlir file holding the kernel")
    parser.add_argument(
        "--kernel", metavar="NAME", help="the kernel to run when the file has several"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--inputs", metavar="IN.npz", help="input arrays named after the arguments")
    source.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="random inputs from this seed (the default, with seed 0)",
    )
    source.add_argument(
        "--pattern-inputs",
        action="store_true",
        help="the deterministic small-integer inputs of the exported test driver "
        "(convert-accel-to-mlir{harness=true}), to compare with mlir-runner",
    )
    parser.add_argument(
        "--outputs", metavar="OUT.npz", help="write every argument after the run here"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="(programs) compare the outputs with the reference kernel's semantics",
    )
    parser.add_argument(
        "--native",
        action="store_true",
        help="(programs for a CPU description) build the program for this machine, run "
        "and time it natively, beside the model's prediction",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=50,
        metavar="N",
        help="(--native) time at most N calls, within about a second (default 50)",
    )
    add_model_arguments(parser)
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="(programs) skip the arithmetic and fast-forward repeating loop iterations",
    )
    parser.add_argument(
        "--trace", metavar="OUT.json", help="(programs) write a Chrome/Perfetto trace"
    )
    parser.add_argument(
        "--json", action="store_true", help="(programs) print the figures as one JSON object"
    )
    parser.add_argument(
        "--max-operations",
        type=int,
        default=DEFAULT_MAX_OPERATIONS,
        metavar="N",
        help="(programs) stop after simulating N copies and executions "
        f"(default {DEFAULT_MAX_OPERATIONS:,}; fast-forwarded ones do not count)",
    )
    parser.add_argument(
        "--max-memory",
        type=float,
        default=DEFAULT_MAX_GIB,
        metavar="GIB",
        help=f"refuse kernels whose tensors need more than GIB GiB (default {DEFAULT_MAX_GIB:g})",
    )
    parser.add_argument(
        "--print-values",
        action="store_true",
        help="print only the written arguments' elements, in signature order, one per line "
        "as C's %%g (what the exported test driver prints)",
    )
    return parser


def _describe(array: np.ndarray) -> str:
    if array.size == 0:
        return "empty"
    return f"min {array.min():.6g}  max {array.max():.6g}  mean {array.mean(dtype=np.float64):.6g}"


def summary(
    kernel: KernelOp,
    path: str,
    before: dict[str, np.ndarray],
    after: dict[str, np.ndarray],
    origin: str,
    seconds: float,
) -> str:
    """The short report printed after a run."""
    macs, elementwise = kernel_work(kernel)
    outputs = written_arguments(kernel)
    lines = [
        f"isa.kernel @{kernel.sym_name.data} from {path}: "
        f"{len(kernel.statements)} statement(s), {macs} multiply-accumulates, "
        f"{elementwise} element-wise operations"
    ]
    names = argument_names(kernel)
    width = max(len(n) for n in names) + 1
    for argument, name in zip(kernel.arguments, names, strict=True):
        role = "output" if name in outputs else "input "
        shown = after[name] if name in outputs else before[name]
        lines.append(f"  %{name:<{width}} {str(argument.type):<28} {role}  {_describe(shown)}")
    lines.append(f"inputs: {origin}; reference semantics ran in {seconds * 1e3:.1f} ms")
    return "\n".join(lines)


def _program_report(
    module: ModuleOp,
    program: ProgramOp,
    path: str,
    arrays: dict[str, np.ndarray],
    args: argparse.Namespace,
) -> tuple[dict[str, np.ndarray], dict[str, object], str]:
    """Run a program on the model; return its arrays, figures and report text."""
    start = time.perf_counter()
    try:
        result = run_program(
            module,
            program,
            arrays,
            functional=not args.timing_only,
            trace=args.trace is not None,
            max_operations=args.max_operations,
        )
    except ModelError as error:
        raise InputError(f"{path}: the model refuses the program: {error}") from None
    seconds = time.perf_counter() - start
    stats = result.stats
    hardware = program.hardware_op()
    reference = _reference(module, program)
    figures: dict[str, object] = {
        "program": program.sym_name.data,
        "hardware": hardware.sym_name.data,
        "cycles": stats.cycles,
        "busy": {str(resource): busy for resource, busy in sorted(stats.busy.items())},
        "utilisation": {u: stats.utilisation(u) for u in sorted(stats.units)},
        "bytes_moved": dict(sorted(stats.bytes_moved.items())),
        "executions": dict(sorted(stats.executions.items())),
        "simulation_seconds": seconds,
        "mode": "timing-only" if args.timing_only else "functional",
    }
    lines = [
        f"accel.program @{program.sym_name.data} on @{hardware.sym_name.data} from {path} "
        f"({figures['mode']}, simulated in {seconds:.2f} s)",
        f"  cycles: {stats.cycles:.0f}",
    ]
    if reference is not None:
        bound = roofline(reference, hardware)
        figures["bound"] = bound.bound
        figures["compute_bound"] = bound.compute
        figures["memory_bound"] = bound.memory
        figures["efficiency"] = bound.bound / stats.cycles if stats.cycles else 0.0
        lines.append(
            f"  roofline bound: {bound.bound:.0f} (compute {bound.compute:.0f}, memory "
            f"{bound.memory:.0f}); efficiency {figures['efficiency']:.3f}"
        )
    energy = energy_figures(stats, hardware, reference)
    figures["energy_pj"] = energy.energy_pj
    figures["energy_bound_pj"] = energy.energy_bound_pj
    figures["energy"] = energy.components
    if energy.line() is not None:
        lines.append(energy.line())
    for unit in sorted(stats.units):
        lines.append(f"  unit @{unit}: {stats.utilisation(unit):.1%} busy")
    for resource, busy in sorted(stats.busy.items()):
        if resource.kind is ResourceKind.ENGINE:
            lines.append(f"  engine @{resource.name}: {busy:.0f} busy cycles")
    if args.check:
        if args.timing_only:
            raise InputError("--check needs the arithmetic; drop --timing-only")
        worst = check_program(module, program, reference, arrays, result.arrays, path)
        figures["check"] = {"passed": True, "max_abs_error": worst}
        lines.append(f"  check against the reference kernel: passed (max |error| {worst:.2e})")
    if args.trace is not None:
        try:
            with open(args.trace, "w") as stream:
                json.dump({"traceEvents": stats.trace, "displayTimeUnit": "ns"}, stream)
        except OSError as error:
            raise InputError(f"cannot write {args.trace}: {error.strerror}") from None
        lines.append(f"  trace: {args.trace} ({len(stats.trace)} events)")
    return result.arrays, figures, "\n".join(lines)


def _reference(module: ModuleOp, program: ProgramOp) -> KernelOp | None:
    reference = program.attributes.get("reference")
    if not isinstance(reference, SymbolRefAttr):
        return None
    for op in module.walk():
        if isinstance(op, KernelOp) and op.sym_name.data == reference.root_reference.data:
            return op
    return None


def _check_memory(target: KernelOp | ProgramOp, limit_gib: float) -> None:
    """Refuse a kernel whose tensors (arguments, buffers, allocations) would not fit
    the bound, before allocating any of them."""
    total = 0
    for op in target.walk():
        for value in (*op.results, *(a for r in op.regions for b in r.blocks for a in b.args)):
            if isinstance(value.type, MemRefType):
                total += memref_bytes(value.type)
    if total > limit_gib * 2**30:
        raise InputError(
            f"@{target.sym_name.data}'s tensors need {total / 2**30:.1f} GiB, more than the "
            f"--max-memory bound of {limit_gib:g} GiB"
        )


def run(argv: Sequence[str] | None = None) -> int:
    """Run the tool; returns the exit status."""
    args = build_parser().parse_args(argv)
    module = parse_module(args.file)
    target = find_runnable(module, args.kernel)
    check_element_types(target)
    _check_memory(target, args.max_memory)
    if args.inputs is not None:
        arrays = load_inputs(target, args.inputs)
        origin = args.inputs
    elif args.pattern_inputs:
        arrays = pattern_inputs(target)
        origin = "the export harness's pattern"
    else:
        seed = 0 if args.seed is None else args.seed
        if seed < 0:
            raise InputError(f"--seed {seed}: a seed must be a non-negative integer")
        arrays = random_inputs(target, seed)
        origin = f"random, seed {seed}"
    if args.native and not isinstance(target, ProgramOp):
        raise InputError(
            "--native runs scheduled programs (compile the kernel with isamapper-compile "
            "--hardware cpu_avx512 first)"
        )
    if args.native:
        if args.timing_only or args.trace:
            raise InputError("--native measures the real machine: drop --timing-only and --trace")
        if args.repeats < 1:
            raise InputError(f"--repeats {args.repeats}: time at least one call")
        assert isinstance(target, ProgramOp)
        results, figures, report = native_report(
            module,
            target,
            _reference(module, target),
            args.file,
            arrays,
            args.check,
            args.repeats,
            args.max_operations,
            args.model_clock,
            args.model_start == "warm",
        )
        if not args.print_values:
            print(json.dumps(figures, indent=2) if args.json else report)
    elif isinstance(target, ProgramOp):
        results, figures, report = _program_report(module, target, args.file, arrays, args)
        if not args.print_values:
            print(json.dumps(figures, indent=2) if args.json else report)
    else:
        if args.check or args.timing_only or args.trace or args.json:
            raise InputError(
                "--check, --timing-only, --trace and --json apply to scheduled programs "
                "(compile the kernel with isamapper-compile first)"
            )
        start = time.perf_counter()
        results = run_kernel(module, target, arrays)
        seconds = time.perf_counter() - start
        if not args.print_values:
            print(summary(target, args.file, arrays, results, origin, seconds))
    if args.print_values:
        written = written_arguments(target)
        if not written:
            raise InputError(
                f"--print-values: @{target.sym_name.data} writes none of its arguments, so it "
                "has no output to print"
            )
        names = [n for n in argument_names(target) if n in written]
        sys.stdout.write(print_values([results[n] for n in names]))
    if args.outputs is not None:
        try:
            np.savez(args.outputs, **results)
        except OSError as error:
            raise InputError(f"cannot write {args.outputs}: {error.strerror}") from None
        if not (args.json or args.print_values):
            print(f"wrote {args.outputs} ({len(results)} arrays)")
    return 0


def main() -> None:
    """Console-script entry point."""
    try:
        status = run()
    except InputError as error:
        print(f"isamapper-run: {error}", file=sys.stderr)
        status = 1
    except BrokenPipeError:
        # The reader (`| head`) stopped early: nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    except Exception as error:  # a bug of ours: still no traceback unless asked for
        status = report_internal_error("isamapper-run", error)
    sys.exit(status)


if __name__ == "__main__":
    main()
