"""A mapping of an instruction onto a compute statement, as plain data.

Each instruction index covers a *group* of kernel indices:

- a box (`k = [r:3, s:3]`): each kernel index is split by its tile factor
  (`r = 3*r_o + r_i`) and the instruction index runs over the box of the inner
  parts, linearised in the order given (the last one fastest);
- a fused group (`i = fused(h, w)`): the kernel indices are linearised over
  their full extents (`L = h*W + w`) and `L` is split by the instruction's
  extent, so one tile may straddle rows; legal only where every access using
  them addresses memory as `c * L`;
- empty (`j = []`): the instruction dimension is padded to a single lane.

Kernel indices in no group are outer loops. Extents that do not divide a tile
are padded; the waste shows in `utilisation` (real iterations / issued ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from io import StringIO

from xdsl.printer import Printer


def symbol_text(name: str) -> str:
    """`@name` as xDSL prints a symbol: quoted (`@"hw-1"`) unless a bare identifier."""
    stream = StringIO()
    Printer(stream=stream).print_symbol_name(name)
    return stream.getvalue()


@dataclass(frozen=True)
class IndexGroup:
    """The kernel indices one instruction index covers."""

    instruction_index: str
    kernel_indices: tuple[str, ...]
    tiles: tuple[int, ...] = ()
    """Tile factor of each kernel index of a box; empty for a fused group."""
    fused: bool = False

    def __post_init__(self) -> None:
        if self.fused:
            assert not self.tiles and len(self.kernel_indices) >= 2
        else:
            assert len(self.tiles) == len(self.kernel_indices)

    def format(self) -> str:
        """`i = [w:28]`, `k = [r:3, s:3]`, `j = []` or `i = fused(h, w)`."""
        if self.fused:
            return f"{self.instruction_index} = fused({', '.join(self.kernel_indices)})"
        parts = (f"{k}:{t}" for k, t in zip(self.kernel_indices, self.tiles, strict=True))
        return f"{self.instruction_index} = [{', '.join(parts)}]"


@dataclass(frozen=True)
class Mapping:
    """One legal way to execute a statement with repeated runs of one instruction."""

    hardware: str
    instruction: str
    operands: tuple[int, ...]
    """For each instruction operand, the statement operand it reads or writes
    (0 is the statement's output, 1.. its inputs)."""
    groups: tuple[IndexGroup, ...]
    """One group per instruction index, in the instruction's domain order."""
    outer: tuple[str, ...]
    """Kernel indices left as loops around the instruction, in domain order."""
    executions: int
    """How many times the instruction runs to cover the statement."""
    real_work: int
    """Points of the statement's domain."""
    issued_work: int
    """`executions` times the points of the instruction's domain."""
    transfer_dims: tuple[int, ...]
    """Per instruction operand, the strided dimensions a transfer needs to move
    one tile between the kernel's memory and the operand's memory."""

    @property
    def utilisation(self) -> Fraction:
        """Share of the issued instruction work that is real (1 = no padding)."""
        return Fraction(self.real_work, self.issued_work)

    def group(self, instruction_index: str) -> IndexGroup:
        """The group of the given instruction index."""
        for group in self.groups:
            if group.instruction_index == instruction_index:
                return group
        raise KeyError(instruction_index)

    def format(self) -> str:
        """The body of `#isa.mapping<...>`."""
        parts = [
            f"{symbol_text(self.hardware)}::{symbol_text(self.instruction)}",
            f"operands = [{', '.join(map(str, self.operands))}]",
            *(g.format() for g in self.groups),
            f"outer = [{', '.join(self.outer)}]",
            f"executions = {self.executions}",
            f"utilisation = {self.real_work}/{self.issued_work}",
            f"transfer_dims = [{', '.join(map(str, self.transfer_dims))}]",
        ]
        return ", ".join(parts)
