"""An `isa.instruction` as an upstream microkernel: a `func.func` that computes the
instruction's `isa.compute` on strided tile views with `scf`, `memref`, `arith`
and `math` ops.

Each operand is a `memref<SHAPExT, strided<[?, ...], offset: ?>>`, so one
function serves every execution whatever its tile strides; `accel.exec`
becomes a call with `memref.reinterpret_cast` views of its buffers.
"""

from __future__ import annotations

from xdsl.dialects import func, memref
from xdsl.dialects.builtin import MemRefType, StridedLayoutAttr
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from isamapper_dialect.instruction_op import InstructionOp
from isamapper_passes.interop.export_emitter import Emitter, element


def microkernel_name(hardware: str, instruction: str) -> str:
    """The function an instruction of a hardware becomes."""
    return f"{hardware}_{instruction}"


def tile_type(memref_type: MemRefType) -> MemRefType:
    """An operand tile's type with dynamic strides and offset."""
    rank = len(memref_type.get_shape())
    return MemRefType(
        memref_type.element_type,
        memref_type.get_shape(),
        StridedLayoutAttr([None] * rank, None),
    )


def microkernel(instruction: InstructionOp, name: str) -> func.FuncOp:
    """The private function computing `instruction`'s semantics on its operand tiles
    (signature order), one point of its statement per innermost iteration."""
    arguments = list(instruction.body.block.args)
    types = []
    for argument in arguments:
        assert isinstance(argument.type, MemRefType)
        types.append(tile_type(argument.type))
    block = Block(arg_types=types)
    for tile, argument in zip(block.args, arguments, strict=True):
        tile.name_hint = argument.name_hint
    statement = instruction.statement
    tiles = [block.args[arguments.index(v)] for v in statement.all_operands]
    accesses = [statement.access(p) for p in range(len(tiles))]
    kind = statement.compute_kind
    emitter = Emitter(InsertPoint.at_end(block))
    uppers = [emitter.index(extent) for extent in statement.extents]

    def point(inner: Emitter, variables: list[SSAValue]) -> None:
        def where(position: int) -> list[SSAValue]:
            return [
                inner.linear(list(zip(row.coefficients, variables, strict=True)), row.offset)
                for row in accesses[position]
            ]

        values = [
            inner.insert(memref.LoadOp.get(tiles[p], where(p))).res for p in range(1, len(tiles))
        ]
        target = where(0)
        current = (
            inner.insert(memref.LoadOp.get(tiles[0], target)).res if kind.accumulates else None
        )
        result = element(inner, kind, values, current)
        inner.insert(memref.StoreOp.get(result, tiles[0], target))

    emitter.loops(uppers, point)
    emitter.insert(func.ReturnOp())
    return func.FuncOp(name, (types, []), Region(block), "private")
