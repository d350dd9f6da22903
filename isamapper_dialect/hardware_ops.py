"""`isa.hardware` and its graph nodes `isa.memory` and `isa.unit`.

A hardware description is a symbol table of memories (nodes), transfer engines
(edges between memories, `isa.transfer` in transfer_op.py), compute units,
TLBs (tlb_op.py) and instructions (`isa.instruction`, in instruction_op.py).
References between them are symbol references that must resolve inside the
same `isa.hardware`.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from xdsl.dialects.builtin import (
    ArrayAttr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, Region
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    HasParent,
    IsolatedFromAbove,
    NoTerminator,
    OpTrait,
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.cost_fields import (
    parse_cost_fields,
    print_cost_fields,
    verify_cost_fields,
)
from isamapper_dialect.int_fields import (
    int_prop,
    parse_i64,
    parse_int_fields,
    print_int_fields,
    require,
)

_OpT = TypeVar("_OpT", bound=Operation)


def resolve_in_hardware(
    op: Operation, reference: SymbolRefAttr, expected: type[_OpT], role: str
) -> _OpT:
    """The `expected` op that `reference` names in `op`'s enclosing hardware."""
    target = SymbolTable.lookup_symbol(op, reference)
    if target is None:
        raise VerifyException(f"{role} {reference} is not defined in the enclosing isa.hardware.")
    if not isinstance(target, expected):
        raise VerifyException(f"{role} {reference} names an {target.name}, not an {expected.name}.")
    return target


class HardwareChild(OpTrait):
    """Marks the operations an `isa.hardware` body may hold: memories, transfer
    engines, units and instructions (each declares it, so the hardware need not
    import them)."""


@irdl_op_definition
class HardwareOp(IRDLOperation):
    """A piece of hardware: memories, transfer engines, units and instructions.

    A description of a real CPU may also give its clock in MHz (`clock 2600`,
    which turns the model's cycles into seconds), the LLVM CPU its native
    code is compiled for (`cpu "x86-64-v4"`) and the CPU flags that code needs
    (`features ["avx512f", "fma"]`, as Linux's /proc/cpuinfo and LLVM's
    `-mattr` name them), so a machine without them is refused.

    Example:
        isa.hardware @tiny {
          isa.memory @dram capacity 1048576 bandwidth 16 latency 100
          isa.memory @sram capacity 65536 bandwidth 64 latency 2
          isa.transfer @dma from @dram to @sram bandwidth 16 latency 50 dims 2
          isa.unit @vpu count 1
        }
    """

    name = "isa.hardware"

    sym_name = prop_def(StringAttr)
    clock = opt_prop_def(IntegerAttr)
    """The core clock in MHz, if given."""
    cpu = opt_prop_def(StringAttr)
    """The LLVM CPU native code is compiled for, if the hardware is a host CPU."""
    features = opt_prop_def(ArrayAttr[StringAttr])
    """The CPU flags native code needs."""
    body = region_def("single_block")

    traits = traits_def(SymbolOpInterface(), SymbolTable(), NoTerminator(), IsolatedFromAbove())

    def __init__(
        self,
        name: str,
        body: Region,
        clock: int | None = None,
        cpu: str | None = None,
        features: tuple[str, ...] | None = None,
    ):
        properties: dict = {"sym_name": StringAttr(name)}
        if clock is not None:
            properties["clock"] = int_prop(clock)
        if cpu is not None:
            properties["cpu"] = StringAttr(cpu)
        if features is not None:
            properties["features"] = ArrayAttr([StringAttr(f) for f in features])
        super().__init__(properties=properties, regions=[body])

    @property
    def native_target(self) -> tuple[str, tuple[str, ...]] | None:
        """(LLVM CPU, required CPU flags) when native code can be built for it."""
        if self.cpu is None:
            return None
        features = () if self.features is None else tuple(f.data for f in self.features)
        return self.cpu.data, features

    @property
    def clock_mhz(self) -> int | None:
        """The clock in MHz, or None when the description gives none."""
        return None if self.clock is None else self.clock.value.data

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        if self.clock is not None:
            printer.print_string(f" clock {self.clock.value.data}")
        if self.cpu is not None:
            printer.print_string(" cpu ")
            printer.print_string_literal(self.cpu.data)
        if self.features is not None:
            printer.print_string(" features ")
            printer.print_attribute(self.features)
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" ")
        printer.print_region(self.body)

    @classmethod
    def parse(cls, parser: Parser) -> HardwareOp:
        name = parser.parse_symbol_name().data
        clock = cpu = features = None
        if parser.parse_optional_keyword("clock") is not None:
            clock = parse_i64(parser, "The clock", allow_negative=False)
        if parser.parse_optional_keyword("cpu") is not None:
            cpu = parser.parse_str_literal(" (the LLVM CPU name)")
        if parser.parse_optional_keyword("features") is not None:
            features = tuple(
                parser.parse_comma_separated_list(
                    parser.Delimiter.SQUARE, lambda: parser.parse_str_literal(" (a CPU flag)")
                )
            )
        extra = parser.parse_optional_attr_dict_with_keyword()
        op = cls(name, parser.parse_region(), clock, cpu, features)
        if extra:
            op.attributes.update(extra.data)
        return op

    def verify_(self) -> None:
        require(
            self.clock_mhz is None or self.clock_mhz > 0,
            f"Hardware @{self.sym_name.data} has clock {self.clock_mhz}; a clock must be a "
            "positive number of MHz.",
        )
        require(
            self.features is None or self.cpu is not None,
            f"Hardware @{self.sym_name.data} lists CPU features but no `cpu` to compile for.",
        )
        main = self.largest_memory()
        if main is not None:
            require(
                not main.is_cache,
                f"Memory @{main.sym_name.data} is the largest, where the tensors live, so it "
                "cannot be a cache.",
            )
        for op in self.body.block.ops:
            require(
                op.has_trait(HardwareChild),
                "An isa.hardware body may only hold isa.memory, isa.transfer, isa.tlb, "
                f"isa.unit and isa.instruction operations, not {op.name}.",
            )

    def largest_memory(self) -> MemoryOp | None:
        """The largest memory (the first declared of the largest, on a tie): the
        main memory, where tensors live (main_memory.py)."""
        memories = self.ops_of(MemoryOp)
        return max(memories, key=lambda m: m.capacity.value.data) if memories else None

    def ops_of(self, kind: type[_OpT]) -> list[_OpT]:
        """The body's operations of the given class, in order."""
        return [op for op in self.body.block.ops if isinstance(op, kind)]


@irdl_op_definition
class MemoryOp(IRDLOperation):
    """A memory: capacity in bytes, bandwidth in bytes per cycle, latency in cycles.

    A memory marked `cache` is hardware-managed: the hardware, not the program,
    decides what it holds, so a schedule's block there is a view of where the
    data lives (no buffer, no copy) and only its traffic is timed. Other
    memories (scratchpads, register files) hold the buffers a program allocates.

    A cache may give its geometry, `ways N line B`: sets of N lines of B bytes
    (capacity / (N x B) sets). A strided block whose lines crowd one set past
    its ways cannot stay there as a view (the scheduler packs an input's block;
    cache_views.keeps_view).

    Optionally, its energy per byte read and written (pJ) and its area per KiB
    (mm²; none for an off-chip memory): `read_energy 2.5 write_energy 2.5
    area 0.0008` (cost_fields.py).

    Example:
        isa.memory @sram capacity 33554432 bandwidth 4096 latency 4
        isa.memory @l2 capacity 1310720 bandwidth 48 latency 14 cache
        isa.memory @l1d capacity 49152 bandwidth 128 latency 5 cache ways 12 line 64
    """

    name = "isa.memory"

    sym_name = prop_def(StringAttr)
    capacity = prop_def(IntegerAttr)
    bandwidth = prop_def(IntegerAttr)
    latency = prop_def(IntegerAttr)
    cache = opt_prop_def(UnitAttr)
    """Present when the hardware manages the memory."""
    ways = opt_prop_def(IntegerAttr)
    """A cache's lines per set, where its geometry is given."""
    line = opt_prop_def(IntegerAttr)
    """A cache's line bytes, where its geometry is given."""
    read_energy = opt_prop_def(FloatAttr)
    """pJ per byte read, if given."""
    write_energy = opt_prop_def(FloatAttr)
    """pJ per byte written, if given."""
    area = opt_prop_def(FloatAttr)
    """mm² per KiB of capacity, if given."""

    traits = traits_def(SymbolOpInterface(), HasParent(HardwareOp), HardwareChild())

    FIELDS: ClassVar[tuple[str, ...]] = ("capacity", "bandwidth", "latency")
    COSTS: ClassVar[tuple[str, ...]] = ("read_energy", "write_energy", "area")

    def __init__(
        self,
        name: str,
        capacity: int,
        bandwidth: int,
        latency: int,
        cache: bool = False,
        geometry: tuple[int, int] | None = None,
    ):
        """`geometry`, for a cache: (ways, line bytes)."""
        properties: dict = {
            "sym_name": StringAttr(name),
            "capacity": int_prop(capacity),
            "bandwidth": int_prop(bandwidth),
            "latency": int_prop(latency),
        }
        if cache:
            properties["cache"] = UnitAttr()
        if geometry is not None:
            properties["ways"], properties["line"] = (int_prop(v) for v in geometry)
        super().__init__(properties=properties)

    @property
    def is_cache(self) -> bool:
        """Whether the hardware manages this memory."""
        return self.cache is not None

    @property
    def geometry(self) -> tuple[int, int, int] | None:
        """(sets, ways, line bytes) of a cache that gives them."""
        if self.ways is None or self.line is None:
            return None
        ways, line = self.ways.value.data, self.line.value.data
        return self.capacity.value.data // (ways * line), ways, line

    def verify_(self) -> None:
        label = f"Memory @{self.sym_name.data}"
        require(
            self.capacity.value.data > 0,
            f"{label} has capacity {self.capacity.value.data}; "
            "a capacity must be a positive number of bytes.",
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
        verify_cost_fields(self, self.COSTS, label)
        if self.ways is not None or self.line is not None:
            require(
                self.is_cache and self.ways is not None and self.line is not None,
                f"{label} gives `ways` and `line` without being a cache with both; "
                "write `cache ways N line B`.",
            )
            ways, line = self.ways.value.data, self.line.value.data
            require(
                ways >= 1 and line >= 1 and line & (line - 1) == 0,
                f"{label} has {ways} ways of {line}-byte lines; it needs at least one way "
                "and lines of a power of two bytes.",
            )
            require(
                self.capacity.value.data % (ways * line) == 0,
                f"{label} holds {self.capacity.value.data} bytes, not a whole number of "
                f"sets of {ways} x {line} bytes.",
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        print_int_fields(printer, self, self.FIELDS)
        if self.is_cache:
            printer.print_string(" cache")
        if self.ways is not None and self.line is not None:
            printer.print_string(f" ways {self.ways.value.data} line {self.line.value.data}")
        print_cost_fields(printer, self, self.COSTS)
        printer.print_op_attributes(self.attributes, print_keyword=True)

    @classmethod
    def parse(cls, parser: Parser) -> MemoryOp:
        name = parser.parse_symbol_name()
        fields = parse_int_fields(parser, cls.FIELDS)
        flags: dict[str, Attribute] = {}
        if parser.parse_optional_keyword("cache") is not None:
            flags["cache"] = UnitAttr()
            if parser.parse_optional_keyword("ways") is not None:
                flags["ways"] = int_prop(parse_i64(parser, "The ways"))
                flags.update(parse_int_fields(parser, ("line",)))
        flags.update(parse_cost_fields(parser, cls.COSTS))
        extra = parser.parse_optional_attr_dict_with_keyword()
        return cls.create(
            properties={"sym_name": name, **fields, **flags},
            attributes=dict(extra.data) if extra else {},
        )


@irdl_op_definition
class UnitOp(IRDLOperation):
    """A kind of compute unit and how many identical copies the hardware has.

    Optionally, each copy's static energy (pJ per cycle, whether busy or not:
    1 pJ per cycle at 1 GHz is 1 mW) and area (mm²).

    Example:
        isa.unit @mxu count 2
        isa.unit @mxu count 48 static_energy 68.0 area 0.75
    """

    name = "isa.unit"

    sym_name = prop_def(StringAttr)
    count = prop_def(IntegerAttr)
    static_energy = opt_prop_def(FloatAttr)
    """pJ per cycle of each copy, if given."""
    area = opt_prop_def(FloatAttr)
    """mm² of each copy, if given."""

    traits = traits_def(SymbolOpInterface(), HasParent(HardwareOp), HardwareChild())

    COSTS: ClassVar[tuple[str, ...]] = ("static_energy", "area")

    def verify_(self) -> None:
        require(
            self.count.value.data >= 1,
            f"Unit @{self.sym_name.data} has count {self.count.value.data}; "
            "there must be at least one.",
        )
        verify_cost_fields(self, self.COSTS, f"Unit @{self.sym_name.data}")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        print_int_fields(printer, self, ("count",))
        print_cost_fields(printer, self, self.COSTS)
        printer.print_op_attributes(self.attributes, print_keyword=True)

    @classmethod
    def parse(cls, parser: Parser) -> UnitOp:
        name = parser.parse_symbol_name()
        fields: dict[str, Attribute] = {**parse_int_fields(parser, ("count",))}
        fields.update(parse_cost_fields(parser, cls.COSTS))
        extra = parser.parse_optional_attr_dict_with_keyword()
        return cls.create(
            properties={"sym_name": name, **fields},
            attributes=dict(extra.data) if extra else {},
        )
