"""What each strategy promises against the others, by the cost model's own
figures: search never settles for a schedule greedy's beats, and greedy never
for a plan the library baseline's beats (issue 13: search was worse than greedy
in 25 of 38 pairs of a new user's targets and kernels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import make_context, parse_module
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.cost_model import AnalyticCostModel, check_feasible
from isamapper_passes.scheduling.schedule import schedule_kernel
from isamapper_passes.scheduling.strategies import Strategy

from conftest import PROJECT

TARGETS = PROJECT / "test" / "targets"
# (kernel, hardware) pairs where search or the library beat greedy before, and
# two of the shipped examples on the shipped targets.
PAIRS = [
    (TARGETS / "batched_matmul.mlir", TARGETS / "dsp_2d.mlir"),
    (TARGETS / "gemm_tn_primes.mlir", TARGETS / "dsp_2d.mlir"),
    (TARGETS / "lstm_h45.mlir", TARGETS / "odd_semantics.mlir"),
    (TARGETS / "depthwise_1d_dilated.mlir", TARGETS / "dsp_1d.mlir"),
    (TARGETS / "attention_scores.mlir", TARGETS / "rect_hierarchy.mlir"),
    (PROJECT / "examples" / "gru_cell.mlir", PROJECT / "hardware" / "nnp.mlir"),
    (PROJECT / "examples" / "depthwise_conv.mlir", PROJECT / "hardware" / "systolic.mlir"),
]


def _mapped(kernel: Path, hardware: Path):
    module = parse_module(kernel)
    MapInstructionsPass(hardware_file=str(hardware)).apply(make_context(), module)
    return module, next(op for op in module.walk() if isinstance(op, KernelOp))


@pytest.mark.parametrize(("kernel", "hardware"), PAIRS, ids=lambda p: p.stem)
def test_search_is_never_rated_worse_than_greedy(kernel: Path, hardware: Path) -> None:
    model = AnalyticCostModel()
    module, op = _mapped(kernel, hardware)
    greedy = schedule_kernel(module, op, Strategy("greedy", model)).estimate(model)
    search = schedule_kernel(module, op, Strategy("search", model, budget=300)).estimate(model)
    assert search <= greedy


LIBRARY_PAIRS = [
    *PAIRS,
    # Where the library's schedule ran in 0.76x greedy's modelled cycles before
    # (29539 against 38808), though the cost model rated greedy's cheaper.
    (TARGETS / "conv5x5_stride2.mlir", TARGETS / "dsp_2d.mlir"),
]


@pytest.mark.parametrize(("kernel", "hardware"), LIBRARY_PAIRS, ids=lambda p: p.stem)
def test_greedy_never_rates_a_statement_worse_than_the_library(
    kernel: Path, hardware: Path
) -> None:
    """Statement by statement, every tensor in the main memory (no fusion):
    greedy's plan is at most as costly as the library's."""
    model = AnalyticCostModel()
    module, op = _mapped(kernel, hardware)
    greedy = schedule_kernel(module, op, Strategy("greedy", model), fuse=False)
    library = schedule_kernel(module, op, Strategy("library", model), fuse=False)
    for ours, theirs, room in zip(greedy.plans, library.plans, greedy.rooms, strict=True):
        check_feasible(ours, room)
        assert model.estimate(ours, room).cycles <= model.estimate(theirs, room).cycles


@pytest.mark.parametrize(("kernel", "hardware"), LIBRARY_PAIRS, ids=lambda p: p.stem)
def test_greedy_is_never_rated_worse_than_the_library(kernel: Path, hardware: Path) -> None:
    model = AnalyticCostModel()
    module, op = _mapped(kernel, hardware)
    greedy = schedule_kernel(module, op, Strategy("greedy", model)).estimate(model)
    library = schedule_kernel(module, op, Strategy("library", model)).estimate(model)
    assert greedy <= library
