"""`isamapper-sweep`: one hardware description varied over a grid of designs,
every workload compiled and simulated on each (designs.py, tasks.py), the
results per design and their Pareto front (pareto.py), a plot (plot.py)."""
