"""`accel.copy`: an asynchronous strided-box transfer on one engine.

Each end is in the engine's memory, or, where that end of the engine is a
cache, in a memory the cache holds a view of (a transfer into registers reads a
tensor through the caches).

Dimension `d` of the box has a size, a stride in the source and one in the
destination (in elements, from the two offsets); elements at or past
`limits[d]` along `d` are padding (see the `accel` dialect's docstring)."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DenseArrayBase, IndexType, MemRefType, SymbolRefAttr, UnitAttr
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.accel_program import (
    TokenType,
    WritesBuffer,
    i64_array,
    memory_of,
    program_of,
    resolve_in_program,
)
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_dialect.int_fields import parse_i64
from isamapper_dialect.strided_box import merged_dims
from isamapper_dialect.transfer_op import TransferOp


def _through_cache(op: Operation, memory: str, end: str, reading: bool) -> bool:
    """Whether an engine whose `end` is a cache may read (or write) a buffer in
    `memory`: the cache holds a view of it, reached over the hardware's routes."""
    try:
        hardware = hardware_spec(program_of(op).hardware_op())
    except VerifyException:
        return False
    if end not in hardware.caches:
        return False
    route = hardware.route(memory, end) if reading else hardware.route(end, memory)
    return route is not None


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

    traits = traits_def(WritesBuffer(lambda op: op.target))

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
            "sizes": i64_array([b[0] for b in box]),
            "source_strides": i64_array([b[1] for b in box]),
            "target_strides": i64_array([b[2] for b in box]),
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
        engine = resolve_in_program(self, self.engine, TransferOp, "Transfer engine")
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
            if (
                memory is not None
                and memory != expected
                and not _through_cache(self, memory, expected, end == "source")
            ):
                raise VerifyException(
                    f"Engine {self.engine} {role} @{expected}, but the copy's {end} "
                    f"lives in @{memory}."
                )
        dims = merged_dims(self.box())
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
