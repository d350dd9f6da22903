"""Scheduling: plans, the cost model, strategies, fusion, padding, transfers, the
lowering to accel and the isa-schedule pass."""
