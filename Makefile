# `make demo` and `make test` work on a fresh clone: each creates .venv when
# missing and (re)installs the project into it when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint lit pytest bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,mlir,distributed]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m isamapper_tools.demo

test: lint lit pytest

# The edit-test loop (about 2 minutes on 2 cores): lint and the pytest suite
# without the tests marked slow (test/pytest/conftest.py: functional runs on the
# AVX2 core, the fuzzer, upstream-tool round trips). `make test` and CI run all,
# lit included.
test-fast: lint
	$(BIN)/python -m pytest -q -n auto --dist worksteal -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lit: $(STAMP)
	$(BIN)/lit -sv test/filecheck

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# Differential fuzzing of the whole pipeline (test/pytest/pipeline_fuzz.py):
# FUZZ random kernel x hardware pairs from a new seed each run (FUZZ_SEED=N
# repeats one). A failure is shrunk and written to fuzz-failure.mlir.
FUZZ ?= 5000
FUZZ_SEED ?= $(shell date +%s)
fuzz: $(STAMP)
	@echo "fuzzing $(FUZZ) pairs, seed $(FUZZ_SEED)"
	ISAMAPPER_FUZZ_EXAMPLES=$(FUZZ) ISAMAPPER_FUZZ_SEED=$(FUZZ_SEED) \
	  $(BIN)/python -m pytest -q -s test/pytest/test_fuzz_pipeline.py -k right_or_says_why

# The README's bench results: every suite on the NNP-like and the systolic
# target; a summary (.md), one line per row (.csv) and the roofline plot (.png)
# per suite and target in docs/bench/.
BENCH_SUITES ?= deepbench-gemm deepbench-gru mobilenet-v1-dwsep
BENCH_HARDWARE ?= nnp systolic
bench: $(STAMP)
	mkdir -p docs/bench
	for hw in $(BENCH_HARDWARE); do for suite in $(BENCH_SUITES); do \
	  $(BIN)/isamapper-bench $$suite --hardware hardware/$$hw.mlir --quiet \
	    --csv docs/bench/$$suite-$$hw.csv --plot docs/bench/$$suite-$$hw.png \
	    > docs/bench/$$suite-$$hw.md || exit 1; \
	done; done

clean:
	rm -rf $(VENV) build *.egg-info
