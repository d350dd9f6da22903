"""Differential fuzzing of the whole pipeline (see pipeline_fuzz.py): random
kernels on random hardware either compile to programs that compute the reference
semantics in no fewer cycles than the roofline bound, or stop with a diagnostic.

`make test` runs a fixed set of ISAMAPPER_FUZZ_EXAMPLES pairs (default 200, the
same every run); `make fuzz` runs many more from a new seed
(ISAMAPPER_FUZZ_SEED). A failing case, shrunk by Hypothesis, is written to
`fuzz-failure.mlir` in the project folder; once fixed, it belongs in
`test/pytest/fuzz_regressions/`, whose every file is checked below.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from conftest import PROJECT
from pipeline_fuzz import check_pair, pairs

EXAMPLES = int(os.environ.get("ISAMAPPER_FUZZ_EXAMPLES", "200"))
SEED = os.environ.get("ISAMAPPER_FUZZ_SEED")
FAILURE = PROJECT / "fuzz-failure.mlir"
REGRESSIONS = sorted((Path(__file__).parent / "fuzz_regressions").glob("*.mlir"))


def test_pipeline_is_right_or_says_why() -> None:
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
    )
    @given(pairs())
    def case(text: str) -> None:
        outcome = check_pair(text, FAILURE)
        outcomes["compiled" if outcome.compiled else "diagnosed"] += 1
        if not outcome.compiled:
            reasons[outcome.reason.split(": ")[-1][:60] if outcome.reason else "?"] += 1
        done = outcomes.total()
        if SEED is not None and done % 250 == 0:
            print(f"  {done}/{EXAMPLES} pairs, {outcomes['compiled']} compiled", flush=True)

    run = case if SEED is None else seed(int(SEED))(case)
    run()
    total = outcomes.total()
    print(
        f"\n{total} pairs: {outcomes['compiled']} compiled and checked, "
        f"{outcomes['diagnosed']} stopped with a diagnostic"
    )
    for reason, count in reasons.most_common(5):
        print(f"  {count:5d}  {reason}")
    # The generator must mostly produce pairs that compile, or the check is vacuous.
    assert outcomes["compiled"] >= total // 2


@pytest.mark.parametrize("case", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_fuzz_regression(case: Path) -> None:
    assert check_pair(case.read_text()).compiled
