"""isamapper-bench: workloads, kernel generation and measurement (see tools/bench.py)."""
