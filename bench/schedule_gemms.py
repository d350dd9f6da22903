"""Benchmark: compile and simulate DeepBench GEMMs and the examples.

For each kernel and hardware: map + schedule time (greedy), timing-only
simulation time, modelled cycles, the roofline bound, efficiency = bound /
cycles (1.0 is the best possible) and the analytic cost model's estimate over
the simulated cycles.

    .venv/bin/python bench/schedule_gemms.py [--hardware nnp systolic cpu_avx2] [--examples]

DeepBench rows (M, N, K; no transposes): 1760x128x1760, 2560x64x2560 and
7680x1500x2560. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from xdsl.parser import Parser

from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.cost_model import AnalyticCostModel
from isamapper_passes.scheduling.lowering import lower_kernel
from isamapper_passes.scheduling.schedule import schedule_kernel
from isamapper_passes.scheduling.strategies import Strategy
from isamapper_tools.gemm_kernel import gemm_text

PROJECT = Path(__file__).resolve().parent.parent
GEMMS = ((1760, 128, 1760), (2560, 64, 2560), (7680, 1500, 2560))


def measure(module, name: str, hardware: str) -> str:
    """One table row."""
    kernel = next(op for op in module.walk() if isinstance(op, KernelOp))
    context = make_context()
    start = time.perf_counter()
    MapInstructionsPass(hardware_file=str(PROJECT / "hardware" / f"{hardware}.mlir")).apply(
        context, module
    )
    strategy = Strategy("greedy", AnalyticCostModel())
    chosen = schedule_kernel(module, kernel, strategy)
    # The cost model's figure for the plans the pass chose (summed over the
    # statements, which the model may overlap).
    estimate = chosen.estimate(strategy.cost_model)
    program = lower_kernel(kernel, chosen.hardware, chosen.plans, chosen.homes)
    kernel.parent_block().insert_op_before(program, kernel)
    compile_seconds = time.perf_counter() - start
    arrays = {
        a.name_hint: __import__("numpy").zeros(a.type.get_shape(), "float32")
        for a in program.arguments
    }
    start = time.perf_counter()
    result = run_program(module, program, arrays, functional=False)
    simulate_seconds = time.perf_counter() - start
    bound = roofline(kernel, program.hardware_op()).bound
    cycles = result.stats.cycles
    return (
        f"| {name} | {hardware} | {cycles:.0f} | {bound:.0f} | {bound / cycles:.3f} "
        f"| {estimate / cycles:.2f} | {compile_seconds:.2f} | {simulate_seconds:.2f} |"
    )


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hardware", nargs="+", default=["nnp", "systolic"])
    parser.add_argument("--examples", action="store_true", help="also the bundled examples")
    args = parser.parse_args()
    print(
        "| kernel | hardware | cycles | bound | efficiency | estimate / cycles "
        "| compile s | simulate s |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for hardware in args.hardware:
        for m, n, k in GEMMS:
            module = Parser(make_context(), gemm_text(m, n, k)).parse_module()
            print(measure(module, f"gemm {m}x{n}x{k}", hardware), flush=True)
        if args.examples:
            for path in sorted((PROJECT / "examples").glob("*.mlir")):
                print(measure(parse_module(path), path.stem, hardware), flush=True)


if __name__ == "__main__":
    main()
