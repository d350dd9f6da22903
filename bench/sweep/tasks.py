"""The work of a sweep: one task per (design, kernel), run in local processes
or on a Ray cluster, the same function either way, and the rows assembled from
the results in a fixed order (so they do not depend on the number of workers
or the order in which tasks finish)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from tqdm import tqdm
from xdsl.parser import Parser
from xdsl.utils.exceptions import PassFailedException, VerifyException

from isamapper_bench.measure import (
    BenchError,
    Part,
    PartResult,
    RowPlan,
    assemble,
    measure_part,
)
from isamapper_dialect.energy_spec import area_mm2
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.parsing import InputError, make_context
from isamapper_hardware.model.machine import ModelError


@dataclass(frozen=True)
class Task:
    """One kernel to measure on one design (its description, printed)."""

    design: int
    hardware: str
    part: Part


@dataclass(frozen=True)
class SweepRow:
    """One line of the sweep's CSV: a workload on a design."""

    design: int
    workload: str
    cycles: float
    bound_cycles: float
    energy_pj: float | None
    energy_bound_pj: float | None
    area_mm2: float | None

    @property
    def efficiency(self) -> float:
        """bound / cycles."""
        return self.bound_cycles / self.cycles


def hardware_op(text: str) -> HardwareOp:
    """The `isa.hardware` of a design's printed description."""
    module = Parser(make_context(), text).parse_module()
    return next(op for op in module.walk() if isinstance(op, HardwareOp))


class TaskFailed(Exception):
    """A kernel that does not compile or run on a design (the message says why)."""

    def __init__(self, design: int, kernel: str, message: str):
        super().__init__(message)
        self.design = design
        self.kernel = kernel


def run_task(task: Task) -> PartResult:
    """Measure one task (in whichever process or Ray worker runs it)."""
    try:
        return measure_part(task.part, hardware_op(task.hardware))
    except (PassFailedException, VerifyException, ModelError, BenchError) as error:
        name = re.search(r"isa\.kernel @([\w.$-]+)", task.part.text)
        raise TaskFailed(task.design, name.group(1) if name else "?", str(error)) from None


def tasks_of(designs: Sequence[str], plans: Sequence[RowPlan]) -> list[Task]:
    """Every distinct kernel of the plans on every design, the largest first
    (keeps the workers busy to the end)."""
    by_size = sorted(plans, key=lambda plan: -plan.bytes)
    parts = list(dict.fromkeys(p for plan in by_size for p in _measured(plan).parts()))
    return [Task(d, text, part) for part in parts for d, text in enumerate(designs)]


def _measured(plan: RowPlan) -> RowPlan:
    """What a sweep measures of a bench row: our schedule and its bound (no
    library baseline, no functional checks)."""
    return replace(plan, baseline=(), checks=())


Runner = Callable[[Sequence[Task], Callable[[], None]], list[PartResult]]
"""Runs tasks, calling back once per finished one; results in task order."""


def local_runner(jobs: int) -> Runner:
    """`jobs` local processes (one: in this process)."""

    def run(tasks: Sequence[Task], done: Callable[[], None]) -> list[PartResult]:
        if jobs <= 1:
            results = []
            for task in tasks:
                results.append(run_task(task))
                done()
            return results
        with ProcessPoolExecutor(jobs) as pool:
            results = []
            for result in pool.map(run_task, tasks):
                results.append(result)
                done()
            return results

    return run


def ray_runner(address: str) -> Runner:
    """Tasks on the Ray cluster at `address` (`local`: one started on this
    machine). Ray is the optional extra `isamapper[distributed]`."""
    try:
        import ray
    except ImportError:
        raise InputError(
            "--ray needs Ray: pip install 'isamapper[distributed]' (or pip install ray)"
        ) from None

    def run(tasks: Sequence[Task], done: Callable[[], None]) -> list[PartResult]:
        started = not ray.is_initialized()
        if started:
            try:
                if address == "local":
                    ray.init(include_dashboard=False, log_to_driver=False)
                else:
                    ray.init(address=address, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise InputError(f"--ray {address}: cannot join the cluster: {error}") from None
        try:
            remote = ray.remote(run_task)
            pending = {remote.remote(task): n for n, task in enumerate(tasks)}
            results: list[PartResult | None] = [None] * len(tasks)
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    results[pending.pop(ref)] = ray.get(ref)
                    done()
            return [r for r in results if r is not None]
        finally:
            if started:
                ray.shutdown()

    return run


def run_sweep(
    designs: Sequence[str], plans: Sequence[RowPlan], runner: Runner, progress: bool
) -> list[SweepRow]:
    """Every plan on every design (descriptions printed), as CSV rows ordered
    by design, then by the plans' order."""
    tasks = tasks_of(designs, plans)
    bar = tqdm(total=len(tasks), unit="kernel", disable=not progress, file=sys.stderr)
    try:
        results = runner(tasks, bar.update)
    finally:
        bar.close()
    measured: dict[tuple[int, Part], PartResult] = {
        (task.design, task.part): result for task, result in zip(tasks, results, strict=True)
    }
    rows: list[SweepRow] = []
    for number, text in enumerate(designs):
        area = area_mm2(hardware_op(text))
        for plan in plans:
            mine = {p: measured[(number, p)] for p in _measured(plan).parts()}
            result = assemble(_measured(plan), mine)
            rows.append(
                SweepRow(
                    number,
                    plan.name,
                    result.cycles,
                    result.bound_cycles,
                    result.energy_pj,
                    result.energy_bound_pj,
                    area,
                )  # fmt: skip
            )
    return rows
