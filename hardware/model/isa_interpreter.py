"""xDSL interpreter functions for `isa` kernels: their reference semantics.

Values are numpy arrays. `run_kernel` is the entry point the tools use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    MemRefType,
    ModuleOp,
)
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    impl,
    impl_callable,
    register_impls,
)
from xdsl.ir import Attribute

from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_dialect.reference_semantics import evaluate_statement


class UnsupportedTypeError(ValueError):
    """An element type that has no numpy equivalent."""


def numpy_dtype(element_type: Attribute) -> np.dtype:
    """The numpy dtype of an element type (f16/f32/f64, i8..i64)."""
    if isinstance(element_type, Float16Type):
        return np.dtype(np.float16)
    if isinstance(element_type, Float32Type):
        return np.dtype(np.float32)
    if isinstance(element_type, Float64Type):
        return np.dtype(np.float64)
    if isinstance(element_type, IntegerType) and element_type.width.data in (8, 16, 32, 64):
        return np.dtype(f"int{element_type.width.data}")
    raise UnsupportedTypeError(
        f"element type {element_type} has no numpy equivalent; use f16, f32, f64 or i8/i16/i32/i64"
    )


def zeros_for(memref: MemRefType) -> np.ndarray:
    """A zero-filled array of `memref`'s shape and element type."""
    return np.zeros(memref.get_shape(), numpy_dtype(memref.element_type))


@register_impls
class IsaFunctions(InterpreterFunctions):
    """Reference semantics of `isa.kernel`, `isa.buffer` and `isa.compute`."""

    @impl_callable(KernelOp)
    def call_kernel(
        self, interpreter: Interpreter, op: KernelOp, args: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl(BufferOp)
    def run_buffer(
        self, interpreter: Interpreter, op: BufferOp, args: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        assert isinstance(op.result.type, MemRefType)
        return (zeros_for(op.result.type),)

    @impl(ComputeOp)
    def run_compute(
        self, interpreter: Interpreter, op: ComputeOp, args: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        accesses = [op.access(i) for i in range(len(args))]
        evaluate_statement(op.compute_kind, op.extents, accesses, args[0], args[1:])
        return ()


def run_kernel(
    module: ModuleOp, kernel: KernelOp, arrays: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Run `kernel` on copies of `arrays` (keyed by argument name); return them all.

    The caller checks names, shapes and dtypes (see isamapper_tools.kernel_inputs).
    """
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(kernel.arguments)]
    values = [np.array(arrays[name], copy=True) for name in names]
    interpreter = Interpreter(module)
    interpreter.register_implementations(IsaFunctions())
    interpreter.call_op(kernel.sym_name.data, tuple(values))
    return dict(zip(names, values, strict=True))
