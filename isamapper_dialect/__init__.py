"""isamapper's dialects: `isa` (kernels and hardware) and, later, `accel` (targets)."""
