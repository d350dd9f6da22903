"""Growing the blocks of one candidate mapping while its plan stays feasible,
keeping the cheapest plan seen (what `greedy` and `search` are built on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.cost_model import (
    CostModel,
    Infeasible,
    check_feasible,
    transfers_per_refill,
)
from isamapper_passes.scheduling.plan import Route, StatementPlan, block_multiples
from isamapper_passes.scheduling.plan_building import make_plan

GROWTH_LIMIT = 4096
"""Largest block (in tile positions) greedy growth tries on one axis."""


def one_slot_memories(hardware: HardwareSpec) -> frozenset[str]:
    """Memories whose stations a plan gives one slot: a core's caches. The
    core moves their lines itself, so a second slot overlaps nothing (the
    cost model charges a core no turns and no stalls) and only halves the
    blocks that fit: measured natively on cpu_avx512, 1024x6000x1536 ran at
    0.35x OpenBLAS with two slots and 0.52x with one (L1 blocks twice as deep
    along k). Its registers keep their slots: a native register station is a
    stack buffer, and with one slot the copy of a block into it waits for
    the executions on the last (7680x4x2560: 1.76x with two, 1.13x with
    one)."""
    return hardware.caches


def panel_room(hardware: HardwareSpec) -> HardwareSpec:
    """`hardware` with half of each cache's capacity: what a panel (a block
    grown deep along the reduction in the innermost cache) may take, the rest
    left to the blocks streaming through beside it, as BLIS sizes its kc.
    Measured natively on cpu_avx512 (interleaved with np.matmul): with 5x2
    vectors of registers, 35x1500x2560's L1 panel 160 deep (21 KiB) ran at
    1.27x OpenBLAS and 320 deep (47 KiB) at 1.12x; with 8x2, 1024x1500x2560's
    160 deep (25 KiB) at 0.89x but 256 deep (41 KiB) at 0.93x. Greedy with
    half, three quarters or seven eighths of the L1 for panels came out even
    over 12 rows (geomeans 1.000x and 1.010x of half's; single rows 0.89x to
    1.13x)."""
    halved = {
        name: (capacity // 2, *rest) if name in hardware.caches else (capacity, *rest)
        for name, (capacity, *rest) in hardware.memories.items()
    }
    return replace(hardware, memories=halved)


@dataclass
class Candidate:
    """One mapping with what every plan of it shares."""

    index: int
    statement: StatementSpec
    spec: InstructionSpec
    mapping: Mapping
    route: tuple[Route, ...]
    cache: dict = field(default_factory=dict)
    one_slot: frozenset[str] = frozenset()
    """Memories whose stations get one slot whatever the depth (one_slot_memories)."""

    def plan(
        self,
        levels: Sequence[Sequence[int]] | None = None,
        orders: Sequence[Sequence[int]] | None = None,
        depth: int = 2,
        output_depth: int | None = None,
        packed: frozenset[tuple[int, int]] = frozenset(),
    ) -> StatementPlan:
        """This mapping's plan with the given blocks, loop orders, buffering and
        packed cache stations."""
        return make_plan(
            self.index,
            self.statement,
            self.spec,
            self.mapping,
            self.route,
            levels,
            orders,
            depth,
            output_depth,
            self.cache,
            packed,
            self.one_slot,
        )


@dataclass
class Grower:
    """Grows blocks of one candidate, remembering the cheapest feasible plan seen."""

    candidate: Candidate
    hardware: HardwareSpec
    cost_model: CostModel
    evaluations: int = 0
    best: StatementPlan | None = None
    best_rank: tuple[float, float] = (float("inf"), float("inf"))
    """The best plan's (cycles, traffic), CostBreakdown.rank."""
    reasons: list[str] = field(default_factory=list)

    @property
    def best_cost(self) -> float:
        """The best plan's estimated cycles."""
        return self.best_rank[0]

    def consider(self, plan: StatementPlan) -> bool:
        """Whether the plan is feasible (and keep it if it is the cheapest)."""
        self.evaluations += 1
        try:
            check_feasible(plan, self.hardware)
        except Infeasible as error:
            self.reasons.append(f"@{plan.spec.name}: {error}")
            return False
        rank = self.cost_model.estimate(plan, self.hardware).rank
        if better_plan(rank, plan, self.best_rank, self.best, self.hardware):
            self.best, self.best_rank = plan, rank
        return True

    def grow(
        self,
        levels: list[list[int]],
        orders: Sequence[Sequence[int]],
        first_level: int,
        growth: Sequence[int],
        balanced: bool,
        output_depth: int | None = None,
        packed: frozenset[tuple[int, int]] = frozenset(),
        last_level: int = 1,
    ) -> list[list[int]]:
        """Grow levels `first_level`..`last_level` (innermost first) while the
        plan stays feasible: axis by axis in `growth` order, each as far as it
        goes, or `balanced`, one step of each axis in turn. A level's growth
        carries its outer levels along (they are grown after). Returns the
        blocks grown to."""
        axes = self.candidate.plan(levels, orders).axes
        for level in range(first_level, last_level - 1, -1):
            stuck: set[int] = set()
            while len(stuck) < len(growth):
                for axis in growth:
                    if axis in stuck:
                        continue
                    inner = levels[level][axis] if level < len(levels) else 1
                    sizes = [
                        size
                        for size in block_multiples(
                            axes[axis], inner, axes[axis].count, GROWTH_LIMIT
                        )
                        if size > levels[level - 1][axis]
                    ]
                    grown = False
                    for size in sizes:
                        trial = [list(b) for b in levels]
                        for outer in range(level):
                            trial[outer][axis] = size
                        plan = self.candidate.plan(
                            trial, orders, output_depth=output_depth, packed=packed
                        )
                        if not self.consider(plan):
                            break
                        levels, grown = trial, True
                        if balanced:
                            break
                    if not grown or not balanced:
                        stuck.add(axis)
        return levels

    def refine(self, caches: frozenset[str]) -> None:
        """Improve the best plan one step at a time while the cost model likes it
        better: an input's cache station packed or viewed again (a packed panel
        costs a copy, and reads contiguously after it), or one axis moved
        innermost at one level (a loop outside the output's there keeps the
        blocks the others share, such as a packed panel across the rows it
        serves, at the price of adding the output block in more often)."""
        best = self.best
        seen: set[StatementPlan] = set()
        # `seen`: near-ties decided by traffic could otherwise lead in a circle.
        while best is not None and best not in seen:
            seen.add(best)
            for packed, orders in self._moves(best, caches):
                # A moved loop may rotate the output's slots: with and without.
                for output_depth in (None, 1):
                    self.consider(self.candidate.plan(best.levels, orders, 2, output_depth, packed))
            if self.best is best:
                return
            best = self.best

    @staticmethod
    def _moves(
        plan: StatementPlan, caches: frozenset[str]
    ) -> list[tuple[frozenset[tuple[int, int]], tuple[tuple[int, ...], ...]]]:
        moves = []
        for stations in plan.operands[1:]:
            for layout in stations[:-1]:
                if layout.memory in caches:
                    station = (layout.position, layout.level)
                    moves.append((plan.packed ^ {station}, plan.orders))
        for level, order in enumerate(plan.orders):
            for axis in order[:-1]:
                moved = (*(a for a in order if a != axis), axis)
                moves.append(
                    (plan.packed, (*plan.orders[:level], moved, *plan.orders[level + 1 :]))
                )
        return moves

    def deepen(self) -> StatementPlan | None:
        """The best plan with the buffering depth (2-8 slots) the cost model likes best."""
        best = self.best
        if best is None:
            return None
        chosen, chosen_cost = best, self.best_cost
        output_depths = (1, None) if any(s.slots > 1 for s in best.operands[0]) else (None,)
        for depth in range(2, 9):
            improved = False
            for output_depth in output_depths:
                plan = self.candidate.plan(
                    best.levels, best.orders, depth, output_depth, best.packed
                )
                try:
                    check_feasible(plan, self.hardware)
                except Infeasible:
                    continue
                cost = self.cost_model.estimate(plan, self.hardware).cycles
                if cost < chosen_cost:
                    chosen, chosen_cost, improved = plan, cost, True
            if not improved and depth > 2:
                break
        return chosen


TIE = 1e-3
"""Plans whose cycles differ by less than this share count as equally fast."""


def better_plan(
    cost: tuple[float, float],
    plan: StatementPlan,
    best_cost: tuple[float, float],
    best: StatementPlan | None,
    hardware: HardwareSpec,
) -> bool:
    """Whether `plan` beats the best so far, each given (cycles, traffic):
    cheaper; or as cheap (within TIE) and moving less data (a compute-bound
    plan's larger blocks, which the cost model overlaps perfectly but the
    hardware does not); or equal in both and in fewer transfers."""
    if best is None:
        return True
    (cycles, traffic), (best_cycles, best_traffic) = cost, best_cost
    if cycles < best_cycles * (1 - TIE):
        return True
    if cycles > best_cycles * (1 + TIE):
        return False
    if traffic != best_traffic:
        return traffic < best_traffic
    if cycles != best_cycles:
        return cycles < best_cycles
    return transfers_per_refill(plan, hardware) < transfers_per_refill(best, hardware)
