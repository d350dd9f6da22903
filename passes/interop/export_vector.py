"""An instruction execution as upstream `vector` ops, for the native export.

The ops come from the instruction's own `isa.compute`, never from a table of
machine instructions: the statement's last index that its output uses becomes
the vector's lanes, and every other index a loop. Along the lanes each
operand's tile is contiguous (`vector.load` / `vector.store`), constant (one
element, `vector.broadcast`), or neither, in which case the whole execution
is written as scalar loads and stores. A `mac` becomes `vector.fma`, a `sum`
of a contiguous run into one element `vector.reduction <add>`, every other
kind the element arithmetic of `export_emitter.element` on vectors.

Executions address flat views of their buffers at their offset with their
tile strides (both from `accel.exec`), so the arithmetic LLVM sees is static
but for the offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects import arith, memref, vector
from xdsl.dialects.builtin import MemRefType, VectorType
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern
from xdsl.rewriter import InsertPoint

from isamapper_dialect.accel import ExecOp
from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_passes.interop.export_emitter import Emitter, FlatViews, element


@dataclass(frozen=True)
class Tile:
    """How an execution addresses one statement operand: the flat view, the
    offset of the tile's first element and the element stride of each of the
    tile's dimensions."""

    view: SSAValue
    offset: SSAValue
    strides: tuple[int, ...]

    def stride_of(self, rows: Sequence[AccessRow], index: int) -> int:
        """Elements between neighbouring points along statement index `index`."""
        return sum(s * row.coefficients[index] for s, row in zip(self.strides, rows, strict=True))

    def address(
        self, emitter: Emitter, rows: Sequence[AccessRow], variables: Sequence[SSAValue | None]
    ) -> SSAValue:
        """The flat address at a point (a None variable stands at 0)."""
        terms: list[tuple[int, SSAValue]] = []
        constant = 0
        for stride, row in zip(self.strides, rows, strict=True):
            constant += stride * row.offset
            for coefficient, variable in zip(row.coefficients, variables, strict=True):
                if variable is not None and coefficient:
                    terms.append((stride * coefficient, variable))
        base = emitter.linear(terms, self.offset)
        return emitter.add(base, emitter.index(constant)) if constant else base


def lane_index(instruction: InstructionOp) -> int | None:
    """The statement index that becomes the vector lanes: the last one the output
    uses (None for an output of one element)."""
    statement = instruction.statement
    rows = statement.access(0)
    used = [i for i in range(len(statement.extents)) if any(r.coefficients[i] for r in rows)]
    return used[-1] if used else None


def emit_execution(emitter: Emitter, instruction: InstructionOp, tiles: Sequence[Tile]) -> None:
    """One execution of `instruction` on its tiles (in the order of the
    instruction's arguments)."""
    statement = instruction.statement
    arguments = list(instruction.body.block.args)
    operands = [tiles[arguments.index(v)] for v in statement.all_operands]
    accesses = [statement.access(p) for p in range(len(operands))]
    lanes = lane_index(instruction)
    if lanes is not None:
        strides = [t.stride_of(rows, lanes) for t, rows in zip(operands, accesses, strict=True)]
        if strides[0] != 1 or any(s not in (0, 1) for s in strides[1:]):
            lanes = None
    kind = statement.compute_kind
    extents = statement.extents
    if lanes is None and kind is ComputeKind.SUM and _emit_lane_sum(emitter, statement, operands):
        return
    looped = [i for i in range(len(extents)) if i != lanes]
    element_type = operands[0].view.type
    assert isinstance(element_type, MemRefType)
    vector_type = None if lanes is None else VectorType(element_type.element_type, [extents[lanes]])

    def point(inner: Emitter, variables: list[SSAValue]) -> None:
        at: list[SSAValue | None] = [None] * len(extents)
        for index, variable in zip(looped, variables, strict=True):
            at[index] = variable
        addresses = [t.address(inner, rows, at) for t, rows in zip(operands, accesses, strict=True)]
        values = []
        for position in range(1, len(operands)):
            view, where = operands[position].view, addresses[position]
            if vector_type is None:
                values.append(inner.insert(memref.LoadOp.get(view, [where])).res)
            elif strides[position] == 1:
                values.append(inner.insert(vector.LoadOp(view, [where], vector_type)).result)
            else:
                scalar = inner.insert(memref.LoadOp.get(view, [where])).res
                values.append(inner.insert(vector.BroadcastOp(scalar, vector_type)).vector)
        output, target = operands[0].view, addresses[0]
        current = None
        if kind.accumulates:
            current = (
                inner.insert(memref.LoadOp.get(output, [target])).res
                if vector_type is None
                else inner.insert(vector.LoadOp(output, [target], vector_type)).result
            )
        result = element(inner, kind, values, current)
        if vector_type is None:
            inner.insert(memref.StoreOp.get(result, output, [target]))
        else:
            inner.insert(vector.StoreOp(result, output, [target]))

    emitter.loops([emitter.index(extents[i]) for i in looped], point)


def _emit_lane_sum(emitter: Emitter, statement: ComputeOp, operands: Sequence[Tile]) -> bool:
    """A `sum` of a contiguous run into one element (`O[0] += X[i]`) as one
    `vector.reduction <add>` seeded with the element; False (nothing emitted)
    for any other sum."""
    rows = statement.access(1)
    if (
        len(statement.extents) != 1
        or any(row.used() for row in statement.access(0))
        or operands[1].stride_of(rows, 0) != 1
    ):
        return False
    element_type = operands[0].view.type
    assert isinstance(element_type, MemRefType)
    vector_type = VectorType(element_type.element_type, [statement.extents[0]])
    at: list[SSAValue | None] = [None]
    source = operands[1].address(emitter, rows, at)
    target = operands[0].address(emitter, statement.access(0), at)
    values = emitter.insert(vector.LoadOp(operands[1].view, [source], vector_type)).result
    current = emitter.insert(memref.LoadOp.get(operands[0].view, [target])).res
    # Built generically: xDSL's constructor gives the result the vector's type.
    # `reassoc` lets LLVM add the halves pairwise (the shuffle-and-add tree the
    # descriptions' latencies count) rather than lane by lane in order.
    reduction = vector.ReductionOp.create(
        operands=[values, current],
        result_types=[element_type.element_type],
        properties={
            "kind": vector.CombiningKindAttr(vector.CombiningKindFlag.ADD),
            "fastmath": arith.FastMathFlagsAttr([arith.FastMathFlag.REASSOC]),
        },
    )
    total = emitter.insert(reduction).results[0]
    emitter.insert(memref.StoreOp.get(total, operands[0].view, [target]))
    return True


@dataclass
class InlineExec(RewritePattern):
    """`accel.exec` as its instruction's vector ops on flat views (native)."""

    views: FlatViews

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ExecOp, rewriter: PatternRewriter) -> None:
        tiles = [
            Tile(self.views.of(buffer), offset, strides)
            for buffer, offset, strides in zip(
                op.buffers, op.offsets, op.tile_strides(), strict=True
            )
        ]
        emit_execution(Emitter(InsertPoint.before(op)), op.instruction_op(), tiles)
        rewriter.erase(op)
