"""Affine accesses: coefficient rows <-> AffineMap, ranges and readable text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineExpr,
    AffineMap,
)

from isamapper_dialect.affine_access import (
    AccessRow,
    NotAffineError,
    access_from_map,
    format_access,
    map_from_access,
)

rows = st.integers(1, 4).flatmap(
    lambda n: st.lists(
        st.builds(
            AccessRow,
            st.tuples(*[st.integers(-3, 3)] * n),
            st.integers(-5, 5),
        ),
        min_size=1,
        max_size=4,
    ).map(lambda r: (n, tuple(r)))
)


@given(rows)
def test_map_round_trip(case: tuple[int, tuple[AccessRow, ...]]) -> None:
    num_dims, access = case
    assert access_from_map(map_from_access(access, num_dims)) == access


def test_format() -> None:
    access = (
        AccessRow((0, 2, 0, 1), 0),
        AccessRow((1, 0, 0, 0), -1),
        AccessRow((0, 0, -1, 0), 7),
        AccessRow((0, 0, 0, 0), 3),
    )
    assert format_access(access, ["n", "h", "w", "r"]) == "[2*h + r, n - 1, -w + 7, 3]"


def test_value_range() -> None:
    row = AccessRow((2, 1, -1), 4)
    # 2*h + r - w + 4 with h < 56, r < 3, w < 5
    assert row.value_range((56, 3, 5)) == (0, 2 * 55 + 2 + 4)


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        (
            AffineBinaryOpExpr(
                AffineBinaryOpKind.Mul, AffineExpr.dimension(0), AffineExpr.dimension(1)
            ),
            "multiplies two indices",
        ),
        (AffineExpr.dimension(0) // 2, "uses floordiv"),
        (AffineExpr.dimension(0) % 2, "uses mod"),
        (AffineExpr.symbol(0), "uses a symbol"),
    ],
)
def test_not_affine(expr: AffineExpr, reason: str) -> None:
    with pytest.raises(NotAffineError, match=reason):
        access_from_map(AffineMap(2, 0, (expr,)))


def test_symbols_rejected() -> None:
    with pytest.raises(NotAffineError, match="must not have symbols"):
        access_from_map(AffineMap(1, 1, (AffineExpr.dimension(0),)))
