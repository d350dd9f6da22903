"""Lower an `isa.kernel` and one plan per statement to an `accel.program`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.builder import Builder, InsertPoint
from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import IndexType, IntegerAttr, MemRefType
from xdsl.ir import Block, Region, SSAValue

from isamapper_dialect.accel import (
    AllocOp,
    CopyOp,
    ExecOp,
    FillOp,
    FreeOp,
    ProgramOp,
    WaitOp,
)
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_passes.hardware_spec import HardwareSpec
from isamapper_passes.schedule_cost import operand_path
from isamapper_passes.schedule_plan import OperandLayout, StatementPlan, Term


class _Emitter:
    """Emits one statement's loops, transfers and executions."""

    def __init__(self, builder: Builder, plan: StatementPlan, hardware: HardwareSpec):
        self.builder = builder
        self.plan = plan
        self.hardware = hardware

    def const(self, value: int) -> SSAValue:
        return self.builder.insert(arith.ConstantOp(IntegerAttr(value, IndexType()))).result

    def term_value(self, term: Term, ivs: dict[int, SSAValue]) -> SSAValue | None:
        iv = ivs.get(term.axis)
        if iv is None:
            return None
        value = iv
        if term.divisor != 1:
            value = self.builder.insert(arith.DivUIOp(value, self.const(term.divisor))).result
        if term.modulus:
            value = self.builder.insert(arith.RemUIOp(value, self.const(term.modulus))).result
        return self.builder.insert(arith.MuliOp(value, self.const(term.coefficient))).result

    def affine(self, constant: int, terms: Sequence[Term], ivs: dict[int, SSAValue]) -> SSAValue:
        total = self.const(constant)
        for term in terms:
            value = self.term_value(term, ivs)
            if value is not None:
                total = self.builder.insert(arith.AddiOp(total, value)).result
        return total

    def limit(
        self, bound: int | None, size: int, terms: Sequence[Term], ivs: dict[int, SSAValue]
    ) -> SSAValue:
        if bound is None:
            return self.const(size)
        used = self.affine(0, terms, ivs)
        return self.builder.insert(arith.SubiOp(self.const(bound), used)).result

    def slot_offset(self, layout: OperandLayout, ivs: dict[int, SSAValue]) -> SSAValue:
        axis = self.plan.slot_axis(layout)
        if layout.slots == 1 or axis is None:
            return self.const(0)
        iv = ivs[axis]
        parity = self.builder.insert(arith.RemUIOp(iv, self.const(layout.slots))).result
        return self.builder.insert(arith.MuliOp(parity, self.const(layout.block_elements))).result


def _loop(builder: Builder, count: int, body: Callable[[Builder, SSAValue], None]) -> None:
    block = Block(arg_types=[IndexType()])
    zero = builder.insert(arith.ConstantOp(IntegerAttr(0, IndexType()))).result
    upper = builder.insert(arith.ConstantOp(IntegerAttr(count, IndexType()))).result
    one = builder.insert(arith.ConstantOp(IntegerAttr(1, IndexType()))).result
    builder.insert(scf.ForOp(zero, upper, one, [], Region(block)))
    inner = Builder(InsertPoint.at_end(block))
    body(inner, block.args[0])
    inner.insert(scf.YieldOp())


def lower_statement(
    builder: Builder,
    plan: StatementPlan,
    tensors: Sequence[SSAValue],
    hardware: HardwareSpec,
) -> None:
    """Emit `plan`'s buffers, loops, transfers and executions; `tensors` are the
    program values of the statement's operands (output first)."""
    layouts = plan.operands
    buffers: dict[int, list[SSAValue]] = {}
    paths = {}
    allocated: list[SSAValue] = []
    for layout in layouts:
        path = operand_path(plan, layout, hardware)
        paths[layout.position] = path
        shape = ((layout.slots,) if layout.slots > 1 else ()) + layout.shape
        memref = MemRefType(tensors[layout.statement_operand].type.element_type, shape)
        # One buffer per memory the block passes through, the operand's own last.
        memories = ([e.target for e in path] if layout.position else [e.source for e in path]) or [
            layout.memory
        ]
        chain = [
            builder.insert(AllocOp(memory, memref, layout.slots)).result for memory in memories
        ]
        buffers[layout.position] = chain
        allocated += chain
    semantics = plan.spec.statement
    accumulate = semantics.kind.accumulates
    output = next(layout for layout in layouts if layout.position == 0)
    inputs = [layout for layout in layouts if layout.position != 0]
    depth = len(plan.order)
    out_level = plan.hoist_level(output)

    def load(emitter: _Emitter, layout: OperandLayout, ivs: dict[int, SSAValue]) -> list[SSAValue]:
        chain = buffers[layout.position]
        path = paths[layout.position]
        slot = emitter.slot_offset(layout, ivs)
        if not path:
            return []
        source_offset = emitter.affine(layout.tensor_offset, layout.tensor_terms, ivs)
        limits = [emitter.limit(d.bound, d.size, d.terms, ivs) for d in layout.box]
        box = [(d.size, d.tensor_stride, d.buffer_stride) for d in layout.box]
        tokens = [
            emitter.builder.insert(
                CopyOp(
                    path[0].name,
                    tensors[layout.statement_operand],
                    source_offset,
                    chain[0],
                    slot,
                    box,
                    limits,
                )
            ).token
        ]
        size = layout.block_elements
        for engine, source, target in zip(path[1:], chain[:-1], chain[1:], strict=True):
            tokens.append(
                emitter.builder.insert(
                    CopyOp(
                        engine.name,
                        source,
                        slot,
                        target,
                        slot,
                        [(size, 1, 1)],
                        [emitter.const(size)],
                    )
                ).token
            )
        return tokens

    def store(emitter: _Emitter, ivs: dict[int, SSAValue]) -> None:
        chain = buffers[0]
        path = paths[0]
        if not path:
            return
        slot = emitter.slot_offset(output, ivs)
        size = output.block_elements
        for engine, source, target in zip(path[:-1], chain[:-1], chain[1:], strict=True):
            emitter.builder.insert(
                CopyOp(
                    engine.name, source, slot, target, slot, [(size, 1, 1)], [emitter.const(size)]
                )
            )
        target_offset = emitter.affine(output.tensor_offset, output.tensor_terms, ivs)
        limits = [emitter.limit(d.bound, d.size, d.terms, ivs) for d in output.box]
        box = [(d.size, d.buffer_stride, d.tensor_stride) for d in output.box]
        emitter.builder.insert(
            CopyOp(
                path[-1].name,
                chain[-1],
                slot,
                tensors[0],
                target_offset,
                box,
                limits,
                accumulate=accumulate,
            )
        )

    def executions(emitter: _Emitter, ivs: dict[int, SSAValue], tokens: list[SSAValue]) -> None:
        if tokens:
            emitter.builder.insert(WaitOp(tokens))
        blocked = [a for a in range(len(plan.axes)) if plan.blocks[a] > 1]
        # Reduction positions outside, parallel ones inside: consecutive executions
        # write different output tiles and spread over the units.
        blocked.sort(key=lambda a: not plan.axes[a].reduction)

        def run(builder: Builder, positions: dict[int, SSAValue], rest: list[int]) -> None:
            if rest:
                axis = rest[0]
                _loop(
                    builder,
                    plan.blocks[axis],
                    lambda b, iv: run(b, {**positions, axis: iv}, rest[1:]),
                )
                return
            local = _Emitter(builder, plan, hardware)
            offsets = {}
            for layout in layouts:
                base = local.slot_offset(layout, ivs)
                for axis, stride in layout.exec_terms:
                    scaled = builder.insert(
                        arith.MuliOp(positions[axis], local.const(stride))
                    ).result
                    base = builder.insert(arith.AddiOp(base, scaled)).result
                offsets[layout.position] = base
            signature = plan.spec.signature
            builder.insert(
                ExecOp(
                    plan.spec.name,
                    [buffers[q][-1 if q else 0] for q in signature],
                    [offsets[q] for q in signature],
                    [
                        next(lay for lay in layouts if lay.position == q).tile_strides
                        for q in signature
                    ],
                )
            )

        run(emitter.builder, {}, blocked)

    def level(builder: Builder, at: int, ivs: dict[int, SSAValue], tokens: list[SSAValue]) -> None:
        emitter = _Emitter(builder, plan, hardware)
        for layout in inputs:
            if plan.hoist_level(layout) == at:
                tokens = tokens + load(emitter, layout, ivs)
        if at == out_level and accumulate:
            builder.insert(
                FillOp(buffers[0][0], emitter.slot_offset(output, ivs), output.block_elements)
            )
        if at == depth:
            executions(emitter, ivs, tokens)
        else:
            axis = plan.order[at]
            count = plan.block_count(axis)
            if count == 1:
                level(builder, at + 1, ivs, tokens)
            else:
                _loop(builder, count, lambda b, iv: level(b, at + 1, {**ivs, axis: iv}, tokens))
        if at == out_level:
            store(_Emitter(builder, plan, hardware), ivs)

    level(builder, 0, {}, [])
    for buffer in allocated:
        builder.insert(FreeOp(buffer))


def lower_kernel(
    kernel: KernelOp,
    hardware: HardwareSpec,
    plans: Sequence[StatementPlan],
) -> ProgramOp:
    """The `accel.program` running `kernel`'s statements with the given plans."""
    arguments = kernel.arguments
    program = ProgramOp(kernel.sym_name.data, hardware.name, [a.type for a in arguments])
    values: dict[SSAValue, SSAValue] = {}
    for source, target in zip(arguments, program.body.block.args, strict=True):
        target.name_hint = source.name_hint
        values[source] = target
    builder = Builder(InsertPoint.at_end(program.body.block))
    intermediates = []
    for op in kernel.body.block.ops:
        if isinstance(op, BufferOp):
            assert isinstance(op.result.type, MemRefType)
            buffer = builder.insert(AllocOp(hardware.main, op.result.type)).result
            buffer.name_hint = op.result.name_hint
            values[op.result] = buffer
            intermediates.append(buffer)
    for plan, statement in zip(plans, kernel.statements, strict=True):
        lower_statement(builder, plan, [values[v] for v in statement.all_operands], hardware)
    for buffer in intermediates:
        builder.insert(FreeOp(buffer))
    return program
