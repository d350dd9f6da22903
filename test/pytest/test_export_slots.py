"""`export_registers.within_slot`: a register station's offset without its slot's
start, so the native export addresses every slot as the first."""

from xdsl.dialects import arith, test
from xdsl.dialects.builtin import IndexType, ModuleOp
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from isamapper_passes.interop.export_registers import within_slot


def _index(value: int) -> arith.ConstantOp:
    return arith.ConstantOp.from_int_and_width(value, IndexType())


def _offset(block: Block, terms: list[tuple[SSAValue, int]], constant: int) -> SSAValue:
    """constant + sum(value * factor), built as the lowering builds offsets."""
    start = _index(constant)
    block.add_op(start)
    total = start.result
    for value, factor in terms:
        scale = _index(factor)
        product = arith.MuliOp(value, scale)
        add = arith.AddiOp(total, product.result)
        block.add_ops([scale, product, add])
        total = add.result
    return total


def _block() -> Block:
    block = Block()
    ModuleOp(Region(block))
    return block


def _within(block: Block, offset: SSAValue, size: int) -> SSAValue:
    """within_slot of `offset`, for a use of it at the end of `block`."""
    sink = test.TestOp([offset])
    block.add_op(sink)
    return within_slot(offset, size, InsertPoint.before(sink))


def _ivs(block: Block, count: int) -> list[SSAValue]:
    op = test.TestOp(result_types=[IndexType()] * count)
    block.add_op(op)
    return list(op.results)


def test_the_slot_term_is_dropped_and_the_position_kept() -> None:
    block = _block()
    loop, row = _ivs(block, 2)
    two = _index(2)
    parity = arith.RemUIOp(loop, two.result)
    block.add_ops([two, parity])
    # Slot (loop % 2) of a 48-element block, row * 6 inside it.
    inside = _within(block, _offset(block, [(parity.result, 48), (row, 6)], 0), 48)
    assert isinstance(inside.owner, arith.MuliOp)
    assert inside.owner.lhs is row
    assert isinstance(inside.owner.rhs.owner, arith.ConstantOp)
    assert inside.owner.rhs.owner.value.value.data == 6


def test_an_offset_of_a_slot_start_only_becomes_zero() -> None:
    block = _block()
    (loop,) = _ivs(block, 1)
    inside = _within(block, _offset(block, [(loop, 64)], 128), 64)
    assert isinstance(inside.owner, arith.ConstantOp)
    assert inside.owner.value.value.data == 0


def test_an_offset_without_slot_terms_is_left_alone() -> None:
    block = _block()
    (row,) = _ivs(block, 1)
    offset = _offset(block, [(row, 3)], 5)
    assert _within(block, offset, 48) is offset
