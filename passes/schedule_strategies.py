"""Strategies that choose a plan for a statement: mapping, blocks and loop order.

- `greedy`: for each candidate mapping, grow blocks through the divisors while
  they fit, once with the output's axes first and once with the reduction axes
  first, and keep the plan the cost model likes best;
- `search`: enumerate mappings x block sizes x orders of the output axes up to
  `budget` plans and keep the cheapest;
- `random`: from `seed`, a random feasible plan (random blocks) for one of the
  three candidates the cost model rates best (for testing and for baselines).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import permutations, product
from math import prod

from isamapper_dialect.mapping import Mapping
from isamapper_passes.hardware_spec import HardwareSpec
from isamapper_passes.mapping_specs import InstructionSpec, StatementSpec
from isamapper_passes.schedule_cost import CostModel, Infeasible, check_feasible, operand_path
from isamapper_passes.schedule_plan import StatementPlan, block_choices, make_plan, statement_axes


class NoFeasiblePlan(Exception):
    """No candidate mapping has a plan that fits the hardware."""


@dataclass
class Strategy:
    """Chooses a plan among the candidates of one statement."""

    name: str
    cost_model: CostModel
    budget: int = 2000
    seed: int = 0

    def choose(
        self,
        index: int,
        statement: StatementSpec,
        candidates: Sequence[tuple[InstructionSpec, Mapping]],
        hardware: HardwareSpec,
    ) -> StatementPlan:
        """The chosen feasible plan; NoFeasiblePlan with the reasons otherwise."""
        plans = self._plans(index, statement, candidates, hardware)
        best: StatementPlan | None = None
        best_cost = float("inf")
        reasons: list[str] = []
        for plan in plans:
            try:
                check_feasible(plan, hardware)
            except Infeasible as error:
                reasons.append(f"@{plan.spec.name}: {error}")
                continue
            if self.name == "random":
                return plan
            cost = self.cost_model.estimate(plan, hardware).cycles
            if cost < best_cost:
                best, best_cost = plan, cost
        if best is None:
            detail = "; ".join(dict.fromkeys(reasons)) or "no candidate mapping"
            raise NoFeasiblePlan(f"no candidate fits the hardware: {detail}")
        return best

    def _plans(
        self,
        index: int,
        statement: StatementSpec,
        candidates: Sequence[tuple[InstructionSpec, Mapping]],
        hardware: HardwareSpec,
    ) -> Iterator[StatementPlan]:
        if self.name == "greedy":
            for spec, mapping in candidates:
                yield _grown(index, statement, spec, mapping, hardware, reduction_first=False)
                yield _grown(index, statement, spec, mapping, hardware, reduction_first=True)
        elif self.name == "search":
            produced = 0
            for spec, mapping in candidates:
                axes = statement_axes(statement, spec, mapping)
                base = make_plan(index, statement, spec, mapping)
                output = [a for a in base.order if a in base.operands[0].axes]
                rest = [a for a in base.order if a not in base.operands[0].axes]
                choices = [block_choices(axis, 16) for axis in axes]
                for blocks in product(*choices):
                    for head in permutations(output):
                        if produced >= self.budget:
                            return
                        produced += 1
                        yield make_plan(index, statement, spec, mapping, blocks, (*head, *rest))
        elif self.name == "random":
            # A random plan for one of the three candidates the cost model rates
            # best (with its unblocked plan): random without drifting into plans
            # that take ages to simulate.
            rng = random.Random(self.seed)
            rated = []
            for spec, mapping in candidates:
                plan = make_plan(index, statement, spec, mapping)
                try:
                    check_feasible(plan, hardware)
                except Infeasible:
                    continue
                rated.append((self.cost_model.estimate(plan, hardware).cycles, spec, mapping))
            rated.sort(key=lambda item: item[0])
            shortlist = [(spec, mapping) for _, spec, mapping in rated[:3]]
            rng.shuffle(shortlist)
            for spec, mapping in shortlist:
                axes = statement_axes(statement, spec, mapping)
                for _ in range(8):
                    blocks = tuple(rng.choice(block_choices(a, 16)) for a in axes)
                    yield make_plan(index, statement, spec, mapping, blocks)
                yield make_plan(index, statement, spec, mapping)
        else:
            raise ValueError(f"unknown strategy `{self.name}`; use greedy, search or random")


def _grown(
    index: int,
    statement: StatementSpec,
    spec: InstructionSpec,
    mapping: Mapping,
    hardware: HardwareSpec,
    reduction_first: bool = False,
) -> StatementPlan:
    """Blocks grown axis by axis while the plan stays feasible: the output's axes
    first, or the reduction axes first (which keeps inputs for reuse across the
    output blocks)."""
    plan = make_plan(index, statement, spec, mapping)
    blocks = list(plan.blocks)
    growth = tuple(reversed(plan.order)) if reduction_first else plan.order
    for axis in growth:
        for size in block_choices(plan.axes[axis], 4096)[1:]:
            trial = list(blocks)
            trial[axis] = size
            candidate = make_plan(index, statement, spec, mapping, tuple(trial), plan.order)
            try:
                check_feasible(candidate, hardware)
            except Infeasible:
                break
            blocks = trial
    grown = make_plan(index, statement, spec, mapping, tuple(blocks), plan.order)
    # Enough slots to cover a transfer's latency with the computation of the
    # blocks in flight.
    compute = max(1.0, spec.issue_cycles(prod(grown.blocks)))
    latency = max(
        (
            sum(e.latency for e in operand_path(grown, layout, hardware))
            for layout in grown.operands
        ),
        default=0,
    )
    for depth in range(min(8, 2 + int(latency // compute)), 2, -1):
        deep = make_plan(index, statement, spec, mapping, tuple(blocks), plan.order, depth)
        try:
            check_feasible(deep, hardware)
        except Infeasible:
            continue
        return deep
    return grown
