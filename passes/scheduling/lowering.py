"""Lower an `isa.kernel` and one plan per statement to an `accel.program`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import product

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
    TouchOp,
    WaitOp,
)
from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_passes.scheduling.plan import Home, OperandLayout, StatementPlan, Term
from isamapper_passes.scheduling.transfers import split_point

Ivs = dict[tuple[int, int], SSAValue]
"""Induction variable of each block loop, by (level, axis)."""


class _Emitter:
    """Emits the index arithmetic of one statement's transfers and executions."""

    def __init__(self, builder: Builder, plan: StatementPlan):
        self.builder = builder
        self.plan = plan

    def const(self, value: int) -> SSAValue:
        return self.builder.insert(arith.ConstantOp(IntegerAttr(value, IndexType()))).result

    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.builder.insert(arith.AddiOp(a, b)).result

    def mul(self, a: SSAValue, factor: int) -> SSAValue:
        return self.builder.insert(arith.MuliOp(a, self.const(factor))).result

    def block_index(self, axis: int, ivs: Ivs, level: int) -> SSAValue | None:
        """The grid position along `axis` of the current block of `level`, in
        blocks of that level, from the loops of levels 1 to `level`."""
        levels = self.plan.levels
        total: SSAValue | None = None
        for outer in range(1, level + 1):
            iv = ivs.get((outer, axis))
            if iv is None:
                continue
            ratio = levels[outer - 1][axis] // levels[level - 1][axis]
            value = iv if ratio == 1 else self.mul(iv, ratio)
            total = value if total is None else self.add(total, value)
        return total

    def term_value(self, term: Term, ivs: Ivs, level: int = 1) -> SSAValue | None:
        value = self.block_index(term.axis, ivs, level)
        if value is None:
            return None
        if term.divisor != 1:
            value = self.builder.insert(arith.DivUIOp(value, self.const(term.divisor))).result
        if term.modulus:
            value = self.builder.insert(arith.RemUIOp(value, self.const(term.modulus))).result
        return self.mul(value, term.coefficient)

    def affine(self, constant: int, terms: Sequence[Term], ivs: Ivs, level: int = 1) -> SSAValue:
        """A tensor offset of a block of `level` from the loops of levels 1 to `level`."""
        total = self.const(constant)
        for term in terms:
            value = self.term_value(term, ivs, level)
            if value is not None:
                total = self.add(total, value)
        return total

    def limit(
        self, bound: int | None, size: int, terms: Sequence[Term], ivs: Ivs, level: int = 1
    ) -> SSAValue:
        if bound is None or _never_clipped(bound, size, terms):
            return self.const(size)
        used = self.affine(0, terms, ivs, level)
        return self.builder.insert(arith.SubiOp(self.const(bound), used)).result

    def slot_offset(self, layout: OperandLayout, ivs: Ivs) -> SSAValue:
        loop = self.plan.slot_loop(layout)
        if layout.slots == 1 or loop is None:
            return self.const(0)
        parity = self.builder.insert(arith.RemUIOp(ivs[loop], self.const(layout.slots))).result
        return self.mul(parity, layout.block_elements)

    def block_offset(
        self, layout: OperandLayout, ivs: Ivs, levels: range, positions: dict[int, SSAValue]
    ) -> SSAValue:
        """Offset in the station's buffer of the tile (or sub-block) at the given
        loop levels' block positions plus `positions` (tile positions)."""
        plan = self.plan
        total = self.slot_offset(layout, ivs)
        for axis, stride in layout.exec_terms:
            for level in levels:
                iv = ivs.get((level, axis))
                if iv is not None:
                    total = self.add(total, self.mul(iv, plan.levels[level - 1][axis] * stride))
            if axis in positions:
                total = self.add(total, self.mul(positions[axis], stride))
        return total

    def tensor_offset(
        self, layout: OperandLayout, ivs: Ivs, positions: dict[int, SSAValue]
    ) -> SSAValue:
        """Offset in the tensor of the tile at the loops' and `positions`' place,
        for an operand without stations (its terms are per tile position)."""
        total = self.const(layout.tensor_offset)
        for term in layout.tensor_terms:
            # Tiles addressed in place come from whole single-index or fused groups.
            assert term.divisor == 1 and not term.modulus
            for level, blocks in enumerate(self.plan.levels, start=1):
                iv = ivs.get((level, term.axis))
                if iv is not None:
                    total = self.add(total, self.mul(iv, blocks[term.axis] * term.coefficient))
            if term.axis in positions:
                total = self.add(total, self.mul(positions[term.axis], term.coefficient))
        return total

    def transfers(
        self,
        engine: Engine,
        source: SSAValue,
        source_offset: SSAValue,
        target: SSAValue | None,
        target_offset: SSAValue,
        box: Sequence[tuple[int, int, int]],
        limits: Sequence[SSAValue],
        accumulate: bool,
    ) -> list[SSAValue]:
        """The copies moving `box` on `engine` (touches of the source's box when
        `target` is None): one, or one per position of the outer dimensions the
        engine cannot address (see transfers.py)."""
        split = split_point(box, engine.dims)
        tokens = []
        for position in product(*(range(size) for size, _, _ in box[:split])):
            source_at, target_at, parts = source_offset, target_offset, list(limits)
            if split:
                step = sum(p * d[1] for p, d in zip(position, box, strict=False))
                source_at = self.add(source_offset, self.const(step)) if step else source_offset
                step = sum(p * d[2] for p, d in zip(position, box, strict=False))
                target_at = self.add(target_offset, self.const(step)) if step else target_offset
                for d, p in enumerate(position):
                    if p:
                        parts[d] = self.builder.insert(
                            arith.SubiOp(limits[d], self.const(p))
                        ).result
            piece = [(1, s, t) for _, s, t in box[:split]] + list(box[split:])
            if target is None:
                touch = TouchOp(engine.name, source, source_at, [d[:2] for d in piece], parts)
                tokens.append(self.builder.insert(touch).token)
                continue
            copy = CopyOp(
                engine.name, source, source_at, target, target_at, piece, parts, accumulate
            )
            tokens.append(self.builder.insert(copy).token)
        return tokens


def _never_clipped(bound: int, size: int, terms: Sequence[Term]) -> bool:
    """Whether a box dimension's limit is `size` at every block: its one term
    steps by whole blocks over an extent the blocks divide."""
    if len(terms) != 1:
        return False
    (term,) = terms
    return term.coefficient == size and term.divisor == 1 and not term.modulus and bound % size == 0


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
    engines = {engine.name: engine for engine in hardware.engines}
    buffers: dict[tuple[int, int], SSAValue] = {}
    # A station in a cache (but the last, in the instruction's memory) is a view
    # of the one above it, no buffer, its traffic timed by touches, unless its
    # block is packed (StatementPlan.views).
    views = plan.views(hardware)
    for stations in plan.operands:
        for layout in stations:
            if (layout.position, layout.level) in views:
                continue
            shape = ((layout.slots,) if layout.slots > 1 else ()) + layout.shape
            element = tensors[layout.statement_operand].type.element_type
            buffers[(layout.position, layout.level)] = builder.insert(
                AllocOp(layout.memory, MemRefType(element, shape), layout.slots)
            ).result
    accumulate = plan.spec.statement.kind.accumulates
    loops = plan.loops
    hoists = {
        (layout.position, layout.level): plan.hoist_level(layout)
        for stations in plan.operands
        for layout in stations
    }

    def at(depth: int) -> list[OperandLayout]:
        return [
            layout
            for stations in plan.operands
            for layout in stations
            if hoists[(layout.position, layout.level)] == depth
        ]

    def move(emitter: _Emitter, layout: OperandLayout, ivs: Ivs) -> list[SSAValue]:
        """The station's transfers in (an input) or out (the output), from or to
        the nearest station above it with a buffer (or the tensor); a view's
        touch."""
        q, here = layout.position, layout.level
        above = plan.buffered_above(layout, hardware)
        box = plan.source_box(layout, hardware)
        output = q == 0
        if above == 0:
            offset = emitter.affine(layout.tensor_offset, layout.tensor_terms, ivs, here)
            limits = [emitter.limit(d.bound, d.size, d.terms, ivs, here) for d in layout.box]
            other = tensors[layout.statement_operand]
        else:
            other = buffers[(q, above)]
            offset = emitter.block_offset(
                plan.operands[q][above - 1], ivs, range(above + 1, here + 1), {}
            )
            limits = [emitter.const(size) for size, _, _ in box]
        engine = engines[layout.engine]
        if (q, here) in views:
            lines = [(size, stride, stride) for size, stride, _ in box]
            return emitter.transfers(engine, other, offset, None, offset, lines, limits, False)
        buffer = buffers[(q, here)]
        slot = emitter.slot_offset(layout, ivs)
        if output:
            box = [(size, inner, outer) for size, outer, inner in box]
            ends = (buffer, slot, other, offset)
        else:
            ends = (other, offset, buffer, slot)
        return emitter.transfers(engine, *ends, box, limits, accumulate and output)

    def executions(emitter: _Emitter, ivs: Ivs, tokens: list[SSAValue]) -> None:
        if tokens:
            emitter.builder.insert(WaitOp(tokens))
        blocked = [a for a in range(len(plan.axes)) if plan.blocks[a] > 1]
        # Reduction positions outside, parallel ones inside: consecutive executions
        # write different output tiles and spread over the units.
        blocked.sort(key=lambda a: not plan.axes[a].reduction)
        depth = len(plan.levels)

        def run(builder: Builder, positions: dict[int, SSAValue], rest: list[int]) -> None:
            if rest:
                axis = rest[0]
                _loop(
                    builder,
                    plan.blocks[axis],
                    lambda b, iv: run(b, {**positions, axis: iv}, rest[1:]),
                )
                return
            local = _Emitter(builder, plan)
            operands, offsets, strides = [], [], []
            for q in plan.spec.signature:
                direct = plan.direct[q]
                if direct is not None:
                    assert direct.tensor_tile_strides is not None
                    operands.append(tensors[direct.statement_operand])
                    offsets.append(local.tensor_offset(direct, ivs, positions))
                    strides.append(direct.tensor_tile_strides)
                    continue
                layout = plan.operands[q][-1]
                operands.append(buffers[(q, layout.level)])
                offsets.append(
                    local.block_offset(layout, ivs, range(layout.level + 1, depth + 1), positions)
                )
                strides.append(layout.tile_strides)
            builder.insert(ExecOp(plan.spec.name, operands, offsets, strides))

        run(emitter.builder, {}, blocked)

    def level(builder: Builder, depth: int, ivs: Ivs, tokens: list[SSAValue]) -> None:
        emitter = _Emitter(builder, plan)
        here = at(depth)
        for layout in here:
            if layout.position != 0:
                moved = move(emitter, layout, ivs)
                if layout is plan.operands[layout.position][-1]:
                    tokens = [*tokens, *moved]
            elif accumulate and (0, layout.level) not in views:
                buffer = buffers[(0, layout.level)]
                offset = emitter.slot_offset(layout, ivs)
                builder.insert(FillOp(buffer, offset, layout.block_elements))
        if depth == len(loops):
            executions(emitter, ivs, tokens)
        else:
            loop = loops[depth]
            count = plan.loop_count(*loop)
            if count == 1:
                level(builder, depth + 1, ivs, tokens)
            else:
                _loop(builder, count, lambda b, iv: level(b, depth + 1, {**ivs, loop: iv}, tokens))
        emitter = _Emitter(builder, plan)
        for layout in reversed(here):
            if layout.position == 0:
                move(emitter, layout, ivs)

    level(builder, 0, {}, [])
    for buffer in buffers.values():
        builder.insert(FreeOp(buffer))


def lower_kernel(
    kernel: KernelOp,
    hardware: HardwareSpec,
    plans: Sequence[StatementPlan],
    homes: Mapping[SSAValue, Home] | None = None,
) -> ProgramOp:
    """The `accel.program` running `kernel`'s statements with the given plans;
    `homes` gives the memory and allocation shape of the tensors fusion keeps on
    chip (default: none, all in the main memory)."""
    homes = homes or {}
    arguments = kernel.arguments
    program = ProgramOp(kernel.sym_name.data, hardware.name, [a.type for a in arguments])
    values: dict[SSAValue, SSAValue] = {}
    for source, target in zip(arguments, program.body.block.args, strict=True):
        target.name_hint = source.name_hint
        values[source] = target
    builder = Builder(InsertPoint.at_end(program.body.block))
    statements = kernel.statements
    # Intermediates in the main memory live for the whole program; those kept on
    # chip only from their first user to their last (as the scheduler counted
    # their room).
    # Arguments kept on chip (read-only ones the scheduler promoted) are copied
    # in whole before their first user.
    first: dict[SSAValue, int] = {}
    last: dict[SSAValue, int] = {}
    buffers = [op.result for op in kernel.body.block.ops if isinstance(op, BufferOp)]
    promoted = [a for a in arguments if a in homes]
    for value in buffers + promoted:
        users = [i for i, s in enumerate(statements) if value in s.all_operands]
        on_chip = value in homes
        first[value] = min(users) if on_chip and users else -1
        last[value] = max(users) if on_chip and users else len(statements)

    def allocate(index: int) -> None:
        for value in buffers + promoted:
            if first[value] == index:
                assert isinstance(value.type, MemRefType)
                home = homes.get(value)
                memory = home.memory if home else hardware.main
                memref = MemRefType(value.type.element_type, home.shape) if home else value.type
                buffer = builder.insert(AllocOp(memory, memref)).result
                buffer.name_hint = value.name_hint
                if value in promoted:
                    # A memory's name may need quotes; an SSA name may not.
                    suffix = re.sub(r"[^A-Za-z0-9_$.-]", "_", memory)
                    buffer.name_hint = f"{value.name_hint}_{suffix}" if value.name_hint else None
                    _load(builder, hardware, values[value], buffer, memory)
                values[value] = buffer

    def release(index: int) -> None:
        for value in buffers + promoted:
            if last[value] == index:
                builder.insert(FreeOp(values[value]))

    allocate(-1)
    for index, (plan, statement) in enumerate(zip(plans, statements, strict=True)):
        allocate(index)
        lower_statement(builder, plan, [values[v] for v in statement.all_operands], hardware)
        release(index)
    release(len(statements))
    return program


def _load(
    builder: Builder, hardware: HardwareSpec, source: SSAValue, target: SSAValue, memory: str
) -> None:
    """Copy a whole contiguous tensor from the main memory into `target` (its
    readers wait for the copy: executions wait for their buffers' ready time);
    a padded `target` has a longer outermost dimension, so the tensor is its prefix."""
    assert isinstance(source.type, MemRefType)
    path = hardware.route(hardware.main, memory)
    assert path and len(path) == 1, "the scheduler promotes only over one engine"
    elements = 1
    for size in source.type.get_shape():
        elements *= size
    zero = builder.insert(arith.ConstantOp(IntegerAttr(0, IndexType()))).result
    limit = builder.insert(arith.ConstantOp(IntegerAttr(elements, IndexType()))).result
    builder.insert(CopyOp(path[0].name, source, zero, target, zero, [(elements, 1, 1)], [limit]))
