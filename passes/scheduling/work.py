"""A kernel's statements as the scheduler sees them, free of IR.

Per statement: its spec, its candidate mappings and which of the kernel's
tensors each operand is; for the kernel: its intermediates and arguments. The
pass builds it from an `isa.kernel` (tensors are SSA values there); tests build
it from specs with any hashable keys as tensors.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from math import prod

from isamapper_dialect.mapping import Mapping as IsaMapping
from isamapper_passes.mapping.specs import InstructionSpec, OperandSpec, StatementSpec

Tensor = Hashable
"""A kernel tensor's identity: its SSA value in the pass, any key in tests."""

Candidates = list[tuple[InstructionSpec, IsaMapping]]


@dataclass(frozen=True)
class WorkStatement:
    """One statement: its spec, its candidate mappings and its tensors."""

    spec: StatementSpec
    candidates: Candidates
    tensors: tuple[Tensor, ...]
    """Which tensor each operand is, in the spec's operand order (output first)."""

    def __post_init__(self) -> None:
        assert len(self.tensors) == len(self.spec.operands)

    @property
    def output(self) -> Tensor:
        """The tensor the statement writes."""
        return self.tensors[0]


@dataclass(frozen=True)
class Work:
    """The statements of a kernel in order, its intermediates and arguments;
    each tensor's live range and operand spec are worked out once (fusion asks
    for them O(statements^2) times, and a 400-statement chain spent minutes
    reading operands out of the IR)."""

    statements: tuple[WorkStatement, ...]
    buffers: tuple[Tensor, ...] = ()
    """The kernel's intermediates (`isa.buffer`s), in order."""
    arguments: tuple[Tensor, ...] = ()
    """The kernel's arguments, in signature order."""
    names: Mapping[Tensor, str] = field(default_factory=dict)
    """How messages name a tensor (without the `%`); unnamed ones are left out."""
    _ranges: dict[Tensor, range] = field(init=False, repr=False, compare=False)
    _operands: dict[Tensor, OperandSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ranges: dict[Tensor, range] = {}
        operands: dict[Tensor, OperandSpec] = {}
        for index, statement in enumerate(self.statements):
            for tensor, operand in zip(statement.tensors, statement.spec.operands, strict=True):
                first = ranges[tensor].start if tensor in ranges else index
                ranges[tensor] = range(first, index + 1)
                operands.setdefault(tensor, operand)
        object.__setattr__(self, "_ranges", ranges)
        object.__setattr__(self, "_operands", operands)

    def __len__(self) -> int:
        return len(self.statements)

    def __getitem__(self, index: int) -> WorkStatement:
        return self.statements[index]

    def live_range(self, tensor: Tensor) -> range:
        """Statements from the first to the last that use `tensor` (empty if none)."""
        return self._ranges.get(tensor, range(0))

    def users(self, tensor: Tensor) -> list[int]:
        """The statements that read or write `tensor`."""
        return [i for i in self.live_range(tensor) if tensor in self.statements[i].tensors]

    def shape(self, tensor: Tensor) -> tuple[int, ...]:
        """A used tensor's own shape."""
        return self._operands[tensor].tensor_shape

    def element_bytes(self, tensor: Tensor) -> int:
        """Bytes of one element of a used tensor."""
        return self._operands[tensor].element_bytes

    def tensor_bytes(self, tensor: Tensor, shape: Sequence[int] | None = None) -> int:
        """Bytes of a used tensor, or of an allocation of it with `shape`."""
        return prod(self.shape(tensor) if shape is None else shape) * self.element_bytes(tensor)

    def written(self) -> set[Tensor]:
        """The tensors some statement writes."""
        return {statement.output for statement in self.statements}

    def label(self, tensor: Tensor, unnamed: str = "?") -> str:
        """`%name` for messages (`%` + `unnamed` when the tensor has no name)."""
        return f"%{self.names.get(tensor, unnamed)}"
