"""What each operation of a bufferized linalg function contributes to its
`isa.kernel` (`convert-linalg-to-isa`, `linalg_import.py`): a statement, a
buffer, a fill or a free, or nothing; the located message when it is not
supported. The rules are in `linalg_import`'s docstring."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import NoReturn

from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DenseArrayBase,
    MemRefType,
    NoneAttr,
    ShapedType,
    TensorType,
    UnregisteredOp,
)
from xdsl.dialects.linalg.abstract_ops import LinalgStructuredOperation
from xdsl.dialects.linalg.ops import FillOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap

from isamapper_dialect import linalg_depthwise as depthwise
from isamapper_dialect.affine_access import Access, AccessRow, NotAffineError, access_from_map
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_passes.interop.linalg_body import (
    UnsupportedBody,
    classify_body,
    constant_value,
    op_name,
)
from isamapper_passes.statement_error import StatementError

PASS_NAME = "convert-linalg-to-isa"

BUFFERIZE = (
    'mlir-opt --one-shot-bufferize="bufferize-function-boundaries '
    'function-boundary-type-conversion=identity-layout-map" '
    '--buffer-results-to-out-params="modify-public-functions"'
)
"""The upstream command that brings tensor-form linalg to the form this pass reads."""

_SUPPORTED = (
    "linalg.generic, linalg.matmul, linalg.conv_2d_nhwc_hwcf, "
    "linalg.depthwise_conv_2d_nhwc_hwc, linalg.add/sub/mul/exp/copy/transpose, "
    "linalg.fill with zero, memref.alloc/alloca/copy/dealloc, arith.constant, func.return"
)


def fail(op: Operation, message: str) -> NoReturn:
    raise StatementError(op, f"{PASS_NAME}: {message}")


def bufferize_first(op: Operation, what: str) -> NoReturn:
    fail(op, f"{what} is in tensor form; bufferize it first, e.g. with {BUFFERIZE}")


def label(value: SSAValue) -> str:
    return f"%{value.name_hint}" if value.name_hint else "a value"


def check_memref(op: Operation, value: SSAValue, what: str) -> MemRefType:
    """`value`'s type, when it is a memref the kernel can hold; else fail."""
    memref = value.type
    if isinstance(memref, TensorType):
        bufferize_first(op, what)
    if not isinstance(memref, MemRefType):
        fail(op, f"{what} has type {memref}; isa kernels work on memrefs only")
    if any(d < 0 for d in memref.get_shape()):
        fail(op, f"{what} has a dynamic shape ({memref}); isa kernels need static shapes")
    if not isinstance(memref.layout, NoneAttr):
        fail(
            op,
            f"{what} has a layout ({memref}); isa kernels take identity-layout memrefs "
            "(bufferize with function-boundary-type-conversion=identity-layout-map)",
        )
    return memref


# ---- the structured ops --------------------------------------------------------


@dataclass(frozen=True)
class _Structured:
    """A linalg structured op, registered or (the depthwise convolution) not."""

    inputs: tuple[SSAValue, ...]
    output: SSAValue
    maps: tuple[AffineMap, ...]
    """One per operand: the inputs', then the output's."""
    iterators: tuple[str, ...]
    body: Block


def _structured(op: Operation) -> _Structured | None:
    """The parts of a structured op, None for any other op."""
    if isinstance(op, LinalgStructuredOperation):
        if op.res:
            bufferize_first(op, f"`{op.name}`")
        inputs, outputs = tuple(op.inputs), tuple(op.outputs)
        for value in (*inputs, *outputs):
            if isinstance(value.type, TensorType):
                bufferize_first(op, f"`{op.name}`")
        if len(outputs) != 1:
            fail(op, f"`{op.name}` has {len(outputs)} outputs; an isa statement has one")
        for value in inputs:
            if not isinstance(value.type, ShapedType):
                fail(
                    op,
                    f"`{op.name}` reads the scalar {label(value)} ({value.type}); isa "
                    "statements read memrefs only (use the constant in the body)",
                )
        return _Structured(
            inputs,
            outputs[0],
            tuple(m.data for m in op.get_indexing_maps().data),
            tuple(t.data.value for t in op.get_iterator_types().data),
            op.body.block,
        )
    if isinstance(op, UnregisteredOp) and op_name(op) == depthwise.NAME:
        return _unregistered_depthwise(op)
    return None


def _window(op: Operation, name: str) -> tuple[int, int]:
    attribute = op.properties.get(name, op.attributes.get(name))
    try:
        return depthwise.window_values(attribute, name)
    except ValueError as error:
        fail(op, f"`{depthwise.NAME}`: {error}")


def _unregistered_depthwise(op: UnregisteredOp) -> _Structured:
    """The depthwise convolution parsed as an unregistered op (stock xdsl-opt with
    --allow-unregistered-dialect): its maps follow from its strides and dilations."""
    if op.results:
        bufferize_first(op, f"`{depthwise.NAME}`")
    segments = op.properties.get("operandSegmentSizes", op.attributes.get("operandSegmentSizes"))
    sizes = segments.get_values() if isinstance(segments, DenseArrayBase) else (2, 1)
    if tuple(sizes) != (2, 1) or len(op.operands) != 3 or len(op.regions) != 1:
        fail(op, f"`{depthwise.NAME}` needs two inputs, one output and a body")
    if not op.regions[0].blocks:
        fail(op, f"`{depthwise.NAME}` has an empty body")
    return _Structured(
        tuple(op.operands[:2]),
        op.operands[2],
        depthwise.indexing_maps(_window(op, "strides"), _window(op, "dilations")),
        tuple(t.value for t in depthwise.ITERATOR_TYPES),
        op.regions[0].blocks[0],
    )


# ---- steps: what each operation of the function does -----------------------------


@dataclass(frozen=True)
class Statement:
    """`output = kind(inputs)` (or `+=`), in terms of the function's values."""

    source: Operation
    kind: ComputeKind
    output: SSAValue
    inputs: tuple[SSAValue, ...]
    extents: tuple[int, ...]
    accesses: tuple[Access, ...]
    """The output's access, then the inputs'."""

    def covers(self, value: SSAValue) -> bool:
        """True when this statement assigns every element of `value` without reading it."""
        if self.output is not value or self.kind.accumulates or value in self.inputs:
            return False
        assert isinstance(value.type, MemRefType)
        # An assignment writes each element once (the verifier checks it), in bounds.
        return prod(self.extents) == prod(value.type.get_shape())


@dataclass(frozen=True)
class Buffer:
    value: SSAValue


@dataclass(frozen=True)
class Fill:
    source: Operation
    target: SSAValue


@dataclass(frozen=True)
class Free:
    value: SSAValue


Step = Statement | Buffer | Fill | Free


def index_names(count: int) -> tuple[str, ...]:
    return tuple(f"d{d}" for d in range(count))


def _identity(rank: int) -> Access:
    return tuple(AccessRow(tuple(int(d == r) for d in range(rank)), 0) for r in range(rank))


def copy_statement(source: Operation, target: SSAValue, value: SSAValue) -> Statement:
    assert isinstance(target.type, MemRefType)
    shape = tuple(target.type.get_shape())
    if not shape:
        fail(source, "a copy of a rank-0 memref has no index for an isa statement")
    access = _identity(len(shape))
    return Statement(source, ComputeKind.COPY, target, (value,), shape, (access, access))


def _statement(op: Operation, parts: _Structured) -> Statement:
    name = op_name(op)
    try:
        body = classify_body(parts.body, len(parts.inputs))
    except UnsupportedBody as error:
        fail(op, f"`{name}`: {error}")
    operands = (parts.output, *parts.inputs)
    for value in operands:
        check_memref(op, value, f"the operand {label(value)} of `{name}`")
    if not body.kind.accumulates:
        reductions = [f"d{d}" for d, t in enumerate(parts.iterators) if t != "parallel"]
        if reductions:
            fail(
                op,
                f"`{name}` has {', '.join(reductions)} as non-parallel loops but its body "
                f"is an assignment ({body.kind.value}); only a multiply-accumulate "
                "(`out + a*b`) may reduce",
            )
    maps = (parts.maps[-1], *parts.maps[:-1])
    num_loops = len(parts.iterators)
    extents: list[int] = []
    for d in range(num_loops):
        extent = next(
            (
                value.type.get_shape()[position]
                for value, affine_map in zip(operands, maps, strict=True)
                if isinstance(value.type, MemRefType)
                for position, result in enumerate(affine_map.results)
                if isinstance(result, AffineDimExpr) and result.position == d
            ),
            None,
        )
        if extent is None:
            fail(
                op,
                f"`{name}`: no operand dimension is indexed by loop d{d} alone, so its "
                "extent is unknown",
            )
        extents.append(extent)
    accesses: list[Access] = []
    for value, affine_map in zip(operands, maps, strict=True):
        if affine_map.num_dims != num_loops:
            fail(op, f"`{name}`: the map {affine_map} is not over the {num_loops} loops")
        try:
            accesses.append(access_from_map(affine_map))
        except NotAffineError as error:
            fail(op, f"`{name}`: the map of {label(value)}, {affine_map}, {error}")
    order = (0, *(1 + p for p in body.inputs))
    return Statement(
        op,
        body.kind,
        parts.output,
        tuple(parts.inputs[p] for p in body.inputs),
        tuple(extents),
        tuple(accesses[i] for i in order),
    )


def _fill(op: FillOp) -> Fill:
    if op.res or any(isinstance(v.type, TensorType) for v in op.operands):
        bufferize_first(op, "`linalg.fill`")
    if len(op.inputs) != 1 or len(op.outputs) != 1:
        fail(op, "`linalg.fill` needs one value and one output")
    target = op.outputs[0]
    check_memref(op, target, f"the output {label(target)} of `linalg.fill`")
    value = constant_value(op.inputs[0])
    if value is None:
        fail(
            op,
            "`linalg.fill` with a value that is not an arith.constant; only a fill with "
            "zero is supported (an isa.buffer starts at zero)",
        )
    if value != 0:
        fail(
            op,
            f"`linalg.fill` of {label(target)} with {value:g}; isa has no fill statement, "
            "only buffers that start at zero, so only a fill with zero is supported",
        )
    return Fill(op, target)


def step_of(op: Operation) -> Step | None:
    """What `op` contributes to the kernel (None: nothing); fail if unsupported."""
    if isinstance(op, arith.ConstantOp):
        return None
    if isinstance(op, func.ReturnOp):
        if op.operands:
            fail(
                op,
                "the function returns values; an isa kernel writes its results into "
                f"arguments (bufferize with {BUFFERIZE})",
            )
        return None
    if isinstance(op, memref.AllocOp | memref.AllocaOp):
        check_memref(op, op.memref, f"`{op.name}`")
        return Buffer(op.memref)
    if isinstance(op, memref.DeallocOp):
        return Free(op.memref)
    if isinstance(op, memref.CopyOp):
        for value in op.operands:
            check_memref(op, value, f"the operand {label(value)} of `memref.copy`")
        return copy_statement(op, op.destination, op.source)
    if isinstance(op, FillOp):
        return _fill(op)
    parts = _structured(op)
    if parts is not None:
        return _statement(op, parts)
    name = op_name(op)
    for value in (*op.operands, *op.results):
        if isinstance(value.type, TensorType):
            bufferize_first(op, f"`{name}`")
    why = (
        "it is not a linalg op the import knows"
        if name.startswith("linalg.")
        else "isa kernels hold only linalg computations on memrefs"
    )
    fail(op, f"`{name}` is not supported ({why}; supported: {_SUPPORTED})")
