"""`isamapper-bench --native` on small GEMM rows of every transpose, a small
MobileNet block and a small GRU layer: each row built for a CPU description,
checked against numpy and timed against it; the CSV has the columns the docs
name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_native import CPUS

from isamapper_bench.measure import scaled_block
from isamapper_bench.native_bench import (
    NATIVE_COLUMNS,
    native_summary,
    run_native_bench,
    write_native_csv,
)
from isamapper_bench.native_workloads import row_flops
from isamapper_bench.workloads import GemmRow, GruRow, suite_rows

from conftest import PROJECT
from mlir_tools import needs_mlir

ROWS = [
    (i, GemmRow("small_set", i, m, n, k, a_trans, b_trans, "test"))
    for i, (m, n, k, a_trans, b_trans) in enumerate(
        [(35, 48, 64, False, False), (20, 33, 40, True, False), (16, 64, 24, False, True)]
    )
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@needs_mlir
@pytest.mark.parametrize("description", CPUS[:1])
def test_small_gemms_bench_natively(tmp_path: Path, description: str) -> None:
    hardware = str(PROJECT / "hardware" / description)
    results = run_native_bench(
        "deepbench-gemm",
        ROWS,
        hardware,
        "greedy",
        jobs=1,
        progress=False,
        repeats=3,
        log=lambda text: None,
    )
    assert [r.name for r in results] == [row.name for _, row in ROWS]
    for result, (_, row) in zip(results, ROWS, strict=True):
        assert result.flops == 2 * row.m * row.n * row.k
        assert result.native_s > 0 and result.numpy_s > 0
        assert result.native_vs_numpy == pytest.approx(result.numpy_s / result.native_s)
        assert result.model_s is not None and result.model_s > 0
        assert result.model_error == pytest.approx(result.model_s / result.native_s - 1)
        # The clock measured on this machine before the row (native_clock.py).
        assert result.model_clock_mhz is not None and 300 < result.model_clock_mhz < 7000
    path = tmp_path / "native.csv"
    write_native_csv(str(path), results)
    with path.open() as file:
        lines = list(csv.DictReader(file))
    assert tuple(lines[0]) == NATIVE_COLUMNS
    assert [line["name"] for line in lines] == [r.name for r in results]
    assert [float(line["model_clock_mhz"]) for line in lines] == [
        pytest.approx(r.model_clock_mhz, rel=1e-4) for r in results
    ]
    assert "| small_set | 3 |" in native_summary(results)


@needs_mlir
@pytest.mark.parametrize("description", CPUS[:1])
def test_a_mobilenet_block_and_a_gru_layer_bench_natively(description: str) -> None:
    """Each checked against numpy's formulation (native_workloads.py) before it
    is timed; the GRU's 4 steps extrapolated from its 2- and 3-step kernels."""
    block = scaled_block(suite_rows("mobilenet-v1-dwsep")[1])
    gru = GruRow("small_set", 0, 32, 2, 4, "test")
    for suite, row in (("mobilenet-v1-dwsep", block), ("deepbench-gru", gru)):
        (result,) = run_native_bench(
            suite,
            [(0, row)],
            str(PROJECT / "hardware" / description),
            "greedy",
            jobs=1,
            progress=False,
            repeats=3,
            log=lambda text: None,
        )
        assert result.flops == row_flops(row) > 0
        assert result.native_s > 0 and result.numpy_s > 0
        assert result.native_vs_numpy == pytest.approx(result.numpy_s / result.native_s)
