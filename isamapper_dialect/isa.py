"""The `isa` dialect: kernels and hardware in one tensor-index IR.

Kernels (`isa.kernel` with `isa.compute` statements and `isa.buffer`s) and
hardware (`isa.hardware` with `isa.memory`, `isa.transfer`, `isa.unit` and
`isa.instruction`, `isa.tlb`) share the `isa.compute` notation: an instruction's
semantics is a statement like any kernel's.
"""

from xdsl.ir import Dialect

from isamapper_dialect.compute_kind import ComputeKindAttr
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, UnitOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_dialect.mapping_attr import MappingAttr
from isamapper_dialect.tlb_op import TlbOp
from isamapper_dialect.transfer_op import TransferOp

ISA = Dialect(
    "isa",
    [
        KernelOp,
        BufferOp,
        ComputeOp,
        HardwareOp,
        MemoryOp,
        TransferOp,
        UnitOp,
        TlbOp,
        InstructionOp,
    ],
    [ComputeKindAttr, MappingAttr],
)
