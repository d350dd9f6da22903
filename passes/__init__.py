"""isamapper's passes: instruction mapping, scheduling and lowering."""
