"""What a linalg body computes, as an isa `ComputeKind`.

A linalg structured op's body (its region, hidden in the pretty form of named ops)
takes one scalar per input, then one for the output, and yields the new output
element. `classify_body` reads the yielded value as an expression whose leaves are
the block arguments and constants (defined in the body or above it), and matches it
against the kinds an `isa.compute` statement has:

    out + a * b, a * b + out    mac   (arith.addf/mulf or addi/muli)
    a                           copy
    a + b, a - b, a * b         add, sub, mul  (inputs in the order the body uses them)
    tanh(a), exp(a), -a         tanh, exp, neg  (math.tanh, math.exp, arith.negf)
    max(a, 0), max(0, a)        relu  (arith.maximumf or arith.maxnumf)
    1 / (1 + exp(-a))           sigmoid  (the addition in either order)

Anything else (another operation, a body that reads the output without being a
multiply-accumulate, an input the body does not use) raises `UnsupportedBody`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import FloatAttr, IntegerAttr, UnregisteredOp
from xdsl.ir import Block, BlockArgument, Operation, SSAValue

from isamapper_dialect.compute_kind import ComputeKind


class UnsupportedBody(ValueError):
    """The body computes something no isa statement kind expresses."""


def op_name(op: Operation) -> str:
    """The operation's name, also for an op parsed as unregistered."""
    if isinstance(op, UnregisteredOp):
        return op.op_name.data
    return op.name


_OPERATORS = {
    "arith.addf": "add",
    "arith.addi": "add",
    "arith.subf": "sub",
    "arith.subi": "sub",
    "arith.mulf": "mul",
    "arith.muli": "mul",
    "arith.divf": "div",
    "arith.negf": "neg",
    "arith.maximumf": "max",
    "arith.maxnumf": "max",
    "math.exp": "exp",
    "math.tanh": "tanh",
}
"""The body operations the matcher reads, by the operator they compute."""


@dataclass(frozen=True)
class Input:
    """The element of input `position`."""

    position: int


@dataclass(frozen=True)
class Output:
    """The output's element (what the output holds before the op)."""


@dataclass(frozen=True)
class Constant:
    """A scalar constant."""

    value: float


@dataclass(frozen=True)
class Apply:
    """`operator` applied to `arguments`; `name` is the body operation's name."""

    operator: str
    name: str
    arguments: tuple[Expression, ...]


Expression = Input | Output | Constant | Apply


def format_expression(expression: Expression) -> str:
    """Readable form, e.g. `arith.divf(in0, in1)`."""
    match expression:
        case Input(position):
            return f"in{position}"
        case Output():
            return "out"
        case Constant(value):
            return f"{value:g}"
        case Apply(_, name, arguments):
            return f"{name}({', '.join(format_expression(a) for a in arguments)})"


def constant_value(value: SSAValue) -> float | None:
    """The value of a scalar `arith.constant`, or None."""
    owner = value.owner
    if not isinstance(owner, Operation) or op_name(owner) != "arith.constant":
        return None
    attribute = owner.properties.get("value", owner.attributes.get("value"))
    if isinstance(attribute, FloatAttr):
        return float(attribute.value.data)
    if isinstance(attribute, IntegerAttr):
        return float(attribute.value.data)
    return None


def _expression(value: SSAValue, block: Block, num_inputs: int) -> Expression:
    if isinstance(value, BlockArgument) and value.block is block:
        if value.index < num_inputs:
            return Input(value.index)
        return Output()
    constant = constant_value(value)
    if constant is not None:
        return Constant(constant)
    owner = value.owner
    if not isinstance(owner, Operation) or owner.parent_block() is not block:
        raise UnsupportedBody(
            "the body uses a value defined outside it that is not a scalar arith.constant"
        )
    name = op_name(owner)
    operator = _OPERATORS.get(name)
    if operator is None:
        raise UnsupportedBody(
            f"the body uses `{name}`, which the import does not read (it reads "
            f"{', '.join(f'`{n}`' for n in _OPERATORS)} and constants)"
        )
    return Apply(operator, name, tuple(_expression(a, block, num_inputs) for a in owner.operands))


@dataclass(frozen=True)
class BodyKind:
    """A body's isa kind and the linalg inputs the statement reads, in its order."""

    kind: ComputeKind
    inputs: tuple[int, ...]


_SUMMARY = (
    "out + a*b, a, a + b, a - b, a * b, tanh(a), exp(a), -a, max(a, 0) (relu), "
    "1/(1 + exp(-a)) (sigmoid)"
)

_BINARY = {"add": ComputeKind.ADD, "sub": ComputeKind.SUB, "mul": ComputeKind.MUL}
_UNARY = {"exp": ComputeKind.EXP, "tanh": ComputeKind.TANH, "neg": ComputeKind.NEG}


def _is_constant(expression: Expression, value: float) -> bool:
    return isinstance(expression, Constant) and expression.value == value


def _either(arguments: Sequence[Expression]) -> list[tuple[Expression, Expression]]:
    """Both orders of a two-argument list."""
    first, second = arguments
    return [(first, second), (second, first)]


def _sigmoid_argument(expression: Expression) -> Expression | None:
    """`x` when `expression` is `1 / (1 + exp(-x))`, the addition in either order."""
    match expression:
        case Apply("div", _, (one, Apply("add", _, terms))) if _is_constant(one, 1.0):
            for other_one, power in _either(terms):
                match power:
                    case Apply("exp", _, (Apply("neg", _, (argument,)),)) if _is_constant(
                        other_one, 1.0
                    ):
                        return argument
        case _:
            pass
    return None


def _match(expression: Expression) -> BodyKind | None:
    match expression:
        case Input(position):
            return BodyKind(ComputeKind.COPY, (position,))
        case Apply("add", _, arguments) if Output() in arguments:
            for accumulator, product in _either(arguments):
                match (accumulator, product):
                    case (Output(), Apply("mul", _, (Input(a), Input(b)))):
                        return BodyKind(ComputeKind.MAC, (a, b))
                    case _:
                        pass
        case Apply(operator, _, (Input(a), Input(b))) if operator in _BINARY:
            return BodyKind(_BINARY[operator], (a, b))
        case Apply(operator, _, (Input(a),)) if operator in _UNARY:
            return BodyKind(_UNARY[operator], (a,))
        case Apply("max", _, arguments):
            for value, bound in _either(arguments):
                if isinstance(value, Input) and _is_constant(bound, 0.0):
                    return BodyKind(ComputeKind.RELU, (value.position,))
        case _:
            argument = _sigmoid_argument(expression)
            if isinstance(argument, Input):
                return BodyKind(ComputeKind.SIGMOID, (argument.position,))
    return None


def _reads_output(expression: Expression) -> bool:
    match expression:
        case Output():
            return True
        case Apply(_, _, arguments):
            return any(_reads_output(a) for a in arguments)
        case _:
            return False


def classify_body(block: Block, num_inputs: int) -> BodyKind:
    """The isa kind of a linalg body with `num_inputs` inputs and one output."""
    if len(block.args) != num_inputs + 1:
        raise UnsupportedBody(
            f"the body takes {len(block.args)} arguments, not one per input and one for the output"
        )
    terminator = block.last_op
    if terminator is None or op_name(terminator) != "linalg.yield" or len(terminator.operands) != 1:
        raise UnsupportedBody("the body does not end by yielding one value")
    expression = _expression(terminator.operands[0], block, num_inputs)
    found = _match(expression)
    if found is None:
        if _reads_output(expression):
            raise UnsupportedBody(
                f"the body computes `{format_expression(expression)}`: it reads the "
                "output but is not a multiply-accumulate `out + a*b` (an isa "
                "assignment does not read its output)"
            )
        raise UnsupportedBody(
            f"the body computes `{format_expression(expression)}`, which is none of "
            f"the isa statement kinds ({_SUMMARY})"
        )
    unused = [p for p in range(num_inputs) if p not in found.inputs]
    if unused:
        raise UnsupportedBody(
            f"the body ({format_expression(expression)}) does not use input "
            f"{', '.join(f'#{p}' for p in unused)}; an isa statement reads each of its "
            "inputs"
        )
    return found
