"""`isa.compute`: one statement in tensor-index notation.

Custom form (the user-facing contract)::

    isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 128, k < 256
    isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for ...
    isa.compute %H[b, u] = sigmoid(%Z[b, u]) for b < 4, u < 512
    isa.compute %Y[b, u] = %X[b, u] + %Z[b, u] for b < 4, u < 512
    isa.compute %Y[b, u] = %X[b, u] for b < 4, u < 512

In the IR the accesses are affine maps over the domain (one dimension per
index, in `for` order), the output first, then the inputs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from math import prod

from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseArrayBase,
    MemRefType,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.affine_access import (
    Access,
    NotAffineError,
    access_from_map,
    format_access,
    map_from_access,
    one_to_one,
)
from isamapper_dialect.compute_kind import (
    ComputeKind,
    ComputeKindAttr,
)
from isamapper_dialect.compute_syntax import (
    parse_access,
    parse_assignment_rhs,
    parse_domain,
)

MAPPINGS = "mappings"
"""The attribute that holds a statement's mapping candidates (`#isa.mapping`)."""

_INDEX_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def operand_label(value: SSAValue, position: int) -> str:
    """How a message names an operand: its SSA name when it has one."""
    if value.name_hint is not None:
        return f"%{value.name_hint}"
    return f"operand #{position}"


@irdl_op_definition
class ComputeOp(IRDLOperation):
    """One statement in tensor-index notation over an explicit index domain.

    Example:
        isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 128, k < 256
    """

    name = "isa.compute"

    output = operand_def(MemRefType)
    inputs = var_operand_def(MemRefType)

    kind = prop_def(ComputeKindAttr)
    indices = prop_def(ArrayAttr[StringAttr])
    bounds = prop_def(DenseArrayBase)
    accesses = prop_def(ArrayAttr[AffineMapAttr])

    def __init__(
        self,
        kind: ComputeKind,
        output: SSAValue,
        inputs: Sequence[SSAValue],
        index_names: Sequence[str],
        extents: Sequence[int],
        accesses: Sequence[Access],
        attributes: dict[str, Attribute] | None = None,
    ):
        num_dims = len(index_names)
        super().__init__(
            operands=[output, inputs],
            properties={
                "kind": ComputeKindAttr(kind),
                "indices": ArrayAttr(StringAttr(n) for n in index_names),
                "bounds": DenseArrayBase.from_list(i64, extents),
                "accesses": ArrayAttr(
                    AffineMapAttr(map_from_access(a, num_dims)) for a in accesses
                ),
            },
            attributes=attributes,
        )

    # ---- semantic accessors -------------------------------------------------

    @property
    def compute_kind(self) -> ComputeKind:
        """The statement's operation."""
        return self.kind.data

    @property
    def index_names(self) -> tuple[str, ...]:
        """Names of the domain's indices, in `for` order."""
        return tuple(a.data for a in self.indices.data)

    @property
    def extents(self) -> tuple[int, ...]:
        """Extent of each domain index (index `d` ranges over `0 <= d < extent`)."""
        return tuple(int(v) for v in self.bounds.get_values())

    @property
    def all_operands(self) -> tuple[SSAValue, ...]:
        """The output followed by the inputs, in the order of `accesses`."""
        return (self.output, *self.inputs)

    def access(self, position: int) -> Access:
        """Coefficient rows of the access of operand `position` (0 is the output)."""
        return access_from_map(self.accesses.data[position].data)

    # ---- verification -------------------------------------------------------

    def verify_(self) -> None:
        parent = self.parent_op()
        if parent is not None and parent.name not in ("isa.kernel", "isa.instruction"):
            raise VerifyException(
                "An isa.compute statement must be directly inside an isa.kernel "
                f"or an isa.instruction, not inside {parent.name}."
            )
        names = self.index_names
        extents = self.extents
        if not names:
            raise VerifyException("A statement needs at least one index in its domain.")
        for name in names:
            if not _INDEX_NAME.fullmatch(name):
                raise VerifyException(f"Index name `{name}` is not an identifier.")
        for name in names:
            if names.count(name) > 1:
                raise VerifyException(f"Index `{name}` is declared twice in the domain.")
        if len(extents) != len(names):
            raise VerifyException(f"The domain has {len(names)} indices but {len(extents)} bounds.")
        for name, extent in zip(names, extents, strict=True):
            if extent <= 0:
                raise VerifyException(
                    f"Index `{name}` has bound {extent}; a bound must be positive."
                )
        kind = self.compute_kind
        if len(self.inputs) != kind.arity:
            raise VerifyException(
                f"A `{kind.value}` statement takes {kind.arity} "
                f"input{'s' if kind.arity != 1 else ''}, not {len(self.inputs)}."
            )
        operands = self.all_operands
        if len(self.accesses.data) != len(operands):
            raise VerifyException(
                f"The statement has {len(operands)} operands but "
                f"{len(self.accesses.data)} accesses."
            )
        element_type = None
        for position, value in enumerate(operands):
            self._verify_operand(position, value, names, extents)
            assert isinstance(value.type, MemRefType)
            if element_type is None:
                element_type = value.type.element_type
            elif value.type.element_type != element_type:
                raise VerifyException(
                    f"Element types disagree: {operand_label(operands[0], 0)} has "
                    f"{element_type} but {operand_label(value, position)} has "
                    f"{value.type.element_type}."
                )
        for position, value in enumerate(self.inputs, start=1):
            if value == self.output:
                raise VerifyException(
                    f"The output {operand_label(value, 0)} is also read as input "
                    f"#{position}; write the result to another buffer."
                )
        if not kind.accumulates:
            self._verify_assignment_is_injective(names, extents)

    def _verify_operand(
        self,
        position: int,
        value: SSAValue,
        names: tuple[str, ...],
        extents: tuple[int, ...],
    ) -> None:
        label = operand_label(value, position)
        memref = value.type
        assert isinstance(memref, MemRefType)
        shape = memref.get_shape()
        if any(d < 0 for d in shape):
            raise VerifyException(f"{label} must have a static shape, not {memref}.")
        affine_map = self.accesses.data[position].data
        if affine_map.num_dims != len(names):
            raise VerifyException(
                f"The access of {label} has {affine_map.num_dims} dimensions but the "
                f"domain has {len(names)} indices."
            )
        try:
            access = access_from_map(affine_map)
        except NotAffineError as error:
            raise VerifyException(f"The access of {label} is not affine: {error}.") from None
        if len(access) != len(shape):
            raise VerifyException(
                f"The access {label}{format_access(access, names)} has rank "
                f"{len(access)} but {label} has rank {len(shape)} ({memref})."
            )
        for dim, (row, size) in enumerate(zip(access, shape, strict=True)):
            low, high = row.value_range(extents)
            if low < 0 or high >= size:
                raise VerifyException(
                    f"The access {label}{format_access(access, names)} is out of "
                    f"bounds: dimension {dim} (`{row.format(names)}`) ranges over "
                    f"[{low}, {high}] but its extent is {size}."
                )

    def _verify_assignment_is_injective(
        self, names: tuple[str, ...], extents: tuple[int, ...]
    ) -> None:
        access = self.access(0)
        label = operand_label(self.output, 0)
        used = {d for row in access for d in row.used()}
        for d, name in enumerate(names):
            if d not in used:
                raise VerifyException(
                    f"Index `{name}` does not appear in the output {label} of an "
                    "assignment, so several iterations would write the same element; "
                    "use `+=` to accumulate or drop the index."
                )
        injective = one_to_one(access, extents)
        if injective is None:
            raise VerifyException(
                f"Cannot prove that the output {label}{format_access(access, names)} "
                "writes each element once: its map is not one-to-one on all integers, "
                "its indices do not form a mixed-radix layout, and the domain's "
                f"{prod(extents)} points are too many to check one by one."
            )
        if not injective:
            raise VerifyException(
                f"The output {label}{format_access(access, names)} writes some "
                "element more than once over the domain; an assignment must write "
                "each element once."
            )

    # ---- custom syntax ------------------------------------------------------

    def print(self, printer: Printer) -> None:
        names = self.index_names
        kind = self.compute_kind

        def operand(position: int) -> None:
            printer.print_string(" ")
            printer.print_operand(self.all_operands[position])
            printer.print_string(format_access(self.access(position), names))

        operand(0)
        if kind.accumulates:
            printer.print_string(" +=")
            operand(1)
            if kind.binary_symbol is not None:
                printer.print_string(f" {kind.binary_symbol}")
                operand(2)
        elif kind.is_function:
            printer.print_string(f" = {kind.value}(")
            printer.print_operand(self.inputs[0])
            printer.print_string(format_access(self.access(1), names) + ")")
        else:
            printer.print_string(" =")
            operand(1)
            if kind.binary_symbol is not None:
                printer.print_string(f" {kind.binary_symbol}")
                operand(2)
        printer.print_string(
            " for " + ", ".join(f"{n} < {e}" for n, e in zip(names, self.extents, strict=True))
        )
        mappings = self.attributes.get(MAPPINGS)
        if isinstance(mappings, ArrayAttr) and mappings.data:
            # One candidate per line: they are long and read side by side.
            printer.print_string(" mappings [")
            with printer.indented(2):
                for position, mapping in enumerate(mappings.data):
                    printer._print_new_line()  # pyright: ignore[reportPrivateUsage]
                    printer.print_attribute(mapping)
                    if position + 1 < len(mappings.data):
                        printer.print_string(",")
            with printer.indented():
                printer._print_new_line()  # pyright: ignore[reportPrivateUsage]
            printer.print_string("]")
            printer.print_op_attributes(self.attributes, reserved_attr_names=[MAPPINGS])
        else:
            printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> ComputeOp:
        output = parse_access(parser)
        if parser.parse_optional_punctuation("+") is not None:
            parser.parse_punctuation("=", " after '+' (an accumulation is written `+=`)")
            first = parse_access(parser)
            if parser.parse_optional_punctuation("*") is not None:
                kind = ComputeKind.MAC
                inputs = [first, parse_access(parser)]
            else:
                # `%O[...] += %X[...]`: a sum over the indices the output lacks.
                for symbol in ("+", "-"):
                    if parser.parse_optional_punctuation(symbol) is not None:
                        parser.raise_error(
                            f"`{symbol}` after `+=`: an accumulation is "
                            "`%O[...] += %A[...] * %B[...]` or `%O[...] += %X[...]`"
                        )
                kind, inputs = ComputeKind.SUM, [first]
        else:
            parser.parse_punctuation("=", " or '+=' after the output access")
            kind, inputs = parse_assignment_rhs(parser)
        names, extents = parse_domain(parser)
        accesses = [a.resolve(parser, names) for a in (output, *inputs)]
        mappings = None
        if parser.parse_optional_keyword(MAPPINGS) is not None:
            mappings = ArrayAttr(
                parser.parse_comma_separated_list(
                    parser.Delimiter.SQUARE, parser.parse_attribute, " of mapping candidates"
                )
            )
        attributes = parser.parse_optional_attr_dict()
        if mappings is not None:
            attributes[MAPPINGS] = mappings
        return cls(
            kind,
            output.value,
            [a.value for a in inputs],
            names,
            extents,
            accesses,
            attributes,
        )
