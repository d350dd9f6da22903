"""Reading `.mlir` files, with located, user-facing errors: the context that
knows isamapper's dialects, parsing, verification and where each op starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects import get_all_dialects
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.traits import SymbolTable
from xdsl.utils.exceptions import DiagnosticException, ParseError

from isamapper_dialect.registry import DIALECTS, UPSTREAM_DIALECTS


class InputError(Exception):
    """Bad user input; the message is complete and located where possible."""


def make_context() -> Context:
    """A context that knows every upstream xDSL dialect and isamapper's (lazily), with
    linalg and memref as upstream mlir-opt prints them (`UPSTREAM_DIALECTS`)."""
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
            duplicate = _redefinition(op)
            if duplicate is not None and duplicate[1] in positions:
                first, again = duplicate
                if first in positions:
                    line = text.count("\n", 0, positions[first]) + 1
                    message += f"; it is first defined at line {line}"
                raise InputError(located_message(text, name, positions[again], message)) from None
            if op in positions:
                raise InputError(located_message(text, name, positions[op], message)) from None
            raise InputError(f"{name}: error in {op.name}: {message}") from None
    raise InputError(f"{name}: the module does not verify")


@dataclass(frozen=True)
class Source:
    """A parsed file's text and where each of its operations starts, so errors
    about an operation can point at its line."""

    name: str
    text: str
    positions: dict[Operation, int]

    def locate(self, op: Operation, message: str) -> str:
        """`message` located at `op` when it comes from this file, else prefixed
        with the file's name."""
        if op in self.positions:
            return located_message(self.text, self.name, self.positions[op], message)
        return f"{self.name}: {message}"


def read_source(path: str | Path, context: Context | None = None) -> tuple[ModuleOp, Source]:
    """Parse and verify the file at `path`, keeping its text and operation
    positions; raise InputError on any problem."""
    if not str(path):  # Path("") would read the current directory
        raise InputError("no file given (the path is empty)")
    path = Path(path)
    try:
        text = path.read_text()
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a directory, not a .mlir file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot read {path}: {reason}") from None
    return parse_source(text, str(path), context)


def _redefinition(op: Operation) -> tuple[Operation, Operation] | None:
    """In a symbol table, the first op that reuses an earlier op's symbol name,
    with that earlier op (a symbol table's verifier reports it at the table)."""
    if not op.has_trait(SymbolTable) or len(op.regions) != 1 or len(op.regions[0].blocks) != 1:
        return None
    seen: dict[str, Operation] = {}
    for child in op.regions[0].blocks[0].ops:
        name = child.get_attr_or_prop("sym_name")
        if not isinstance(name, StringAttr):
            continue
        if name.data in seen:
            return seen[name.data], child
        seen[name.data] = child
    return None


def parse_module(path: str | Path, context: Context | None = None) -> ModuleOp:
    """Parse and verify the file at `path`; raise InputError on any problem."""
    return read_source(path, context)[0]


def parse_source(text: str, name: str, context: Context | None = None) -> tuple[ModuleOp, Source]:
    """Parse and verify `text` (messages say it comes from `name`), keeping where
    each operation starts; raise InputError on any problem."""
    parser = LocatingParser(context or make_context(), text, name)
    try:
        module = parser.parse_module()
    except ParseError as error:
        raise InputError(f"parse error at {error}".rstrip()) from None
    except NotImplementedError as error:
        # xDSL raises this for input it cannot represent, e.g. `d0 * d1` in an affine map.
        raise InputError(f"parse error in {name}: {error}") from None
    verify_located(module, text, name, parser.positions)
    return module, Source(name, text, parser.positions)


def parse_text(text: str, name: str, context: Context | None = None) -> ModuleOp:
    """Parse and verify `text` (messages say it comes from `name`); raise InputError
    on any problem."""
    return parse_source(text, name, context)[0]
