"""isamapper-bench: workloads, kernel generation and measurement (the CLI is cli.py)."""
