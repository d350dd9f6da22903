"""Fast-forwarding: in timing-only mode, once consecutive iterations (or
periods of several, `longest_period`) change every clock and counter by the
same amounts, the remaining ones are added at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xdsl.dialects import scf
from xdsl.interpreter import (
    Interpreter,
    impl,
    register_impls,
)
from xdsl.interpreters.scf import ScfFunctions

from isamapper_hardware.model.accel_ops import AccelFunctions
from isamapper_hardware.model.loop_nest import Nest, NestCompiler
from isamapper_hardware.model.machine import Delta, Machine, Snapshot, TileRecorder


@register_impls
class FastForwardingScf(ScfFunctions):
    """`scf.for` that, without arithmetic, skips iterations whose timing repeats.

    A loop nest whose ops are `scf.for`s and ops without regions runs compiled
    (see `NestCompiler`): the interpreter's per-op dispatch and scoping is paid
    once per nest instead of once per op and iteration. Other loops are
    interpreted; both go through `iterate`, so they fast-forward alike.
    """

    def __init__(self, machine: Machine, accel: AccelFunctions | None = None):
        self.machine = machine
        self.accel = accel
        self._nests: dict[scf.ForOp, Nest | None] = {}
        self._watching: dict[scf.ForOp, _Watching] = {}
        self._longest = longest_period(machine.hardware.units)

    @impl(scf.ForOp)
    def run_for(self, interpreter: Interpreter, op: scf.ForOp, args: tuple[Any, ...]):
        if op not in self._nests:
            self._nests[op] = NestCompiler(interpreter, self).compile(op)
        nest = self._nests[op]
        if nest is not None:
            return nest.run(interpreter)
        lower, upper, step, *loop_args = args

        def body(index: int, loop_args: Sequence[Any]) -> Sequence[Any]:
            return interpreter.run_ssacfg_region(op.body, (index, *loop_args), "for_loop")

        return self.iterate(range(lower, upper, step), loop_args, body, op)

    def iterate(
        self,
        values: range,
        loop_args: Sequence[Any],
        body: Callable[[int, Sequence[Any]], Sequence[Any]],
        loop: scf.ForOp | None = None,
    ) -> tuple[Any, ...]:
        """Run `body` for each of `values`, fast-forwarding when timing repeats.

        `loop` (the `scf.for` run) lets a loop whose cheap iterations never
        repeat stop paying for the watch (see `_Watching`)."""
        machine = self.machine
        snapshots: list[Snapshot] = []
        position = 0
        watching = self._watching.setdefault(loop, _Watching()) if loop is not None else None
        # Look for a repeat in the first iterations only (long enough to see two
        # of the longest periods, slots' or units' rotation): loops whose
        # iterations touch different tiles never repeat, and snapshots cost time.
        if not machine.functional and len(values) >= 4 and (watching is None or watching.due()):
            longest = self._longest
            recorder = TileRecorder()
            machine.recorders.append(recorder)
            operations = machine.operations
            found = False
            try:
                while position < min(2 * longest + 2, len(values)):
                    snapshots.append(machine.snapshot(recorder.changed))
                    recorder.changed = {}
                    jump = _repeat(snapshots, machine.tiles, longest)
                    if jump is not None:
                        found = True
                        period, delta = jump
                        # The last iteration runs for real: it may move a ragged
                        # edge block, which the repeating ones do not.
                        times = (len(values) - position - 1) // period
                        machine.advance(delta, times)
                        position += times * period
                        break
                    loop_args = body(values[position], loop_args)
                    position += 1
            finally:
                machine.recorders.remove(recorder)
            if watching is not None:
                cheap = machine.operations - operations <= CHEAP_ITERATION * max(position, 1)
                watching.watched(found, cheap)
        for index in values[position:]:
            loop_args = body(index, loop_args)
        return tuple(loop_args)


CHEAP_ITERATION = 4
"""Copies and executions per iteration up to which an iteration costs about as
much to simulate as a snapshot and repeat check (see `_Watching`)."""


@dataclass
class _Watching:
    """How watching one loop for a repeat went over its calls (timing only).

    Watching costs a snapshot and a repeat check per iteration, for up to
    2 * longest_period + 2 iterations. For an innermost loop of one execution per
    iteration whose timing never repeats (the executions of a block spread over
    48 units rotate with a period of up to 48 iterations), that was most of the
    run. So a loop that found no repeat in `MISSES` watched calls in a row, each
    with cheap iterations, is watched only once every `RETRY` calls, until a
    watch finds one again. Unwatched iterations run for real, so the cycles stay
    those of the full simulation; loops with costly iterations are always
    watched (a repeat found later saves much, a watch costs little)."""

    MISSES = 4
    RETRY = 64

    misses: int = 0
    """Watched calls in a row that found no repeat in cheap iterations."""
    skipped: int = 0
    """Calls run unwatched since the last watched one."""

    def due(self) -> bool:
        """Whether to watch this call."""
        if self.misses < self.MISSES or self.skipped >= self.RETRY - 1:
            self.skipped = 0
            return True
        self.skipped += 1
        return False

    def watched(self, found: bool, cheap: bool) -> None:
        """Note what a watched call found, and whether its iterations were cheap."""
        self.misses = self.misses + 1 if not found and cheap else 0


SLOT_PERIOD = 8
"""A buffer's slots rotate with the loop, so a loop's timing may repeat only
every `slots` iterations (the scheduler uses at most 8)."""


def longest_period(units: dict[str, int]) -> int:
    """Longest period of iterations fast-forwarding looks for: SLOT_PERIOD, or
    the most units of one kind, whichever is more. Executions go to the earliest
    free unit, so a block of E executions over U units leaves the units' clocks
    rotated by E mod U, which repeats every U / gcd(E, U) blocks: on nnp's 48
    matrix units a block of 1410 executions repeats every 8, found only past
    the pipeline's first blocks (7680x1500x2560: 904k copies and executions
    simulated with a window of 2 x 8 + 2 iterations, 271k with 2 x 48 + 2)."""
    return max(SLOT_PERIOD, *units.values())


def _evenly(a: list[float], b: list[float], c: list[float]) -> bool:
    """Whether every value changed by the same amount (to 1e-9) from `a` to `b`
    as from `b` to `c`. Stops at the first that did not: most windows do not
    repeat, and where no loop repeats, building every change first cost most
    of the run."""
    for x, y, z in zip(a, b, c, strict=True):
        if not abs((y - x) - (z - y)) < 1e-9:
            return False
    return True


def _repeat(
    snapshots: list[Snapshot], tiles: dict[tuple[int, int], float], longest: int
) -> tuple[int, Delta] | None:
    """(period, per-period change) when the last iterations repeat with a period
    up to `longest`: every clock, counter and tile changed by the same amount
    (to 1e-9) over the last two periods. `tiles` is the current value of the
    tiles (the last snapshot is of now)."""
    for period in range(1, longest + 1):
        if len(snapshots) < 2 * period + 1:
            continue
        a, b, c = snapshots[-1 - 2 * period], snapshots[-1 - period], snapshots[-1]
        if not (a.layout == b.layout == c.layout):
            continue
        if not _evenly(a.values, b.values, c.values):
            continue
        changes = [z - y for y, z in zip(b.values, c.values, strict=True)]
        # A tile's value at an earlier snapshot: undo the later iterations' writes.
        at_b: dict[tuple[int, int], float] = {}
        for snapshot in snapshots[: -1 - period : -1]:
            at_b.update(snapshot.changed)
        at_a = dict(at_b)
        for snapshot in snapshots[-1 - period : -1 - 2 * period : -1]:
            at_a.update(snapshot.changed)
        tile_changes: dict[tuple[int, int], float] = {}
        for key in at_a:
            now = tiles[key]
            then = at_b.get(key, now)
            change = now - then
            if not abs((then - at_a[key]) - change) < 1e-9:
                break
            tile_changes[key] = change
        else:
            return period, (changes, tile_changes)
    return None
