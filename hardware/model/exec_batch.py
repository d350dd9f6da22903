"""Batched timing of execution-only loop nests (timing-only runs).

A loop nest whose body holds only `accel.exec`s, the index arithmetic of their
offsets and `accel.wait`s for transfers issued before it (the compute blocks
of a schedule: 1551 executions of nnp's matrix unit per block of a DeepBench
GEMM) is timed in one go instead of op by op. The nest is compiled once into
local slots; a run computes the offsets of every execution with numpy over the
whole iteration space (one axis per loop; what does not vary within the nest
with plain integers, `exec_arith`), and `exec_timing` runs the units' queue in
one tight loop, with the cycles, clocks and counters of running the nest op by
op. A wait holds the executions after its first run (its later runs change
nothing). What depends on the offsets only is prepared once per values from
outside the nest (a library schedule runs the same 320-execution block 49152
times over a few hundred distinct outer values).

Nests outside this form run op by op (`loop_nest.NestCompiler`): loop bounds
that change within the nest, loop-carried values, other ops, an input written
by the nest itself (its readiness would change as the nest runs), integer
arithmetic near the limits of int64, fewer than `MIN_EXECUTIONS` or more than
`MAX_EXECUTIONS` executions, or more than a run's bound on operations leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir import SSAValue

from isamapper_dialect.accel import ExecOp, WaitOp
from isamapper_hardware.model.accel_ops import AccelFunctions
from isamapper_hardware.model.exec_arith import (
    ARITH,
    IndexArith,
    NotBatchable,
    scalar,
    vector,
)
from isamapper_hardware.model.exec_timing import ExecRun, Prepared, prepare, time_executions
from isamapper_hardware.model.machine import Machine, Token

MAX_EXECUTIONS = 1 << 18
"""Executions above which a nest is not batched (its inner loops may be):
beyond it the arrays cost more memory than the batch saves time."""


def batchable(op: scf.ForOp) -> bool:
    """Whether a loop nest holds only loops without carried values, the integer
    arithmetic the lowering emits, `accel.wait`s for transfers outside it and
    at least one `accel.exec` whose arrays come from outside the nest."""
    inside: set[SSAValue] = set()
    execs = 0
    for inner in op.walk():
        inside.update(inner.results)
        if isinstance(inner, scf.ForOp):
            if len(inner.body.blocks) != 1 or inner.results or inner.body.block.args[1:]:
                return False
            inside.update(inner.body.block.args)
        elif isinstance(inner, ExecOp):
            execs += 1
            arrays = inner.operands[: len(inner.operands) // 2]
            if any(array in inside for array in arrays):
                return False
        elif isinstance(inner, WaitOp):
            if any(token in inside for token in inner.operands):
                return False
        elif isinstance(inner, ARITH):
            kind = inner.results[0].type
            if not isinstance(kind, IndexType | IntegerType):
                return False
        elif not isinstance(inner, arith.ConstantOp | scf.YieldOp):
            return False
    return execs > 0


@dataclass
class _Exec:
    """An `accel.exec` of the nest: the local slots of its arrays and offsets."""

    op: ExecOp
    arrays: list[int]
    offsets: list[int]


@dataclass
class _Wait:
    """An `accel.wait` of the nest on transfers before it: the local slots of
    its tokens. Its first run holds every later execution until they complete;
    the others change nothing."""

    tokens: list[int]


@dataclass
class _Loop:
    """An `scf.for` of the nest: slots of its bounds and induction variable, its
    axis of the iteration space, and its body."""

    bounds: tuple[int, int, int]
    index: int
    axis: int
    body: list[IndexArith | _Exec | _Wait | _Loop]


MAX_PREPARED = 1 << 21
"""Executions of the prepared batches one nest keeps (by the values from
outside it): a few hundred MB at most."""

MIN_EXECUTIONS = 32
"""Executions below which a nest with constant bounds runs op by op: setting
up a batch costs about as much as simulating this many (a CPU's register
block of 16 executions between its loads)."""


def compile_batch(
    op: scf.ForOp,
    accel: AccelFunctions,
    operand: Callable[[SSAValue], int],
    constant: Callable[[arith.ConstantOp], Any],
    index_bitwidth: int,
) -> ExecBatch | None:
    """The batch of a `batchable` nest; None when it cannot batch (a loop
    bound that changes within it) or has too few executions to gain."""
    try:
        batch = ExecBatch(op, accel, operand, constant, index_bitwidth)
    except NotBatchable:
        return None
    if batch.static_total is not None and batch.static_total < MIN_EXECUTIONS:
        return None
    return batch


class ExecBatch:
    """One batchable nest (see `batchable`), compiled once into local slots,
    run as a batch on the frame of the nest around it.

    `operand(value)` gives the frame slot of a value defined outside the nest
    (`NestCompiler.operand`); `constant` evaluates a constant op."""

    def __init__(
        self,
        op: scf.ForOp,
        accel: AccelFunctions,
        operand: Callable[[SSAValue], int],
        constant: Callable[[arith.ConstantOp], Any],
        index_bitwidth: int,
    ):
        self.accel = accel
        self.machine: Machine = accel.machine
        self.index_bitwidth = index_bitwidth
        self.slots: dict[SSAValue, int] = {}
        self.template: list[Any] = []
        self.free: list[tuple[int, int]] = []
        """(frame slot, local slot) of each value from outside the nest."""
        self.varying: set[int] = set()
        """Local slots of values that change within the nest."""
        self.axes = 0
        self.nest = self._loop(op, operand, constant)
        self._magnitudes: dict[int, int] = {}
        self._prepared: dict[tuple[Any, ...], Any] = {}
        self._kept = 0
        self.execs = self._nodes(_Exec)
        self.waits = self._nodes(_Wait)
        self._spaces: dict[
            tuple[tuple[int, int, int], ...], tuple[int, list[np.ndarray], list[int | None]]
        ] = {}
        self.static_total: int | None = None
        """The nest's executions when every loop bound is a constant."""
        trips: list[tuple[int, int, int]] = []
        if self._constant_trips(self.nest, trips):
            self.static_total = self._count(self.nest, iter(trips))

    def _count(self, loop: _Loop, trips: Iterator[tuple[int, int, int]]) -> int:
        """The nest's executions for these loop bounds (in the nest's order),
        without building its iteration space."""
        trip = len(range(*next(trips)))
        count = 0
        for node in loop.body:
            if isinstance(node, _Exec):
                count += 1
            elif isinstance(node, _Loop):
                count += self._count(node, trips)
        return count * trip

    def _constant_trips(self, loop: _Loop, trips: list[tuple[int, int, int]]) -> bool:
        bounds = tuple(self.template[b] for b in loop.bounds)
        if any(not isinstance(b, int) for b in bounds) or bounds[2] <= 0:
            return False
        trips.append(bounds)  # type: ignore[arg-type]
        return all(self._constant_trips(n, trips) for n in loop.body if isinstance(n, _Loop))

    def _slot(self, value: SSAValue, operand: Callable[[SSAValue], int] | None = None) -> int:
        slot = self.slots.get(value)
        if slot is None:
            slot = self.slots[value] = len(self.template)
            self.template.append(None)
            if operand is not None:
                self.free.append((operand(value), slot))
        return slot

    def _use(self, value: SSAValue, operand: Callable[[SSAValue], int]) -> int:
        """The local slot of a used value (loaded from the frame if from outside)."""
        return self.slots[value] if value in self.slots else self._slot(value, operand)

    def _loop(
        self,
        op: scf.ForOp,
        operand: Callable[[SSAValue], int],
        constant: Callable[[arith.ConstantOp], Any],
    ) -> _Loop:
        lower, upper, step = (self._use(v, operand) for v in op.operands[:3])
        if {lower, upper, step} & self.varying:
            raise NotBatchable  # bounds that change within the nest
        index = self._slot(op.body.block.args[0])
        self.varying.add(index)
        loop = _Loop((lower, upper, step), index, self.axes, [])
        self.axes += 1
        for inner in op.body.block.ops:
            if isinstance(inner, arith.ConstantOp):
                self.template[self._slot(inner.result)] = constant(inner)
            elif isinstance(inner, ExecOp):
                half = len(inner.operands) // 2
                uses = [self._use(v, operand) for v in inner.operands]
                loop.body.append(_Exec(inner, uses[:half], uses[half:]))
            elif isinstance(inner, WaitOp):
                loop.body.append(_Wait([self._use(v, operand) for v in inner.operands]))
            elif isinstance(inner, scf.ForOp):
                loop.body.append(self._loop(inner, operand, constant))
            elif not isinstance(inner, scf.YieldOp):
                a, b = (self._use(v, operand) for v in inner.operands)
                r = self._slot(inner.results[0])
                kind = inner.results[0].type
                width = self.index_bitwidth if isinstance(kind, IndexType) else kind.width.data
                vector = bool({a, b} & self.varying)
                if vector:
                    self.varying.add(r)
                loop.body.append(IndexArith(type(inner), a, b, r, width, vector))
        return loop

    def run(self, frame: list[Any]) -> bool:
        """Time the nest's executions on the machine; False (nothing changed)
        when this run cannot be batched."""
        values = self.template.copy()
        for outer, local in self.free:
            values[local] = frame[outer]
        machine = self.machine
        # The offsets depend on the integers from outside only, the buffers on
        # the arrays: a nest run again with both the same is prepared once.
        key = tuple(
            id(machine.buffer(value)) if isinstance(value, np.ndarray) else value
            for value in (values[local] for _, local in self.free)
            if not isinstance(value, Token)
        )
        found = self._prepared.get(key)
        if found is None:
            found = self._prepare(values)
            size = found[0] if found else 0
            if self._kept + size > MAX_PREPARED:
                self._prepared.clear()
                self._kept = 0
            self._prepared[key] = found
            self._kept += size
        if found is False:
            return False
        total, batch, waits = found
        issue = machine.issue
        holds = [
            (first, max((values[t].time for t in node.tokens), default=issue))
            for node, first in zip(self.waits, waits, strict=True)
            if first is not None
        ]
        bound = machine.max_operations
        if bound is not None and machine.operations + total > bound:
            # Near a bound on the operations, op by op (where inner loops
            # fast-forward) counts what it always counted.
            return False
        if batch is not None:
            # When each execution may issue: after the waits that ran before it.
            issues = np.full(total, issue)
            for first, time in sorted(holds):
                issues[first:] = np.maximum(issues[first:], time)
            time_executions(machine, batch, issues)
        for _, time in holds:
            machine.issue = max(machine.issue, time)
        return True

    def _prepare(self, values: list[Any]) -> tuple[int, Prepared | None, list[int | None]] | bool:
        """(executions, their prepared batch (None: there are none), the
        executions before each wait's first run); False when the nest cannot
        batch with these values."""
        trips: list[tuple[int, int, int]] = []
        offsets: list[list[np.ndarray]] = []
        try:
            self._evaluate(self.nest, values, trips, offsets)
        except NotBatchable:
            return False
        total, positions, waits = self._space(tuple(trips))
        if total > MAX_EXECUTIONS:
            return False
        if total == 0:
            return total, None, waits
        runs = [
            ExecRun(
                node.op,
                self.accel.exec_info(node.op),
                where,
                [values[a] for a in node.arrays],
                offset,
            )
            for node, where, offset in zip(self.execs, positions, offsets, strict=True)
        ]
        batch = prepare(self.machine, runs, total)
        return False if batch is None else (total, batch, waits)

    # The iteration space ------------------------------------------------------

    def _evaluate(
        self,
        loop: _Loop,
        values: list[Any],
        trips: list[tuple[int, int, int]],
        offsets: list[list[np.ndarray]],
        points: int = 1,
    ) -> None:
        """Evaluate the nest's arithmetic over its whole iteration space (one
        numpy axis per loop), collecting each loop's bounds and each
        execution's offsets, in the nest's order. `points`: iterations of the
        enclosing loops, which bounds every array's size (NotBatchable past
        MAX_EXECUTIONS: such a nest is left to its inner loops)."""
        lower, upper, step = (values[b] for b in loop.bounds)
        if step <= 0:
            raise NotBatchable
        trip = len(range(lower, upper, step))
        points *= trip
        if points > MAX_EXECUTIONS:
            raise NotBatchable
        trips.append((lower, upper, step))
        shape = [1] * self.axes
        shape[loop.axis] = trip
        values[loop.index] = np.arange(lower, upper, step, dtype=np.int64).reshape(shape)
        # Bounds on the magnitude of the varying values, which keep int64 exact.
        magnitudes = self._magnitudes
        magnitudes[loop.index] = max(abs(lower), abs(upper))
        for node in loop.body:
            if isinstance(node, IndexArith):
                a, b = values[node.a], values[node.b]
                if node.vector:
                    big_a = magnitudes[node.a] if node.a in self.varying else abs(a)
                    big_b = magnitudes[node.b] if node.b in self.varying else abs(b)
                    values[node.r], magnitudes[node.r] = vector(node, a, b, big_a, big_b)
                else:
                    values[node.r] = scalar(node, a, b)
            elif isinstance(node, _Exec):
                offsets.append([np.asarray(values[o], np.int64) for o in node.offsets])
            elif isinstance(node, _Loop):
                self._evaluate(node, values, trips, offsets, points)

    def _nodes(self, kind: type) -> list:
        """The nest's executions (or waits) in its order."""
        found: list = []

        def visit(loop: _Loop) -> None:
            for node in loop.body:
                if isinstance(node, kind):
                    found.append(node)
                elif isinstance(node, _Loop):
                    visit(node)

        visit(self.nest)
        return found

    def _space(
        self, trips: tuple[tuple[int, int, int], ...]
    ) -> tuple[int, list[np.ndarray], list[int | None]]:
        """The executions of the nest, the position of each (per exec op, over
        the loops' axes) and the executions before each wait's first run (None:
        it never runs), for these loop bounds (kept per bounds)."""
        found = self._spaces.get(trips)
        if found is not None:
            return found
        positions: list[np.ndarray] = []
        waits: list[np.ndarray] = []
        counts = iter(len(range(*t)) for t in trips)

        def block(loop: _Loop, start: np.ndarray) -> int:
            trip = next(counts)
            shape = [1] * self.axes
            shape[loop.axis] = trip
            ordinal = np.arange(trip, dtype=np.int64).reshape(shape)
            first, first_wait = len(positions), len(waits)
            count = 0
            for node in loop.body:
                if isinstance(node, _Exec):
                    positions.append(start + count)
                    count += 1
                elif isinstance(node, _Wait):
                    waits.append(start + count)
                elif isinstance(node, _Loop):
                    count += block(node, start + count)
            for k in range(first, len(positions)):
                positions[k] = positions[k] + ordinal * count
            for k in range(first_wait, len(waits)):
                waits[k] = waits[k] + ordinal * count
            return count * trip

        total = block(self.nest, np.zeros((1,) * self.axes, np.int64))
        firsts = [int(w.min()) if w.size else None for w in waits]
        self._spaces[trips] = found = (total, positions, firsts)
        return found
