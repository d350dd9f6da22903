"""The roofline lower bound of a kernel on a hardware: no schedule can beat it.

Compute: every statement needs its real points of work (never padding) on the
instructions able to run it; a unit kind does at most `lanes / interval x
units` points per cycle. The bound is the larger of (a) the slowest statement
given all its capable units at once and (b) all the work over the best rate of
every unit kind together, less the largest `interval - latency` of those
instructions (the last result is ready `latency` after its issue, perhaps
before the unit's interval ends).

Memory: every element of a kernel argument that a statement reads crosses from
the main memory once and every element a statement writes crosses back once
(intermediates cost nothing; elements no statement touches, such as the padding
of a larger tensor, cost nothing either); reads are divided by the bandwidth of
the engines leaving the main memory, writes by the engines entering it.
Accumulating outputs are not read: in the model, a transfer with `accumulate`
adds at its destination. A statement operand that some instruction able to run
the statement reads (or writes) in the main memory itself need not cross any
engine: its traffic counts nothing. (The model charges a memory's own
bandwidth nowhere, so in-place traffic has no bound of its own.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.dialects.builtin import MemRefType
from xdsl.ir import SSAValue

from isamapper_dialect.affine_access import Access
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_dialect.instruction_op import InstructionOp, element_bytes
from isamapper_dialect.kernel_op import KernelOp
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.legality import instruction_incompatibility, operand_bindings
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec


@dataclass(frozen=True)
class Roofline:
    """Lower bounds in cycles."""

    compute: float
    memory: float

    @property
    def bound(self) -> float:
        """The larger of the two."""
        return max(self.compute, self.memory)


def roofline(kernel: KernelOp, hardware: HardwareOp) -> Roofline:
    """The bound of `kernel` on `hardware` (see the module docstring)."""
    return _roofline(kernel.statements, kernel.arguments, hardware)


def statement_roofline(statement: ComputeOp, hardware: HardwareOp) -> Roofline:
    """The bound of one statement as if it were a kernel of its own: every
    tensor it uses crosses from the main memory (an intermediate too)."""
    operands = list(dict.fromkeys(statement.all_operands))
    return _roofline([statement], operands, hardware)


def _roofline(
    statements: Sequence[ComputeOp], arguments: Sequence[SSAValue], hardware: HardwareOp
) -> Roofline:
    specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
    unit_of = {i.sym_name.data: i.unit.root_reference.data for i in hardware.ops_of(InstructionOp)}
    best_rate: dict[str, float] = {}
    slowest = 0.0
    total = 0.0
    slack = 0.0
    for op in statements:
        statement = statement_spec(op)
        work = prod(statement.extents)
        total += work
        rates: dict[str, float] = {}
        for spec in specs:
            if instruction_incompatibility(statement, spec) is None:
                unit = unit_of[spec.name]
                rate = spec.lanes / spec.interval * spec.units
                rates[unit] = max(rates.get(unit, 0.0), rate)
                best_rate[unit] = max(best_rate.get(unit, 0.0), rate)
                slack = max(slack, spec.interval - spec.latency)
        if rates:
            slowest = max(slowest, work / sum(rates.values()))
    # The program ends when the last result is ready: `latency` after the last
    # issue, which may be before its unit's `interval` is over.
    compute = max(slowest, total / sum(best_rate.values())) - slack if best_rate else 0.0
    compute = max(compute, 0.0)
    spec = hardware_spec(hardware)
    read, written = compulsory_bytes(statements, arguments, hardware)
    out_bandwidth = sum(e.bandwidth for e in spec.engines if e.source == spec.main)
    in_bandwidth = sum(e.bandwidth for e in spec.engines if e.target == spec.main)
    memory = max(
        read / out_bandwidth if out_bandwidth else 0.0,
        written / in_bandwidth if in_bandwidth else 0.0,
    )
    return Roofline(compute, memory)


def compulsory_bytes(
    statements: Sequence[ComputeOp], arguments: Sequence[SSAValue], hardware: HardwareOp
) -> tuple[int, int]:
    """(bytes read from, bytes written to) the main memory that no schedule of
    `statements` on `hardware` avoids: each element of `arguments` a statement
    reads (writes) crosses once, unless an instruction able to run the
    statement addresses it in place (module docstring)."""
    specs = [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]
    main = hardware_spec(hardware).main
    crossing = [
        [not in_place(statement_spec(op), specs, p, main) for p in range(len(op.all_operands))]
        for op in statements
    ]
    read = written = 0
    for argument in arguments:
        read += _bytes(
            argument,
            [
                (op, p)
                for op, crosses in zip(statements, crossing, strict=True)
                for p, v in enumerate(op.inputs, 1)
                if v is argument and crosses[p]
            ],
        )
        written += _bytes(
            argument,
            [
                (op, 0)
                for op, crosses in zip(statements, crossing, strict=True)
                if op.output is argument and crosses[0]
            ],
        )
    return read, written


def in_place(
    statement: StatementSpec, specs: Sequence[InstructionSpec], position: int, main: str
) -> bool:
    """Whether some instruction able to run `statement` has statement operand
    `position` bound (in some binding of its operands) to an operand that lives in
    the main memory `main`, so executions can address the tensor where it is."""
    for spec in specs:
        if instruction_incompatibility(statement, spec) is not None:
            continue
        for binding in operand_bindings(statement, spec):
            if spec.memories[binding.index(position)] == main:
                return True
    return False


def _covers(access: Access, extents: Sequence[int], shape: Sequence[int]) -> bool:
    """True when `access` reaches every element of a tensor of `shape`: each
    coordinate runs over its whole dimension by one index of step 1, no index twice."""
    seen: set[int] = set()
    for row, size in zip(access, shape, strict=True):
        used = row.used()
        if not used:
            if size != 1 or row.offset != 0:
                return False
            continue
        if len(used) != 1 or used[0] in seen or abs(row.coefficients[used[0]]) != 1:
            return False
        seen.add(used[0])
        if row.value_range(extents) != (0, size - 1):
            return False
    return True


def footprint(shape: Sequence[int], accesses: Sequence[tuple[Access, Sequence[int]]]) -> int:
    """How many distinct elements of a tensor of `shape` the accesses (each with
    its statement's extents) touch."""
    if any(_covers(access, extents, shape) for access, extents in accesses):
        return prod(shape)
    strides = [prod(shape[r + 1 :]) for r in range(len(shape))]
    touched: list[np.ndarray] = []
    for access, extents in accesses:
        base = sum(s * row.offset for s, row in zip(strides, access, strict=True))
        addresses = np.array([base], dtype=np.int64)
        for d, extent in enumerate(extents):
            step = sum(s * row.coefficients[d] for s, row in zip(strides, access, strict=True))
            if step and extent > 1:
                # Unique after each index keeps the set no larger than the tensor.
                addresses = np.unique(np.add.outer(addresses, step * np.arange(extent)))
        touched.append(addresses)
    return len(np.unique(np.concatenate(touched)))


def _bytes(argument: SSAValue, uses: Sequence[tuple[ComputeOp, int]]) -> int:
    """Bytes of `argument` that the given statement operands touch."""
    if not uses:
        return 0
    memref = argument.type
    assert isinstance(memref, MemRefType)
    accesses = [(op.access(position), op.extents) for op, position in uses]
    return footprint(memref.get_shape(), accesses) * element_bytes(memref)
