"""Instruction mapping: the mapper's specs, the legality rules, the enumeration of
candidates, their soundness check and the isa-map-instructions pass."""
