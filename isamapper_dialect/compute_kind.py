"""What an `isa.compute` statement computes: its combiner and operator."""

from __future__ import annotations

from enum import auto

from xdsl.dialects.utils import EnumAttribute
from xdsl.ir import SpacedOpaqueSyntaxAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.utils.str_enum import StrEnum


class ComputeKind(StrEnum):
    """The operation of a statement.

    `mac` is ``out += a * b`` and `sum` is ``out += a`` (a reduction: the indices
    the output does not use are summed over); every other kind is an assignment
    ``out = f(...)``: a plain copy, a binary ``+``/``-``/``*`` or one of the
    unary functions.
    """

    MAC = auto()
    SUM = auto()
    COPY = auto()
    ADD = auto()
    SUB = auto()
    MUL = auto()
    SIGMOID = auto()
    TANH = auto()
    EXP = auto()
    RELU = auto()
    NEG = auto()

    @property
    def arity(self) -> int:
        """Number of input operands the kind takes."""
        if self in (ComputeKind.MAC, ComputeKind.ADD, ComputeKind.SUB, ComputeKind.MUL):
            return 2
        return 1

    @property
    def accumulates(self) -> bool:
        """True when the statement reads its output (``+=``)."""
        return self in (ComputeKind.MAC, ComputeKind.SUM)

    @property
    def binary_symbol(self) -> str | None:
        """The infix symbol of a binary kind (``*`` for mac), else None."""
        return {
            ComputeKind.MAC: "*",
            ComputeKind.ADD: "+",
            ComputeKind.SUB: "-",
            ComputeKind.MUL: "*",
        }.get(self)

    @property
    def exact_on_integers(self) -> bool:
        """True when the kind takes small integers to integers exactly in floating
        point (sums of products, copies, ReLU, negation); sigmoid, tanh and exp do
        not, and two math libraries may round them differently."""
        return self not in (ComputeKind.SIGMOID, ComputeKind.TANH, ComputeKind.EXP)

    @property
    def is_function(self) -> bool:
        """True for the unary functions written ``f(%X[...])``."""
        return self.arity == 1 and self not in (ComputeKind.COPY, ComputeKind.SUM)


UNARY_FUNCTIONS = tuple(k for k in ComputeKind if k.is_function)


@irdl_attr_definition
class ComputeKindAttr(EnumAttribute[ComputeKind], SpacedOpaqueSyntaxAttribute):
    """The kind of an `isa.compute` statement, e.g. `#isa<kind mac>`."""

    name = "isa.kind"
