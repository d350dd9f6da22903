"""Benchmark: the strategies on a new user's targets and kernels (issue 13).

For every kernel x hardware pair of `test/targets/` that maps (four hardware
descriptions nobody tuned the scheduler for, a 2-D-DMA twin of the 1-D DSP,
and nine kernels), each strategy's plans: the analytic cost model's estimate
(summed over statements) and the modelled cycles (timing-only simulation), with
search and library over greedy as ratios. Prints a Markdown table and a summary.

    .venv/bin/python bench/user_targets.py [--strategies greedy search library]
                                           [--kernels NAME ...] [--hardware NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_hardware.model.run import run_program
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.cost_model import AnalyticCostModel
from isamapper_passes.scheduling.lowering import lower_kernel
from isamapper_passes.scheduling.schedule import schedule_kernel
from isamapper_passes.scheduling.strategies import Strategy
from isamapper_passes.statement_error import StatementError

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = PROJECT / "test" / "targets"
HARDWARE = ("rect_hierarchy", "dsp_1d", "dsp_2d", "two_shapes", "odd_semantics")
KERNELS = (
    "batched_matmul",
    "conv5x5_stride2",
    "lstm_h45",
    "lstm_h48",
    "depthwise_1d_dilated",
    "gemm_tn_primes",
    "attention_scores",
    "chain_3x70",
    "chain_3x64",
)


def measure(kernel: str, hardware: str, strategy: str) -> tuple[float, float, float] | str:
    """(estimate, cycles, compile seconds) of one strategy, or why it does not compile."""
    module = parse_module(TARGETS / f"{kernel}.mlir")
    context = make_context()
    start = time.perf_counter()
    try:
        MapInstructionsPass(hardware_file=str(TARGETS / f"{hardware}.mlir")).apply(context, module)
        op = next(o for o in module.walk() if isinstance(o, KernelOp))
        chosen = schedule_kernel(module, op, Strategy(strategy, AnalyticCostModel()))
    except StatementError as error:
        return error.message.splitlines()[0]
    seconds = time.perf_counter() - start
    program = lower_kernel(op, chosen.hardware, chosen.plans, chosen.homes)
    op.parent_block().insert_op_before(program, op)
    arrays = {
        a.name_hint: np.zeros(a.type.get_shape(), np.float32)  # type: ignore[union-attr]
        for a in program.arguments
    }
    cycles = run_program(module, program, arrays, functional=False).stats.cycles
    return chosen.estimate(AnalyticCostModel()), cycles, seconds


def main() -> None:
    """Print the table and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strategies", nargs="+", default=["greedy", "search", "library"])
    parser.add_argument("--kernels", nargs="+", default=list(KERNELS))
    parser.add_argument("--hardware", nargs="+", default=list(HARDWARE))
    args = parser.parse_args()
    strategies = args.strategies
    header = ["kernel", "hardware"]
    for name in strategies:
        header += [f"{name} estimate", f"{name} cycles"]
    header += [f"{name} / {strategies[0]} cycles" for name in strategies[1:]]
    print("| " + " | ".join(header) + " |")
    print("| --- | --- |" + " ---: |" * (len(header) - 2))
    ratios: dict[str, list[float]] = {name: [] for name in strategies[1:]}
    estimate_worse: dict[str, int] = {name: 0 for name in strategies[1:]}
    for kernel in args.kernels:
        for hardware in args.hardware:
            results = {name: measure(kernel, hardware, name) for name in strategies}
            first = results[strategies[0]]
            if isinstance(first, str):
                print(f"{kernel} on {hardware}: {first}", file=sys.stderr)
                continue
            row = [kernel, hardware]
            for name in strategies:
                result = results[name]
                row += (
                    [f"{result[0]:.0f}", f"{result[1]:.0f}"]
                    if not isinstance(result, str)
                    else ["-", "-"]
                )
            for name in strategies[1:]:
                result = results[name]
                if isinstance(result, str):
                    row.append("-")
                    continue
                ratios[name].append(result[1] / first[1])
                estimate_worse[name] += result[0] > first[0] * (1 + 1e-9)
                row.append(f"{result[1] / first[1]:.3f}")
            print("| " + " | ".join(row) + " |", flush=True)
    print()
    for name, values in ratios.items():
        if not values:
            continue
        array = np.array(values)
        print(
            f"{name} against {strategies[0]} over {len(values)} pairs: "
            f"faster in {int((array < 1 - 1e-9).sum())}, slower in {int((array > 1 + 1e-9).sum())} "
            f"(worst {array.max():.2f}x, best {array.min():.2f}x, geomean "
            f"{float(np.exp(np.log(array).mean())):.3f}); its own estimate worse in "
            f"{estimate_worse[name]}"
        )


if __name__ == "__main__":
    main()
