"""Benchmark: mapping candidates and enumeration time per statement.

For GEMM, conv2d 3x3, the MobileNet depthwise-separable block and the GRU cell
(the bundled examples) on every shipped hardware description, count the
candidates `isa-map-instructions` emits per statement and time their
enumeration (median of --repeat runs, all instructions of the hardware).

    .venv/bin/python bench/mapping_candidates.py [--repeat 5]

Prints a Markdown table; the README quotes it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import parse_module
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec

PROJECT = Path(__file__).resolve().parent.parent
KERNELS = ("gemm_nn", "conv2d_nhwc", "mobilenet_dwsep_block", "gru_cell")
HARDWARE = ("nnp", "systolic", "cpu_avx2")


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per statement")
    parser.add_argument(
        "--per-statement", action="store_true", help="one row per statement, not per kernel"
    )
    args = parser.parse_args()
    if args.per_statement:
        print("| kernel | statement | hardware | candidates | per instruction | ms (median) |")
        print("| --- | --- | --- | ---: | --- | ---: |")
    else:
        print("| kernel | hardware | statements | candidates | slowest statement, ms (median) |")
        print("| --- | --- | ---: | ---: | ---: |")
    slowest = 0.0
    for kernel_name in KERNELS:
        module = parse_module(PROJECT / "examples" / f"{kernel_name}.mlir")
        kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
        for hardware_name in HARDWARE:
            hardware = next(
                op
                for op in parse_module(PROJECT / "hardware" / f"{hardware_name}.mlir").walk()
                if isinstance(op, HardwareOp)
            )
            specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
            kernel_total = 0
            kernel_slowest = 0.0
            for position, op in enumerate(kernel.statements):
                spec = statement_spec(op)
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    searches = [(s.name, enumerate_mappings(spec, s)) for s in specs]
                    times.append(time.perf_counter() - start)
                median = statistics.median(times)
                slowest = max(slowest, median)
                counts = ", ".join(f"{n}: {len(s.mappings)}" for n, s in searches if s.mappings)
                total = sum(len(s.mappings) for _, s in searches)
                kernel_total += total
                kernel_slowest = max(kernel_slowest, median)
                if args.per_statement:
                    print(
                        f"| {kernel_name} | {position} ({op.compute_kind.value}) "
                        f"| {hardware_name} | {total} | {counts} | {1e3 * median:.1f} |"
                    )
            if not args.per_statement:
                print(
                    f"| {kernel_name} | {hardware_name} | {len(kernel.statements)} "
                    f"| {kernel_total} | {1e3 * kernel_slowest:.1f} |"
                )
    print(f"\nslowest statement: {1e3 * slowest:.1f} ms (target: under 1000 ms)")


if __name__ == "__main__":
    main()
