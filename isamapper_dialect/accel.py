"""The `accel` dialect: scheduled programs for a described accelerator.

A program names its hardware (`on @nnp`); buffers live in its memories,
transfers run on its engines and instruction executions on its units. Loops
and index arithmetic are upstream `scf` and `arith`.

    accel.program @gemm on @nnp(%A : memref<64x64xf32>, ...) {
      %x = accel.alloc @sram : memref<2x32x32xf32>
      %t = accel.copy @hbm_to_sram %A[%a] -> %x[%s] box [32:64:32, 32:1:1] limits [%m, %n]
      accel.wait %t
      accel.exec @mm32(%x[%s], %w[%s2], %o[%c0]) strides [[32, 1], [32, 1], [32, 1]]
    }

`accel.copy` moves a strided box: dimension `d` has `size`, a stride in the
source and one in the destination (in elements, from the two offsets);
elements at or past `limits[d]` along `d` are padding: not read, and zero in
the destination unless it is in the main memory (a block loaded into a buffer
is padded; a block stored into a tensor in the main memory leaves the rest of
the tensor alone; the scheduler never stores a ragged block, except
accumulating, into a tensor elsewhere). With `accumulate` it adds into the
destination (and pads nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    IndexType,
    IntegerAttr,
    MemRefType,
    StringAttr,
    SymbolRefAttr,
    UnitAttr,
    i64,
)
from xdsl.ir import (
    Attribute,
    Block,
    BlockArgument,
    Dialect,
    Operation,
    ParametrizedAttribute,
    Region,
    SSAValue,
    TypeAttribute,
)
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
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
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, TransferOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.int_fields import parse_i64
from isamapper_dialect.kernel_op import BodyCallable
from isamapper_dialect.main_memory import main_memory


@irdl_attr_definition
class TokenType(ParametrizedAttribute, TypeAttribute):
    """Completion of an asynchronous transfer."""

    name = "accel.token"


def _ints(values: Sequence[int]) -> DenseArrayBase:
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
            if isinstance(op, CopyOp):
                written.add(op.target)
            elif isinstance(op, ExecOp):
                written.add(op.output_buffer())
            elif isinstance(op, FillOp):
                written.add(op.buffer)
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


def _program(op: Operation) -> ProgramOp:
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, ProgramOp):
        parent = parent.parent_op()
    if parent is None:
        raise VerifyException(f"{op.name} must be inside an accel.program.")
    return parent


def _resolve(op: Operation, reference: SymbolRefAttr, kind: type, what: str):
    hardware = _program(op).hardware_op()
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
        _resolve(self, self.memory, MemoryOp, "Memory")
        assert isinstance(self.result.type, MemRefType)
        if any(d < 0 for d in self.result.type.get_shape()):
            raise VerifyException("An accel.alloc buffer must have a static shape.")


def merged_dims(sizes: Sequence[int], source: Sequence[int], target: Sequence[int]) -> int:
    """Strided dimensions of a box after merging neighbours that continue each
    other in both the source and the destination (at least 1)."""
    merged: list[tuple[int, int, int]] = []
    for size, stride, step in reversed(list(zip(sizes, source, target, strict=True))):
        if size == 1:
            continue
        if merged:
            inner_size, inner_stride, inner_step = merged[-1]
            if stride == inner_stride * inner_size and step == inner_step * inner_size:
                merged[-1] = (inner_size * size, inner_stride, inner_step)
                continue
        merged.append((size, stride, step))
    return max(1, len(merged))


@irdl_op_definition
class CopyOp(IRDLOperation):
    """An asynchronous strided-box transfer on one engine; returns a token."""

    name = "accel.copy"

    engine = prop_def(SymbolRefAttr)
    sizes = prop_def(DenseArrayBase)
    source_strides = prop_def(DenseArrayBase)
    target_strides = prop_def(DenseArrayBase)
    accumulate = opt_prop_def(UnitAttr)

    source = operand_def(MemRefType)
    source_offset = operand_def(IndexType)
    target = operand_def(MemRefType)
    target_offset = operand_def(IndexType)
    limits = var_operand_def(IndexType)
    token = result_def(TokenType)

    def __init__(
        self,
        engine: str,
        source: SSAValue,
        source_offset: SSAValue,
        target: SSAValue,
        target_offset: SSAValue,
        box: Sequence[tuple[int, int, int]],
        limits: Sequence[SSAValue],
        accumulate: bool = False,
    ):
        properties: dict[str, Attribute] = {
            "engine": SymbolRefAttr(engine),
            "sizes": _ints([b[0] for b in box]),
            "source_strides": _ints([b[1] for b in box]),
            "target_strides": _ints([b[2] for b in box]),
        }
        if accumulate:
            properties["accumulate"] = UnitAttr()
        super().__init__(
            operands=[source, source_offset, target, target_offset, limits],
            properties=properties,
            result_types=[TokenType()],
        )

    def box(self) -> list[tuple[int, int, int]]:
        """(size, source stride, target stride) per dimension."""
        return list(
            zip(
                self.sizes.get_values(),
                self.source_strides.get_values(),
                self.target_strides.get_values(),
                strict=True,
            )
        )

    def verify_(self) -> None:
        engine = _resolve(self, self.engine, TransferOp, "Transfer engine")
        sizes = self.sizes.get_values()
        if not (
            len(sizes)
            == len(self.source_strides.get_values())
            == len(self.target_strides.get_values())
        ):
            raise VerifyException("A copy needs as many source and target strides as sizes.")
        if len(self.limits) != len(sizes):
            raise VerifyException(
                f"A copy of {len(sizes)} dimensions needs {len(sizes)} limits, "
                f"not {len(self.limits)}."
            )
        for value, end, role in (
            (self.source, "source", "reads"),
            (self.target, "target", "writes"),
        ):
            memory = memory_of(value)
            expected = getattr(engine, end).root_reference.data
            if memory is not None and memory != expected:
                raise VerifyException(
                    f"Engine {self.engine} {role} @{expected}, but the copy's {end} "
                    f"lives in @{memory}."
                )
        dims = merged_dims(
            sizes, self.source_strides.get_values(), self.target_strides.get_values()
        )
        if dims > engine.dims.value.data:
            raise VerifyException(
                f"The copy needs {dims} strided dimensions but engine {self.engine} "
                f"addresses {engine.dims.value.data}."
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.engine} ")
        printer.print_operand(self.source)
        printer.print_string("[")
        printer.print_operand(self.source_offset)
        printer.print_string("] -> ")
        printer.print_operand(self.target)
        printer.print_string("[")
        printer.print_operand(self.target_offset)
        printer.print_string("] box [")
        printer.print_string(", ".join(f"{a}:{b}:{c}" for a, b, c in self.box()))
        printer.print_string("] limits [")
        printer.print_list(self.limits, printer.print_operand)
        printer.print_string("]")
        if self.accumulate is not None:
            printer.print_string(" accumulate")
        printer.print_string(" : ")
        printer.print_attribute(self.source.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.target.type)

    @classmethod
    def parse(cls, parser: Parser) -> CopyOp:
        engine = SymbolRefAttr(parser.parse_symbol_name())
        index = IndexType()
        source = parser.parse_unresolved_operand()
        parser.parse_punctuation("[")
        source_offset = parser.parse_operand(index)
        parser.parse_punctuation("]")
        parser.parse_punctuation("->")
        target = parser.parse_unresolved_operand()
        parser.parse_punctuation("[")
        target_offset = parser.parse_operand(index)
        parser.parse_punctuation("]")
        parser.parse_keyword("box")

        def parse_dim() -> tuple[int, int, int]:
            size = parse_i64(parser, "The size")
            parser.parse_punctuation(":")
            stride = parse_i64(parser, "The source stride")
            parser.parse_punctuation(":")
            return size, stride, parse_i64(parser, "The target stride")

        box = parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parse_dim)
        parser.parse_keyword("limits")
        limits = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_operand(index)
        )
        accumulate = parser.parse_optional_keyword("accumulate") is not None
        parser.parse_punctuation(":")
        source_type = parser.parse_type()
        parser.parse_punctuation("->")
        target_type = parser.parse_type()
        return cls(
            engine.root_reference.data,
            parser.resolve_operand(source, source_type),
            source_offset,
            parser.resolve_operand(target, target_type),
            target_offset,
            box,
            limits,
            accumulate,
        )


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


@irdl_op_definition
class ExecOp(IRDLOperation):
    """Run an instruction on tiles: each operand is a buffer, an element offset and
    the strides of the tile's dimensions in that buffer (signature order).

    Example:
        accel.exec @mm32(%x[%i], %w[%j], %o[%k]) strides [[32, 1], [32, 1], [64, 1]]
            : memref<2x32x32xf32>, memref<2x32x32xf32>, memref<32x64xf32>
    """

    name = "accel.exec"

    instruction = prop_def(SymbolRefAttr)
    strides = prop_def(ArrayAttr[DenseArrayBase])
    buffers = var_operand_def(MemRefType)
    offsets = var_operand_def(IndexType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def __init__(
        self,
        instruction: str,
        buffers: Sequence[SSAValue],
        offsets: Sequence[SSAValue],
        strides: Sequence[Sequence[int]],
    ):
        super().__init__(
            operands=[buffers, offsets],
            properties={
                "instruction": SymbolRefAttr(instruction),
                "strides": ArrayAttr(_ints(s) for s in strides),
            },
        )

    def instruction_op(self) -> InstructionOp:
        """The instruction this runs."""
        return _resolve(self, self.instruction, InstructionOp, "Instruction")

    def output_buffer(self) -> SSAValue:
        """The buffer the instruction writes: the operand its `isa.compute` outputs to."""
        instruction = self.instruction_op()
        return self.buffers[list(instruction.body.block.args).index(instruction.statement.output)]

    def tile_strides(self) -> list[tuple[int, ...]]:
        """Per operand, the strides of its tile's dimensions."""
        return [tuple(s.get_values()) for s in self.strides.data]

    def verify_(self) -> None:
        instruction = self.instruction_op()
        arguments = instruction.body.block.args
        if not (len(self.buffers) == len(self.offsets) == len(self.strides.data) == len(arguments)):
            raise VerifyException(
                f"{self.instruction} takes {len(arguments)} operands; the exec gives "
                f"{len(self.buffers)} buffers, {len(self.offsets)} offsets and "
                f"{len(self.strides.data)} stride lists."
            )
        for position, (buffer, argument, memory, strides) in enumerate(
            zip(
                self.buffers, arguments, instruction.memories.data, self.tile_strides(), strict=True
            )
        ):
            where = memory_of(buffer)
            if where is not None and where != memory.root_reference.data:
                raise VerifyException(
                    f"Operand {position} of {self.instruction} must live in {memory}, but its "
                    f"buffer lives in @{where}."
                )
            assert isinstance(argument.type, MemRefType)
            if len(strides) != len(argument.type.get_shape()):
                raise VerifyException(
                    f"Operand {position} of {self.instruction} is a "
                    f"{len(argument.type.get_shape())}-dimensional tile, but "
                    f"{len(strides)} strides are given."
                )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.instruction}(")

        def operand(position: int) -> None:
            printer.print_operand(self.buffers[position])
            printer.print_string("[")
            printer.print_operand(self.offsets[position])
            printer.print_string("]")

        printer.print_list(range(len(self.buffers)), operand)
        printer.print_string(") strides [")
        printer.print_string(
            ", ".join("[" + ", ".join(map(str, s)) + "]" for s in self.tile_strides())
        )
        printer.print_string("] : ")
        printer.print_list(self.buffers, lambda b: printer.print_attribute(b.type))

    @classmethod
    def parse(cls, parser: Parser) -> ExecOp:
        instruction = parser.parse_symbol_name().data
        pairs = []

        def operand() -> None:
            buffer = parser.parse_unresolved_operand()
            parser.parse_punctuation("[")
            offset = parser.parse_operand(IndexType())
            parser.parse_punctuation("]")
            pairs.append((buffer, offset))

        parser.parse_comma_separated_list(parser.Delimiter.PAREN, operand)
        parser.parse_keyword("strides")
        strides = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE,
            lambda: parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, lambda: parse_i64(parser, "The stride")
            ),
        )
        parser.parse_punctuation(":")
        types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        buffers = [parser.resolve_operand(b, t) for (b, _), t in zip(pairs, types, strict=True)]
        return cls(instruction, buffers, [o for _, o in pairs], strides)


ACCEL = Dialect(
    "accel",
    [ProgramOp, AllocOp, CopyOp, WaitOp, FillOp, FreeOp, ExecOp],
    [TokenType],
)
