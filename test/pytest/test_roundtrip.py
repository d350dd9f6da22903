"""Every shipped example and hardware file round-trips in custom and generic form."""

from io import StringIO
from pathlib import Path

import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.printer import Printer

from isamapper_dialect.parsing import make_context, parse_module

from conftest import EXAMPLES, HARDWARE


def print_module(module: ModuleOp, generic: bool) -> str:
    stream = StringIO()
    Printer(stream=stream, print_generic_format=generic).print_op(module)
    return stream.getvalue()


def reparse(text: str) -> ModuleOp:
    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


@pytest.mark.parametrize("path", EXAMPLES + HARDWARE, ids=lambda p: p.name)
def test_round_trip(path: Path) -> None:
    module = parse_module(path)
    custom = print_module(module, generic=False)
    assert print_module(reparse(custom), generic=False) == custom
    generic = print_module(module, generic=True)
    assert print_module(reparse(generic), generic=False) == custom
    assert print_module(reparse(generic), generic=True) == generic


def test_shipped_hardware() -> None:
    assert {p.name for p in HARDWARE} == {
        "nnp.mlir",
        "systolic.mlir",
        "cpu_avx2.mlir",
        "cpu_avx512.mlir",
    }
