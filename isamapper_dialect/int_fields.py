"""Keyword-integer fields (`capacity 1024 bandwidth 64`) of the hardware ops' syntax."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.ir import Operation
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException


def int_prop(value: int) -> IntegerAttr:
    """An i64 property value."""
    return IntegerAttr(value, i64)


I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


def parse_i64(parser: AttrParser, what: str, allow_negative: bool = True) -> int:
    """An integer that fits a signed 64-bit value; a parse error located at the
    number (naming `what`) otherwise."""
    start = parser.pos
    value = parser.parse_integer(allow_boolean=False, allow_negative=allow_negative)
    check_i64(parser, value, what, start)
    return value


def check_i64(parser: AttrParser, value: int, what: str, start: int) -> None:
    """A parse error from `start` to the parser's position unless `value` fits
    a signed 64-bit integer (every integer the IR stores is an i64)."""
    if not I64_MIN <= value <= I64_MAX:
        parser.raise_error(
            f"{what} {value} does not fit in a signed 64-bit integer (from {I64_MIN} to {I64_MAX})",
            start,
            parser.pos,
        )


def parse_int_fields(parser: Parser, names: Sequence[str]) -> dict[str, IntegerAttr]:
    """Parse `name1 <int> name2 <int> ...` in exactly this order."""
    fields: dict[str, IntegerAttr] = {}
    for name in names:
        parser.parse_keyword(name, f" (expected the field `{name} <integer>`)")
        fields[name] = int_prop(parse_i64(parser, f"The {name}"))
    return fields


def print_int_fields(printer: Printer, op: Operation, names: Sequence[str]) -> None:
    """Print ` name1 <int> name2 <int> ...` from `op`'s properties."""
    for name in names:
        value = op.properties[name]
        assert isinstance(value, IntegerAttr)
        printer.print_string(f" {name} {value.value.data}")


def require(condition: bool, message: str) -> None:
    """Raise a VerifyException with `message` unless `condition` holds."""
    if not condition:
        raise VerifyException(message)
