"""Build the mapper's plain specs from `isa` operations."""

from __future__ import annotations

from xdsl.dialects.builtin import MemRefType
from xdsl.ir import SSAValue

from isamapper_dialect.compute_op import ComputeOp, operand_label
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_passes.mapping.specs import InstructionSpec, OperandSpec, StatementSpec


def _operand_spec(op: ComputeOp, position: int, value: SSAValue, bare: bool) -> OperandSpec:
    memref = value.type
    assert isinstance(memref, MemRefType)
    label = operand_label(value, position)
    return OperandSpec(
        label=label.removeprefix("%") if bare else label,
        shape=tuple(memref.get_shape()),
        access=op.access(position),
        element_type=str(memref.element_type),
        element_bits=memref.element_type.bitwidth,
    )


def statement_spec(op: ComputeOp, bare_labels: bool = False) -> StatementSpec:
    """The spec of a verified statement (labels `%A`, or `A` when `bare_labels`)."""
    return StatementSpec(
        kind=op.compute_kind,
        indices=op.index_names,
        extents=op.extents,
        operands=tuple(_operand_spec(op, p, v, bare_labels) for p, v in enumerate(op.all_operands)),
    )


def instruction_spec(instruction: InstructionOp, hardware: HardwareOp) -> InstructionSpec:
    """The spec of a verified instruction of `hardware`."""
    statement = instruction.statement
    arguments = list(instruction.body.block.args)
    memories_by_argument = [m.root_reference.data for m in instruction.memories.data]
    order = [arguments.index(v) for v in statement.all_operands]
    memories = tuple(memories_by_argument[a] for a in order)
    spec = hardware_spec(hardware)
    return InstructionSpec(
        hardware=hardware.sym_name.data,
        name=instruction.sym_name.data,
        statement=statement_spec(statement, bare_labels=True),
        signature=tuple(order.index(a) for a in range(len(arguments))),
        reach=tuple(
            spec.reach(memory, into=position != 0) for position, memory in enumerate(memories)
        ),
        memories=memories,
        interval=instruction.interval.value.data,
        latency=instruction.latency.value.data,
        units=instruction.unit_op().count.value.data,
        unit=instruction.unit_op().sym_name.data,
    )
