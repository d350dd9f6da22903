"""How many transfers move a block on an engine of fewer dimensions (IR-free)."""

from isamapper_dialect.strided_box import merged_dims
from isamapper_passes.scheduling.transfers import split_point, transfer_count


def test_a_contiguous_block_is_one_transfer_on_any_engine() -> None:
    rows = [(4, 16, 16), (16, 1, 1)]  # four whole rows of 16
    assert split_point(rows, 1) == 0
    assert transfer_count(rows, 1) == 1


def test_rows_with_a_gap_are_one_transfer_each_on_a_1d_engine() -> None:
    block = [(6, 8, 4), (4, 1, 1)]  # 6 rows of 4 out of rows of 8
    assert split_point(block, 1) == 1
    assert transfer_count(block, 1) == 6
    assert transfer_count(block, 2) == 1


def test_outer_dimensions_multiply_and_unit_ones_are_free() -> None:
    box = [(3, 1000, 96), (1, 0, 0), (4, 100, 24), (6, 10, 4), (4, 1, 1)]
    assert merged_dims(box) == 4
    assert transfer_count(box, 3) == 3
    assert transfer_count(box, 2) == 12
    assert transfer_count(box, 1) == 72
    assert transfer_count(box, 4) == 1
