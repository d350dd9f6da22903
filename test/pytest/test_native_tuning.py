"""Native tuning (`isamapper-compile --tune N`, tools/native_tuning.py): the
shortlist of plans the cost model rated, a tuner's plans lowered in place of the
scheduler's choice, the round-robin timing's check, and the messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_native import CPUS

from isamapper_bench.cli import bench
from isamapper_dialect.parsing import InputError, parse_text
from isamapper_passes.compile_module import compile_module
from isamapper_passes.scheduling.cost_model import CostModel, check_feasible
from isamapper_passes.scheduling.schedule import KernelSchedule
from isamapper_tools.compile import main as compile_main
from isamapper_tools.native_tuning import (
    NativeTuner,
    RecordingCostModel,
    plan_key,
    time_round_robin,
)
from isamapper_tools.run import run

from conftest import PROJECT
from mlir_tools import needs_mlir

GEMM = PROJECT / "examples" / "gemm_nn.mlir"


class LastAlternative:
    """A tuner that lowers the last plan of each statement's shortlist, and
    keeps what it saw."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seen: list[tuple[KernelSchedule, list]] = []

    def observe(self, cost_model: CostModel) -> CostModel:
        self.recorder = RecordingCostModel(cost_model)
        return self.recorder

    def pick(self, module, kernel, chosen: KernelSchedule) -> KernelSchedule:
        shortlists = [
            self.recorder.alternatives(plan, room, self.count)
            for plan, room in zip(chosen.plans, chosen.rooms, strict=True)
        ]
        self.seen.append((chosen, shortlists))
        plans = tuple(s[-1] if s else p for p, s in zip(chosen.plans, shortlists, strict=True))
        return KernelSchedule(chosen.hardware, plans, chosen.homes, chosen.rooms, chosen.loads)


def _compile(path: Path, hardware: str, tuner) -> str:
    module = parse_text(path.read_text(), path.name)
    compile_module(module, PROJECT / "hardware" / hardware, tuner=tuner)
    return str(module)


def test_the_shortlist_is_the_cheapest_distinct_feasible_plans_after_the_choice() -> None:
    tuner = LastAlternative(5)
    _compile(GEMM, "cpu_avx512.mlir", tuner)
    ((chosen, (shortlist,)),) = tuner.seen
    plan, room = chosen.plans[0], chosen.rooms[0]
    assert len(shortlist) == 5
    keys = [plan_key(p) for p in shortlist]
    assert len(set(keys)) == 5 and plan_key(plan) not in keys
    costs = [tuner.recorder.inner.estimate(p, room).cycles for p in shortlist]
    assert costs == sorted(costs)
    for other in shortlist:
        check_feasible(other, room)
        assert other.statement == plan.statement and other.spec.statement == plan.spec.statement


@pytest.mark.parametrize("example", ["gemm_nn.mlir", "gru_cell.mlir", "mobilenet_dwsep_block.mlir"])
def test_a_tuners_plans_lower_to_a_program_equal_to_the_reference(
    example: str, tmp_path: Path
) -> None:
    # Fused intermediates and split reductions included: the alternatives are
    # routed as the choice is, so they lower with the same homes.
    tuner = LastAlternative(3)
    program = tmp_path / example
    program.write_text(_compile(PROJECT / "examples" / example, "cpu_avx512.mlir", tuner))
    assert any(shortlist for _, lists in tuner.seen for shortlist in lists)
    assert run([str(program), "--check", "--seed", "3"]) == 0


def test_round_robin_timing_refuses_a_plan_that_computes_something_else() -> None:
    inputs = {"A": np.ones(4, np.float32), "C": np.zeros(4, np.float32)}

    def right(arrays) -> None:
        arrays[1] += 2 * arrays[0]

    def wrong(arrays) -> None:
        arrays[1] += 2 * arrays[0]
        arrays[1][3] += 0.5

    seconds = time_round_robin([right, right], ["A", "C"], ["C"], inputs, "@k")
    assert len(seconds) == 2 and all(s > 0 for s in seconds)
    with pytest.raises(InputError) as error:
        time_round_robin([right, right, wrong], ["A", "C"], ["C"], inputs, "@k")
    assert str(error.value) == (
        "--tune: @k's plan #3 writes %C differently from the chosen plan (by up to 0.5); "
        "a bug of the scheduler, please report it"
    )


def test_plans_may_round_a_long_reduction_differently() -> None:
    inputs = {"C": np.full(2, 100.0, np.float32)}

    def exact(arrays) -> None:
        arrays[0][:] = 100.0

    def rounded(arrays) -> None:
        arrays[0][:] = 100.005

    assert len(time_round_robin([exact, rounded], ["C"], ["C"], inputs, "@k")) == 2


def test_tuning_needs_a_cpu_description() -> None:
    with pytest.raises(InputError) as error:
        _compile(GEMM, "nnp.mlir", NativeTuner(2))
    assert str(error.value) == (
        "--tune times plans on this CPU, and @nnp is not a CPU description (one names the "
        'CPU to compile for: `cpu "x86-64-v4" features [...]`, as hardware/cpu_avx512.mlir does)'
    )


def test_the_clis_refuse_a_bad_tune(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        compile_main([str(GEMM), "--hardware", "cpu_avx512", "--tune", "-1"])
    assert capsys.readouterr().err == (
        "isamapper-compile: --tune -1: give the number of plans to time (1 or more)\n"
    )
    assert bench(["deepbench-gemm", "--hardware", "cpu_avx512", "--tune", "2"]) == 1
    assert capsys.readouterr().err == (
        "isamapper-bench: error: --tune times plans natively; add --native\n"
    )


@pytest.fixture
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@needs_mlir
@pytest.mark.usefixtures("_private_cache")
@pytest.mark.parametrize("description", CPUS)
def test_a_tuned_program_runs_natively_as_the_reference(
    description: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tmp_path / "gemm.mlir"
    hardware = str(PROJECT / "hardware" / description)
    compile_main([str(GEMM), "--hardware", hardware, "--tune", "2", "-o", str(program)])
    notes = capsys.readouterr().err.splitlines()
    assert notes[0].startswith(
        "isamapper-compile: tune: @gemm_nn statement #0: 3 plans timed natively in "
    )
    assert "; kept " in notes[0] and " ms against " in notes[0]
    assert run([str(program), "--native", "--check", "--repeats", "1"]) == 0
