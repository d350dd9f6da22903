"""Transfers and zero fills as upstream `vector` ops, for the native export.

A copy whose innermost box dimension is contiguous on both sides moves rows
as vectors (up to `CHUNK` elements each, which LLVM splits into the machine's
registers, or as many as the executions reading a register buffer use); a row
the copy's limit clips is a masked load and store, chosen at run time where
the limit is only known then, except that every padded row of a register
buffer is a masked load stored whole, with no branch to split the block its
executions are in. The other dimensions are loops. Copies of
strided rows stay scalar loops (`accel_export.LowerCopy`). The same vector
stores zero a range of a buffer.
"""

from __future__ import annotations

from xdsl.dialects import arith, vector
from xdsl.dialects.builtin import MemRefType, VectorType, i1
from xdsl.ir import SSAValue

from isamapper_dialect.accel import CopyOp
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_passes.interop.export_emitter import Emitter, element, int_constant, zero

CHUNK = 64
"""Elements per vector op: four zmm or eight ymm registers of f32."""


def _element_type(view: SSAValue):
    assert isinstance(view.type, MemRefType)
    return view.type.element_type


def zero_range(
    emitter: Emitter, view: SSAValue, offset: SSAValue, count: int, most: int = CHUNK
) -> None:
    """Store zeros in `count` elements of a flat view from `offset`, in vectors
    of up to `most` elements."""
    chunk = min(count, most)
    vector_type = VectorType(_element_type(view), [chunk])
    zeros = zero(emitter, vector_type)
    whole, tail = divmod(count, chunk)

    def store(inner: Emitter, variables: list[SSAValue]) -> None:
        at = inner.linear([(chunk, variables[0])], offset) if variables else offset
        inner.insert(vector.StoreOp(zeros, view, [at]))

    if whole == 1:
        store(emitter, [])
    else:
        emitter.loops([emitter.index(whole)], store)
    if tail:
        at = emitter.add(offset, emitter.index(whole * chunk))
        mask = emitter.insert(
            vector.CreateMaskOp([emitter.index(tail)], VectorType(i1, [chunk]))
        ).mask_vector
        emitter.insert(vector.MaskedStoreOp(view, [at], mask, zeros))


def vector_copy(
    emitter: Emitter,
    op: CopyOp,
    source: SSAValue,
    target: SSAValue,
    pad: bool,
    most: int = CHUNK,
    registers: bool = False,
) -> bool:
    """Emit `op` as vector rows of up to `most` elements between the flat
    views; False (nothing emitted) when its innermost dimension is not
    contiguous on both sides, or it moves a single element (no dimensions).
    `registers`: the target is a register buffer, whose padded rows are
    masked loads stored whole on every row, without a branch."""
    box = op.box()
    if not box:  # one element: the scalar copy
        return False
    size, source_stride, target_stride = box[-1]
    if source_stride != 1 or target_stride != 1:
        return False
    chunk = min(size, most)
    chunks = -(-size // chunk)
    vector_type = VectorType(_element_type(target), [chunk])
    mask_type = VectorType(i1, [chunk])
    static = [int_constant(limit) for limit in op.limits]
    whole = [v is not None and v >= b[0] for v, b in zip(static, box, strict=True)]
    ragged = not whole[-1] or size % chunk != 0
    accumulate = op.accumulate is not None
    # A padded row is stored whole: its masked lanes load as zeros.
    padded_rows = pad and not accumulate and size % chunk == 0
    zeros = zero(emitter, vector_type)
    if pad and not accumulate and not all(whole[:-1] if padded_rows else whole):
        # Clipped rows and columns of the box read as zeros, as the model's.
        def clear(inner: Emitter, variables: list[SSAValue]) -> None:
            row = inner.linear(
                [(b[2], v) for b, v in zip(box[:-1], variables, strict=True)], op.target_offset
            )
            zero_range(inner, target, row, size)

        emitter.loops([emitter.index(b[0]) for b in box[:-1]], clear)
    limits = [emitter.clamp(limit, b[0]) for b, limit in zip(box, op.limits, strict=True)]

    def row(inner: Emitter, variables: list[SSAValue]) -> None:
        outer, piece = variables[: len(box) - 1], variables[len(box) - 1 :]
        start = inner.mul(piece[0], inner.index(chunk)) if piece else None
        read = inner.linear(
            [(b[1], v) for b, v in zip(box[:-1], outer, strict=True)], op.source_offset
        )
        write = inner.linear(
            [(b[2], v) for b, v in zip(box[:-1], outer, strict=True)], op.target_offset
        )
        if start is not None:
            read, write = inner.add(read, start), inner.add(write, start)

        def whole_row(body: Emitter) -> None:
            value = body.insert(vector.LoadOp(source, [read], vector_type)).result
            if accumulate:
                current = body.insert(vector.LoadOp(target, [write], vector_type)).result
                value = element(body, ComputeKind.ADD, [current, value], None)
            body.insert(vector.StoreOp(value, target, [write]))

        if not ragged:
            whole_row(inner)
            return
        remaining = limits[-1] if start is None else inner.sub(limits[-1], start)

        def clipped_row(body: Emitter) -> None:
            mask = body.insert(vector.CreateMaskOp([remaining], mask_type)).mask_vector
            value = body.insert(vector.MaskedLoadOp(source, [read], mask, zeros)).result
            if accumulate:
                current = body.insert(vector.MaskedLoadOp(target, [write], mask, zeros)).result
                value = element(body, ComputeKind.ADD, [current, value], None)
            if padded_rows:
                body.insert(vector.StoreOp(value, target, [write]))
            else:
                body.insert(vector.MaskedStoreOp(target, [write], mask, value))

        if size % chunk or (registers and padded_rows):
            # A register buffer's rows: a branch would split the block, and
            # loads of the other operands (the broadcasts) before it would
            # no longer fold into the executions after it.
            clipped_row(inner)
            return
        # A limit known only at run time clips the tensor's last block alone: the
        # other rows move unmasked, so a load of a row stored just before is
        # forwarded from the store (it is not after a masked store).
        full = inner.insert(arith.CmpiOp(remaining, inner.index(chunk), "sge")).result
        inner.if_else(full, whole_row, clipped_row)

    uppers = limits[:-1] + ([emitter.index(chunks)] if chunks > 1 else [])
    emitter.loops(uppers, row)
    return True
