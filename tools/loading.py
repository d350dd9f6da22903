"""Reading `.mlir` files for isamapper's tools, with located, user-facing errors."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialects import get_all_dialects
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import DiagnosticException, ParseError


class InputError(Exception):
    """Bad user input; the message is complete and located where possible."""


def make_context() -> Context:
    """A context that knows every upstream xDSL dialect and isamapper's (lazily), with
    linalg and memref as upstream mlir-opt prints them (`UPSTREAM_DIALECTS`)."""
    from isamapper_tools.universe import DIALECTS, UPSTREAM_DIALECTS

    context = Context()
    for name, factory in {**get_all_dialects(), **DIALECTS, **UPSTREAM_DIALECTS}.items():
        context.register_dialect(name, factory)
    return context


class LocatingParser(Parser):
    """A parser that remembers where each operation starts in the text."""

    def __init__(self, context: Context, text: str, name: str):
        super().__init__(context, text, name)
        self.positions: dict[Operation, int] = {}

    def parse_operation(self) -> Operation:
        start = self._current_token.span.start
        op = super().parse_operation()
        self.positions[op] = start
        return op


def located_message(text: str, name: str, position: int, message: str, line_offset: int = 0) -> str:
    """`name:line:col: error: message`, with the source line and a caret under the
    position; lines of `message` after the first follow the caret. `line_offset`
    counts the lines before `text` in the file (for split inputs)."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    source = text[line_start : line_end if line_end >= 0 else len(text)]
    line = text.count("\n", 0, position) + 1 + line_offset
    column = position - line_start + 1
    first, *rest = message.split("\n")
    return "\n".join(
        [f"{name}:{line}:{column}: error: {first}", f"  {source}", f"  {' ' * (column - 1)}^"]
        + rest
    )


def verify_located(module: ModuleOp, text: str, name: str, positions: dict[Operation, int]) -> None:
    """Verify `module`; on failure raise InputError at the failing op's source line."""
    try:
        module.verify()
        return
    except DiagnosticException:
        pass
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except DiagnosticException as error:
            message = str(error).splitlines()[0].removeprefix("Operation does not verify: ")
            if op in positions:
                raise InputError(located_message(text, name, positions[op], message)) from None
            raise InputError(f"{name}: error in {op.name}: {message}") from None
    raise InputError(f"{name}: the module does not verify")


def parse_module(path: str | Path, context: Context | None = None) -> ModuleOp:
    """Parse and verify the file at `path`; raise InputError on any problem."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot read {path}: {reason}") from None
    return parse_text(text, str(path), context)


def parse_text(text: str, name: str, context: Context | None = None) -> ModuleOp:
    """Parse and verify `text` (messages say it comes from `name`); raise InputError
    on any problem."""
    parser = LocatingParser(context or make_context(), text, name)
    try:
        module = parser.parse_module()
    except ParseError as error:
        raise InputError(f"parse error at {error}".rstrip()) from None
    except NotImplementedError as error:
        # xDSL raises this for input it cannot represent, e.g. `d0 * d1` in an affine map.
        raise InputError(f"parse error in {name}: {error}") from None
    verify_located(module, text, name, parser.positions)
    return module
