"""Splitting a reduction across vector lanes (a dot product's partial sums).

A multiply-accumulate whose output cannot lie along an instruction's lanes
with its inputs read contiguously (a matrix-vector product `C[i] += A[i, k] *
B[k]` on a CPU: lanes along `i` read `A` by columns) can run as two statements:

    T[i, l] += A[i, 16*k' + l] * B[16*k' + l]    (one partial sum per lane)
    C[i] += T[i, l]                               (each row's lanes summed)

The first maps the lanes onto the reduction index `k` (split `k = 16*k' + l`),
reading `A` by rows; the second reduces the lanes with the hardware's own
`sum` instruction (an `isa.compute %O[0] += %X[i]`). Which lane counts there
are comes from those instructions' statements; whether the split pays is the
scheduler's choice (schedule.py), by the cost model.
"""

from __future__ import annotations

from collections.abc import Collection

from xdsl.dialects.builtin import MemRefType
from xdsl.rewriter import InsertPoint, Rewriter

from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_passes.mapping.from_ir import statement_spec


def reduction_lanes(hardware: HardwareOp) -> tuple[int, ...]:
    """Lane counts the hardware sums into one element with one instruction: the
    extents of its `sum` instructions whose output is a single element, largest first."""
    lanes: set[int] = set()
    for instruction in hardware.ops_of(InstructionOp):
        statement = instruction.statement
        output_rows = statement.access(0)
        if (
            statement.compute_kind is ComputeKind.SUM
            and len(statement.extents) == 1
            and not any(row.used() for row in output_rows)
        ):
            lanes.add(statement.extents[0])
    return tuple(sorted(lanes, reverse=True))


def split_choice(statement: ComputeOp, lanes: tuple[int, ...]) -> tuple[int, int] | None:
    """(index position, lanes) of the split to try for `statement`, or None: a
    `mac`'s reduction index whose bound the most lanes divide (more than once),
    the one its inputs address most densely (the smallest address steps)."""
    if statement.compute_kind is not ComputeKind.MAC:
        return None
    output_rows = statement.access(0)
    used = {d for row in output_rows for d in row.used()}
    steps = [operand.address_coefficients() for operand in statement_spec(statement).operands[1:]]
    best: tuple[int, int, int] | None = None
    for d, extent in enumerate(statement.extents):
        if d in used:
            continue
        fitting = [n for n in lanes if extent % n == 0 and extent > n]
        if not fitting or not any(
            row.coefficients[d] for p in (1, 2) for row in statement.access(p)
        ):
            continue
        step = sum(abs(coefficients[d]) for coefficients in steps)
        if best is None or step < best[0]:
            best = (step, d, fitting[0])
    return None if best is None else (best[1], best[2])


def _fresh(names: list[str], base: str) -> str:
    name = base
    while name in names:
        name += "_"
    return name


def split_reduction(
    statement: ComputeOp, index: int, lanes: int, taken: set[str]
) -> tuple[ComputeOp, ComputeOp]:
    """Replace `statement` (in its kernel) by its partial sums over `lanes` lanes
    of reduction index `index` and the sum of those lanes; returns the two. The
    partial sums' buffer is indexed by the output's indices themselves (not by
    the output's addresses, which several points may share: `O[r + s]`), then
    the lane; its name avoids those in `taken`, to which it is added."""
    names = list(statement.index_names)
    extents = list(statement.extents)
    reduced = names[index]
    block = _fresh(names, f"{reduced}_block")
    lane = _fresh(names + [block], f"{reduced}_lane")
    count = len(names)
    # The indices the output uses, in the statement's order.
    kept = [d for d in range(count) if any(row.coefficients[d] for row in statement.access(0))]

    def widen(row: AccessRow) -> AccessRow:
        # Old index `index` = lanes * block + lane; the lane index goes last.
        c = row.coefficients
        coefficients = (*c[:index], lanes * c[index], *c[index + 1 :], c[index])
        return AccessRow(coefficients, row.offset)

    def unit(position: int, size: int) -> AccessRow:
        return AccessRow(tuple(int(d == position) for d in range(size)), 0)

    output = statement.output
    output_type = output.type
    assert isinstance(output_type, MemRefType)
    shape = [*(extents[d] for d in kept), lanes]
    buffer = BufferOp(MemRefType(output_type.element_type, shape))
    buffer.result.name_hint = _fresh(sorted(taken), f"{output.name_hint or 'out'}_lanes")
    taken.add(buffer.result.name_hint)
    partial_access = (*(unit(d, count + 1) for d in kept), unit(count, count + 1))
    partials = ComputeOp(
        ComputeKind.MAC,
        buffer.result,
        list(statement.inputs),
        [*names[:index], block, *names[index + 1 :], lane],
        [*extents[:index], extents[index] // lanes, *extents[index + 1 :], lanes],
        [partial_access, *(tuple(widen(r) for r in statement.access(p)) for p in (1, 2))],
    )
    width = len(kept) + 1
    total_access = tuple(
        AccessRow(tuple(row.coefficients[d] for d in kept) + (0,), row.offset)
        for row in statement.access(0)
    )
    total = ComputeOp(
        ComputeKind.SUM,
        output,
        [buffer.result],
        [*(names[d] for d in kept), lane],
        shape,
        [total_access, tuple(unit(p, width) for p in range(width))],
    )
    Rewriter.insert_op([buffer, partials, total], InsertPoint.before(statement))
    statement.detach()
    statement.erase()
    return partials, total


def split_kernel(
    kernel: KernelOp, hardware: HardwareOp, statements: Collection[int] | None = None
) -> KernelOp | None:
    """A copy of `kernel` with its statements at positions `statements` (default:
    all) split across the hardware's reduction lanes where they can be
    (split_choice), or None when none can."""
    lanes = reduction_lanes(hardware)
    if not lanes:
        return None
    copy = kernel.clone()
    taken = {v.name_hint for v in copy.body.block.args if v.name_hint}
    taken |= {
        op.result.name_hint
        for op in copy.body.block.ops
        if isinstance(op, BufferOp) and op.result.name_hint
    }
    changed = False
    for position, statement in enumerate(copy.statements):
        if statements is not None and position not in statements:
            continue
        choice = split_choice(statement, lanes)
        if choice is not None:
            split_reduction(statement, *choice, taken)
            changed = True
    return copy if changed else None
