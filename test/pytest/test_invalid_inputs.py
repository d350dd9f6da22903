"""The invalid-input suite: every case gives one message, located where there is a
place to point at, and exit status 1 from the command-line tool, never a Python
traceback.

`invalid_inputs/*.mlir` each say on their first two lines which tool runs them
(`// TOOL: ...`, the file appended) and the first line of its message
(`// ERROR: ...`): impossible hardware, malformed syntax, bad kernels, bad pass
options and pass orders, the other tools' inputs. Every chunk of the isa dialect's
verifier tests (`test/filecheck/dialects/isa/invalid.mlir`) is also run through
`isamapper-opt`: each of its messages must come out located with status 1.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT

BIN = Path(sys.executable).parent
CASES = sorted((Path(__file__).parent / "invalid_inputs").glob("*.mlir"))
VERIFIER_TESTS = PROJECT / "test" / "filecheck" / "dialects" / "isa" / "invalid.mlir"


def _header(path: Path) -> tuple[list[str], str]:
    tool, error = path.read_text().splitlines()[:2]
    assert tool.startswith("// TOOL: ") and error.startswith("// ERROR: ")
    command = shlex.split(tool.removeprefix("// TOOL: ").replace("{self}", path.name))
    return command, error.removeprefix("// ERROR: ")


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_invalid_input_is_reported(case: Path) -> None:
    command, expected = _header(case)
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:], case.name],
        capture_output=True,
        text=True,
        cwd=case.parent,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first == f"{command[0]}: {expected}"


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 40


def _verifier_chunks() -> list[tuple[int, str, str]]:
    chunks = []
    text = VERIFIER_TESTS.read_text()
    for number, chunk in enumerate(re.split(r"^// -----$", text, flags=re.M)):
        checks = [
            line.removeprefix("// CHECK: ").removeprefix("Operation does not verify: ")
            for line in chunk.splitlines()
            if line.startswith("// CHECK: ") and "{{" not in line
        ]
        if checks:
            chunks.append((number, chunk, checks[0]))
    return chunks


CHUNKS = _verifier_chunks()


@pytest.mark.parametrize(("number", "chunk", "message"), CHUNKS, ids=[str(c[0]) for c in CHUNKS])
def test_verifier_message_is_located_by_the_cli(
    number: int, chunk: str, message: str, tmp_path: Path
) -> None:
    source = tmp_path / f"chunk{number}.mlir"
    source.write_text(chunk)
    result = subprocess.run(
        [str(BIN / "isamapper-opt"), source.name], capture_output=True, text=True, cwd=tmp_path
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert re.match(rf"isamapper-opt: (parse error at )?{source.name}:\d+:\d+", result.stderr)
    assert message in result.stderr
