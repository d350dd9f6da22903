"""`isa.transfer`: a data-transfer engine between two memories of a hardware."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import FloatAttr, IntegerAttr, StringAttr, SymbolRefAttr
from xdsl.ir import Attribute
from xdsl.irdl import IRDLOperation, irdl_op_definition, opt_prop_def, prop_def, traits_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import HasParent, SymbolOpInterface

from isamapper_dialect.cost_fields import (
    parse_cost_fields,
    print_cost_fields,
    verify_cost_fields,
)
from isamapper_dialect.hardware_ops import (
    HardwareChild,
    HardwareOp,
    MemoryOp,
    resolve_in_hardware,
)
from isamapper_dialect.int_fields import (
    int_prop,
    parse_i64,
    parse_int_fields,
    print_int_fields,
    require,
)


@irdl_op_definition
class TransferOp(IRDLOperation):
    """A data-transfer engine that copies tiles from one memory to another.

    `dims` is how many strided dimensions one transfer can address (a 2-D DMA
    moves a matrix tile with one row stride). Bandwidth is in bytes per cycle.
    An optional `granule` (bytes, default 1) is the smallest access the engine
    makes: each contiguous run of a transfer costs whole granules (a CPU load
    moves up to one vector register, a cache a line), see strided_box.py.
    An optional `prefetch` (bytes) is how far apart a transfer's rows may lie
    for the hardware to stream them: when rows lie farther apart, each is a
    demand miss that costs the engine's latency (strided_box.demand_misses).
    An optional `energy` is pJ per byte moved by the engine itself (its
    memories' `read_energy` and `write_energy` are charged besides).

    Example:
        isa.transfer @dma_in from @hbm to @sram bandwidth 256 latency 200 dims 4
        isa.transfer @vload from @l1d to @zmm bandwidth 128 latency 8 dims 2 granule 64
            prefetch 2048
    """

    name = "isa.transfer"

    sym_name = prop_def(StringAttr)
    source = prop_def(SymbolRefAttr)
    target = prop_def(SymbolRefAttr)
    bandwidth = prop_def(IntegerAttr)
    latency = prop_def(IntegerAttr)
    dims = prop_def(IntegerAttr)
    granule = opt_prop_def(IntegerAttr)
    """Bytes of the engine's smallest access (absent: 1)."""
    prefetch = opt_prop_def(IntegerAttr)
    """The farthest apart (bytes) a transfer's rows stream (absent: any distance)."""
    energy = opt_prop_def(FloatAttr)
    """pJ per byte moved, besides its memories' read and write energies, if given."""

    traits = traits_def(SymbolOpInterface(), HasParent(HardwareOp), HardwareChild())

    FIELDS: ClassVar[tuple[str, ...]] = ("bandwidth", "latency", "dims")
    COSTS: ClassVar[tuple[str, ...]] = ("energy",)

    @property
    def granule_bytes(self) -> int:
        """The smallest access, in bytes."""
        return 1 if self.granule is None else self.granule.value.data

    @property
    def prefetch_bytes(self) -> int | None:
        """How far apart rows may lie and still stream (None: any distance)."""
        return None if self.prefetch is None else self.prefetch.value.data

    def source_memory(self) -> MemoryOp:
        """The memory this engine reads from."""
        return resolve_in_hardware(self, self.source, MemoryOp, "Source memory")

    def target_memory(self) -> MemoryOp:
        """The memory this engine writes to."""
        return resolve_in_hardware(self, self.target, MemoryOp, "Target memory")

    def verify_(self) -> None:
        label = f"Transfer @{self.sym_name.data}"
        self.source_memory()
        self.target_memory()
        require(
            self.source != self.target,
            f"{label} goes from {self.source} to itself; "
            "a transfer must connect two different memories.",
        )
        require(
            self.bandwidth.value.data > 0,
            f"{label} has bandwidth {self.bandwidth.value.data}; "
            "a bandwidth must be a positive number of bytes per cycle.",
        )
        require(
            self.latency.value.data >= 0,
            f"{label} has latency {self.latency.value.data}; a latency cannot be negative.",
        )
        require(
            self.dims.value.data >= 1,
            f"{label} addresses {self.dims.value.data} strided dimensions; "
            "it must address at least 1.",
        )
        require(
            self.granule_bytes >= 1,
            f"{label} has granule {self.granule_bytes}; a granule must be at least 1 byte.",
        )
        require(
            self.prefetch_bytes is None or self.prefetch_bytes >= 1,
            f"{label} has prefetch {self.prefetch_bytes}; a prefetch distance must be at "
            "least 1 byte.",
        )
        verify_cost_fields(self, self.COSTS, label)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(f" from {self.source} to {self.target}")
        print_int_fields(printer, self, self.FIELDS)
        if self.granule is not None:
            printer.print_string(f" granule {self.granule.value.data}")
        if self.prefetch is not None:
            printer.print_string(f" prefetch {self.prefetch.value.data}")
        print_cost_fields(printer, self, self.COSTS)
        printer.print_op_attributes(self.attributes, print_keyword=True)

    @classmethod
    def parse(cls, parser: Parser) -> TransferOp:
        name = parser.parse_symbol_name()
        parser.parse_keyword("from", " before the source memory")
        source = SymbolRefAttr(parser.parse_symbol_name())
        parser.parse_keyword("to", " before the target memory")
        target = SymbolRefAttr(parser.parse_symbol_name())
        fields: dict[str, Attribute] = {**parse_int_fields(parser, cls.FIELDS)}
        if parser.parse_optional_keyword("granule") is not None:
            fields["granule"] = int_prop(parse_i64(parser, "The granule"))
        if parser.parse_optional_keyword("prefetch") is not None:
            fields["prefetch"] = int_prop(parse_i64(parser, "The prefetch distance"))
        fields.update(parse_cost_fields(parser, cls.COSTS))
        extra = parser.parse_optional_attr_dict_with_keyword()
        return cls.create(
            properties={"sym_name": name, "source": source, "target": target, **fields},
            attributes=dict(extra.data) if extra else {},
        )
