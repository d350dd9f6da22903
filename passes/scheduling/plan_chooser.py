"""The strategy's plan for each statement of a kernel, given where tensors live.

Fusion (`fusion.py`) asks for the plans of the same statements under many
placements; `PlanChooser` remembers them. A tensor kept on chip takes its
bytes out of that memory's capacity at every statement it is live in (`room`),
and a padded allocation is addressed by its padded shape (`statement_inputs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_passes.mapping.legality import fused_groups_hold
from isamapper_passes.mapping.specs import StatementSpec
from isamapper_passes.scheduling.cost_model import Infeasible, check_feasible
from isamapper_passes.scheduling.plan import Home, StatementPlan
from isamapper_passes.scheduling.plan_building import Unroutable, make_plan, routes
from isamapper_passes.scheduling.strategies import NoFeasiblePlan, Strategy
from isamapper_passes.scheduling.work import Candidates, Tensor, Work

Homes = dict[Tensor, Home]
"""Where fusion keeps each tensor it keeps on chip."""


def statement_inputs(work: Work, index: int, homes: Homes) -> tuple[StatementSpec, Candidates]:
    """Statement `index`'s spec with its operands' allocations as placed (padded
    ones addressed by their padded shape) and the candidates that still hold."""
    statement = work[index]
    spec, candidates = statement.spec, statement.candidates
    padded = {
        position: homes[tensor].shape
        for position, tensor in enumerate(statement.tensors)
        if tensor in homes and homes[tensor].shape != work.shape(tensor)
    }
    if not padded:
        return spec, candidates
    operands = tuple(
        replace(operand, shape=padded[position], real_shape=operand.shape)
        if position in padded
        else operand
        for position, operand in enumerate(spec.operands)
    )
    spec = replace(spec, operands=operands)
    return spec, [(i, m) for i, m in candidates if fused_groups_hold(spec, m)]


def operand_homes(work: Work, index: int, homes: Homes, main: str) -> tuple[str, ...]:
    """The memory of each of statement `index`'s operands' tensors."""
    return tuple(homes[t].memory if t in homes else main for t in work[index].tensors)


def room(hardware: HardwareSpec, homes: Homes, work: Work, index: int) -> HardwareSpec:
    """The hardware with the capacity that tensors live on chip at statement
    `index` take away."""
    taken: dict[str, int] = {}
    for tensor, home in homes.items():
        if index in work.live_range(tensor):
            taken[home.memory] = taken.get(home.memory, 0) + work.tensor_bytes(tensor, home.shape)
    memories = {
        name: (capacity - taken.get(name, 0), bandwidth, latency)
        for name, (capacity, bandwidth, latency) in hardware.memories.items()
    }
    return replace(hardware, memories=memories)


@dataclass
class PlanChooser:
    """The strategy's plan for each statement, given where tensors live;
    remembered, since fusion asks for the same plans again."""

    work: Work
    hardware: HardwareSpec
    strategy: Strategy
    plans: dict[tuple, StatementPlan | NoFeasiblePlan] = field(default_factory=dict)

    def plan(self, index: int, homes: Homes) -> StatementPlan:
        """Statement `index`'s plan; NoFeasiblePlan (with the reasons) when none fits."""
        tensors = self.work[index].tensors
        spec, candidates = statement_inputs(self.work, index, homes)
        here = room(self.hardware, homes, self.work, index)
        memories = operand_homes(self.work, index, homes, self.hardware.main)
        shapes = tuple(homes[t].shape if t in homes else None for t in tensors)
        key = (index, memories, shapes, tuple(sorted(here.memories.items())))
        if key not in self.plans:
            try:
                self.plans[key] = self.strategy.choose(index, spec, candidates, here, memories)
            except NoFeasiblePlan as error:
                self.plans[key] = error
        found = self.plans[key]
        if isinstance(found, NoFeasiblePlan):
            raise found
        return found

    def cost(self, index: int, homes: Homes) -> float:
        """The cost model's cycles for statement `index` (infinite if none fits)."""
        try:
            plan = self.plan(index, homes)
        except NoFeasiblePlan:
            return float("inf")
        return self.strategy.cost_model.estimate(
            plan, room(self.hardware, homes, self.work, index)
        ).cycles

    def runnable(self, index: int, homes: Homes) -> str | None:
        """None when some mapping of statement `index` has a feasible unblocked
        plan with the tensors where `homes` puts them; else the first reason."""
        spec, candidates = statement_inputs(self.work, index, homes)
        here = room(self.hardware, homes, self.work, index)
        memories = operand_homes(self.work, index, homes, here.main)
        reason = None
        for instruction, mapping in candidates:
            try:
                route = routes(instruction, mapping, here, memories)
                check_feasible(make_plan(index, spec, instruction, mapping, route), here)
            except (Unroutable, Infeasible) as error:
                reason = reason or f"@{instruction.name}: {error}"
                continue
            return None
        return reason or "no candidate mapping holds with the padded allocation"
