"""Building mapper specs from short strings, for tests without IR."""

from __future__ import annotations

import re

from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_passes.mapping.specs import InstructionSpec, OperandSpec, StatementSpec

_TERM = re.compile(r"([+-]?)\s*(?:(\d+)\*)?([a-z_]\w*)|([+-]?)\s*(\d+)")


def operand(
    label: str, shape: tuple[int, ...], access: str, indices: tuple[str, ...]
) -> OperandSpec:
    """`operand("%A", (8, 4), "i, 2*k + 1", ("i", "k"))`."""
    rows = []
    for text in access.split(","):
        coefficients = [0] * len(indices)
        offset = 0
        for sign, factor, name, csign, constant in _TERM.findall(text.replace(" ", "")):
            if name:
                value = int(factor or 1) * (-1 if sign == "-" else 1)
                coefficients[indices.index(name)] += value
            else:
                offset += int(constant) * (-1 if csign == "-" else 1)
        rows.append(AccessRow(tuple(coefficients), offset))
    return OperandSpec(label, shape, tuple(rows), "f32")


def statement(
    kind: ComputeKind,
    domain: dict[str, int],
    operands: list[tuple[str, tuple[int, ...], str]],
    element_type: str = "f32",
) -> StatementSpec:
    """A statement from `(label, shape, access)` triples, output first."""
    indices = tuple(domain)
    specs = tuple(operand(label, shape, access, indices) for label, shape, access in operands)
    if element_type != "f32":
        bits = int("".join(c for c in element_type if c.isdigit()))
        specs = tuple(
            OperandSpec(s.label, s.shape, s.access, element_type, element_bits=bits) for s in specs
        )
    return StatementSpec(kind, indices, tuple(domain.values()), specs)


def matrix_instruction(m: int, n: int, k: int, reach: int = 4, name: str = "mm") -> InstructionSpec:
    """`O[i, j] += X[i, k] * W[k, j]`, signature (X, W, O), tiles reachable with
    engines of `reach` strided dimensions."""
    semantics = statement(
        ComputeKind.MAC,
        {"i": m, "j": n, "k": k},
        [("O", (m, n), "i, j"), ("X", (m, k), "i, k"), ("W", (k, n), "k, j")],
    )
    return InstructionSpec("hw", name, semantics, (1, 2, 0), (reach,) * 3, ("acc", "sram", "sram"))


def vector_instruction(
    kind: ComputeKind, width: int, reach: int = 4, name: str = "v"
) -> InstructionSpec:
    """`O[i] += X[i] * W[i]` (mac) or `O[i] = f(X[i], ...)`, signature inputs then output."""
    names = ["O", "X", "W"][: kind.arity + 1]
    semantics = statement(kind, {"i": width}, [(n, (width,), "i") for n in names])
    signature = tuple(range(1, kind.arity + 1)) + (0,)
    return InstructionSpec(
        "hw", name, semantics, signature, (reach,) * len(names), ("sram",) * len(names)
    )
