"""Register stations in the native export: which buffers of an instruction's
memory go on the stack (where LLVM keeps them in registers), each addressed
as its first slot, and how the executions read each one, which decides how
data moves in and out of it (export_copy.py, accel_export.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, MemRefType
from xdsl.ir import SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from isamapper_dialect.accel import AllocOp, CopyOp, ExecOp, FillOp, ProgramOp, memory_of
from isamapper_dialect.instruction_op import InstructionOp, element_bytes
from isamapper_passes.interop.export_copy import CHUNK
from isamapper_passes.interop.export_emitter import int_constant
from isamapper_passes.interop.export_vector import lane_index

STACK_BYTES = 16384
"""The largest buffer of an instruction's memory the native export allocates on
the stack: registers and their spills, never a scratchpad's megabytes."""


def stack_allocations(program: ProgramOp) -> set[AllocOp]:
    """The buffers of `program` the native export puts on the stack: those of an
    instruction's memory (its registers) no larger than STACK_BYTES."""
    hardware = program.hardware_op()
    registers = {
        m.root_reference.data for i in hardware.ops_of(InstructionOp) for m in i.memories.data
    }
    chosen: set[AllocOp] = set()
    for op in program.walk():
        if isinstance(op, AllocOp) and memory_of(op.result) in registers:
            allocated = op.result.type
            assert isinstance(allocated, MemRefType)
            if prod(allocated.get_shape()) * element_bytes(allocated) <= STACK_BYTES:
                chosen.add(op)
    return chosen


@dataclass(frozen=True)
class RegisterUse:
    """How the executions read one stack buffer (a register station)."""

    lanes: int
    """The fewest lanes of the vectors they read from it (1: scalars)."""
    broadcast: bool
    """Every execution reads it one element at a time, along no lane."""


def register_uses(program: ProgramOp, allocations: set[AllocOp]) -> dict[SSAValue, RegisterUse]:
    """How executions read each of the stack buffers `allocations` (by value).

    Its copies move vectors of the executions' own width, so LLVM promotes the
    buffer to registers of the same shape; a buffer read as broadcasts is
    copied element by element, so each broadcast is one load (measured on
    cpu_avx512: copied as a vector, a contiguous run of broadcast elements was
    loaded into one register and spread with shuffles, about half of 1024^3's
    samples; copied in 64-element rows where executions read 16, a register
    block was rebuilt from 32-bit pieces through integer registers)."""
    uses: dict[SSAValue, RegisterUse] = {}
    for op in program.walk():
        if not isinstance(op, ExecOp):
            continue
        instruction = op.instruction_op()
        statement = instruction.statement
        arguments = list(instruction.body.block.args)
        lanes = lane_index(instruction)
        for position, operand in enumerate(statement.all_operands):
            buffer = op.buffers[arguments.index(operand)]
            if not isinstance(buffer.owner, AllocOp) or buffer.owner not in allocations:
                continue
            rows = statement.access(position)
            along = lanes is not None and any(row.coefficients[lanes] for row in rows)
            width = statement.extents[lanes] if along and lanes is not None else 1
            use = RegisterUse(width, position > 0 and lanes is not None and not along)
            seen = uses.get(buffer)
            if seen is not None:
                use = RegisterUse(min(seen.lanes, use.lanes), seen.broadcast and use.broadcast)
            uses[buffer] = use
    return uses


def register_chunk(registers: dict[SSAValue, RegisterUse], *buffers: SSAValue) -> int:
    """Elements per vector op moving data to or from these buffers: the
    executions' own width for a register buffer read as vectors, else CHUNK."""
    for buffer in buffers:
        use = registers.get(buffer)
        if use is not None and use.lanes > 1:
            return use.lanes
    return CHUNK


def within_slot(offset: SSAValue, block: int, point: InsertPoint) -> SSAValue:
    """`offset` (a sum of non-negative terms: a slot's start, a multiple of
    `block`, plus a position inside the slot) without its terms that are
    multiples of `block`: the position inside the slot, as plain arithmetic
    that LLVM can fold to constants once it unrolls the executions."""
    kept: list[SSAValue] = []
    dropped = False
    pending = [offset]
    while pending:
        value = pending.pop()
        owner = value.owner
        if isinstance(owner, arith.AddiOp):
            pending += [owner.lhs, owner.rhs]
            continue
        constant = int_constant(value)
        factor = (
            next((c for c in map(int_constant, owner.operands) if c is not None), None)
            if isinstance(owner, arith.MuliOp)
            else None
        )
        if (constant is not None and constant % block == 0) or (
            factor is not None and factor % block == 0
        ):
            dropped = True
            continue
        kept.append(value)
    if not dropped:
        return offset
    if not kept:
        zero = arith.ConstantOp.from_int_and_width(0, IndexType())
        Rewriter.insert_op(zero, point)
        return zero.result
    total = kept[0]
    for value in kept[1:]:
        add = arith.AddiOp(total, value)
        Rewriter.insert_op(add, point)
        total = add.result
    return total


def one_slot(program: ProgramOp, allocations: set[AllocOp]) -> None:
    """Address every slot of these stack buffers as their first: the core renames
    registers, so the model's rotating slots only keep the compiler from
    promoting the buffers to registers (their slot offsets are dynamic). Each
    transfer fills a slot before its executions read it, in program order, so
    one slot computes the same."""
    # In program order, so the exported text (the build cache's key) is stable.
    for allocation in program.walk():
        if not isinstance(allocation, AllocOp) or allocation not in allocations:
            continue
        if allocation.slot_count == 1:
            continue
        allocated = allocation.result.type
        assert isinstance(allocated, MemRefType)
        block = prod(allocated.get_shape()[1:])
        for use in list(allocation.result.uses):
            user = use.operation
            if isinstance(user, CopyOp | FillOp):
                position = use.index + 1
            elif isinstance(user, ExecOp):
                position = use.index + len(user.buffers)
            else:
                continue
            point = InsertPoint.before(user)
            user.operands[position] = within_slot(user.operands[position], block, point)
