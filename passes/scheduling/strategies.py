"""Strategies that choose a plan for a statement: mapping, blocks per level and loop order.

- `greedy`: for each candidate mapping (skipping those whose instructions alone
  take longer than the best plan so far), rate a thinned grid of innermost-level
  block sizes, with and without a double-buffered output and with each axis's
  loop moved innermost in the outer levels; from the three best, grow the outer
  levels axis by axis (output axes first, reduction axes first, or one step of
  each in turn) while the plan fits, keep the plan the cost model likes best
  among all it visited, then pick the buffering depth (2-8 slots); the
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
from math import log, prod

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.mapping import Mapping
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.cost_model import (
    CostModel,
    Infeasible,
    OverCapacity,
    check_feasible,
    transfers_per_refill,
)
from isamapper_passes.scheduling.plan import (
    Axis,
    Route,
    StatementPlan,
    Unroutable,
    block_choices,
    block_multiples,
    make_plan,
    routes,
)

GROWTH_LIMIT = 4096
"""Largest block (in tile positions) greedy growth tries on one axis."""

INNERMOST_GRID = 400
"""Most innermost-level block combinations greedy rates (it thins larger grids)."""


@dataclass(frozen=True)
class LibraryTiling:
    """A fixed blocking in instruction tiles: targets for the output and the
    reduction axes of the innermost level, then of every outer level (each block
    the size closest to its target that divides the axis and is a multiple of
    the inner block). A plan with one level gets the outer blocks."""

    inner_output: int
    inner_reduction: int
    outer_output: int
    outer_reduction: int

    def levels(self, axes: Sequence[Axis], count: int) -> list[list[int]]:
        """Blocks per level (level 1 first) for a plan with `count` levels."""
        inner = [
            _clip(axis, 1, self.inner_reduction if axis.reduction else self.inner_output)
            for axis in axes
        ]
        outer = [
            _clip(axis, b, self.outer_reduction if axis.reduction else self.outer_output)
            for axis, b in zip(axes, inner, strict=True)
        ]
        # A single level is the block moved from the main memory: the outer one.
        return [list(outer) for _ in range(count - 1)] + [inner if count > 1 else outer]


def _clip(axis: Axis, inner: int, target: int) -> int:
    """The block of `axis` closest to `target` (by ratio, the smaller on a tie)
    among the multiples of `inner` that divide the axis."""
    sizes = block_multiples(axis, inner, axis.count, axis.count) or [1]
    return min(sizes, key=lambda size: (abs(log(size / target)), size))


LIBRARY_TILINGS = (
    LibraryTiling(1, 1, 4, 16),
    LibraryTiling(2, 1, 8, 8),
    LibraryTiling(4, 1, 8, 4),
    LibraryTiling(4, 2, 16, 8),
    LibraryTiling(8, 1, 16, 4),
    LibraryTiling(1, 1, 64, 1),
    LibraryTiling(4, 1, 256, 1),
)
"""The library's hand-chosen tilings: a skinny one for matrix-vector shapes,
square-ish ones of growing size (in 32x32 tiles on a 32x32x32 unit: 64x64 to
256x256 accumulators over 512x512 blocks), and two streaming ones with large
output blocks for element-wise and vector kernels."""


def library_mapping(mapping: Mapping) -> bool:
    """Whether a kernel library has this mapping: every instruction index runs
    along at most one kernel index, neither split into a box of several nor fused."""
    return all(not group.fused and len(group.kernel_indices) <= 1 for group in mapping.groups)


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
class _Candidate:
    """One mapping with what every plan of it shares."""

    index: int
    statement: StatementSpec
    spec: InstructionSpec
    mapping: Mapping
    route: tuple[Route, ...]
    cache: dict = field(default_factory=dict)

    def plan(
        self,
        levels: Sequence[Sequence[int]] | None = None,
        orders: Sequence[Sequence[int]] | None = None,
        depth: int = 2,
        output_depth: int | None = None,
    ) -> StatementPlan:
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
        )


@dataclass
class _Grower:
    """Grows blocks of one candidate, remembering the cheapest feasible plan seen."""

    candidate: _Candidate
    hardware: HardwareSpec
    cost_model: CostModel
    evaluations: int = 0
    best: StatementPlan | None = None
    best_cost: float = float("inf")
    reasons: list[str] = field(default_factory=list)

    def consider(self, plan: StatementPlan) -> bool:
        """Whether the plan is feasible (and keep it if it is the cheapest)."""
        self.evaluations += 1
        try:
            check_feasible(plan, self.hardware)
        except Infeasible as error:
            self.reasons.append(f"@{plan.spec.name}: {error}")
            return False
        cost = self.cost_model.estimate(plan, self.hardware).cycles
        if _better(cost, plan, self.best_cost, self.best, self.hardware):
            self.best, self.best_cost = plan, cost
        return True

    def grow(
        self,
        levels: list[list[int]],
        orders: Sequence[Sequence[int]],
        first_level: int,
        growth: Sequence[int],
        balanced: bool,
        output_depth: int | None = None,
    ) -> None:
        """Grow levels `first_level`..1 (innermost first) while the plan stays
        feasible: axis by axis in `growth` order, each as far as it goes, or
        `balanced`, one step of each axis in turn. A level's growth carries its
        outer levels along (they are grown after)."""
        axes = self.candidate.plan(levels, orders).axes
        for level in range(first_level, 0, -1):
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
                        plan = self.candidate.plan(trial, orders, output_depth=output_depth)
                        if not self.consider(plan):
                            break
                        levels, grown = trial, True
                        if balanced:
                            break
                    if not grown or not balanced:
                        stuck.add(axis)

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
                plan = self.candidate.plan(best.levels, best.orders, depth, output_depth)
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
        for spec, mapping in candidates:
            try:
                route = routes(spec, mapping, hardware, homes)
                usable.append(_Candidate(index, statement, spec, mapping, route))
            except Unroutable as error:
                reasons.append(f"@{spec.name}: {error}")
        best = baseline
        best_cost = (
            self.cost_model.estimate(baseline, hardware).cycles
            if baseline is not None
            else float("inf")
        )
        for plan in self._plans(usable, hardware, reasons):
            try:
                check_feasible(plan, hardware)
            except Infeasible as error:
                reasons.append(f"@{plan.spec.name}: {error}")
                continue
            if self.kind is StrategyKind.RANDOM:
                return plan
            cost = self.cost_model.estimate(plan, hardware).cycles
            if _better(cost, plan, best_cost, best, hardware):
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
        self, candidates: list[_Candidate], hardware: HardwareSpec, reasons: list[str]
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
        self, candidates: list[_Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        # Branch and bound: a mapping whose instructions alone take longer than
        # the best plan found so far cannot win.
        def floor(candidate: _Candidate) -> float:
            return candidate.spec.issue_cycles(candidate.mapping.executions)

        best = float("inf")
        for candidate in sorted(candidates, key=floor):
            if floor(candidate) >= best:
                break
            for plan in self._greedy(candidate, hardware, reasons):
                best = min(best, self.cost_model.estimate(plan, hardware).cycles)
                yield plan

    def _search_plans(
        self, candidates: list[_Candidate], hardware: HardwareSpec, reasons: list[str]
    ) -> Iterator[StatementPlan]:
        found: list[tuple[float, int, _Grower]] = []
        yield from self._search_grown(candidates, hardware, reasons, found)
        # The buffering depth of the cheapest few, as greedy chooses its own.
        for _, _, grower in sorted(found, key=lambda item: item[:2])[:3]:
            plan = grower.deepen()
            if plan is not None:
                yield plan

    def _search_grown(
        self,
        candidates: list[_Candidate],
        hardware: HardwareSpec,
        reasons: list[str],
        found: list[tuple[float, int, _Grower]],
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
                    grower = _Grower(candidate, hardware, self.cost_model)
                    if grower.consider(candidate.plan(levels, orders)):
                        grower.grow(levels, orders, len(levels) - 1, order, True)
                    evaluations += grower.evaluations
                    reasons += grower.reasons[:1]
                    if grower.best is not None:
                        found.append((grower.best_cost, len(found), grower))
                        yield grower.best

    def _random_plans(
        self, candidates: list[_Candidate], hardware: HardwareSpec, reasons: list[str]
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

    def _library_plans(self, candidates: list[_Candidate]) -> Iterator[StatementPlan]:
        # A statement no library kernel covers keeps every mapping: the
        # library is assumed to have some kernel for it.
        chosen = [c for c in candidates if library_mapping(c.mapping)] or candidates
        for candidate in chosen:
            base = candidate.plan()
            for tiling in LIBRARY_TILINGS:
                yield candidate.plan(tiling.levels(base.axes, len(base.levels)))
            yield base

    def _greedy(
        self, candidate: _Candidate, hardware: HardwareSpec, reasons: list[str]
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
        scout = _Grower(candidate, hardware, self.cost_model)
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
            grower = _Grower(candidate, hardware, self.cost_model)
            start = [list(blocks) for _ in range(count)]
            grower.consider(candidate.plan(start, orders, output_depth=output_depth))
            for growth, balanced in (
                (output_first, False),
                (reduction_first, False),
                (output_first, True),
            ):
                grower.grow(
                    [list(b) for b in start], orders, count - 1, growth, balanced, output_depth
                )
            plan = grower.deepen()
            if plan is not None:
                yield plan


def _better(
    cost: float,
    plan: StatementPlan,
    best_cost: float,
    best: StatementPlan | None,
    hardware: HardwareSpec,
) -> bool:
    """Whether `plan` beats the best so far: cheaper, or as cheap in fewer transfers."""
    if best is None or cost < best_cost:
        return True
    return cost == best_cost and transfers_per_refill(plan, hardware) < transfers_per_refill(
        best, hardware
    )


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
