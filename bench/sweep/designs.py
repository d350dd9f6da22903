"""The designs of a sweep: `--vary @hw::@node.field=v1,v2,...` parsed, and a
hardware description with the named fields set, verified.

A path names the `isa.hardware` by its symbol, then one of its memories,
engines, units or instructions, then one of that op's numeric fields as its
syntax writes it (`capacity`, `count`, `bandwidth`, `energy`, ...; docs/sweep.md);
`@hw.clock` names the hardware's own clock. Integer fields take integers, the
energy and area fields any number."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.cost_fields import float_prop
from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, UnitOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.int_fields import I64_MAX, int_prop
from isamapper_dialect.parsing import InputError
from isamapper_dialect.transfer_op import TransferOp

INTEGER_FIELDS: dict[type[Operation], tuple[str, ...]] = {
    HardwareOp: ("clock",),
    MemoryOp: (*MemoryOp.FIELDS, "ways", "line"),
    TransferOp: (*TransferOp.FIELDS, "granule", "prefetch"),
    UnitOp: ("count",),
    InstructionOp: InstructionOp.FIELDS,
}
"""The integer fields a sweep may set, per op."""
COST_FIELDS: dict[type[Operation], tuple[str, ...]] = {
    MemoryOp: MemoryOp.COSTS,
    TransferOp: TransferOp.COSTS,
    UnitOp: UnitOp.COSTS,
    InstructionOp: InstructionOp.COSTS,
}
"""The energy and area fields a sweep may set, per op (any number)."""


@dataclass(frozen=True)
class Vary:
    """One `--vary`: where, and the values to try."""

    text: str
    """The path as given (the CSV's column name)."""
    given: str
    """The whole argument, values included (for messages)."""
    hardware: str
    node: str | None
    """The op inside the hardware; None for the hardware's own field."""
    field: str
    values: tuple[float, ...]


def parse_vary(text: str) -> Vary:
    """`@hw::@node.field=v1,v2` (or `@hw.field=...`) as a Vary; an InputError
    saying what is wrong otherwise."""
    path, equals, listed = text.partition("=")
    where = f"--vary {text}"
    if not equals or not listed:
        raise InputError(f"{where}: give the values after '=' (@hw::@node.field=1,2,3)")
    symbols, dot, field = path.rpartition(".")
    names = symbols.split("::") if dot else []
    if not field or not 1 <= len(names) <= 2 or not all(n.startswith("@") and n[1:] for n in names):
        raise InputError(
            f"{where}: a path is @hardware::@node.field or @hardware.field, e.g. @nnp::@mxu.count"
        )
    values: list[float] = []
    for item in listed.split(","):
        try:
            values.append(int(item) if item.strip().lstrip("-").isdigit() else float(item))
        except ValueError:
            raise InputError(f"{where}: {item!r} is not a number") from None
    if len(set(values)) != len(values):
        raise InputError(f"{where}: a value is given twice")
    node = names[1][1:] if len(names) == 2 else None
    return Vary(path, text, names[0][1:], node, field, tuple(values))


def designs(varies: Sequence[Vary]) -> list[tuple[float, ...]]:
    """Every combination of the values, the first `--vary` slowest."""
    return list(itertools.product(*(v.values for v in varies)))


def _find(module: ModuleOp, vary: Vary) -> Operation:
    hardware = next(
        (
            op
            for op in module.walk()
            if isinstance(op, HardwareOp) and op.sym_name.data == vary.hardware
        ),
        None,
    )
    if hardware is None:
        raise InputError(f"--vary {vary.given}: the file has no isa.hardware @{vary.hardware}")
    if vary.node is None:
        return hardware
    for op in hardware.body.block.ops:
        name = op.properties.get("sym_name")
        if name is not None and getattr(name, "data", None) == vary.node:
            return op
    raise InputError(f"--vary {vary.given}: @{vary.hardware} has no @{vary.node}")


def check_paths(module: ModuleOp, varies: Sequence[Vary]) -> None:
    """Every path names a field a sweep can set (an InputError otherwise)."""
    for vary in varies:
        op = _find(module, vary)
        integers = INTEGER_FIELDS.get(type(op), ())
        costs = COST_FIELDS.get(type(op), ())
        if vary.field not in integers + costs:
            fields = ", ".join(integers + costs)
            raise InputError(
                f"--vary {vary.given}: {op.name} @{vary.node or vary.hardware} has no field "
                f"{vary.field!r} (its fields: {fields})"
            )
        for value in vary.values:
            if vary.field in integers and (not isinstance(value, int) or not 0 <= value <= I64_MAX):
                raise InputError(
                    f"--vary {vary.given}: {vary.field} takes whole numbers, not {value}"
                )


def with_design(module: ModuleOp, varies: Sequence[Vary], design: Sequence[float]) -> ModuleOp:
    """A copy of `module` with each varied field set to the design's value,
    verified (an InputError naming the design when it does not verify)."""
    edited = module.clone()
    for vary, value in zip(varies, design, strict=True):
        op = _find(edited, vary)
        if vary.field in INTEGER_FIELDS.get(type(op), ()):
            op.properties[vary.field] = int_prop(int(value))
        else:
            op.properties[vary.field] = float_prop(value)
    try:
        edited.verify()
    except VerifyException as error:
        raise InputError(f"design {label(varies, design)} does not verify: {error}") from None
    return edited


def label(varies: Sequence[Vary], design: Sequence[float]) -> str:
    """`@nnp::@mxu.count=16 @nnp::@sram.capacity=1024`."""
    return " ".join(f"{v.text}={value}" for v, value in zip(varies, design, strict=True))
