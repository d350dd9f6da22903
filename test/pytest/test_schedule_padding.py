"""Where ragged tiles may address a tensor in place, and the padded allocations
that let them (IR-free; scheduling/padding.py)."""

from dataclasses import replace

from isamapper_passes.scheduling.padding import (
    Overrun,
    highest_address,
    overrun,
    padded_shape,
    safe_in_place,
)

from mapping_helpers import operand

INDICES = ("b", "u")
EXTENTS = (3, 70)
U = 1  # the ragged index: 70 elements in 16-lane tiles reach 80


def test_an_output_overrun_lands_on_the_next_row_without_padding() -> None:
    t = operand("%t", (3, 70), "b, u", INDICES)
    assert overrun(t, EXTENTS, U, 80) == Overrun(dim=1, first_extra=70, last=79)
    assert not safe_in_place(t, EXTENTS, U, 80, output=True)
    assert padded_shape(t, EXTENTS, U, 80, output=True) == (3, 80)


def test_a_padded_output_writes_its_extra_lanes_on_padding() -> None:
    t = replace(operand("%t", (3, 80), "b, u", INDICES), real_shape=(3, 70))
    assert safe_in_place(t, EXTENTS, U, 80, output=True)
    assert padded_shape(t, EXTENTS, U, 80, output=True) == (3, 80)


def test_an_output_slice_that_does_not_reach_the_end_cannot_be_padded() -> None:
    # %g[b, u + 45] for u < 45 in a 180-wide tensor: the extra lanes would land
    # on the next slice's elements, which no padding moves away.
    g = operand("%g", (3, 180), "b, u + 45", INDICES)
    extents = (3, 45)
    assert not safe_in_place(g, extents, U, 48, output=True)
    assert padded_shape(g, extents, U, 48, output=True) is None


def test_an_input_may_read_past_its_rows_inside_the_allocation() -> None:
    # Reading the next slice is harmless for an input (its extra lanes only feed
    # the output's); only the end of the allocation matters.
    g = operand("%g", (3, 180), "b, u + 45", INDICES)
    assert safe_in_place(g, (3, 45), U, 48, output=False)
    x = operand("%x", (3, 70), "b, u", INDICES)
    assert highest_address(x, EXTENTS, U, 80) == 2 * 70 + 79
    assert not safe_in_place(x, EXTENTS, U, 80, output=False)
    # A spare row keeps the tensor a prefix of its allocation (copied in whole).
    assert padded_shape(x, EXTENTS, U, 80, output=False) == (4, 70)
    assert safe_in_place(replace(x, shape=(4, 70), real_shape=(3, 70)), EXTENTS, U, 80, False)


def test_negative_coefficients_do_not_qualify() -> None:
    r = operand("%r", (3, 70), "b, 69 - u", INDICES)
    assert highest_address(r, EXTENTS, U, 80) is None
    assert padded_shape(r, EXTENTS, U, 80, output=False) is None
    assert overrun(r, EXTENTS, U, 80) is None
