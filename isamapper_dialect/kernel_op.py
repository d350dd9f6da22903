"""`isa.kernel` (a kernel: tensors and compute statements) and `isa.buffer`."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import FixedBitwidthType, MemRefType, StringAttr
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    prop_def,
    region_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    CallableOpInterface,
    HasParent,
    IsolatedFromAbove,
    NoTerminator,
    SymbolOpInterface,
)
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.compute_op import ComputeOp, operand_label


def verify_static_memref(value: SSAValue, what: str) -> None:
    """Raise unless `value` is a memref with a static shape."""
    if not isinstance(value.type, MemRefType):
        raise VerifyException(f"{what} must be a memref, not {value.type}.")
    if any(d < 0 for d in value.type.get_shape()):
        raise VerifyException(f"{what} must have a static shape, not {value.type}.")
    if not isinstance(value.type.element_type, FixedBitwidthType):
        # Sizes in bytes (capacities, transfers, the roofline) need a fixed width.
        raise VerifyException(
            f"{what} must have integer or floating-point elements of a fixed width, "
            f"not {value.type.element_type}."
        )


class BodyCallable(CallableOpInterface):
    """Lets the interpreter call an op whose single-block `body` takes the arguments
    and returns nothing (a kernel, a program)."""

    @classmethod
    def get_callable_region(cls, op: Operation) -> Region:
        body = op.body
        assert isinstance(body, Region)
        return body

    @classmethod
    def get_argument_types(cls, op: Operation) -> tuple[Attribute, ...]:
        return tuple(a.type for a in cls.get_callable_region(op).block.args)

    @classmethod
    def get_result_types(cls, op: Operation) -> tuple[Attribute, ...]:
        return ()


@irdl_op_definition
class KernelOp(IRDLOperation):
    """A kernel: memref arguments and a body of compute statements.

    Local buffers (`isa.buffer`) hold intermediates, such as the output of the
    depthwise half of a depthwise-separable convolution.

    Example:
        isa.kernel @gemm(%A : memref<64x256xf32>, %B : memref<256x128xf32>,
                         %C : memref<64x128xf32>) {
          isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 128, k < 256
        }
    """

    name = "isa.kernel"

    sym_name = prop_def(StringAttr)
    body = region_def("single_block")

    traits = traits_def(SymbolOpInterface(), NoTerminator(), IsolatedFromAbove(), BodyCallable())

    def __init__(
        self,
        name: str,
        body: Region | Sequence[Attribute],
        attributes: dict[str, Attribute] | None = None,
    ):
        """`body` is the region, or the argument types of a new empty body."""
        if not isinstance(body, Region):
            body = Region(Block(arg_types=body))
        super().__init__(
            properties={"sym_name": StringAttr(name)},
            regions=[body],
            attributes=attributes,
        )

    @property
    def arguments(self) -> tuple[BlockArgument, ...]:
        """The kernel's tensors, in signature order."""
        return tuple(self.body.block.args)

    @property
    def statements(self) -> list[ComputeOp]:
        """The compute statements in program order."""
        return [op for op in self.body.block.ops if isinstance(op, ComputeOp)]

    def verify_(self) -> None:
        for position, argument in enumerate(self.body.block.args):
            verify_static_memref(argument, f"Kernel argument {operand_label(argument, position)}")
        for op in self.body.block.ops:
            if not isinstance(op, ComputeOp | BufferOp):
                raise VerifyException(
                    "An isa.kernel body may only hold isa.compute and isa.buffer "
                    f"operations, not {op.name}."
                )
        if not self.statements:
            raise VerifyException(f"Kernel @{self.sym_name.data} has no isa.compute statement.")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string("(")
        printer.print_list(self.body.block.args, printer.print_block_argument)
        printer.print_string(")")
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> KernelOp:
        name = parser.parse_symbol_name().data
        arguments = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_argument)
        extra = parser.parse_optional_attr_dict_with_keyword()
        region = parser.parse_region(arguments)
        return cls(name, region, dict(extra.data) if extra else None)


@irdl_op_definition
class BufferOp(IRDLOperation):
    """A kernel-local buffer for an intermediate tensor.

    Example:
        %T = isa.buffer : memref<1x56x56x32xf32>
    """

    name = "isa.buffer"

    result = result_def(MemRefType)

    traits = traits_def(HasParent(KernelOp))

    assembly_format = "attr-dict `:` type($result)"

    def __init__(self, memref_type: MemRefType):
        super().__init__(result_types=[memref_type])

    def verify_(self) -> None:
        verify_static_memref(self.result, "An isa.buffer")
