"""Builders for the upstream IR `convert-accel-to-mlir` emits: index arithmetic,
loop nests, flat views of buffers and one element of an `isa.compute`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import prod

from xdsl.builder import Builder
from xdsl.dialects import arith, math, memref, scf, vector
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    VectorType,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from isamapper_dialect.compute_kind import ComputeKind


class ExportError(Exception):
    """An input the export cannot express in upstream dialects."""


class Emitter:
    """Inserts ops at one point (see `xdsl.builder.Builder`)."""

    def __init__(self, point: InsertPoint):
        self.builder = Builder(point)

    def insert(self, op):
        """Insert `op` and return it."""
        return self.builder.insert(op)

    def index(self, value: int) -> SSAValue:
        """An `index` constant."""
        return self.insert(arith.ConstantOp(IntegerAttr(value, IndexType()))).result

    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.insert(arith.AddiOp(a, b)).result

    def sub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.insert(arith.SubiOp(a, b)).result

    def mul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.insert(arith.MuliOp(a, b)).result

    def clamp(self, value: SSAValue, high: int) -> SSAValue:
        """`min(max(value, 0), high)`."""
        low = self.insert(arith.MaxSIOp(value, self.index(0))).result
        return self.insert(arith.MinSIOp(low, self.index(high))).result

    def linear(self, terms: Sequence[tuple[int, SSAValue]], offset: int | SSAValue) -> SSAValue:
        """`sum(c * v) + offset`, without the multiplications by one or zero terms."""
        total = offset if isinstance(offset, SSAValue) else None
        constant = offset if isinstance(offset, int) else 0
        for coefficient, value in terms:
            if coefficient == 0:
                continue
            term = value if coefficient == 1 else self.mul(value, self.index(coefficient))
            total = term if total is None else self.add(total, term)
        if total is None:
            return self.index(constant)
        return self.add(total, self.index(constant)) if constant else total

    def loops(
        self,
        uppers: Sequence[SSAValue],
        body: Callable[[Emitter, list[SSAValue]], None],
    ) -> None:
        """A nest of `scf.for` from 0 to each upper bound (outermost first); `body`
        builds the innermost iteration from the induction variables."""
        if not uppers:
            body(self, [])
            return
        zero, one = self.index(0), self.index(1)
        emitter: Emitter = self
        variables: list[SSAValue] = []
        for upper in uppers:
            block = Block(arg_types=[IndexType()])
            emitter.insert(scf.ForOp(zero, upper, one, [], Region(block)))
            block.add_op(scf.YieldOp())
            assert block.last_op is not None
            variables.append(block.args[0])
            emitter = Emitter(InsertPoint.before(block.last_op))
        body(emitter, variables)

    def if_else(
        self,
        condition: SSAValue,
        then: Callable[[Emitter], None],
        otherwise: Callable[[Emitter], None],
    ) -> None:
        """An `scf.if` without results: `then` builds the branch taken when
        `condition` holds, `otherwise` the other."""
        branches = []
        for build in (then, otherwise):
            block = Block()
            block.add_op(scf.YieldOp())
            assert block.last_op is not None
            build(Emitter(InsertPoint.before(block.last_op)))
            branches.append(Region(block))
        self.insert(scf.IfOp(condition, [], branches[0], branches[1]))


def int_constant(value: SSAValue) -> int | None:
    """The integer `value` holds when an `arith.constant` defines it, else None."""
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, IntegerAttr):
        return owner.value.value.data
    return None


def flat_type(memref_type: MemRefType) -> MemRefType:
    """The 1-D identity-layout type of all of a buffer's elements."""
    return MemRefType(memref_type.element_type, [prod(memref_type.get_shape())])


def flat_view(emitter: Emitter, buffer: SSAValue) -> SSAValue:
    """`buffer` as a flat memref: element `n` is at offset `n`, as `accel` addresses it."""
    memref_type = buffer.type
    assert isinstance(memref_type, MemRefType)
    cast = memref.ReinterpretCastOp.from_dynamic(
        buffer, [0], [prod(memref_type.get_shape())], [1], flat_type(memref_type)
    )
    return emitter.insert(cast).result


def constant(emitter: Emitter, value: float, value_type: Attribute) -> SSAValue:
    """The constant `value` of an element type, or of every lane of a vector type."""
    if isinstance(value_type, VectorType):
        scalar = constant(emitter, value, value_type.element_type)
        return emitter.insert(vector.BroadcastOp(scalar, value_type)).vector
    if isinstance(value_type, AnyFloat):
        return emitter.insert(arith.ConstantOp(FloatAttr(value, value_type))).result
    assert isinstance(value_type, IntegerType)
    return emitter.insert(arith.ConstantOp(IntegerAttr(int(value), value_type))).result


def zero(emitter: Emitter, value_type: Attribute) -> SSAValue:
    """The constant 0 of an element type (or a vector of them)."""
    return constant(emitter, 0, value_type)


def element(
    emitter: Emitter, kind: ComputeKind, inputs: list[SSAValue], output: SSAValue | None
) -> SSAValue:
    """The value one point of a statement of `kind` stores: from its input values
    and, for `mac` and `sum`, the output's current value. Scalars or vectors of one type
    (lane by lane); a `mac` of float vectors is one `vector.fma`."""
    value_type = inputs[0].type
    lanes = isinstance(value_type, VectorType)
    floating = isinstance(value_type.element_type if lanes else value_type, AnyFloat)
    add, sub, mul = (
        (arith.AddfOp, arith.SubfOp, arith.MulfOp)
        if floating
        else (arith.AddiOp, arith.SubiOp, arith.MuliOp)
    )
    if kind is ComputeKind.MAC:
        assert output is not None
        if lanes and floating:
            return emitter.insert(vector.FMAOp(inputs[0], inputs[1], output)).res
        product = emitter.insert(mul(inputs[0], inputs[1])).result
        return emitter.insert(add(output, product)).result
    if kind is ComputeKind.SUM:
        assert output is not None
        return emitter.insert(add(output, inputs[0])).result
    binary = {ComputeKind.ADD: add, ComputeKind.SUB: sub, ComputeKind.MUL: mul}
    if kind in binary:
        return emitter.insert(binary[kind](inputs[0], inputs[1])).result
    (x,) = inputs
    if kind is ComputeKind.COPY:
        return x
    if kind is ComputeKind.NEG:
        negation = arith.NegfOp(x) if floating else arith.SubiOp(zero(emitter, x.type), x)
        return emitter.insert(negation).result
    if kind is ComputeKind.RELU:
        maximum = arith.MaximumfOp if floating else arith.MaxSIOp
        return emitter.insert(maximum(x, zero(emitter, x.type))).result
    if not floating:
        raise ExportError(f"{kind} of integers has no upstream arith equivalent")
    if kind is ComputeKind.EXP:
        return emitter.insert(math.ExpOp(x)).result
    if kind is ComputeKind.TANH:
        return emitter.insert(math.TanhOp(x)).result
    assert kind is ComputeKind.SIGMOID, kind
    # 1 / (1 + exp(-x)), the reference semantics' formula.
    one = constant(emitter, 1.0, x.type)
    negated = emitter.insert(arith.NegfOp(x)).result
    exponential = emitter.insert(math.ExpOp(negated)).result
    denominator = emitter.insert(arith.AddfOp(one, exponential)).result
    return emitter.insert(arith.DivfOp(one, denominator)).result


@dataclass
class FlatViews:
    """One flat view per buffer, made where the buffer is defined."""

    views: dict[SSAValue, SSAValue] = field(default_factory=dict)

    def of(self, buffer: SSAValue) -> SSAValue:
        view = self.views.get(buffer)
        if view is None:
            owner = buffer.owner
            if isinstance(owner, Operation):
                point = InsertPoint.after(owner)
            else:
                point = InsertPoint.at_start(owner)
            view = self.views[buffer] = flat_view(Emitter(point), buffer)
        return view
