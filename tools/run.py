"""`isamapper-run`: run a kernel from a `.mlir` file on its reference semantics.

Bad input (unreadable or malformed files, verifier errors, missing or misshaped
arrays) prints one located message and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from math import prod

import numpy as np

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.kernel_op import KernelOp
from isamapper_hardware.isa_interpreter import run_kernel
from isamapper_tools.kernel_inputs import (
    argument_names,
    check_element_types,
    find_kernel,
    load_inputs,
    random_inputs,
    written_arguments,
)
from isamapper_tools.loading import InputError, parse_module

DESCRIPTION = """\
Run an isa.kernel on its reference semantics (numpy) and summarise the result.

Inputs come from --inputs (an .npz with one array per kernel argument, named
after the argument without '%'; arguments the kernel writes may be omitted and
start at zero) or are random with --seed (uniform in [-1, 1) for arguments the
kernel only reads, zeros for the ones it writes). --outputs writes every
argument after the run to an .npz.
"""


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
    parser.add_argument(
        "--outputs", metavar="OUT.npz", help="write every argument after the run here"
    )
    return parser


def _work(kernel: KernelOp) -> tuple[int, int]:
    macs = elementwise = 0
    for statement in kernel.statements:
        points = prod(statement.extents)
        if statement.compute_kind is ComputeKind.MAC:
            macs += points
        else:
            elementwise += points
    return macs, elementwise


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
    macs, elementwise = _work(kernel)
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


def run(argv: Sequence[str] | None = None) -> int:
    """Run the tool; returns the exit status."""
    args = build_parser().parse_args(argv)
    module = parse_module(args.file)
    kernel = find_kernel(module, args.kernel)
    check_element_types(kernel)
    if args.inputs is not None:
        arrays = load_inputs(kernel, args.inputs)
        origin = args.inputs
    else:
        seed = 0 if args.seed is None else args.seed
        arrays = random_inputs(kernel, seed)
        origin = f"random, seed {seed}"
    start = time.perf_counter()
    results = run_kernel(module, kernel, arrays)
    seconds = time.perf_counter() - start
    print(summary(kernel, args.file, arrays, results, origin, seconds))
    if args.outputs is not None:
        try:
            np.savez(args.outputs, **results)
        except OSError as error:
            raise InputError(f"cannot write {args.outputs}: {error.strerror}") from None
        print(f"wrote {args.outputs} ({len(results)} arrays)")
    return 0


def main() -> None:
    """Console-script entry point."""
    try:
        status = run()
    except InputError as error:
        print(f"isamapper-run: {error}", file=sys.stderr)
        status = 1
    except Exception as error:  # a bug of ours: still no traceback unless asked for
        if os.environ.get("ISAMAPPER_TRACEBACK"):
            raise
        print(
            f"isamapper-run: internal error: {type(error).__name__}: {error}\n"
            "Please report it with the input; ISAMAPPER_TRACEBACK=1 shows the traceback.",
            file=sys.stderr,
        )
        status = 2
    sys.exit(status)


if __name__ == "__main__":
    main()
