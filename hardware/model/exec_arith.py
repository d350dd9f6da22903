"""The integer arithmetic of execution-only nests (`exec_batch`): once per
run on plain integers, or over a nest's whole iteration space on int64
arrays, equal elementwise to xDSL's wrapping arithmetic (and the model's
unsigned division and remainder); `NotBatchable` where int64 could
overflow or a divisor is zero, so the nest runs op by op instead."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects import arith

_SAFE = 1 << 62
"""Magnitude below which int64 arithmetic equals xDSL's wrapping arithmetic."""

ARITH = (arith.AddiOp, arith.SubiOp, arith.MuliOp, arith.DivUIOp, arith.RemUIOp)


class NotBatchable(Exception):
    """This run of the nest cannot be batched (it runs op by op instead)."""


Value = int | np.ndarray


@dataclass
class IndexArith:
    """`r = a op b` over local slots (`vector`: a or b varies within the nest)."""

    kind: type
    a: int
    b: int
    r: int
    width: int
    vector: bool


def scalar(node: IndexArith, a: int, b: int) -> int:
    """The op on two integers, as xDSL's arith interpreter (and the model's
    unsigned division and remainder) computes it."""
    kind = node.kind
    if (kind is arith.DivUIOp or kind is arith.RemUIOp) and b == 0:
        raise NotBatchable  # op by op raises where the interpreter does
    if kind is arith.DivUIOp:
        return a // b
    if kind is arith.RemUIOp:
        return a % b
    result = a + b if kind is arith.AddiOp else a - b if kind is arith.SubiOp else a * b
    half = 1 << (node.width - 1)
    return (result + half) % (1 << node.width) - half


def vector(node: IndexArith, a: Value, b: Value, big_a: int, big_b: int) -> tuple[np.ndarray, int]:
    """The op over arrays, equal to `scalar` elementwise, and a bound on the
    result's magnitude from the operands' (`big_a`, `big_b`); NotBatchable
    where int64 could overflow or a divisor is zero."""
    kind = node.kind
    if kind is arith.DivUIOp or kind is arith.RemUIOp:
        if np.any(np.asarray(b) == 0):
            raise NotBatchable
        if kind is arith.DivUIOp:
            return np.floor_divide(a, b), big_a
        return np.remainder(a, b), big_b
    if kind is arith.MuliOp:
        bound = big_a * big_b
        result = np.multiply(a, b) if bound < _SAFE else None
    else:
        bound = big_a + big_b
        add = kind is arith.AddiOp
        result = (np.add(a, b) if add else np.subtract(a, b)) if bound < _SAFE else None
    if result is None:
        raise NotBatchable
    if node.width < 64:
        half = 1 << (node.width - 1)
        return (result + half) % (1 << node.width) - half, half
    return result, bound
