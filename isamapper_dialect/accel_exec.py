"""`accel.exec`: one execution of an instruction on tiles of buffers."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import ArrayAttr, DenseArrayBase, IndexType, MemRefType, SymbolRefAttr
from xdsl.ir import SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_op_definition,
    prop_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.accel_program import WritesBuffer, i64_array, memory_of, resolve_in_program
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.int_fields import parse_i64


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
    traits = traits_def(WritesBuffer(lambda op: op.output_buffer()))

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
                "strides": ArrayAttr(i64_array(s) for s in strides),
            },
        )

    def instruction_op(self) -> InstructionOp:
        """The instruction this runs."""
        return resolve_in_program(self, self.instruction, InstructionOp, "Instruction")

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
