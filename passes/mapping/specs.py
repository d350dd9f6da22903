"""What the mapper needs to know of a statement and of an instruction, as plain data.

The mapping model works on these frozen dataclasses only, so it is tested
without IR; `from_ir.py` builds them from `isa` operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from isamapper_dialect.affine_access import Access
from isamapper_dialect.compute_kind import ComputeKind


@dataclass(frozen=True)
class OperandSpec:
    """One operand of a statement: its tensor's shape and how the statement reads it."""

    label: str
    """How messages name it, e.g. `%A` or `X`."""
    shape: tuple[int, ...]
    """The shape addresses are computed from: the tensor's, or its padded
    allocation's (see `real_shape`)."""
    access: Access
    element_type: str
    """As the IR prints it (`f32`, `i8`); operands of one mapping must agree."""
    real_shape: tuple[int, ...] | None = None
    """The tensor's own shape when its allocation is padded (an intermediate kept
    on chip, see scheduling/padding.py); None when `shape` is the tensor's."""
    element_bits: int = 32
    """The element type's width, from the IR's type (not parsed from its name)."""

    @property
    def element_bytes(self) -> int:
        """Bytes of one element (rounded up to whole bytes)."""
        return (self.element_bits + 7) // 8

    @property
    def tensor_shape(self) -> tuple[int, ...]:
        """The tensor's own shape (its elements; the rest of `shape` is padding)."""
        return self.real_shape or self.shape

    def uses(self, index: int) -> bool:
        """Whether the access depends on domain index `index`."""
        return any(row.coefficients[index] for row in self.access)

    def address_coefficients(self) -> tuple[int, ...]:
        """Per domain index, how far one step moves the row-major element address."""
        strides = [prod(self.shape[d + 1 :]) for d in range(len(self.shape))]
        width = len(self.access[0].coefficients) if self.access else 0
        return tuple(
            sum(
                stride * row.coefficients[k]
                for stride, row in zip(strides, self.access, strict=True)
            )
            for k in range(width)
        )


@dataclass(frozen=True)
class StatementSpec:
    """A compute statement: operation, index domain and operands (output first)."""

    kind: ComputeKind
    indices: tuple[str, ...]
    extents: tuple[int, ...]
    operands: tuple[OperandSpec, ...]

    def position(self, index: str) -> int:
        """Position of a named index in the domain."""
        return self.indices.index(index)

    def extent(self, index: str) -> int:
        """Extent of a named index."""
        return self.extents[self.indices.index(index)]

    def is_parallel(self, index: int) -> bool:
        """An index the output depends on (the others are reductions)."""
        return self.operands[0].uses(index)


@dataclass(frozen=True)
class InstructionSpec:
    """An instruction: its semantics over operand tiles and how tiles reach it."""

    hardware: str
    name: str
    statement: StatementSpec
    """The instruction's own `isa.compute`, over its operand tiles."""
    signature: tuple[int, ...]
    """For each operand in the instruction's signature order, its position in
    `statement.operands` (0 is the output)."""
    reach: tuple[int, ...]
    """Per statement operand: the most strided dimensions an engine on a path
    between the kernel's memory and the operand's memory can address (for the
    output: on the way back); 0 when no path exists."""
    memories: tuple[str, ...]
    """Per statement operand, the memory its tile lives in."""
    interval: int = 1
    """Cycles between two issues on one unit."""
    units: int = 1
    """How many units can run it at once."""
    unit: str = ""
    """The `isa.unit` kind that runs it (the resource its executions occupy)."""
    latency: int = 1
    """Cycles from issue until the result is ready."""

    def issue_cycles(self, executions: int) -> float:
        """Cycles to issue `executions` runs spread over all units (no transfers)."""
        return executions * self.interval / self.units

    @property
    def lanes(self) -> int:
        """Points of the instruction's domain (its work per execution)."""
        return prod(self.statement.extents)
