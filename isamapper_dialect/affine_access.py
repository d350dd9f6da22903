"""Affine accesses in tensor-index notation, as plain Python values.

An access such as ``%I[n, 2*h + r, 2*w + s, c]`` maps the statement's index
domain to tensor coordinates. In the IR it is an ``AffineMap`` over the
domain's indices (one dimension per index, in domain order); this module turns
such maps into integer coefficient rows and back, prints and parses the
readable ``2*h + r`` form, and computes the range an access covers over a box
domain. It has no dependency on operations so the mapping model can use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineConstantExpr,
    AffineDimExpr,
    AffineExpr,
    AffineMap,
)


@dataclass(frozen=True)
class AccessRow:
    """One coordinate of an access: ``sum(coefficients[d] * index[d]) + offset``."""

    coefficients: tuple[int, ...]
    offset: int

    def used(self) -> tuple[int, ...]:
        """Positions of the domain indices this coordinate depends on."""
        return tuple(d for d, c in enumerate(self.coefficients) if c != 0)

    def value_range(self, extents: Sequence[int]) -> tuple[int, int]:
        """Smallest and largest value over the box ``0 <= index[d] < extents[d]``."""
        low = high = self.offset
        for coefficient, extent in zip(self.coefficients, extents, strict=True):
            span = coefficient * (extent - 1)
            low += min(0, span)
            high += max(0, span)
        return low, high

    def format(self, names: Sequence[str]) -> str:
        """Readable form such as ``2*h + r - 1``."""
        text = ""
        for coefficient, name in zip(self.coefficients, names, strict=True):
            if coefficient == 0:
                continue
            magnitude = abs(coefficient)
            term = name if magnitude == 1 else f"{magnitude}*{name}"
            if not text:
                text = term if coefficient > 0 else f"-{term}"
            else:
                text += f" + {term}" if coefficient > 0 else f" - {term}"
        if not text:
            return str(self.offset)
        if self.offset > 0:
            text += f" + {self.offset}"
        elif self.offset < 0:
            text += f" - {-self.offset}"
        return text


Access = tuple[AccessRow, ...]


class NotAffineError(ValueError):
    """Raised when an affine expression is not a sum of integer multiples of indices."""


def _flatten(expr: AffineExpr, num_dims: int) -> AccessRow:
    if isinstance(expr, AffineDimExpr):
        if expr.position >= num_dims:
            raise NotAffineError(
                f"dimension d{expr.position} is outside the {num_dims}-index domain"
            )
        coefficients = [0] * num_dims
        coefficients[expr.position] = 1
        return AccessRow(tuple(coefficients), 0)
    if isinstance(expr, AffineConstantExpr):
        return AccessRow((0,) * num_dims, expr.value)
    if isinstance(expr, AffineBinaryOpExpr):
        lhs = _flatten(expr.lhs, num_dims)
        rhs = _flatten(expr.rhs, num_dims)
        if expr.kind == AffineBinaryOpKind.Add:
            return AccessRow(
                tuple(a + b for a, b in zip(lhs.coefficients, rhs.coefficients, strict=True)),
                lhs.offset + rhs.offset,
            )
        if expr.kind == AffineBinaryOpKind.Mul:
            if not any(rhs.coefficients):
                lhs, rhs = rhs, lhs
            if any(lhs.coefficients):
                raise NotAffineError(f"`{expr}` multiplies two indices")
            factor = lhs.offset
            return AccessRow(tuple(factor * c for c in rhs.coefficients), factor * rhs.offset)
        raise NotAffineError(
            f"`{expr}` uses {expr.kind.get_token().strip()}, which is not allowed "
            "in an access (only integer multiples of indices and constants)"
        )
    raise NotAffineError(f"`{expr}` uses a symbol, which is not allowed in an access")


def access_from_map(affine_map: AffineMap) -> Access:
    """Coefficient rows of ``affine_map``; raises NotAffineError if it is not affine."""
    if affine_map.num_symbols:
        raise NotAffineError("an access map must not have symbols")
    return tuple(_flatten(e, affine_map.num_dims) for e in affine_map.results)


def map_from_access(access: Access, num_dims: int) -> AffineMap:
    """The AffineMap whose results are the rows of ``access``."""
    results: list[AffineExpr] = []
    for row in access:
        expr: AffineExpr = AffineConstantExpr(row.offset)
        terms = [AffineExpr.dimension(d) * c for d, c in enumerate(row.coefficients) if c]
        if terms:
            expr = terms[0]
            for term in terms[1:]:
                expr = expr + term
            if row.offset:
                expr = expr + row.offset
        results.append(expr)
    return AffineMap(num_dims, 0, tuple(results))


def format_access(access: Access, names: Sequence[str]) -> str:
    """``[2*h + r, c]`` for the given index names."""
    return "[" + ", ".join(row.format(names) for row in access) + "]"


# Above this many domain points, a one-to-one check by enumeration is refused.
MAX_ENUMERATED_POINTS = 1 << 22


def _is_mixed_radix(access: Access, extents: Sequence[int]) -> bool:
    """True when each index appears in one coordinate only and, within a
    coordinate, each coefficient exceeds the span of the smaller ones (as in
    `i + 64*j` with i < 64): a sufficient condition for a one-to-one map."""
    seen: set[int] = set()
    for row in access:
        used = row.used()
        if seen.intersection(used):
            return False
        seen.update(used)
        span = 0
        for d in sorted(used, key=lambda d: abs(row.coefficients[d])):
            if abs(row.coefficients[d]) <= span:
                return False
            span += abs(row.coefficients[d]) * (extents[d] - 1)
    return True


def one_to_one(access: Access, extents: Sequence[int]) -> bool | None:
    """Whether `access` maps distinct points of the box `extents` to distinct
    coordinates: True, False, or None when that cannot be decided cheaply (the
    map is rank-deficient, not mixed-radix, and the box has more than
    MAX_ENUMERATED_POINTS points)."""
    used = {d for row in access for d in row.used()}
    if any(extent > 1 and d not in used for d, extent in enumerate(extents)):
        return False
    live = [d for d, extent in enumerate(extents) if extent > 1]
    matrix = np.array([[row.coefficients[d] for d in live] for row in access], dtype=np.int64)
    if not live or np.linalg.matrix_rank(matrix) == len(live):
        return True
    if _is_mixed_radix(access, extents):
        return True
    if prod(extents) > MAX_ENUMERATED_POINTS:
        return None
    points = np.indices([extents[d] for d in live]).reshape(len(live), -1)
    addresses = matrix @ points
    return np.unique(addresses, axis=1).shape[1] == points.shape[1]
