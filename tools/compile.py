"""`isamapper-compile`: map and schedule a kernel file for a hardware, in one step.

    isamapper-compile KERNEL.mlir --hardware hardware/nnp.mlir [--strategy greedy]
                      [--budget N] [--seed N] [--tune N] [-o PROGRAM.mlir]

It runs the same pipeline as
    xdsl-opt KERNEL.mlir -p 'isa-map-instructions{hardware-file="HW"},isa-schedule{strategy=S}'
verifies the result and writes it (stdout by default). The program keeps the
kernel's name and argument names, and the kernel itself as `<name>_reference`,
so `isamapper-run PROGRAM.mlir --check` compares the two.

With `--tune N` (a CPU description this machine can run), each statement's N
next-best plans, as the cost model rates them, are built and timed natively
beside the chosen one, and the fastest is kept (isamapper_tools/native_tuning.py;
a line per statement on stderr says what was kept).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from io import StringIO

from xdsl.printer import Printer
from xdsl.utils.exceptions import DiagnosticException

from isamapper_dialect.parsing import InputError, read_source
from isamapper_dialect.shipped_hardware import shipped_hardware
from isamapper_passes.compile_module import compile_module
from isamapper_passes.scheduling.strategies import STRATEGIES
from isamapper_passes.statement_error import StatementError
from isamapper_tools.internal_error import report_internal_error
from isamapper_tools.native_tuning import NativeTuner


def _note(line: str) -> None:
    print(f"isamapper-compile: {line}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of isamapper-compile."""
    parser = argparse.ArgumentParser(
        prog="isamapper-compile",
        description=__doc__.split("\n\n")[0],
        epilog="The same as: " + __doc__.split("It runs the same pipeline as\n")[1].split("\n")[0],
    )
    parser.add_argument("file", nargs="?", help="a .mlir file with isa.kernel(s)")
    parser.add_argument(
        "--hardware",
        help="a hardware description: a .mlir file, or a shipped one by name (see --list-hardware)",
    )
    parser.add_argument(
        "--list-hardware",
        action="store_true",
        help="print the shipped hardware descriptions (name and path) and exit",
    )
    parser.add_argument("--target", help="the isa.hardware in that file, when it has several")
    parser.add_argument(
        "--strategy",
        default="greedy",
        choices=STRATEGIES,
        help="how the scheduler chooses: greedy (default), search (wider, within --budget), "
        "random (from --seed) or library (the bench's hand-written-library baseline)",
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=2000,
        help="plans the search may try per statement (1 or more)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the random strategy (0 or more)"
    )
    parser.add_argument(
        "--tune",
        type=int,
        default=0,
        metavar="N",
        help="time each statement's N next-best plans natively beside the chosen one and "
        "keep the fastest (a CPU description this machine runs; default 0: no tuning)",
    )
    parser.add_argument("-o", "--output", help="write the program here (default: stdout)")
    return parser


def compile_file(args: argparse.Namespace) -> str:
    """The compiled module's text; InputError on bad input."""
    if not args.hardware:
        raise InputError("--hardware is empty; give the path of a hardware description")
    if args.seed < 0:
        raise InputError(f"--seed {args.seed}: a seed must be a non-negative integer")
    if args.budget < 1:
        raise InputError(f"--budget {args.budget}: the search needs a budget of at least 1 plan")
    module, source = read_source(args.file)
    try:
        compile_module(
            module,
            args.hardware,
            target=args.target,
            strategy=args.strategy,
            budget=args.budget,
            seed=args.seed,
            # NativeTuner refuses a negative count with the message.
            tuner=NativeTuner(args.tune, log=_note) if args.tune else None,
        )
    except StatementError as error:
        # The statement (or kernel) that failed, at its line in the kernel file.
        raise InputError(source.locate(error.op, error.message)) from None
    except DiagnosticException as error:
        raise InputError(f"{args.file}: {str(error).split(chr(10) * 2)[0]}") from None
    stream = StringIO()
    Printer(stream=stream).print_op(module)
    return stream.getvalue() + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_hardware:
        for name, path in shipped_hardware().items():
            print(f"{name}\t{path}")
        return
    if args.file is None or args.hardware is None:
        parser.error("a kernel file and --hardware are required (or --list-hardware)")
    start = time.perf_counter()
    try:
        text = compile_file(args)
    except InputError as error:
        print(f"isamapper-compile: {error}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # a bug of ours: still no traceback unless asked for
        sys.exit(report_internal_error("isamapper-compile", error))
    if args.output:
        try:
            with open(args.output, "w") as stream:
                stream.write(text)
        except OSError as error:
            print(
                f"isamapper-compile: cannot write {args.output}: {error.strerror}", file=sys.stderr
            )
            sys.exit(1)
        print(
            f"compiled {args.file} for {args.hardware} in {time.perf_counter() - start:.2f} s "
            f"-> {args.output}",
            file=sys.stderr,
        )
    else:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader (`| head`) stopped early: nothing more to say.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
