"""The `accel` program and its buffers: `accel.program`, `accel.alloc`,
`accel.fill`, `accel.free`, `accel.wait` and the token type of transfers
(the transfers and executions are in `accel_copy` and `accel_exec`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from xdsl.dialects.builtin import (
    DenseArrayBase,
    IndexType,
    IntegerAttr,
    MemRefType,
    StringAttr,
    SymbolRefAttr,
    i64,
)
from xdsl.ir import (
    Attribute,
    Block,
    BlockArgument,
    Operation,
    ParametrizedAttribute,
    Region,
    SSAValue,
    TypeAttribute,
)
from xdsl.irdl import (
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    IsolatedFromAbove,
    NoTerminator,
    OpTrait,
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp
from isamapper_dialect.kernel_op import BodyCallable
from isamapper_dialect.main_memory import main_memory

_OpT = TypeVar("_OpT", bound=Operation)


@dataclass(frozen=True)
class WritesBuffer(OpTrait):
    """Marks an accel op that writes one buffer and says which (a program's
    outputs are the arguments such ops write; each op declares it, so the
    program need not import them)."""

    written: Callable[[Operation], SSAValue]


@irdl_attr_definition
class TokenType(ParametrizedAttribute, TypeAttribute):
    """Completion of an asynchronous transfer."""

    name = "accel.token"


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


@irdl_op_definition
class ProgramOp(IRDLOperation):
    """A scheduled program for one hardware; its arguments live in the main memory.

    Example:
        accel.program @gemm on @nnp(%A : memref<64x64xf32>, %B : memref<64x64xf32>,
                                    %C : memref<64x64xf32>) { ... }
    """

    name = "accel.program"

    sym_name = prop_def(StringAttr)
    hardware = prop_def(SymbolRefAttr)
    body = region_def("single_block")

    traits = traits_def(SymbolOpInterface(), NoTerminator(), IsolatedFromAbove(), BodyCallable())

    def __init__(self, name: str, hardware: str, argument_types: Sequence[Attribute]):
        super().__init__(
            properties={"sym_name": StringAttr(name), "hardware": SymbolRefAttr(hardware)},
            regions=[Region(Block(arg_types=argument_types))],
        )

    @property
    def arguments(self) -> tuple[BlockArgument, ...]:
        """The program's tensors, in signature order."""
        return tuple(self.body.block.args)

    def written_arguments(self) -> tuple[BlockArgument, ...]:
        """The arguments some op writes (the program's outputs), in signature order:
        the target of a copy, the output tile of an execution (on a target whose
        instructions work in the main memory, executions write the tensor in place)
        or the buffer of a fill."""
        written: set[SSAValue] = set()
        for op in self.walk():
            if (trait := op.get_trait(WritesBuffer)) is not None:
                written.add(trait.written(op))
        return tuple(a for a in self.arguments if a in written)

    def hardware_op(self) -> HardwareOp:
        """The hardware the program runs on."""
        target = SymbolTable.lookup_symbol(self, self.hardware)
        if not isinstance(target, HardwareOp):
            raise VerifyException(
                f"Program @{self.sym_name.data} runs on {self.hardware}, which is not an "
                "isa.hardware of this module."
            )
        return target

    def verify_(self) -> None:
        self.hardware_op()
        for argument in self.body.block.args:
            if not isinstance(argument.type, MemRefType):
                raise VerifyException(f"Program arguments must be memrefs, not {argument.type}.")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(f" on {self.hardware}(")
        printer.print_list(self.body.block.args, printer.print_block_argument)
        printer.print_string(")")
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> ProgramOp:
        name = parser.parse_symbol_name()
        parser.parse_keyword("on", " before the hardware the program runs on")
        hardware = SymbolRefAttr(parser.parse_symbol_name())
        arguments = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_argument)
        extra = parser.parse_optional_attr_dict_with_keyword()
        region = parser.parse_region(arguments)
        return cls.create(
            properties={"sym_name": name, "hardware": hardware},
            attributes=dict(extra.data) if extra else {},
            regions=[region],
        )


def program_of(op: Operation) -> ProgramOp:
    """The program an accel op is in."""
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, ProgramOp):
        parent = parent.parent_op()
    if parent is None:
        raise VerifyException(f"{op.name} must be inside an accel.program.")
    return parent


def resolve_in_program(
    op: Operation, reference: SymbolRefAttr, kind: type[_OpT], what: str
) -> _OpT:
    """The `kind` op that `reference` names in the hardware of `op`'s program."""
    hardware = program_of(op).hardware_op()
    target = SymbolTable.lookup_symbol(hardware, reference.root_reference)
    if not isinstance(target, kind):
        raise VerifyException(f"{what} {reference} is not declared by @{hardware.sym_name.data}.")
    return target


def memory_of(value: SSAValue) -> str | None:
    """The memory a buffer lives in: its `accel.alloc`'s, or the main memory for
    program arguments (None when not known here)."""
    owner = value.owner
    if isinstance(owner, AllocOp):
        return owner.memory.root_reference.data
    if isinstance(owner, Block) and isinstance(owner.parent_op(), ProgramOp):
        program = owner.parent_op()
        assert isinstance(program, ProgramOp)
        return main_memory(program.hardware_op()).sym_name.data
    return None


@irdl_op_definition
class AllocOp(IRDLOperation):
    """A buffer in one memory of the program's hardware; `slots = N` marks an
    N-way buffered one (its leading dimension), whose slots are filled and read
    independently. Its elements start at zero (kernel buffers rely on it).

    Example:
        %x = accel.alloc @sram {slots = 2 : i64} : memref<2x32x32xf32>
    """

    name = "accel.alloc"

    memory = prop_def(SymbolRefAttr)
    result = result_def(MemRefType)

    assembly_format = "$memory attr-dict `:` type($result)"

    def __init__(self, memory: str, memref: MemRefType, slots: int = 1):
        super().__init__(
            properties={"memory": SymbolRefAttr(memory)},
            result_types=[memref],
            attributes={"slots": IntegerAttr(slots, i64)} if slots > 1 else None,
        )

    @property
    def slot_count(self) -> int:
        """How many equal slots (leading dimension) the buffer is used as."""
        slots = self.attributes.get("slots")
        return slots.value.data if isinstance(slots, IntegerAttr) else 1

    def verify_(self) -> None:
        resolve_in_program(self, self.memory, MemoryOp, "Memory")
        assert isinstance(self.result.type, MemRefType)
        if any(d < 0 for d in self.result.type.get_shape()):
            raise VerifyException("An accel.alloc buffer must have a static shape.")


@irdl_op_definition
class WaitOp(IRDLOperation):
    """Wait until the given transfers are complete.

    Example:
        accel.wait %t0, %t1
    """

    name = "accel.wait"

    tokens = var_operand_def(TokenType)

    assembly_format = "$tokens attr-dict"

    def __init__(self, tokens: Sequence[SSAValue]):
        super().__init__(operands=[tokens])


@irdl_op_definition
class FillOp(IRDLOperation):
    """Set `size` elements of a buffer from an element offset to zero (the start of
    an accumulation).

    Example:
        accel.fill %acc[%o] size 1024 : memref<2x32x32xf32>
    """

    name = "accel.fill"

    size = prop_def(IntegerAttr)
    buffer = operand_def(MemRefType)
    offset = operand_def(IndexType)

    assembly_format = "$buffer `[` $offset `]` `size` $size attr-dict `:` type($buffer)"

    traits = traits_def(WritesBuffer(lambda op: op.buffer))

    def __init__(self, buffer: SSAValue, offset: SSAValue, size: int):
        super().__init__(operands=[buffer, offset], properties={"size": IntegerAttr(size, i64)})


@irdl_op_definition
class FreeOp(IRDLOperation):
    """End the life of a buffer: its memory can hold other buffers.

    Example:
        accel.free %x : memref<2x32x32xf32>
    """

    name = "accel.free"

    buffer = operand_def(MemRefType)

    assembly_format = "$buffer attr-dict `:` type($buffer)"

    def __init__(self, buffer: SSAValue):
        super().__init__(operands=[buffer])
