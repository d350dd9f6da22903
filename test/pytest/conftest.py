"""Shared paths for the pytest suite."""

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((PROJECT / "examples").glob("*.mlir"))
HARDWARE = sorted((PROJECT / "hardware").glob("*.mlir"))


# Tests `make test-fast` leaves out (`-m "not slow"`); `make test` and CI run all.
# Functional simulation on the CPU cores runs hundreds of thousands of tiny
# executions, and these whole files start many subprocesses or long runs.
SLOW_FILES = {
    "test_fuzz_pipeline.py",
    "test_linalg_against_upstream.py",
    "test_determinism.py",
    "test_schedule_end_to_end.py",
    "test_accel_export.py",
    "test_strategies.py",
}
SLOW_TESTS = {
    "test_gru_step_extrapolation_matches_full_simulation",
    "test_maps_schedules_and_runs_on_nnp",
    "test_every_candidate_is_sound",
    "test_a_one_d_dma_is_as_fast_as_its_two_d_twin",
    "test_a_smaller_lstm_is_not_slower",
    "test_fusion_keeps_ragged_intermediates_on_chip",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: left out by `make test-fast`")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", item.name)
        if (
            "cpu_avx" in item.name
            or "conv2d_nhwc" in item.name
            or Path(str(item.fspath)).name in SLOW_FILES
            or name in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)
