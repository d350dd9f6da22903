"""`#isa.mapping<...>`: a mapping candidate attached to an `isa.compute` statement.

Example (a depthwise convolution on a 32x32x32 matrix instruction):

    #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [],
                 k = [r:3, s:3], outer = [n, h, c], executions = 896,
                 utilisation = 225792/29360128, transfer_dims = [3, 1, 1]>
"""

from __future__ import annotations

from xdsl.dialects.builtin import SymbolRefAttr
from xdsl.ir import Data
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer

from isamapper_dialect.mapping import IndexGroup, Mapping


def _parse_int_list(parser: AttrParser) -> tuple[int, ...]:
    return tuple(
        parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_integer(allow_boolean=False)
        )
    )


def _parse_group(parser: AttrParser, instruction_index: str) -> IndexGroup:
    if parser.parse_optional_keyword("fused") is not None:
        names = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_identifier)
        return IndexGroup(instruction_index, tuple(names), (), fused=True)

    def parse_component() -> tuple[str, int]:
        name = parser.parse_identifier(" (a kernel index)")
        parser.parse_punctuation(":", " between a kernel index and its tile factor")
        return name, parser.parse_integer(allow_boolean=False, allow_negative=False)

    components = parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parse_component)
    return IndexGroup(
        instruction_index,
        tuple(name for name, _ in components),
        tuple(tile for _, tile in components),
    )


def _parse_field(parser: AttrParser, name: str) -> None:
    parser.parse_punctuation(",")
    parser.parse_keyword(name, f" (the `{name} = ...` field of an isa.mapping)")
    parser.parse_punctuation("=")


@irdl_attr_definition
class MappingAttr(Data[Mapping]):
    """A legal way to run a statement with one instruction (see mapping.py)."""

    name = "isa.mapping"

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> Mapping:
        with parser.in_angle_brackets():
            reference = parser.parse_attribute()
            if not isinstance(reference, SymbolRefAttr) or len(reference.nested_references) != 1:
                parser.raise_error("Expected the instruction as `@hardware::@instruction`.")
            _parse_field(parser, "operands")
            operands = _parse_int_list(parser)
            groups: list[IndexGroup] = []
            while True:
                parser.parse_punctuation(",")
                name = parser.parse_identifier(" (an instruction index or `outer`)")
                parser.parse_punctuation("=")
                if name == "outer":
                    break
                groups.append(_parse_group(parser, name))
            outer = parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, parser.parse_identifier
            )
            _parse_field(parser, "executions")
            executions = parser.parse_integer(allow_boolean=False, allow_negative=False)
            _parse_field(parser, "utilisation")
            real = parser.parse_integer(allow_boolean=False, allow_negative=False)
            parser.parse_punctuation("/", " in the utilisation `real/issued`")
            issued = parser.parse_integer(allow_boolean=False, allow_negative=False)
            _parse_field(parser, "transfer_dims")
            dims = _parse_int_list(parser)
        return Mapping(
            hardware=reference.root_reference.data,
            instruction=reference.nested_references.data[0].data,
            operands=operands,
            groups=tuple(groups),
            outer=tuple(outer),
            executions=executions,
            real_work=real,
            issued_work=issued,
            transfer_dims=dims,
        )

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string(self.data.format())
