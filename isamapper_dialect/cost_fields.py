"""Optional energy and area fields of the hardware ops (`energy 0.56`,
`read_energy 2.5 write_energy 2.5 area 0.0008`): real numbers, each written
as its property's name and its value, in a fixed order, each optional.

Units (docs/describing.md): energies in picojoules (pJ) per byte read or
written (memories), per byte moved (transfer engines), per execution
(instructions) and per cycle (a unit's static energy); areas in mm² per unit
and per KiB of memory."""

from __future__ import annotations

import math
from collections.abc import Sequence

from xdsl.dialects.builtin import FloatAttr, IntegerAttr, f64
from xdsl.ir import Attribute, Operation
from xdsl.parser import Parser
from xdsl.printer import Printer

from isamapper_dialect.int_fields import require


def float_prop(value: float) -> FloatAttr:
    """An f64 property value."""
    return FloatAttr(float(value), f64)


def parse_cost_fields(parser: Parser, names: Sequence[str]) -> dict[str, Attribute]:
    """Parse any of `name <number>` for `names`, each optional, in this order."""
    fields: dict[str, Attribute] = {}
    for name in names:
        if parser.parse_optional_keyword(name) is None:
            continue
        start = parser.pos
        value = parser.parse_number()
        if isinstance(value, bool) or not math.isfinite(float(value)):
            parser.raise_error(f"The {name} must be a finite number", start, parser.pos)
        fields[name] = float_prop(float(value))
    return fields


def _literal(value: float) -> str:
    """`value` as a float literal the parser reads back exactly (`2.5`,
    `1.0e-05`: MLIR's float literals need the point)."""
    text = repr(value)
    if "." not in text and "inf" not in text and "nan" not in text:
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0" + (f"e{exponent}" if exponent else "")
    return text


def print_cost_fields(printer: Printer, op: Operation, names: Sequence[str]) -> None:
    """Print ` name <number>` for each of `names` that `op` has."""
    for name in names:
        value = op.properties.get(name)
        if isinstance(value, FloatAttr):
            printer.print_string(f" {name} {_literal(value.value.data)}")


def cost_value(op: Operation, name: str) -> float | None:
    """The field's value, None when the description does not give it."""
    value = op.properties.get(name)
    if isinstance(value, FloatAttr):
        return value.value.data
    if isinstance(value, IntegerAttr):
        return float(value.value.data)
    return None


def verify_cost_fields(op: Operation, names: Sequence[str], label: str) -> None:
    """Every field given is finite and not negative."""
    for name in names:
        value = cost_value(op, name)
        require(
            value is None or (math.isfinite(value) and value >= 0),
            f"{label} has {name} {value}; an energy or area cannot be negative.",
        )
