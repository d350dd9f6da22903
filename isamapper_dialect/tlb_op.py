"""`isa.tlb`: the translation buffer that covers a cache's accesses.

A cache holds a strided block well only while the pages it spans fit the TLB
that translates its accesses: past that, every row is a TLB miss and the
hardware prefetchers (which stop at page boundaries) cannot stream it. The
scheduler then packs an input's block into a contiguous buffer, as BLIS packs panels
(plan.StatementPlan.views).
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IntegerAttr, StringAttr, SymbolRefAttr
from xdsl.irdl import IRDLOperation, irdl_op_definition, prop_def, traits_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import HasParent, SymbolOpInterface

from isamapper_dialect.hardware_ops import (
    HardwareChild,
    HardwareOp,
    MemoryOp,
    resolve_in_hardware,
)
from isamapper_dialect.int_fields import parse_int_fields, print_int_fields, require


@irdl_op_definition
class TlbOp(IRDLOperation):
    """A TLB of `entries` pages of `page` bytes each, translating the accesses
    to the cache `for`.

    Example:
        isa.tlb @dtlb for @l1d entries 64 page 4096
    """

    name = "isa.tlb"

    sym_name = prop_def(StringAttr)
    memory = prop_def(SymbolRefAttr)
    entries = prop_def(IntegerAttr)
    page = prop_def(IntegerAttr)

    traits = traits_def(SymbolOpInterface(), HasParent(HardwareOp), HardwareChild())

    FIELDS: ClassVar[tuple[str, ...]] = ("entries", "page")

    @property
    def reach(self) -> tuple[int, int]:
        """(entries, page bytes)."""
        return self.entries.value.data, self.page.value.data

    def verify_(self) -> None:
        label = f"TLB @{self.sym_name.data}"
        entries, page = self.reach
        require(entries >= 1, f"{label} has {entries} entries; it needs at least one.")
        require(
            page >= 1 and page & (page - 1) == 0,
            f"{label} has pages of {page} bytes; a page is a power of two bytes.",
        )
        memory = resolve_in_hardware(self, self.memory, MemoryOp, "TLB memory")
        require(
            memory.is_cache,
            f"{label} is for @{memory.sym_name.data}, which is not a cache: only a "
            "hardware-managed memory's blocks are views that a TLB translates.",
        )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(" for ")
        printer.print_attribute(self.memory)
        print_int_fields(printer, self, self.FIELDS)
        printer.print_op_attributes(self.attributes, print_keyword=True)

    @classmethod
    def parse(cls, parser: Parser) -> TlbOp:
        name = parser.parse_symbol_name()
        parser.parse_keyword("for")
        memory = SymbolRefAttr(parser.parse_symbol_name())
        fields = parse_int_fields(parser, cls.FIELDS)
        extra = parser.parse_optional_attr_dict_with_keyword()
        return cls.create(
            properties={"sym_name": name, "memory": memory, **fields},
            attributes=dict(extra.data) if extra else {},
        )
