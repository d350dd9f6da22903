"""`accel.touch`: the traffic of a block a cache holds, without moving data.

A schedule's block in a hardware-managed memory (`isa.memory ... cache`) is a
view of the buffer it comes from: no allocation, no copy. What it costs is the
lines the cache brings in (or writes back), which `accel.touch` times on the
engine between the two levels: the box of the viewed buffer (sizes and strides
in elements from the offset, clipped by `limits` like a copy's), read after it
is written and ready for the ops after it once the touch completes. It moves
no data: the model leaves the numbers alone and the exports drop it.

Example:
    %t = accel.touch @l3_to_l2 %A[%o] box [64:256, 256:1] limits [%m, %n] : memref<128x256xf32>
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DenseArrayBase, IndexType, MemRefType, SymbolRefAttr
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.accel_program import TokenType, i64_array, resolve_in_program
from isamapper_dialect.int_fields import parse_i64
from isamapper_dialect.strided_box import merged_dims
from isamapper_dialect.transfer_op import TransferOp


@irdl_op_definition
class TouchOp(IRDLOperation):
    """The timed traffic of a cached block on one engine; returns a token."""

    name = "accel.touch"

    engine = prop_def(SymbolRefAttr)
    sizes = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)

    buffer = operand_def(MemRefType)
    offset = operand_def(IndexType)
    limits = var_operand_def(IndexType)
    token = result_def(TokenType)

    def __init__(
        self,
        engine: str,
        buffer: SSAValue,
        offset: SSAValue,
        box: Sequence[tuple[int, int]],
        limits: Sequence[SSAValue],
    ):
        properties: dict[str, Attribute] = {
            "engine": SymbolRefAttr(engine),
            "sizes": i64_array([b[0] for b in box]),
            "strides": i64_array([b[1] for b in box]),
        }
        super().__init__(
            operands=[buffer, offset, limits], properties=properties, result_types=[TokenType()]
        )

    def box(self) -> list[tuple[int, int]]:
        """(size, stride) per dimension."""
        return list(zip(self.sizes.get_values(), self.strides.get_values(), strict=True))

    def verify_(self) -> None:
        engine = resolve_in_program(self, self.engine, TransferOp, "Transfer engine")
        box = self.box()
        if len(self.sizes.get_values()) != len(self.strides.get_values()):
            raise VerifyException("A touch needs as many strides as sizes.")
        if len(self.limits) != len(box):
            raise VerifyException(
                f"A touch of {len(box)} dimensions needs {len(box)} limits, not {len(self.limits)}."
            )
        dims = merged_dims([(size, stride, stride) for size, stride in box])
        if dims > engine.dims.value.data:
            raise VerifyException(
                f"The touch needs {dims} strided dimensions but engine {self.engine} "
                f"addresses {engine.dims.value.data}."
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.engine} ")
        printer.print_operand(self.buffer)
        printer.print_string("[")
        printer.print_operand(self.offset)
        printer.print_string("] box [")
        printer.print_string(", ".join(f"{a}:{b}" for a, b in self.box()))
        printer.print_string("] limits [")
        printer.print_list(self.limits, printer.print_operand)
        printer.print_string("] : ")
        printer.print_attribute(self.buffer.type)

    @classmethod
    def parse(cls, parser: Parser) -> TouchOp:
        engine = SymbolRefAttr(parser.parse_symbol_name())
        index = IndexType()
        buffer = parser.parse_unresolved_operand()
        parser.parse_punctuation("[")
        offset = parser.parse_operand(index)
        parser.parse_punctuation("]")
        parser.parse_keyword("box")

        def parse_dim() -> tuple[int, int]:
            size = parse_i64(parser, "The size")
            parser.parse_punctuation(":")
            return size, parse_i64(parser, "The stride")

        box = parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parse_dim)
        parser.parse_keyword("limits")
        limits = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_operand(index)
        )
        parser.parse_punctuation(":")
        buffer_type = parser.parse_type()
        return cls(
            engine.root_reference.data,
            parser.resolve_operand(buffer, buffer_type),
            offset,
            box,
            limits,
        )
