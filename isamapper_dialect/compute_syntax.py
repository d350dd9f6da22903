"""The custom syntax of an `isa.compute` statement: accesses such as
`%I[n, 2*h + r, c]`, the right side of an assignment and the `for` domain
(`compute_op.py` has the op, its printer and its docstring's examples)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xdsl.ir import SSAValue
from xdsl.parser import Parser
from xdsl.utils.lexer import Span

from isamapper_dialect.affine_access import Access, AccessRow
from isamapper_dialect.compute_kind import UNARY_FUNCTIONS, ComputeKind
from isamapper_dialect.int_fields import check_i64, parse_i64


@dataclass
class _ParsedTerm:
    coefficient: int
    name: str | None
    span: Span


@dataclass
class ParsedAccess:
    """An access as written, before the domain gives its names positions."""

    value: SSAValue
    rows: list[list[_ParsedTerm]] = field(default_factory=list)

    def resolve(self, parser: Parser, names: Sequence[str]) -> Access:
        """The access over the domain `names` (an undeclared index is a located error)."""
        access: list[AccessRow] = []
        for terms in self.rows:
            coefficients = [0] * len(names)
            offset = 0
            for term in terms:
                if term.name is None:
                    offset += term.coefficient
                    continue
                if term.name not in names:
                    parser.raise_error(
                        f"Index `{term.name}` is used in an access but not declared "
                        f"in the domain (`for {', '.join(names)}`).",
                        term.span,
                    )
                coefficients[names.index(term.name)] += term.coefficient
            access.append(AccessRow(tuple(coefficients), offset))
        return tuple(access)


def _parse_defined_operand(parser: Parser) -> SSAValue:
    unresolved = parser.parse_unresolved_operand("Expected an operand such as `%A`.")
    values = parser.ssa_values.get(unresolved.operand_name)
    if values is None or unresolved.index >= len(values):
        parser.raise_error(
            f"Operand %{unresolved.operand_name} is used before it is defined.",
            unresolved.span,
        )
    return values[unresolved.index]


def parse_access(parser: Parser) -> ParsedAccess:
    """`%A[i, 2*h + r]`: an operand defined before, and its index expressions."""
    access = ParsedAccess(_parse_defined_operand(parser))
    parser.parse_punctuation("[", " to start the access after the operand")
    if parser.parse_optional_punctuation("]") is None:
        while True:
            access.rows.append(_parse_index_expression(parser))
            if parser.parse_optional_punctuation("]") is not None:
                break
            parser.parse_punctuation(",", " or ']' in the access")
    return access


def _parse_index_expression(parser: Parser) -> list[_ParsedTerm]:
    terms: list[_ParsedTerm] = []
    sign = -1 if parser.parse_optional_punctuation("-") is not None else 1
    while True:
        terms.append(_parse_term(parser, sign))
        if parser.parse_optional_punctuation("+") is not None:
            sign = 1
        elif parser.parse_optional_punctuation("-") is not None:
            sign = -1
        else:
            return terms


def next_span(parser: Parser) -> Span:
    """The span of the token the parser is about to read (for error carets)."""
    return parser._current_token.span  # pyright: ignore[reportPrivateUsage]


def _parse_term(parser: Parser, sign: int) -> _ParsedTerm:
    span = next_span(parser)
    start = parser.pos
    number = parser.parse_optional_integer(allow_boolean=False, allow_negative=False)
    if number is not None:
        check_i64(parser, number, "The coefficient or offset", start)
        if parser.parse_optional_punctuation("*") is None:
            return _ParsedTerm(sign * number, None, span)
        span = next_span(parser)
        name = parser.parse_identifier(" after '*' in an index expression")
        return _ParsedTerm(sign * number, name, span)
    name = parser.parse_optional_identifier()
    if name is None:
        parser.raise_error("Expected an index expression such as `i`, `2*h + r` or `w - 1`.")
    if parser.parse_optional_punctuation("*") is not None:
        factor = parse_i64(parser, "The coefficient", allow_negative=False)
        return _ParsedTerm(sign * factor, name, span)
    return _ParsedTerm(sign, name, span)


def parse_assignment_rhs(parser: Parser) -> tuple[ComputeKind, list[ParsedAccess]]:
    """The right side of `=`: `f(%X[...])`, `%X[...] op %Y[...]` or a copy `%X[...]`."""
    function_span = next_span(parser)
    function = parser.parse_optional_identifier()
    if function is not None:
        known = {k.value: k for k in UNARY_FUNCTIONS}
        if function not in known:
            parser.raise_error(
                f"Unknown function `{function}`; expected one of {', '.join(sorted(known))}.",
                function_span,
            )
        parser.parse_punctuation("(", f" after `{function}`")
        argument = parse_access(parser)
        parser.parse_punctuation(")", f" to close `{function}(`")
        return known[function], [argument]
    first = parse_access(parser)
    for symbol, kind in (
        ("+", ComputeKind.ADD),
        ("-", ComputeKind.SUB),
        ("*", ComputeKind.MUL),
    ):
        if parser.parse_optional_punctuation(symbol) is not None:
            return kind, [first, parse_access(parser)]
    return ComputeKind.COPY, [first]


def parse_domain(parser: Parser) -> tuple[list[str], list[int]]:
    """`for i < 64, j < 128`: the index names and their bounds, in order."""
    parser.parse_keyword("for", " to start the index domain (`for i < 64, ...`)")
    names: list[str] = []
    extents: list[int] = []
    while True:
        span = next_span(parser)
        name = parser.parse_identifier(" as an index name in the domain")
        if name in names:
            parser.raise_error(f"Index `{name}` is declared twice in the domain.", span)
        parser.parse_punctuation("<", f" after index `{name}`")
        extents.append(parse_i64(parser, f"The bound of `{name}`"))
        names.append(name)
        if parser.parse_optional_punctuation(",") is None:
            return names, extents
