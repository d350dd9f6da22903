"""The test driver `convert-accel-to-mlir{harness=true}` emits, and the inputs it
uses, so the accelerator model can run a program on the very same numbers.

Argument `p` of the program, if the program only reads it, holds at flat
element `n` the value `((2654435761 n + 40503 p) div 2^16) mod 7 - 3`. The
multiplicative hash keeps rows and channels from repeating one another; the
values are small integers, so every product and sum of a GEMM or convolution is
exact in float32 and the printed results do not depend on the summation order.
The arguments the program writes start at zero. After the call, `@main` prints
every written argument, in signature order, one element per line with
`printF32` of MLIR's runner utilities (C's `%g`); `print_values` prints the
same lines from numpy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

import numpy as np
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import AnyFloat, Float32Type, MemRefType, i64
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from isamapper_passes.interop.export_emitter import Emitter, ExportError, flat_view, zero

STEP, SHIFT, SCALE, MODULUS, BIAS = 2654435761, 40503, 1 << 16, 7, 3


def pattern_values(shape: Sequence[int], position: int, dtype: np.dtype) -> np.ndarray:
    """The harness's input for argument `position`, as a numpy array."""
    flat = np.arange(prod(shape), dtype=np.int64)
    hashed = (flat * STEP + SHIFT * position) // SCALE
    return (hashed % MODULUS - BIAS).astype(dtype).reshape(shape)


def print_values(arrays: Sequence[np.ndarray]) -> str:
    """What the harness prints for these written arguments (with a final newline)."""
    lines = [f"{float(v):g}" for array in arrays for v in np.asarray(array).reshape(-1)]
    return "".join(line + "\n" for line in lines)


def _fill(emitter: Emitter, buffer: SSAValue, position: int | None) -> None:
    """Store the pattern of argument `position` (zeros when None) into `buffer`."""
    memref_type = buffer.type
    assert isinstance(memref_type, MemRefType)
    element_type = memref_type.element_type
    view = flat_view(emitter, buffer)
    constant = zero(emitter, element_type) if position is None else None

    def store(inner: Emitter, variables: list[SSAValue]) -> None:
        value = constant
        if value is None:
            assert position is not None
            (n,) = variables
            mixed = inner.linear([(STEP, n)], SHIFT * position)
            hashed = inner.insert(arith.DivUIOp(mixed, inner.index(SCALE))).result
            residue = inner.insert(arith.RemUIOp(hashed, inner.index(MODULUS))).result
            shifted = inner.insert(arith.SubiOp(residue, inner.index(BIAS))).result
            as_integer = inner.insert(arith.IndexCastOp(shifted, i64)).result
            assert isinstance(element_type, AnyFloat)  # `harness` takes f32 only
            value = inner.insert(arith.SIToFPOp(as_integer, element_type)).result
        inner.insert(memref.StoreOp.get(value, view, [variables[0]]))

    emitter.loops([emitter.index(prod(memref_type.get_shape()))], store)


def _print(emitter: Emitter, buffer: SSAValue) -> None:
    memref_type = buffer.type
    assert isinstance(memref_type, MemRefType)
    view = flat_view(emitter, buffer)

    def show(inner: Emitter, variables: list[SSAValue]) -> None:
        value = inner.insert(memref.LoadOp.get(view, variables)).res
        inner.insert(func.CallOp("printF32", [value], []))
        inner.insert(func.CallOp("printNewline", [], []))

    emitter.loops([emitter.index(prod(memref_type.get_shape()))], show)


def harness(program: str, types: Sequence[Attribute], written: Sequence[bool]) -> list[func.FuncOp]:
    """`@main` for `program` with these argument types, and the runtime functions
    it calls."""
    for argument_type in types:
        assert isinstance(argument_type, MemRefType)
        if not isinstance(argument_type.element_type, Float32Type):
            raise ExportError(
                f"the harness prints f32 arguments only, not {argument_type} (@{program})"
            )
    block = Block()
    emitter = Emitter(InsertPoint.at_end(block))
    buffers: list[SSAValue] = []
    for position, (argument_type, writes) in enumerate(zip(types, written, strict=True)):
        assert isinstance(argument_type, MemRefType)
        buffer = emitter.insert(
            memref.AllocOp.get(argument_type.element_type, shape=argument_type.get_shape())
        ).memref
        _fill(emitter, buffer, None if writes else position)
        buffers.append(buffer)
    emitter.insert(func.CallOp(program, buffers, []))
    for buffer, writes in zip(buffers, written, strict=True):
        if writes:
            _print(emitter, buffer)
    for buffer in buffers:
        emitter.insert(memref.DeallocOp.get(buffer))
    emitter.insert(func.ReturnOp())
    f32 = Float32Type()
    return [
        func.FuncOp.external("printF32", [f32], []),
        func.FuncOp.external("printNewline", [], []),
        func.FuncOp("main", ([], []), Region(block)),
    ]
