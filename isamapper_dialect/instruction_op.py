"""`isa.instruction`: a hardware instruction whose semantics is an `isa.compute`."""

from __future__ import annotations

from math import prod
from typing import ClassVar

from xdsl.dialects.builtin import (
    ArrayAttr,
    FloatAttr,
    IntegerAttr,
    MemRefType,
    StringAttr,
    SymbolRefAttr,
)
from xdsl.ir import Region
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
from xdsl.traits import HasParent, IsolatedFromAbove, NoTerminator, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.compute_op import ComputeOp, operand_label
from isamapper_dialect.cost_fields import (
    parse_cost_fields,
    print_cost_fields,
    verify_cost_fields,
)
from isamapper_dialect.hardware_ops import (
    HardwareChild,
    HardwareOp,
    MemoryOp,
    UnitOp,
    resolve_in_hardware,
)
from isamapper_dialect.int_fields import (
    parse_int_fields,
    print_int_fields,
    require,
)
from isamapper_dialect.kernel_op import verify_static_memref


def element_bytes(memref: MemRefType) -> int:
    """Bytes of one element of `memref` (rounded up to whole bytes)."""
    return (memref.element_type.bitwidth + 7) // 8


def memref_bytes(memref: MemRefType) -> int:
    """Bytes of a statically shaped memref."""
    return prod(memref.get_shape()) * element_bytes(memref)


@irdl_op_definition
class InstructionOp(IRDLOperation):
    """An instruction: operand tiles, where each lives, its timing and semantics.

    The body is exactly one `isa.compute` over the operand tiles; it is the
    instruction's only semantics, used by mapping, the model and the cost model.
    `latency` is cycles from issue to result, `interval` cycles between issues
    on one unit. An optional `energy` is pJ per execution (its operands' reads
    and writes in their memories included).

    Example:
        isa.instruction @mm32 on @mxu latency 64 interval 32
            (%X : memref<32x32xf32> in @sram, %W : memref<32x32xf32> in @sram,
             %O : memref<32x32xf32> in @acc) {
          isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 32, k < 32
        }
    """

    name = "isa.instruction"

    sym_name = prop_def(StringAttr)
    unit = prop_def(SymbolRefAttr)
    latency = prop_def(IntegerAttr)
    interval = prop_def(IntegerAttr)
    memories = prop_def(ArrayAttr[SymbolRefAttr])
    energy = opt_prop_def(FloatAttr)
    """pJ per execution, if given."""
    body = region_def("single_block")

    traits = traits_def(
        SymbolOpInterface(),
        HasParent(HardwareOp),
        HardwareChild(),
        NoTerminator(),
        IsolatedFromAbove(),
    )

    FIELDS: ClassVar[tuple[str, ...]] = ("latency", "interval")
    COSTS: ClassVar[tuple[str, ...]] = ("energy",)

    @property
    def statement(self) -> ComputeOp:
        """The instruction's semantics (verified to be the body's only op)."""
        op = self.body.block.first_op
        assert isinstance(op, ComputeOp)
        return op

    def unit_op(self) -> UnitOp:
        """The compute unit that runs this instruction."""
        return resolve_in_hardware(self, self.unit, UnitOp, "Unit")

    def operand_memories(self) -> list[MemoryOp]:
        """The memory each operand tile must live in, in operand order."""
        return [
            resolve_in_hardware(self, m, MemoryOp, "Operand memory") for m in self.memories.data
        ]

    def verify_(self) -> None:
        label = f"Instruction @{self.sym_name.data}"
        of_label = f"of instruction @{self.sym_name.data}"
        self.unit_op()
        arguments = self.body.block.args
        require(
            len(self.memories.data) == len(arguments),
            f"{label} has {len(arguments)} operands but places "
            f"{len(self.memories.data)} in memories.",
        )
        require(
            self.latency.value.data >= 1 and self.interval.value.data >= 1,
            f"{label} has latency {self.latency.value.data} and interval "
            f"{self.interval.value.data}; both must be at least 1 cycle.",
        )
        verify_cost_fields(self, self.COSTS, label)
        ops = list(self.body.block.ops)
        require(
            len(ops) == 1 and isinstance(ops[0], ComputeOp),
            f"{label} must have exactly one isa.compute statement as its body, "
            f"not {', '.join(op.name for op in ops) or 'an empty body'}.",
        )
        for memory in self.operand_memories():
            require(
                not memory.is_cache,
                f"{label} reads an operand in @{memory.sym_name.data}, a cache; instruction "
                "operands live in memories the program manages (registers, scratchpads).",
            )
        statement = ops[0]
        assert isinstance(statement, ComputeOp)
        used = list(statement.all_operands)
        for position, argument in enumerate(arguments):
            name = operand_label(argument, position)
            verify_static_memref(argument, f"Operand {name} {of_label}")
            require(
                used.count(argument) == 1,
                f"Operand {name} {of_label} must appear exactly once in its "
                f"statement, not {used.count(argument)} times.",
            )
        for position, (argument, memory) in enumerate(
            zip(arguments, self.operand_memories(), strict=True)
        ):
            assert isinstance(argument.type, MemRefType)
            size = memref_bytes(argument.type)
            capacity = memory.capacity.value.data
            if size > capacity:
                raise VerifyException(
                    f"Operand {operand_label(argument, position)} {of_label} is a "
                    f"tile of {size} bytes, which cannot fit memory "
                    f"@{memory.sym_name.data} of {capacity} bytes."
                )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(f" on {self.unit}")
        print_int_fields(printer, self, self.FIELDS)
        print_cost_fields(printer, self, self.COSTS)
        printer.print_string(" (")

        def print_operand(position: int) -> None:
            printer.print_block_argument(self.body.block.args[position])
            printer.print_string(f" in {self.memories.data[position]}")

        printer.print_list(range(len(self.body.block.args)), print_operand)
        printer.print_string(")")
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> InstructionOp:
        name = parser.parse_symbol_name()
        parser.parse_keyword("on", " before the unit that runs the instruction")
        unit = SymbolRefAttr(parser.parse_symbol_name())
        fields = {**parse_int_fields(parser, cls.FIELDS), **parse_cost_fields(parser, cls.COSTS)}
        memories: list[SymbolRefAttr] = []

        def parse_operand() -> Parser.Argument:
            argument = parser.parse_argument()
            parser.parse_keyword("in", " before the memory the operand lives in")
            memories.append(SymbolRefAttr(parser.parse_symbol_name()))
            return argument

        arguments = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parse_operand)
        extra = parser.parse_optional_attr_dict_with_keyword()
        region: Region = parser.parse_region(arguments)
        return cls.create(
            properties={
                "sym_name": name,
                "unit": unit,
                "memories": ArrayAttr(memories),
                **fields,
            },
            attributes=dict(extra.data) if extra else {},
            regions=[region],
        )
