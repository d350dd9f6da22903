"""The main memory of a hardware: where a kernel's tensors live."""

from __future__ import annotations

from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp


def main_memory(hardware: HardwareOp) -> MemoryOp:
    """Where kernel tensors live: the largest memory (the first declared of the
    largest, on a tie)."""
    memory = hardware.largest_memory()
    assert memory is not None, "a hardware description needs at least one memory"
    return memory
