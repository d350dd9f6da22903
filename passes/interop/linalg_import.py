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

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import MemRefType, ModuleOp, TensorType
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.affine_access import Access
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.compute_op import ComputeOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_passes.interop.linalg_body import op_name
from isamapper_passes.interop.linalg_steps import (
    BUFFERIZE,
    PASS_NAME,
    Buffer,
    Fill,
    Free,
    Statement,
    Step,
    bufferize_first,
    check_memref,
    copy_statement,
    fail,
    index_names,
    label,
    step_of,
)

__all__ = ["BUFFERIZE", "PASS_NAME", "ConvertLinalgToIsaPass", "convert_function"]


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

    def fill(self, step: Fill, later: Sequence[Step]) -> None:
        target = step.target
        if self.fresh(target):
            return
        toucher = next((s for s in later if _touches(s, target)), None)
        if isinstance(toucher, Free) or (isinstance(toucher, Statement) and toucher.covers(target)):
            return
        if toucher is None and not isinstance(target, BlockArgument):
            return
        self.current[target] = self.new_buffer(target)

    def statement(self, step: Statement) -> None:
        inputs = [self.current[v] for v in step.inputs]
        output = self.current[step.output]
        if step.output in step.inputs:
            if step.kind.accumulates:
                fail(
                    step.source,
                    f"the multiply-accumulate reads its output {label(step.output)}; "
                    "an isa statement cannot",
                )
            for value, access in zip(step.inputs, step.accesses[1:], strict=True):
                if value is step.output and access != step.accesses[0]:
                    fail(
                        step.source,
                        f"`{op_name(step.source)}` writes {label(step.output)} while "
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
        compute = ComputeOp(kind, output, inputs, index_names(len(extents)), extents, accesses)
        self.add(compute)
        try:
            compute.verify()
        except VerifyException as error:
            message = str(error).splitlines()[0].removeprefix("Operation does not verify: ")
            fail(source, f"the imported statement is not valid: {message}")
        self.written.add(output)

    def build(self, steps: Sequence[Step]) -> None:
        for argument, kernel_argument in zip(
            self.function.body.block.args, self.kernel.body.block.args, strict=True
        ):
            self.current[argument] = kernel_argument
        for position, step in enumerate(steps):
            match step:
                case Buffer(value):
                    self.current[value] = self.new_buffer(value)
                case Fill():
                    self.fill(step, steps[position + 1 :])
                case Statement():
                    if _no_op(step):
                        continue
                    self.statement(step)
                case Free():
                    pass
        for argument, kernel_argument in zip(
            self.function.body.block.args, self.kernel.body.block.args, strict=True
        ):
            if self.current[argument] is not kernel_argument:
                copy = copy_statement(self.function, argument, argument)
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
            fail(self.function, f"@{self.function.sym_name.data} computes nothing to import")


def _no_op(step: Statement) -> bool:
    """True for a copy of each element of a memref onto itself."""
    return (
        step.kind is ComputeKind.COPY
        and step.output is step.inputs[0]
        and step.accesses[0] == step.accesses[1]
    )


def _touches(step: Step, value: SSAValue) -> bool:
    match step:
        case Statement():
            return step.output is value or value in step.inputs
        case Fill(_, target):
            return target is value
        case Free(freed):
            return freed is value
        case Buffer():
            return False


def convert_function(function: func.FuncOp) -> KernelOp | None:
    """The kernel for `function` (None for a declaration); fail when unsupported."""
    if not function.body.blocks:
        return None
    if len(function.body.blocks) != 1:
        fail(function, "the function has several blocks; isa kernels are straight-line")
    outputs = function.function_type.outputs.data
    if any(isinstance(t, TensorType) for t in (*function.function_type.inputs.data, *outputs)):
        bufferize_first(function, f"@{function.sym_name.data}")
    if outputs:
        fail(
            function,
            f"@{function.sym_name.data} returns results; an isa kernel writes its results "
            f"into arguments (bufferize with {BUFFERIZE})",
        )
    arguments = function.body.block.args
    types: list[Attribute] = []
    for argument in arguments:
        types.append(check_memref(function, argument, f"the argument {label(argument)}"))
    steps = [s for s in (step_of(op) for op in function.body.block.ops) if s is not None]
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
