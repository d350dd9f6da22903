"""The box rules of strided_box.py, without IR: strided dimensions, and the
bytes an engine with whole-granule accesses is busy for, and the lines of a
block in the fullest set of a cache."""

from isamapper_dialect.strided_box import (
    charged_bytes,
    demand_misses,
    merged_dims,
    most_in_one_set,
    pages_spanned,
)


def test_contiguous_rows_merge_into_one_dimension() -> None:
    assert merged_dims([(4, 16, 16), (16, 1, 1)]) == 1
    assert merged_dims([(4, 700, 16), (16, 1, 1)]) == 2


def test_without_granules_a_box_costs_its_bytes() -> None:
    assert charged_bytes([(4, 700, 16), (16, 1, 1)], 4, 1) == 256.0


def test_each_contiguous_run_costs_whole_granules() -> None:
    # Four rows of 16 floats: four 64-byte vector loads.
    assert charged_bytes([(4, 700, 16), (16, 1, 1)], 4, 64) == 256.0
    # Sixteen rows of 4 floats: sixteen loads, each a whole 64-byte access.
    assert charged_bytes([(16, 512, 4), (4, 1, 1)], 4, 64) == 1024.0
    # A column of 16 floats (stride 512): sixteen accesses.
    assert charged_bytes([(16, 512, 1)], 4, 64) == 1024.0
    # A run longer than a granule: 100 floats = 400 bytes = 7 lines.
    assert charged_bytes([(2, 1000, 100), (100, 1, 1)], 4, 64) == 2 * 7 * 64.0


def test_the_side_with_more_runs_counts() -> None:
    # Contiguous in the source, a column in the target (a transposing copy).
    assert charged_bytes([(16, 1, 700)], 4, 64) == 1024.0


def test_an_empty_box_costs_nothing() -> None:
    assert charged_bytes([(0, 4, 4), (4, 1, 1)], 4, 64) == 0.0


def test_pages_spanned_counts_a_page_per_row_a_page_or_more_apart() -> None:
    # 128 rows of 16 floats, 4096 bytes apart: a page each.
    assert pages_spanned([(128, 1024), (16, 1)], 4, 4096) == 128
    # The same rows 512 bytes apart lie on the 16 pages of their span.
    assert pages_spanned([(128, 128), (16, 1)], 4, 4096) == 16
    # A contiguous 8 KiB block: two pages; one element: one.
    assert pages_spanned([(2048, 1)], 4, 4096) == 2
    assert pages_spanned([(1, 1024), (1, 1)], 4, 4096) == 1
    # The order of the dimensions does not matter; rows of 2 pages each, 3 pages apart.
    assert pages_spanned([(2048, 1), (4, 3072)], 4, 4096) == 8


def test_rows_beyond_the_prefetch_reach_each_cost_a_latency() -> None:
    # Four rows of 16 floats 4096 bytes apart, reach 2048: four demand misses.
    assert demand_misses([(4, 1024, 16), (16, 1, 1)], 4, 2048) == 4
    # The same rows 512 bytes apart stream: one latency.
    assert demand_misses([(4, 128, 16), (16, 1, 1)], 4, 2048) == 1
    # A far destination counts too (a block stored back into a wide tensor).
    assert demand_misses([(8, 16, 1024), (16, 1, 1)], 4, 2048) == 8
    # A strided column: every element is a row of its own.
    assert demand_misses([(16, 1024, 1)], 4, 2048) == 16
    # An engine without a reach streams anything.
    assert demand_misses([(4, 1024, 16), (16, 1, 1)], 4, None) == 1


def test_rows_a_set_period_apart_crowd_one_set() -> None:
    # 64 sets of 64-byte lines: rows 4096 bytes (1024 floats) apart share a set.
    geometry = (64, 12, 64)
    assert most_in_one_set([(16, 1024), (32, 1)], 4, geometry) == 16
    # The same rows packed contiguously: 32 KiB over 64 sets, 8 lines each.
    assert most_in_one_set([(256, 32), (32, 1)], 4, geometry) == 8
    # Rows 1040 floats apart walk through the sets: one line per set.
    assert most_in_one_set([(16, 1040), (16, 1)], 4, geometry) == 1


def test_a_run_straddling_lines_counts_both() -> None:
    # 16 floats from element 8: bytes 32-95, two lines.
    assert most_in_one_set([(2, 4096), (16, 1)], 4, (2, 8, 64)) == 2
    assert most_in_one_set([(1, 0), (24, 1)], 4, (2, 8, 64)) == 1


def test_a_block_larger_than_the_cache_overflows_its_sets() -> None:
    # 64 KiB of contiguous floats in a 32 KiB cache of 64 sets: 16 lines a set.
    assert most_in_one_set([(16384, 1)], 4, (64, 8, 64)) == 16
