"""`isamapper-run --native`: build a program for this CPU, run it, check it
against the reference semantics, time it and set the model's prediction beside
the measurement."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, make_context
from isamapper_hardware.model.machine import ModelError
from isamapper_hardware.model.run import run_program
from isamapper_tools.kernel_inputs import check_program
from isamapper_tools.native_build import build_library, export_native, find_toolchain
from isamapper_tools.native_call import load_program, median_seconds
from isamapper_tools.native_clock import model_clock


def kernel_work(kernel: KernelOp) -> tuple[int, int]:
    """(multiply-accumulates, element-wise operations) of a kernel."""
    macs = elementwise = 0
    for statement in kernel.statements:
        points = prod(statement.extents)
        if statement.compute_kind is ComputeKind.MAC:
            macs += points
        else:
            elementwise += points
    return macs, elementwise


@dataclass(frozen=True)
class NativeRun:
    """What one native run measured."""

    arrays: dict[str, np.ndarray]
    """Every argument after one call from the inputs."""
    seconds: float
    """Median wall time of one call."""
    calls: int
    cached: bool
    """Whether the library came from the cache."""


def run_native(
    module: ModuleOp,
    program: ProgramOp,
    arrays: dict[str, np.ndarray],
    repeats: int,
) -> NativeRun:
    """Build `program` (and its module) for this CPU and run it on `arrays`."""
    hardware = program.hardware_op()
    toolchain = find_toolchain()
    library, cached = build_library(export_native(module, make_context()), hardware, toolchain)
    call = load_program(library, program.sym_name.data)
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(program.body.block.args)]
    initial = [np.ascontiguousarray(arrays[n]) for n in names]
    working = [a.copy() for a in initial]
    call(working)
    result = {n: a.copy() for n, a in zip(names, working, strict=True)}

    def reset() -> None:
        for target, source in zip(working, initial, strict=True):
            np.copyto(target, source)

    seconds, calls = median_seconds(lambda: call(working), reset, repeats)
    return NativeRun(result, seconds, calls, cached)


def native_report(
    module: ModuleOp,
    program: ProgramOp,
    reference: KernelOp | None,
    path: str,
    arrays: dict[str, np.ndarray],
    check: bool,
    repeats: int,
    max_operations: int | None = None,
    clock: str = "measured",
    warm: bool = True,
) -> tuple[dict[str, np.ndarray], dict[str, object], str]:
    """Run natively; return the arrays, the figures (`native_s`, `gflops`,
    `model_s`, ...) and the report text. The model predicts the same calls:
    at the clock `clock` says (`native_clock.model_clock`), its tensors `warm`
    from the previous call (`run_program`) or not."""
    hardware = program.hardware_op()
    measured = run_native(module, program, arrays, repeats)
    mhz, clock_note = model_clock(hardware, clock, find_toolchain())
    figures: dict[str, object] = {
        "program": program.sym_name.data,
        "hardware": hardware.sym_name.data,
        "mode": "native",
        "native_s": measured.seconds,
        "calls_timed": measured.calls,
        "library_cached": measured.cached,
    }
    lines = [
        f"accel.program @{program.sym_name.data} on @{hardware.sym_name.data} from {path} "
        f"(native, {'cached library' if measured.cached else 'built'})",
        f"  native: {measured.seconds * 1e3:.3f} ms (median of {measured.calls} calls)",
    ]
    if reference is not None:
        macs, elementwise = kernel_work(reference)
        gflops = (2 * macs + elementwise) / measured.seconds / 1e9
        figures["gflops"] = gflops
        lines.append(f"  {gflops:.2f} GFLOP/s ({macs} multiply-accumulates)")
    try:
        cycles = run_program(
            module, program, arrays, functional=False, max_operations=max_operations, warm=warm
        ).stats.cycles
    except ModelError as error:
        raise InputError(f"{path}: the model refuses the program: {error}") from None
    figures["model_cycles"] = cycles
    figures["model_clock_mhz"] = mhz
    figures["model_start"] = "warm" if warm else "cold"
    figures["model_s"] = None if mhz is None else cycles / (mhz * 1e6)
    start = "tensors warm from the previous call" if warm else "tensors cold, in main memory"
    if mhz is None:
        lines.append(f"  model: {cycles:.0f} cycles, {start} ({clock_note})")
    else:
        model_s = cycles / (mhz * 1e6)
        figures["model_error"] = model_s / measured.seconds - 1
        lines.append(
            f"  model: {cycles:.0f} cycles = {model_s * 1e3:.3f} ms at {mhz:.0f} MHz, {start} "
            f"({figures['model_error']:+.0%} of the measured time)"
        )
        lines.append(f"    {clock_note}")
    if check:
        worst = check_program(
            module, program, reference, arrays, measured.arrays, path, " of the native run"
        )
        figures["check"] = {"passed": True, "max_abs_error": worst}
        lines.append(f"  check against the reference kernel: passed (max |error| {worst:.2e})")
    return measured.arrays, figures, "\n".join(lines)
