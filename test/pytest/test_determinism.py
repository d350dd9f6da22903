"""The same input and options give byte-identical IR, identical cycle counts and
identical bench CSVs: across runs, across Python hash seeds (set and dict order)
and with `--jobs 1` against `--jobs 2`."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT

BIN = Path(sys.executable).parent
NNP = str(PROJECT / "hardware" / "nnp.mlir")
TIMINGS = ("compile_s", "simulate_s")
"""The bench's wall-clock columns: measurements of this machine, not results."""


def _compile(example: str, hash_seed: str, *options: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [
            str(BIN / "isamapper-compile"),
            str(PROJECT / "examples" / example),
            "--hardware",
            NNP,
            *options,
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize(
    ("example", "options"),
    [
        ("mobilenet_dwsep_block.mlir", ()),
        ("gru_cell.mlir", ()),
        ("conv2d_nhwc.mlir", ("--strategy", "search", "--budget", "50")),
        ("gemm_tn.mlir", ("--strategy", "random", "--seed", "3")),
    ],
)
def test_compiling_twice_gives_the_same_bytes(
    example: str, options: tuple[str, ...], tmp_path: Path
) -> None:
    first = _compile(example, "1", *options)
    second = _compile(example, "2", *options)
    assert first == second
    program = tmp_path / "program.mlir"
    program.write_text(first)
    cycles = []
    for _ in range(2):
        result = subprocess.run(
            [str(BIN / "isamapper-run"), str(program), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        cycles.append(json.loads(result.stdout)["cycles"])
    assert cycles[0] == cycles[1] > 0


def _bench(jobs: str, table: Path) -> list[dict[str, str]]:
    subprocess.run(
        [
            str(BIN / "isamapper-bench"),
            "deepbench-gemm",
            "--hardware",
            NNP,
            "--filter",
            "inference_device_set/(3|7|11) ",
            "--jobs",
            jobs,
            "--quiet",
            "--csv",
            str(table),
        ],
        capture_output=True,
        check=True,
    )
    with open(table) as file:
        return list(csv.DictReader(file))


def test_bench_csv_is_the_same_with_one_or_two_jobs(tmp_path: Path) -> None:
    one = _bench("1", tmp_path / "one.csv")
    two = _bench("2", tmp_path / "two.csv")
    assert len(one) == len(two) > 0
    for a, b in zip(one, two, strict=True):
        for column in TIMINGS:
            a.pop(column), b.pop(column)
        assert a == b
