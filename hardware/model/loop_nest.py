"""A compiler for the model's innermost loop nests: `scf.for` nests of index
arithmetic and accel ops become Python closures over a frame of slots, with the
unsigned and wrapping integer arithmetic of the `arith` ops they use, so the
interpreter's per-op dispatch is paid once per nest, not per iteration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.interpreter import (
    Interpreter,
)
from xdsl.ir import Block, Operation, SSAValue

from isamapper_hardware.model.accel_ops import AccelFunctions
from isamapper_hardware.model.exec_batch import batchable, compile_batch


class LoopRunner(Protocol):
    """What a compiled nest needs of the `scf.for` implementation that owns it
    (`fast_forward.FastForwardingScf`): the accel ops it may call directly, and
    the loop driver that fast-forwards."""

    accel: AccelFunctions | None

    def iterate(
        self,
        values: range,
        loop_args: Sequence[Any],
        body: Callable[[int, Sequence[Any]], Sequence[Any]],
        loop: scf.ForOp | None = None,
    ) -> tuple[Any, ...]: ...


Frame = list[Any]
"""The values of a compiled loop nest, one slot per SSA value."""
Step = Callable[[Frame], None]


@dataclass
class Nest:
    """A compiled loop nest: `step` runs the outermost loop on a frame."""

    template: Frame
    """Constants in place, None elsewhere."""
    free: list[tuple[int, SSAValue]]
    """Slots of the values defined outside the nest."""
    step: Step
    results: list[int]

    def run(self, interpreter: Interpreter) -> tuple[Any, ...]:
        frame = self.template.copy()
        values = interpreter.get_values([value for _, value in self.free])
        for (slot, _), value in zip(self.free, values, strict=True):
            frame[slot] = value
        self.step(frame)
        return tuple(frame[slot] for slot in self.results)


def _wrapping_step(kind: type, width: int, a: int, b: int, r: int) -> Step:
    """Integer add, sub or mul with wrap-around to `width` signed bits, as xDSL's
    arith interpreter computes them."""
    half, modulus = 1 << (width - 1), 1 << width
    if kind is arith.AddiOp:

        def add(frame: Frame) -> None:
            frame[r] = (frame[a] + frame[b] + half) % modulus - half

        return add
    if kind is arith.SubiOp:

        def sub(frame: Frame) -> None:
            frame[r] = (frame[a] - frame[b] + half) % modulus - half

        return sub

    def mul(frame: Frame) -> None:
        frame[r] = (frame[a] * frame[b] + half) % modulus - half

    return mul


def _unsigned_step(kind: type, a: int, b: int, r: int) -> Step:
    """`UnsignedIndexArith`'s division or remainder."""
    if kind is arith.DivUIOp:

        def divui(frame: Frame) -> None:
            frame[r] = frame[a] // frame[b]

        return divui

    def remui(frame: Frame) -> None:
        frame[r] = frame[a] % frame[b]

    return remui


def _call_step(
    function: Callable[[Any, tuple[Any, ...]], Sequence[Any]],
    op: Operation,
    ins: list[int],
    outs: list[int],
) -> Step:
    """Calls `function(op, operand values)` and stores its results."""
    if not outs:

        def call(frame: Frame) -> None:
            function(op, tuple([frame[s] for s in ins]))

        return call
    if len(outs) == 1:
        (out,) = outs

        def call_one(frame: Frame) -> None:
            (frame[out],) = function(op, tuple([frame[s] for s in ins]))

        return call_one

    def call_many(frame: Frame) -> None:
        results = function(op, tuple([frame[s] for s in ins]))
        for slot, value in zip(outs, results, strict=True):
            frame[slot] = value

    return call_many


class NestCompiler:
    """Turns an `scf.for` nest into Python steps over a frame of values.

    Constants are evaluated once (by the interpreter) into the frame's
    template, integer arithmetic runs inline with xDSL's wrap-around, `accel`
    ops call `AccelFunctions` directly, and any other op without regions goes
    through `Interpreter.run_op`. Each loop iterates with
    `FastForwardingScf.iterate`. Nests holding other ops with regions are not
    compiled (None).
    """

    def __init__(self, interpreter: Interpreter, loops: LoopRunner):
        self.interpreter = interpreter
        self.loops = loops
        self.direct = loops.accel.direct if loops.accel is not None else {}
        self.slots: dict[SSAValue, int] = {}
        self.template: Frame = []
        self.free: list[tuple[int, SSAValue]] = []

    def compile(self, op: scf.ForOp) -> Nest | None:
        if not _compilable(op):
            return None
        step = self.loop(op)
        return Nest(self.template, self.free, step, [self.slot(r) for r in op.results])

    def slot(self, value: SSAValue) -> int:
        """The frame slot of a value defined in the nest."""
        slot = self.slots.get(value)
        if slot is None:
            slot = self.slots[value] = len(self.template)
            self.template.append(None)
        return slot

    def operand(self, value: SSAValue) -> int:
        """The frame slot of a used value; values from outside are loaded on entry."""
        if value not in self.slots:
            self.free.append((self.slot(value), value))
        return self.slots[value]

    def loop(self, op: scf.ForOp) -> Step:
        run_loop = self._loop(op)
        machine = self.loops.accel.machine if self.loops.accel is not None else None
        if machine is None or machine.functional or machine.tracing or not batchable(op):
            return run_loop
        batch = compile_batch(
            op,
            self.loops.accel,
            self.operand,
            lambda constant: self.interpreter.run_op(constant, ())[0],
            self.interpreter.index_bitwidth,
        )
        if batch is None:
            return run_loop

        def run_batch(frame: Frame) -> None:
            if not batch.run(frame):
                run_loop(frame)

        return run_batch

    def _loop(self, op: scf.ForOp) -> Step:
        lower, upper, stride, *inits = (self.operand(v) for v in op.operands)
        outs = [self.slot(r) for r in op.results]
        block = op.body.block
        index, *carried = (self.slot(a) for a in block.args)
        steps, yielded = self.block(block)
        iterate = self.loops.iterate

        def run_loop(frame: Frame) -> None:
            def body(value: int, loop_args: Sequence[Any]) -> list[Any]:
                frame[index] = value
                for slot, arg in zip(carried, loop_args, strict=True):
                    frame[slot] = arg
                for step in steps:
                    step(frame)
                return [frame[slot] for slot in yielded]

            results = iterate(
                range(frame[lower], frame[upper], frame[stride]),
                [frame[slot] for slot in inits],
                body,
                op,
            )
            for slot, value in zip(outs, results, strict=True):
                frame[slot] = value

        return run_loop

    def block(self, block: Block) -> tuple[list[Step], list[int]]:
        steps: list[Step] = []
        yielded: list[int] = []
        for op in block.ops:
            if isinstance(op, scf.YieldOp):
                yielded = [self.operand(v) for v in op.operands]
            elif isinstance(op, scf.ForOp):
                steps.append(self.loop(op))
            elif isinstance(op, arith.ConstantOp):
                (self.template[self.slot(op.result)],) = self.interpreter.run_op(op, ())
            else:
                steps.append(self.step(op))
        return steps, yielded

    def step(self, op: Operation) -> Step:
        ins = [self.operand(v) for v in op.operands]
        outs = [self.slot(r) for r in op.results]
        kind = type(op)
        if kind in (arith.AddiOp, arith.SubiOp, arith.MuliOp):
            result_type = op.results[0].type
            if isinstance(result_type, IndexType):
                return _wrapping_step(kind, self.interpreter.index_bitwidth, *ins, *outs)
            if isinstance(result_type, IntegerType):
                return _wrapping_step(kind, result_type.width.data, *ins, *outs)
        if kind in (arith.DivUIOp, arith.RemUIOp):
            return _unsigned_step(kind, *ins, *outs)
        direct = self.direct.get(kind)
        if direct is not None:
            return _call_step(direct, op, ins, outs)
        interpreter = self.interpreter
        return _call_step(lambda op, args: interpreter.run_op(op, args), op, ins, outs)


def _compilable(op: scf.ForOp) -> bool:
    """Whether a loop nest holds only `scf.for`s (with one block) and ops without regions."""
    for inner in op.walk():
        if isinstance(inner, scf.ForOp):
            if len(inner.body.blocks) != 1:
                return False
        elif inner.regions:
            return False
    return True
