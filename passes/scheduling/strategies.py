"""Strategies that choose a plan for a statement: mapping, blocks per level and loop order.

- `greedy`: for each candidate mapping (skipping those whose instructions alone
  take longer than the best plan so far), rate a thinned grid of innermost-level
  block sizes, with and without a double-buffered output and with each axis's
  loop moved innermost in the outer levels; from the three best, grow the outer
  levels axis by axis (output axes first, reduction axes first, or one step of
  each in turn; on a core also a panel: the innermost cache level along the
  reduction in half the cache, then the outer levels output axes first) while
  the plan fits, keep the plan the cost model likes best
  among all it visited, refine it step by step (pack or view each input's
  cache stations, move one loop innermost at one level) while that helps,
  then pick the buffering depth (2-8 slots); the
  `library` strategy's plans compete too;
- `search`: from greedy's choice, mappings x innermost block sizes x orders of
  the output axes, the outer levels of each grown greedily and the buffering
  depth of the cheapest chosen, up to `budget` plans per statement; it keeps
  the cheapest, so the cost model never rates its choice worse than greedy's;
- `random`: from `seed`, a random feasible plan (random blocks at every level)
  for one of the three candidates the cost model rates best (for testing and
  for baselines);
- `library`: what a hand-written kernel library does (the bench's baseline,
  docs/baseline.md): only mappings whose instruction indices each run along at
  most one kernel index (no splitting or fusing of indices), blocked by one of
  a few fixed tilings (`LIBRARY_TILINGS`), the cost model picking the best
  (as a library's heuristics pick among its kernels per call).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import permutations, product
from math import prod

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.cost_model import (
    CostModel,
    Infeasible,
    OverCapacity,
    check_feasible,
)
from isamapper_passes.scheduling.library_tilings import LIBRARY_TILINGS, library_mapping
from isamapper_passes.scheduling.plan import StatementPlan, block_choices, block_multiples
from isamapper_passes.scheduling.plan_building import Unroutable, routes
from isamapper_passes.scheduling.plan_growth import (
    GROWTH_LIMIT,
    Candidate,
    Grower,
    better_plan,
    one_slot_memories,
    panel_room,
)

INNERMOST_GRID = 400
"""Most innermost-level block combinations greedy rates (it thins larger grids)."""


class StrategyKind(StrEnum):
    """The strategies `isa-schedule` offers (its `strategy=` option), by name."""

    GREEDY = "greedy"
    """Grow blocks while the cost model rates them cheaper; also rate the library's plans."""
    SEARCH = "search"
    """Start from greedy's choice and look wider, within a budget of plans."""
    RANDOM = "random"
    """The first feasible plan of a seeded random walk (a fuzzing and sanity baseline)."""
    LIBRARY = "library"
    """A kernel library's fixed tilings: the bench's baseline."""


STRATEGIES: tuple[str, ...] = tuple(kind.value for kind in StrategyKind)


class NoFeasiblePlan(Exception):
    """No candidate mapping has a plan that fits the hardware."""


@dataclass
class Strategy:
    """Chooses a plan among the candidates of one statement."""

    kind: StrategyKind
    cost_model: CostModel
    budget: int = 2000
    seed: int = 0
    cut_short: list[int] = field(default_factory=list)
    """Statements (by index) whose search stopped at the budget with plans left."""
    memo: dict = field(default_factory=dict)
    """Greedy's choices by their inputs (a plan, or the NoFeasiblePlan raised),
    shared by a search strategy with the greedy one it measures itself against."""

    def __post_init__(self) -> None:
        self.kind = StrategyKind(self.kind)  # a name is accepted: "greedy"

    def choose(
        self,
        index: int,
        statement: StatementSpec,
        candidates: Sequence[tuple[InstructionSpec, Mapping]],
        hardware: HardwareSpec,
        homes: Sequence[str] | None = None,
    ) -> StatementPlan:
        """The chosen feasible plan; NoFeasiblePlan with the reasons otherwise.
        `homes` is the memory of each statement operand's tensor (default: all in
        the main memory). Search starts from greedy's choice, so its cost model
        never rates search's choice worse."""
        if self.kind is StrategyKind.SEARCH:
            twin = Strategy(StrategyKind.GREEDY, self.cost_model, memo=self.memo)
            try:
                baseline = twin.choose(index, statement, candidates, hardware, homes)
            except NoFeasiblePlan:
                baseline = None
            return self._choose(index, statement, candidates, hardware, homes, baseline)
        if self.kind is not StrategyKind.GREEDY:
            return self._choose(index, statement, candidates, hardware, homes, None)
        key = (
            index,
            statement,
            tuple(candidates),
            tuple(homes) if homes is not None else None,
            hardware.name,
            tuple(sorted(hardware.memories.items())),
        )
        if key not in self.memo:
            try:
                self.memo[key] = self._choose(index, statement, candidates, hardware, homes, None)
            except NoFeasiblePlan as error:
                self.memo[key] = error
        found = self.memo[key]
        if isinstance(found, NoFeasiblePlan):
            raise found
        return found

    def _choose(
        self,
        index: int,
        statement: StatementSpec,
        candidates: Sequence[tuple[InstructionSpec, Mapping]],
        hardware: HardwareSpec,
        homes: Sequence[str] | None,
        baseline: StatementPlan | None,
    ) -> StatementPlan:
        """The cheapest feasible plan of this strategy's, or `baseline` when none is cheaper."""
        reasons: list[str] = []
        usable = []
        one_slot = one_slot_memories(hardware)
        for spec, mapping in candidates:
            try:
                route = routes(spec, mapping, hardware, homes)
                usable.append(Candidate(index, statement, spec, mapping, route, one_slot=one_slot))
            except Unroutable as error:
                reasons.append(f"@{spec.name}: {error}")
        best = baseline
        best_cost = (
            self.cost_model.estimate(baseline, hardware).rank
            if baseline is not None
            else (float("inf"), float("inf"))
        )
        for plan in self._plans(usable, hardware, reasons):
            try:
                check_feasible(plan, hardware)
            except Infeasible as error:
                reasons.append(f"@{plan.spec.name}: {error}")
                continue
            if self.kind is StrategyKind.RANDOM:
                return plan
            cost = self.cost_model.estimate(plan, hardware).rank
            if better_plan(cost, plan, best_cost, best, hardware):
                best, best_cost = plan, cost
        if best is None:
            # The first reason of each instruction (each reads "@name: ...").
            first: dict[str, str] = {}
            for reason in reasons:
                first.setdefault(reason.split(":", 1)[0], reason)
            detail = "; ".join(first.values()) or "no candidate mapping"
            raise NoFeasiblePlan(f"no candidate fits the hardware: {detail}")
        return best

    def _plans(
        self, candidates: list[Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        if self.kind is StrategyKind.GREEDY:
            # The library's plans too: a fixed tiling sometimes beats greedy's
            # growth, and `choose` keeps the cheapest.
            yield from self._greedy_plans(candidates, hardware, reasons)
            yield from self._library_plans(candidates)
        elif self.kind is StrategyKind.SEARCH:
            # Greedy's choice is the baseline (`choose`): search looks wider.
            yield from self._search_plans(candidates, hardware, reasons)
        elif self.kind is StrategyKind.RANDOM:
            yield from self._random_plans(candidates, hardware, reasons)
        else:
            yield from self._library_plans(candidates)

    def _greedy_plans(
        self, candidates: list[Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        # Branch and bound: a mapping whose instructions alone take longer than
        # the best plan found so far cannot win.
        def floor(candidate: Candidate) -> float:
            return candidate.spec.issue_cycles(candidate.mapping.executions)

        best = float("inf")
        for candidate in sorted(candidates, key=floor):
            if floor(candidate) >= best:
                break
            for plan in self._greedy(candidate, hardware, reasons):
                best = min(best, self.cost_model.estimate(plan, hardware).cycles)
                yield plan

    def _search_plans(
        self, candidates: list[Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        found: list[tuple[float, int, Grower]] = []
        yield from self._search_grown(candidates, hardware, reasons, found)
        # The buffering depth of the cheapest few, as greedy chooses its own.
        for _, _, grower in sorted(found, key=lambda item: item[:2])[:3]:
            plan = grower.deepen()
            if plan is not None:
                yield plan

    def _search_grown(
        self,
        candidates: list[Candidate],
        hardware: HardwareSpec,
        reasons: list[str],
        found: list[tuple[float, int, Grower]],
    ) -> Iterator[StatementPlan]:
        """Search's grown plans, each also added to `found` with its cost."""
        evaluations = 0
        for candidate in candidates:
            base = candidate.plan()
            innermost = base.orders[-1]
            output = [a for a in innermost if a in base.output_axes]
            rest = [a for a in innermost if a not in base.output_axes]
            choices = [block_choices(axis, 16) for axis in base.axes]
            for blocks in product(*choices):
                for head in permutations(output):
                    if evaluations >= self.budget:
                        self.cut_short.append(candidates[0].index)
                        return
                    order = (*head, *rest)
                    orders = [order] * len(base.levels)
                    levels = [list(blocks) for _ in base.levels]
                    grower = Grower(candidate, hardware, self.cost_model)
                    if grower.consider(candidate.plan(levels, orders)):
                        grower.grow(levels, orders, len(levels) - 1, order, True)
                    evaluations += grower.evaluations
                    reasons += grower.reasons[:1]
                    if grower.best is not None:
                        found.append((grower.best_cost, len(found), grower))
                        yield grower.best

    def _random_plans(
        self, candidates: list[Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        # A random plan for one of the three candidates the cost model rates
        # best (with its unblocked plan): random without drifting into plans
        # that take ages to simulate.
        rng = random.Random(self.seed)
        rated = []
        for candidate in candidates:
            plan = candidate.plan()
            try:
                check_feasible(plan, hardware)
            except Infeasible as error:
                reasons.append(f"@{plan.spec.name}: {error}")
                continue
            rated.append((self.cost_model.estimate(plan, hardware).cycles, candidate))
        rated.sort(key=lambda item: item[0])
        shortlist = [candidate for _, candidate in rated[:3]]
        rng.shuffle(shortlist)
        for candidate in shortlist:
            base = candidate.plan()
            for _ in range(8):
                levels = [[1] * len(base.axes) for _ in base.levels]
                levels[-1] = [rng.choice(block_choices(a, 16)) for a in base.axes]
                for level in range(len(levels) - 1, 0, -1):
                    levels[level - 1] = [
                        rng.choice(block_multiples(axis, inner, axis.count, inner * 16))
                        for axis, inner in zip(base.axes, levels[level], strict=True)
                    ]
                yield candidate.plan(levels)
            yield base

    def _library_plans(self, candidates: list[Candidate]) -> Iterator[StatementPlan]:
        # A statement no library kernel covers keeps every mapping: the
        # library is assumed to have some kernel for it.
        chosen = [c for c in candidates if library_mapping(c.mapping)] or candidates
        for candidate in chosen:
            base = candidate.plan()
            for tiling in LIBRARY_TILINGS:
                yield candidate.plan(tiling.levels(base.axes, len(base.levels)))
            yield base

    def _greedy(
        self, candidate: Candidate, hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        """The innermost level chosen among (a thinned grid of) all its block sizes,
        with and without a double-buffered output; then, from the three best, the
        outer levels grown in three ways."""
        base = candidate.plan()
        count = len(base.levels)
        choices = [block_choices(axis, GROWTH_LIMIT) for axis in base.axes]
        while prod(len(c) for c in choices) > INNERMOST_GRID:
            widest = max(choices, key=len)
            widest[:] = widest[::2] if widest[-1] == widest[::2][-1] else widest[::2] + widest[-1:]
        scout = Grower(candidate, hardware, self.cost_model)
        rated: list[tuple[float, tuple[int, ...], int | None, tuple[tuple[int, ...], ...]]] = []
        too_big: list[tuple[int, ...]] = []
        variants = _order_variants(base)
        for blocks in sorted(product(*choices), key=prod):
            if any(all(b >= t for b, t in zip(blocks, big, strict=True)) for big in too_big):
                continue
            for output_depth in (None, 1):
                for orders in variants:
                    plan = candidate.plan([blocks] * count, orders, output_depth=output_depth)
                    try:
                        check_feasible(plan, hardware)
                    except OverCapacity as error:
                        if output_depth == 1:
                            too_big.append(blocks)
                        scout.reasons.append(f"@{plan.spec.name}: {error}")
                        break
                    except Infeasible as error:
                        scout.reasons.append(f"@{plan.spec.name}: {error}")
                        break
                    cost = self.cost_model.estimate(plan, hardware).cycles
                    rated.append((cost, blocks, output_depth, orders))
        reasons += scout.reasons[:1]
        rated.sort(key=lambda item: (item[0], prod(item[1])))
        for _, blocks, output_depth, orders in rated[:3]:
            output_first, reduction_first = orders[0], tuple(reversed(orders[0]))
            grower = Grower(candidate, hardware, self.cost_model)
            start = [list(blocks) for _ in range(count)]
            grower.consider(candidate.plan(start, orders, output_depth=output_depth))
            ways = ((output_first, False), (reduction_first, False), (output_first, True))
            _grow_and_refine(grower, start, ways, orders, output_depth, frozenset(), hardware)
            refined = grower.best
            if refined is not None and refined.packed:
                # Packed panels change which blocks pay: grow again with them.
                _grow_and_refine(
                    grower, start, ways, refined.orders, output_depth, refined.packed, hardware
                )
            plan = grower.deepen()
            if plan is not None:
                yield plan


def _grow_and_refine(
    grower: Grower,
    start: list[list[int]],
    ways: Sequence[tuple[Sequence[int], bool]],
    orders: Sequence[Sequence[int]],
    output_depth: int | None,
    packed: frozenset[tuple[int, int]],
    hardware: HardwareSpec,
) -> None:
    """Grow the outer levels from `start` in each of the `ways` (growth order,
    balanced), with these loop orders and packed stations, then refine."""
    for growth, balanced in ways:
        grower.grow(
            [list(b) for b in start],
            orders,
            len(start) - 1,
            growth,
            balanced,
            output_depth,
            packed,
        )
    if hardware.caches and len(start) > 2:
        # Panels (on a core): the innermost cache level's block grown along the
        # reduction first, in half the cache, then the outer levels along the
        # output first; no other way reaches a block as narrow as the registers'
        # and deep along the reduction, which measured fastest natively
        # (cpu_avx512, 1024x700x512: 0.71x -> 0.85x OpenBLAS).
        output_first, reduction_first = ways[0][0], ways[1][0]
        grower.hardware = panel_room(hardware)
        try:
            panel = grower.grow(
                [list(b) for b in start],
                orders,
                len(start) - 1,
                reduction_first,
                False,
                output_depth,
                packed,
                last_level=len(start) - 1,
            )
        finally:
            grower.hardware = hardware
        grower.grow(panel, orders, len(start) - 2, output_first, False, output_depth, packed)
    grower.refine(hardware.caches)


def _order_variants(base: StatementPlan) -> list[tuple[tuple[int, ...], ...]]:
    """Loop orders greedy tries: the default (output axes outside), and for an
    accumulating statement each axis moved innermost in the outer levels (a
    reduction loop outside an output loop keeps the inputs it shares for longer,
    at the price of adding the output block in more than once)."""
    variants = [base.orders]
    if not base.spec.statement.kind.accumulates:
        return variants
    default = base.orders[0]
    outer = max(1, len(base.orders) - 1)
    for axis in default[:-1]:
        moved = tuple(a for a in default if a != axis) + (axis,)
        variants.append((moved,) * outer + base.orders[outer:])
    return variants
