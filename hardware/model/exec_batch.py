"""Batched timing of execution-only loop nests (timing-only runs).

A loop nest whose body holds only `accel.exec`s and the index arithmetic of
their offsets (the compute blocks of a schedule: 1551 executions of nnp's
matrix unit per block of a DeepBench GEMM) is timed in one go instead of op by
op. The nest is compiled once into local slots; each run computes the offsets
of every execution with numpy over the whole iteration space (one axis per
loop; what does not vary within the nest with plain integers), and
`exec_timing` runs the units' queue in one tight loop, with the cycles,
clocks and counters of running the nest op by op (DeepBench GEMM on nnp: the
simulation summed over the rows went from 1281 s to 49 s, identical cycles).

Nests outside this form run op by op (`loop_nest.NestCompiler`): loop bounds
that change within the nest, loop-carried values, other ops, an input written
by the nest itself (its readiness would change as the nest runs), integer
arithmetic near the limits of int64, fewer than `MIN_EXECUTIONS` or more than
`MAX_EXECUTIONS` executions, or more than a run's bound on operations leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir import SSAValue

from isamapper_dialect.accel import ExecOp
from isamapper_hardware.model.accel_ops import AccelFunctions
from isamapper_hardware.model.exec_timing import ExecRun, time_executions
from isamapper_hardware.model.machine import Machine

MAX_EXECUTIONS = 1 << 18
"""Executions above which a nest is not batched (its inner loops may be):
beyond it the arrays cost more memory than the batch saves time."""

_SAFE = 1 << 62
"""Magnitude below which int64 arithmetic equals xDSL's wrapping arithmetic."""

_ARITH = (arith.AddiOp, arith.SubiOp, arith.MuliOp, arith.DivUIOp, arith.RemUIOp)


class _NotBatchable(Exception):
    """This run of the nest cannot be batched (it runs op by op instead)."""


def batchable(op: scf.ForOp) -> bool:
    """Whether a loop nest holds only loops without carried values, the integer
    arithmetic the lowering emits and at least one `accel.exec` whose arrays
    come from outside the nest."""
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
        elif isinstance(inner, _ARITH):
            kind = inner.results[0].type
            if not isinstance(kind, IndexType | IntegerType):
                return False
        elif not isinstance(inner, arith.ConstantOp | scf.YieldOp):
            return False
    return execs > 0


Value = int | np.ndarray


@dataclass
class _Arith:
    """`r = a op b` over local slots (`vector`: a or b varies within the nest)."""

    kind: type
    a: int
    b: int
    r: int
    width: int
    vector: bool


@dataclass
class _Exec:
    """An `accel.exec` of the nest: the local slots of its arrays and offsets."""

    op: ExecOp
    arrays: list[int]
    offsets: list[int]


@dataclass
class _Loop:
    """An `scf.for` of the nest: slots of its bounds and induction variable, its
    axis of the iteration space, and its body."""

    bounds: tuple[int, int, int]
    index: int
    axis: int
    body: list[_Arith | _Exec | _Loop]


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
    except _NotBatchable:
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
        self.execs = self._execs()
        self._spaces: dict[tuple[tuple[int, int, int], ...], tuple[int, list[np.ndarray]]] = {}
        self.static_total: int | None = None
        """The nest's executions when every loop bound is a constant."""
        trips: list[tuple[int, int, int]] = []
        if self._constant_trips(self.nest, trips):
            self.static_total = self._space(tuple(trips))[0]

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
            raise _NotBatchable  # bounds that change within the nest
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
                loop.body.append(_Arith(type(inner), a, b, r, width, vector))
        return loop

    def run(self, frame: list[Any]) -> bool:
        """Time the nest's executions on the machine; False (nothing changed)
        when this run cannot be batched."""
        values = self.template.copy()
        for outer, local in self.free:
            values[local] = frame[outer]
        runs: list[ExecRun] = []
        trips: list[tuple[int, int, int]] = []
        try:
            offsets: list[list[np.ndarray]] = []
            self._evaluate(self.nest, values, trips, offsets)
            total, positions = self._space(tuple(trips))
            if total == 0:
                return True
            bound = self.machine.max_operations
            if total > MAX_EXECUTIONS or (
                bound is not None and self.machine.operations + total > bound
            ):
                # Near a bound on the operations, op by op (where inner loops
                # fast-forward) counts what it always counted.
                return False
            for node, where, offset in zip(self.execs, positions, offsets, strict=True):
                arrays = [values[a] for a in node.arrays]
                facts = self.accel.exec_info(node.op)
                runs.append(ExecRun(node.op, facts, where, arrays, offset))
            if not time_executions(self.machine, runs, total):
                return False
        except _NotBatchable:
            return False
        return True

    # The iteration space ------------------------------------------------------

    def _evaluate(
        self,
        loop: _Loop,
        values: list[Any],
        trips: list[tuple[int, int, int]],
        offsets: list[list[np.ndarray]],
    ) -> None:
        """Evaluate the nest's arithmetic over its whole iteration space (one
        numpy axis per loop), collecting each loop's bounds and each
        execution's offsets, in the nest's order."""
        lower, upper, step = (values[b] for b in loop.bounds)
        if step <= 0:
            raise _NotBatchable
        trips.append((lower, upper, step))
        shape = [1] * self.axes
        shape[loop.axis] = len(range(lower, upper, step))
        values[loop.index] = np.arange(lower, upper, step, dtype=np.int64).reshape(shape)
        for node in loop.body:
            if isinstance(node, _Arith):
                a, b = values[node.a], values[node.b]
                values[node.r] = _vector(node, a, b) if node.vector else _scalar(node, a, b)
            elif isinstance(node, _Exec):
                offsets.append([np.asarray(values[o], np.int64) for o in node.offsets])
            else:
                self._evaluate(node, values, trips, offsets)

    def _execs(self) -> list[_Exec]:
        """The nest's executions in its order."""
        found: list[_Exec] = []

        def visit(loop: _Loop) -> None:
            for node in loop.body:
                if isinstance(node, _Exec):
                    found.append(node)
                elif isinstance(node, _Loop):
                    visit(node)

        visit(self.nest)
        return found

    def _space(self, trips: tuple[tuple[int, int, int], ...]) -> tuple[int, list[np.ndarray]]:
        """The executions of the nest and the position of each (per exec op,
        over the loops' axes) for these loop bounds (kept per bounds)."""
        found = self._spaces.get(trips)
        if found is not None:
            return found
        positions: list[np.ndarray] = []
        counts = iter(len(range(*t)) for t in trips)

        def block(loop: _Loop, start: np.ndarray) -> int:
            trip = next(counts)
            shape = [1] * self.axes
            shape[loop.axis] = trip
            ordinal = np.arange(trip, dtype=np.int64).reshape(shape)
            first = len(positions)
            count = 0
            for node in loop.body:
                if isinstance(node, _Exec):
                    positions.append(start + count)
                    count += 1
                elif isinstance(node, _Loop):
                    count += block(node, start + count)
            for k in range(first, len(positions)):
                positions[k] = positions[k] + ordinal * count
            return count * trip

        total = block(self.nest, np.zeros((1,) * self.axes, np.int64))
        self._spaces[trips] = found = (total, positions)
        return found


def _magnitude(value: Value) -> int:
    """The largest absolute value of a scalar or an array."""
    if isinstance(value, np.ndarray):
        return int(np.abs(value).max()) if value.size else 0
    return abs(int(value))


def _scalar(node: _Arith, a: int, b: int) -> int:
    """The op on two integers, as xDSL's arith interpreter (and the model's
    unsigned division and remainder) computes it."""
    kind = node.kind
    if (kind is arith.DivUIOp or kind is arith.RemUIOp) and b == 0:
        raise _NotBatchable  # op by op raises where the interpreter does
    if kind is arith.DivUIOp:
        return a // b
    if kind is arith.RemUIOp:
        return a % b
    result = a + b if kind is arith.AddiOp else a - b if kind is arith.SubiOp else a * b
    half = 1 << (node.width - 1)
    return (result + half) % (1 << node.width) - half


def _vector(node: _Arith, a: Value, b: Value) -> np.ndarray:
    """The op over arrays, equal to `_scalar` elementwise (_NotBatchable where
    int64 could overflow or a divisor is zero)."""
    kind = node.kind
    if kind is arith.DivUIOp or kind is arith.RemUIOp:
        if np.any(np.asarray(b) == 0):
            raise _NotBatchable
        return np.floor_divide(a, b) if kind is arith.DivUIOp else np.remainder(a, b)
    big_a, big_b = _magnitude(a), _magnitude(b)
    if kind is arith.MuliOp:
        if big_a * big_b >= _SAFE:
            raise _NotBatchable
        result = np.multiply(a, b)
    else:
        if big_a >= _SAFE or big_b >= _SAFE:
            raise _NotBatchable
        result = np.add(a, b) if kind is arith.AddiOp else np.subtract(a, b)
    if node.width < 64:
        half = 1 << (node.width - 1)
        return (result + half) % (1 << node.width) - half
    if _magnitude(result) >= _SAFE:
        raise _NotBatchable
    return result
