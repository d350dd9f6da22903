"""`convert-linalg-to-isa`: import bufferized linalg functions as `isa.kernel`s.

Each `func.func` of the module becomes an `isa.kernel` of the same name and the same
(memref) arguments, with one `isa.compute` statement per linalg operation; the
function is removed. Functions without a body (declarations) are left alone. Any
operation or form the import does not support fails the pass with a message about
that operation (`isamapper-opt` prints it located at the operation's source line).

Input: memref (bufferized) form, as upstream `mlir-opt` prints it, pretty or generic
(`--mlir-print-op-generic`). Tensor-form functions must be bufferized first:

    mlir-opt --one-shot-bufferize="bufferize-function-boundaries
        function-boundary-type-conversion=identity-layout-map"
        --buffer-results-to-out-params="modify-public-functions"

(LLVM 22: without `modify-public-functions` the results of a public function stay
results; without `identity-layout-map` the arguments get fully dynamic strided
layouts.) The result is an allocation for each result, written by the linalg ops and
copied into the out-parameter with `memref.copy`, which this pass imports too.

Supported operations:

- linalg structured ops, one uniform treatment: `linalg.generic`, `linalg.matmul`
  (with LLVM 22's `indexing_maps` for transposed forms), `linalg.conv_2d_nhwc_hwcf`,
  `linalg.depthwise_conv_2d_nhwc_hwc` (strides, dilations), and xDSL's named
  element-wise ops `linalg.add`, `sub`, `mul`, `exp`, `copy`, `transpose`. The body is
  classified into an isa kind (`linalg_body.py`); each indexing map becomes an access
  (the output's first, then the inputs in the order the body uses them); the loops
  are the indices `d0, d1, ...` in loop order, each loop's extent read off an operand
  dimension whose map result is exactly that loop. Reduction loops are allowed for
  the multiply-accumulate (`+=`) only.
- `linalg.depthwise_conv_2d_nhwc_hwc` is not in xDSL 0.74. `isamapper-opt` parses it
  (`isamapper_dialect/linalg_depthwise.py`); stock `xdsl-opt` only with
  `--allow-unregistered-dialect`, in generic form, as an unregistered op: the pass
  then reads `strides`/`dilations` from its properties (or attributes) and computes
  the indexing maps itself.
- `linalg.fill` with a constant zero (see below); `memref.alloc` / `memref.alloca`
  become `isa.buffer`s (unused ones are dropped); `memref.copy` becomes a copy
  statement; `memref.dealloc` is dropped; `arith.constant` (read by fills and bodies);
  `func.return` without operands.
- A non-accumulating op that writes a memref it also reads, element for element
  (`linalg.add ins(%X, %Y) outs(%X)`, as bufferization produces), writes a fresh
  `isa.buffer` that stands for that memref from there on (as a fill does, below).

`linalg.fill` (isa has no fill statement; an `isa.buffer` starts at zero; a `+=`
statement adds into what its output holds). `fill(0, X)` is dropped when X is a
fresh buffer not written yet, or when the next operation touching X assigns all of X
(a non-accumulating statement whose output covers X and that does not read X), or
frees it, or (X being a buffer) nothing touches X again. Otherwise X is renamed, from
there on, to a new zero `isa.buffer`; when X is a function argument a final statement
`X = copy(buffer)` at the end of the kernel gives the caller the linalg result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import prod
from typing import NoReturn

from xdsl.context import Context
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DenseArrayBase,
    MemRefType,
    ModuleOp,
    NoneAttr,
    ShapedType,
    TensorType,
    UnregisteredOp,
)
from xdsl.dialects.linalg.abstract_ops import LinalgStructuredOperation
from xdsl.dialects.linalg.ops import FillOp
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect import linalg_depthwise as depthwise
from isamapper_dialect.affine_access import Access, AccessRow, NotAffineError, access_from_map
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
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


def _fail(op: Operation, message: str) -> NoReturn:
    raise StatementError(op, f"{PASS_NAME}: {message}")


def _bufferize_first(op: Operation, what: str) -> NoReturn:
    _fail(op, f"{what} is in tensor form; bufferize it first, e.g. with {BUFFERIZE}")


def _label(value: SSAValue) -> str:
    return f"%{value.name_hint}" if value.name_hint else "a value"


def _check_memref(op: Operation, value: SSAValue, what: str) -> MemRefType:
    """`value`'s type, when it is a memref the kernel can hold; else fail."""
    memref = value.type
    if isinstance(memref, TensorType):
        _bufferize_first(op, what)
    if not isinstance(memref, MemRefType):
        _fail(op, f"{what} has type {memref}; isa kernels work on memrefs only")
    if any(d < 0 for d in memref.get_shape()):
        _fail(op, f"{what} has a dynamic shape ({memref}); isa kernels need static shapes")
    if not isinstance(memref.layout, NoneAttr):
        _fail(
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
            _bufferize_first(op, f"`{op.name}`")
        inputs, outputs = tuple(op.inputs), tuple(op.outputs)
        for value in (*inputs, *outputs):
            if isinstance(value.type, TensorType):
                _bufferize_first(op, f"`{op.name}`")
        if len(outputs) != 1:
            _fail(op, f"`{op.name}` has {len(outputs)} outputs; an isa statement has one")
        for value in inputs:
            if not isinstance(value.type, ShapedType):
                _fail(
                    op,
                    f"`{op.name}` reads the scalar {_label(value)} ({value.type}); isa "
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
        _fail(op, f"`{depthwise.NAME}`: {error}")


def _unregistered_depthwise(op: UnregisteredOp) -> _Structured:
    """The depthwise convolution parsed as an unregistered op (stock xdsl-opt with
    --allow-unregistered-dialect): its maps follow from its strides and dilations."""
    if op.results:
        _bufferize_first(op, f"`{depthwise.NAME}`")
    segments = op.properties.get("operandSegmentSizes", op.attributes.get("operandSegmentSizes"))
    sizes = segments.get_values() if isinstance(segments, DenseArrayBase) else (2, 1)
    if tuple(sizes) != (2, 1) or len(op.operands) != 3 or len(op.regions) != 1:
        _fail(op, f"`{depthwise.NAME}` needs two inputs, one output and a body")
    if not op.regions[0].blocks:
        _fail(op, f"`{depthwise.NAME}` has an empty body")
    return _Structured(
        tuple(op.operands[:2]),
        op.operands[2],
        depthwise.indexing_maps(_window(op, "strides"), _window(op, "dilations")),
        tuple(t.value for t in depthwise.ITERATOR_TYPES),
        op.regions[0].blocks[0],
    )


# ---- steps: what each operation of the function does -----------------------------


@dataclass(frozen=True)
class _Statement:
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
class _Buffer:
    value: SSAValue


@dataclass(frozen=True)
class _Fill:
    source: Operation
    target: SSAValue


@dataclass(frozen=True)
class _Free:
    value: SSAValue


_Step = _Statement | _Buffer | _Fill | _Free


def _names(count: int) -> tuple[str, ...]:
    return tuple(f"d{d}" for d in range(count))


def _identity(rank: int) -> Access:
    return tuple(AccessRow(tuple(int(d == r) for d in range(rank)), 0) for r in range(rank))


def _copy(source: Operation, target: SSAValue, value: SSAValue) -> _Statement:
    assert isinstance(target.type, MemRefType)
    shape = tuple(target.type.get_shape())
    if not shape:
        _fail(source, "a copy of a rank-0 memref has no index for an isa statement")
    access = _identity(len(shape))
    return _Statement(source, ComputeKind.COPY, target, (value,), shape, (access, access))


def _statement(op: Operation, parts: _Structured) -> _Statement:
    name = op_name(op)
    try:
        body = classify_body(parts.body, len(parts.inputs))
    except UnsupportedBody as error:
        _fail(op, f"`{name}`: {error}")
    operands = (parts.output, *parts.inputs)
    for value in operands:
        _check_memref(op, value, f"the operand {_label(value)} of `{name}`")
    if not body.kind.accumulates:
        reductions = [f"d{d}" for d, t in enumerate(parts.iterators) if t != "parallel"]
        if reductions:
            _fail(
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
            _fail(
                op,
                f"`{name}`: no operand dimension is indexed by loop d{d} alone, so its "
                "extent is unknown",
            )
        extents.append(extent)
    accesses: list[Access] = []
    for value, affine_map in zip(operands, maps, strict=True):
        if affine_map.num_dims != num_loops:
            _fail(op, f"`{name}`: the map {affine_map} is not over the {num_loops} loops")
        try:
            accesses.append(access_from_map(affine_map))
        except NotAffineError as error:
            _fail(op, f"`{name}`: the map of {_label(value)}, {affine_map}, {error}")
    order = (0, *(1 + p for p in body.inputs))
    return _Statement(
        op,
        body.kind,
        parts.output,
        tuple(parts.inputs[p] for p in body.inputs),
        tuple(extents),
        tuple(accesses[i] for i in order),
    )


def _fill(op: FillOp) -> _Fill:
    if op.res or any(isinstance(v.type, TensorType) for v in op.operands):
        _bufferize_first(op, "`linalg.fill`")
    if len(op.inputs) != 1 or len(op.outputs) != 1:
        _fail(op, "`linalg.fill` needs one value and one output")
    target = op.outputs[0]
    _check_memref(op, target, f"the output {_label(target)} of `linalg.fill`")
    value = constant_value(op.inputs[0])
    if value is None:
        _fail(
            op,
            "`linalg.fill` with a value that is not an arith.constant; only a fill with "
            "zero is supported (an isa.buffer starts at zero)",
        )
    if value != 0:
        _fail(
            op,
            f"`linalg.fill` of {_label(target)} with {value:g}; isa has no fill statement, "
            "only buffers that start at zero, so only a fill with zero is supported",
        )
    return _Fill(op, target)


def _step(op: Operation) -> _Step | None:
    """What `op` contributes to the kernel (None: nothing); fail if unsupported."""
    if isinstance(op, arith.ConstantOp):
        return None
    if isinstance(op, func.ReturnOp):
        if op.operands:
            _fail(
                op,
                "the function returns values; an isa kernel writes its results into "
                f"arguments (bufferize with {BUFFERIZE})",
            )
        return None
    if isinstance(op, memref.AllocOp | memref.AllocaOp):
        _check_memref(op, op.memref, f"`{op.name}`")
        return _Buffer(op.memref)
    if isinstance(op, memref.DeallocOp):
        return _Free(op.memref)
    if isinstance(op, memref.CopyOp):
        for value in op.operands:
            _check_memref(op, value, f"the operand {_label(value)} of `memref.copy`")
        return _copy(op, op.destination, op.source)
    if isinstance(op, FillOp):
        return _fill(op)
    parts = _structured(op)
    if parts is not None:
        return _statement(op, parts)
    name = op_name(op)
    for value in (*op.operands, *op.results):
        if isinstance(value.type, TensorType):
            _bufferize_first(op, f"`{name}`")
    why = (
        "it is not a linalg op the import knows"
        if name.startswith("linalg.")
        else "isa kernels hold only linalg computations on memrefs"
    )
    _fail(op, f"`{name}` is not supported ({why}; supported: {_SUPPORTED})")


# ---- building the kernel ------------------------------------------------------


@dataclass
class _KernelBuilder:
    """Emits a function's steps into a kernel, tracking which buffer stands for
    which of the function's memrefs."""

    function: func.FuncOp
    kernel: KernelOp
    current: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])
    """The kernel value that holds each function memref's contents now."""
    written: set[SSAValue] = field(default_factory=set[SSAValue])
    """Kernel buffers some statement has written."""

    def add(self, op: Operation) -> None:
        self.kernel.body.block.add_op(op)

    def new_buffer(self, like: SSAValue) -> SSAValue:
        assert isinstance(like.type, MemRefType)
        buffer = BufferOp(like.type)
        buffer.result.name_hint = like.name_hint
        self.add(buffer)
        return buffer.result

    def fresh(self, value: SSAValue) -> bool:
        """True when `value` holds zeros: a buffer nothing has written yet."""
        current = self.current[value]
        return isinstance(current.owner, BufferOp) and current not in self.written

    def fill(self, step: _Fill, later: Sequence[_Step]) -> None:
        target = step.target
        if self.fresh(target):
            return
        toucher = next((s for s in later if _touches(s, target)), None)
        if isinstance(toucher, _Free) or (
            isinstance(toucher, _Statement) and toucher.covers(target)
        ):
            return
        if toucher is None and not isinstance(target, BlockArgument):
            return
        self.current[target] = self.new_buffer(target)

    def statement(self, step: _Statement) -> None:
        inputs = [self.current[v] for v in step.inputs]
        output = self.current[step.output]
        if step.output in step.inputs:
            if step.kind.accumulates:
                _fail(
                    step.source,
                    f"the multiply-accumulate reads its output {_label(step.output)}; "
                    "an isa statement cannot",
                )
            for value, access in zip(step.inputs, step.accesses[1:], strict=True):
                if value is step.output and access != step.accesses[0]:
                    _fail(
                        step.source,
                        f"`{op_name(step.source)}` writes {_label(step.output)} while "
                        "reading other elements of it; an isa statement cannot",
                    )
            output = self.new_buffer(step.output)
            self.current[step.output] = output
        self.emit(step.source, step.kind, output, inputs, step.extents, step.accesses)

    def emit(
        self,
        source: Operation,
        kind: ComputeKind,
        output: SSAValue,
        inputs: Sequence[SSAValue],
        extents: Sequence[int],
        accesses: Sequence[Access],
    ) -> None:
        """Add `isa.compute` over kernel values; fail at `source` if it is not valid."""
        compute = ComputeOp(kind, output, inputs, _names(len(extents)), extents, accesses)
        self.add(compute)
        try:
            compute.verify()
        except VerifyException as error:
            message = str(error).splitlines()[0].removeprefix("Operation does not verify: ")
            _fail(source, f"the imported statement is not valid: {message}")
        self.written.add(output)

    def build(self, steps: Sequence[_Step]) -> None:
        for argument, kernel_argument in zip(
            self.function.body.block.args, self.kernel.body.block.args, strict=True
        ):
            self.current[argument] = kernel_argument
        for position, step in enumerate(steps):
            match step:
                case _Buffer(value):
                    self.current[value] = self.new_buffer(value)
                case _Fill():
                    self.fill(step, steps[position + 1 :])
                case _Statement():
                    if _no_op(step):
                        continue
                    self.statement(step)
                case _Free():
                    pass
        for argument, kernel_argument in zip(
            self.function.body.block.args, self.kernel.body.block.args, strict=True
        ):
            if self.current[argument] is not kernel_argument:
                copy = _copy(self.function, argument, argument)
                self.emit(
                    self.function,
                    ComputeKind.COPY,
                    kernel_argument,
                    [self.current[argument]],
                    copy.extents,
                    copy.accesses,
                )
        for op in list(self.kernel.body.block.ops):
            if isinstance(op, BufferOp) and not op.result.uses:
                op.detach()
                op.erase()
        if not self.kernel.statements:
            _fail(self.function, f"@{self.function.sym_name.data} computes nothing to import")


def _no_op(step: _Statement) -> bool:
    """True for a copy of each element of a memref onto itself."""
    return (
        step.kind is ComputeKind.COPY
        and step.output is step.inputs[0]
        and step.accesses[0] == step.accesses[1]
    )


def _touches(step: _Step, value: SSAValue) -> bool:
    match step:
        case _Statement():
            return step.output is value or value in step.inputs
        case _Fill(_, target):
            return target is value
        case _Free(freed):
            return freed is value
        case _Buffer():
            return False


def convert_function(function: func.FuncOp) -> KernelOp | None:
    """The kernel for `function` (None for a declaration); fail when unsupported."""
    if not function.body.blocks:
        return None
    if len(function.body.blocks) != 1:
        _fail(function, "the function has several blocks; isa kernels are straight-line")
    outputs = function.function_type.outputs.data
    if any(isinstance(t, TensorType) for t in (*function.function_type.inputs.data, *outputs)):
        _bufferize_first(function, f"@{function.sym_name.data}")
    if outputs:
        _fail(
            function,
            f"@{function.sym_name.data} returns results; an isa kernel writes its results "
            f"into arguments (bufferize with {BUFFERIZE})",
        )
    arguments = function.body.block.args
    types: list[Attribute] = []
    for argument in arguments:
        types.append(_check_memref(function, argument, f"the argument {_label(argument)}"))
    steps = [s for s in (_step(op) for op in function.body.block.ops) if s is not None]
    kernel = KernelOp(function.sym_name.data, types)
    for argument, kernel_argument in zip(arguments, kernel.body.block.args, strict=True):
        kernel_argument.name_hint = argument.name_hint
    _KernelBuilder(function, kernel).build(steps)
    return kernel


@dataclass(frozen=True)
class ConvertLinalgToIsaPass(ModulePass):
    """Replace each func.func of linalg on memrefs by an isa.kernel."""

    name = PASS_NAME

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = [f for f in op.walk() if isinstance(f, func.FuncOp)]
        kernels = [(f, convert_function(f)) for f in functions]
        for function, kernel in kernels:
            if kernel is None:
                continue
            parent = function.parent_block()
            assert parent is not None
            parent.insert_op_before(kernel, function)
            function.detach()
            function.erase()
