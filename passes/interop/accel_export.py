"""`convert-accel-to-mlir`: scheduled `accel` programs as upstream MLIR.

Precondition: a verified module of `accel.program`s with their `isa.hardware`
(the output of `isa-schedule`). Every program becomes a `func.func` of the same
name and arguments written in upstream dialects only (`func`, `scf`, `memref`,
`arith`, `math`), which `mlir-opt` accepts and, lowered to LLVM, `mlir-runner`
runs with the numbers of the accelerator model:

- `accel.alloc` / `accel.free` become `memref.alloc` (zeroed, as the model's
  buffers start) / `memref.dealloc`;
- a transfer (`accel.copy`) becomes a loop nest over its box, clipped by its
  limits, on flat views of the two buffers (`memref.reinterpret_cast`); a copy
  into a buffer outside the main memory first zeroes the whole box, and an
  `accumulate` copy adds;
- `accel.wait` and `accel.touch` are dropped (the exported code is
  sequential, and a cache moves its lines itself);
- `accel.fill` becomes a loop storing zeros;
- an instruction execution (`accel.exec`) becomes a call of the instruction's
  microkernel (export_instruction.py) on strided views of its tiles.

The `isa.hardware` and the programs' reference kernels are removed.

With `native=true` the module is meant to be compiled for the CPU it describes
(`isamapper-run --native`): an execution becomes the `vector` ops of its
instruction's statement, inline (export_vector.py); a small buffer in an
instruction's memory (a register station) is a `memref.alloca`, which LLVM can
keep in registers (export_registers.py); the programs' arguments are
`llvm.noalias`, to be lowered with the bare-pointer calling convention (each
memref argument one pointer: `void p(float *A, float *B, float *C)`). With
`harness=true` the pass also emits `func.func @main()` that runs the module's
one program on deterministic inputs and prints what it writes (see
export_harness.py), for `mlir-runner -e main`.

Options:
  harness=true   also emit the `@main` test driver
  native=true    vector ops, register stations on the stack, non-aliasing arguments
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import prod

from xdsl.context import Context
from xdsl.dialects import func, memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    MemRefType,
    ModuleOp,
    SymbolRefAttr,
    UnitAttr,
)
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import PassFailedException

from isamapper_dialect.accel import (
    AllocOp,
    CopyOp,
    ExecOp,
    FillOp,
    FreeOp,
    ProgramOp,
    TouchOp,
    WaitOp,
    memory_of,
)
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.main_memory import main_memory
from isamapper_passes.interop.export_copy import vector_copy, zero_range
from isamapper_passes.interop.export_emitter import (
    Emitter,
    ExportError,
    FlatViews,
    element,
    zero,
)
from isamapper_passes.interop.export_harness import harness
from isamapper_passes.interop.export_instruction import microkernel, microkernel_name
from isamapper_passes.interop.export_registers import (
    RegisterUse,
    one_slot,
    register_chunk,
    register_uses,
    stack_allocations,
)
from isamapper_passes.interop.export_vector import InlineExec


class DropWait(RewritePattern):
    """Transfers complete in order in the exported code: nothing to wait for."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: WaitOp, rewriter: PatternRewriter) -> None:
        rewriter.erase(op)


class DropTouch(RewritePattern):
    """A cache's traffic is the hardware's business: a touch moves no data."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: TouchOp, rewriter: PatternRewriter) -> None:
        rewriter.erase(op)


@dataclass
class LowerAlloc(RewritePattern):
    """A buffer starts at zero, as in the model (kernel buffers rely on it)."""

    views: FlatViews
    on_stack: frozenset[AllocOp] = frozenset()
    """Buffers to allocate with `memref.alloca` (native register stations)."""
    native: bool = False
    """Zero with vector stores."""
    registers: dict[SSAValue, RegisterUse] = field(default_factory=dict)
    """How executions read the stack buffers (export_registers.register_uses)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AllocOp, rewriter: PatternRewriter) -> None:
        memref_type = op.result.type
        assert isinstance(memref_type, MemRefType)
        view = self.views.of(op.result)
        emitter = Emitter(InsertPoint.after(view.owner))
        elements = prod(memref_type.get_shape())
        if self.native:
            chunk = register_chunk(self.registers, op.result)
            zero_range(emitter, view, emitter.index(0), elements, chunk)
        else:
            value = zero(emitter, memref_type.element_type)

            def clear(inner: Emitter, variables: list[SSAValue]) -> None:
                inner.insert(memref.StoreOp.get(value, view, variables))

            emitter.loops([emitter.index(elements)], clear)
        allocation = memref.AllocaOp if op in self.on_stack else memref.AllocOp
        rewriter.replace(
            op, allocation.get(memref_type.element_type, shape=memref_type.get_shape())
        )


@dataclass
class LowerFree(RewritePattern):
    """`accel.free` as `memref.dealloc` (nothing for a stack buffer)."""

    on_stack: frozenset[AllocOp] = frozenset()

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: FreeOp, rewriter: PatternRewriter) -> None:
        owner = op.buffer.owner
        if owner in self.on_stack or isinstance(owner, memref.AllocaOp):
            rewriter.erase(op)
        else:
            rewriter.replace(op, memref.DeallocOp.get(op.buffer))


@dataclass
class LowerFill(RewritePattern):
    """`accel.fill` as a loop of zero stores from its offset (native: vector stores)."""

    views: FlatViews
    native: bool = False
    registers: dict[SSAValue, RegisterUse] = field(default_factory=dict)
    """How executions read the stack buffers (export_registers.register_uses)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: FillOp, rewriter: PatternRewriter) -> None:
        view = self.views.of(op.buffer)
        emitter = Emitter(InsertPoint.before(op))
        if self.native:
            chunk = register_chunk(self.registers, op.buffer)
            zero_range(emitter, view, op.offset, op.size.value.data, chunk)
            rewriter.erase(op)
            return
        value = zero(emitter, view.type.element_type)

        def store(inner: Emitter, variables: list[SSAValue]) -> None:
            inner.insert(memref.StoreOp.get(value, view, [inner.add(op.offset, variables[0])]))

        emitter.loops([emitter.index(op.size.value.data)], store)
        rewriter.erase(op)


@dataclass
class LowerCopy(RewritePattern):
    """`accel.copy` as a loop nest over its box clipped by its limits (see the
    module docstring for padding and `accumulate`)."""

    views: FlatViews
    pads: dict[CopyOp, bool]
    """Per copy, whether it zeroes its destination box first (not in the main memory)."""
    native: bool = False
    """Move contiguous rows as vectors (export_copy.py)."""
    registers: dict[SSAValue, RegisterUse] = field(default_factory=dict)
    """How executions read the stack buffers (export_registers.register_uses)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: CopyOp, rewriter: PatternRewriter) -> None:
        source, target = self.views.of(op.source), self.views.of(op.target)
        box = op.box()
        emitter = Emitter(InsertPoint.before(op))
        chunk = register_chunk(self.registers, op.target, op.source)
        target_use = self.registers.get(op.target)
        scalar = target_use is not None and target_use.broadcast
        if (
            self.native
            and not scalar
            and vector_copy(
                emitter, op, source, target, self.pads[op], chunk, target_use is not None
            )
        ):
            rewriter.erase(op)
            return
        if self.pads[op] and op.accumulate is None:
            value = zero(emitter, target.type.element_type)

            def clear(inner: Emitter, variables: list[SSAValue]) -> None:
                at = inner.linear(
                    [(b[2], v) for b, v in zip(box, variables, strict=True)], op.target_offset
                )
                inner.insert(memref.StoreOp.get(value, target, [at]))

            emitter.loops([emitter.index(b[0]) for b in box], clear)
        sizes = [emitter.clamp(limit, b[0]) for b, limit in zip(box, op.limits, strict=True)]

        def move(inner: Emitter, variables: list[SSAValue]) -> None:
            read = inner.linear(
                [(b[1], v) for b, v in zip(box, variables, strict=True)], op.source_offset
            )
            write = inner.linear(
                [(b[2], v) for b, v in zip(box, variables, strict=True)], op.target_offset
            )
            value = inner.insert(memref.LoadOp.get(source, [read])).res
            if op.accumulate is not None:
                current = inner.insert(memref.LoadOp.get(target, [write])).res
                value = element(inner, ComputeKind.ADD, [current, value], None)
            inner.insert(memref.StoreOp.get(value, target, [write]))

        emitter.loops(sizes, move)
        rewriter.erase(op)


@dataclass(frozen=True)
class Callee:
    """What an execution calls: the microkernel and the types of its tiles."""

    name: str
    tiles: tuple[MemRefType, ...]


@dataclass
class LowerExec(RewritePattern):
    """`accel.exec` as a call of its instruction's microkernel on strided views."""

    callees: dict[ExecOp, Callee]

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ExecOp, rewriter: PatternRewriter) -> None:
        emitter = Emitter(InsertPoint.before(op))
        callee = self.callees[op]
        views: list[SSAValue] = []
        for buffer, offset, strides, tile in zip(
            op.buffers, op.offsets, op.tile_strides(), callee.tiles, strict=True
        ):
            view = memref.ReinterpretCastOp.from_dynamic(
                buffer, [offset], tile.get_shape(), [emitter.index(s) for s in strides], tile
            )
            views.append(emitter.insert(view).result)
        emitter.insert(func.CallOp(callee.name, views, []))
        rewriter.erase(op)


@dataclass
class LowerProgram(RewritePattern):
    """The program, its body already in upstream dialects, as a `func.func`
    (native: with non-aliasing arguments)."""

    native: bool = False

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ProgramOp, rewriter: PatternRewriter) -> None:
        body = op.detach_region(op.body)
        body.block.add_op(func.ReturnOp())
        types = [a.type for a in body.block.args]
        function = func.FuncOp(op.sym_name.data, (types, []), body)
        if self.native:
            function.arg_attrs = ArrayAttr(
                [DictionaryAttr({"llvm.noalias": UnitAttr()}) for _ in types]
            )
        rewriter.replace(op, function)


@dataclass(frozen=True)
class ConvertAccelToMlirPass(ModulePass):
    """Lower scheduled `accel` programs to upstream dialects (see the module docstring)."""

    name = "convert-accel-to-mlir"

    harness: bool = False
    """Also emit `func.func @main()`, a driver that runs the one program on
    deterministic inputs and prints the arguments it writes."""

    native: bool = False
    """Write executions as inline `vector` ops, small buffers of instruction
    memories as stack allocations, and give each program non-aliasing
    arguments, for compiling to the CPU described."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        programs = [p for p in op.body.block.ops if isinstance(p, ProgramOp)]
        if not programs:
            raise PassFailedException(
                "convert-accel-to-mlir: the module has no accel.program (schedule the "
                "kernels first with isa-schedule)."
            )
        pads: dict[CopyOp, bool] = {}
        callees: dict[ExecOp, Callee] = {}
        kernels: dict[str, func.FuncOp] = {}
        on_stack: set[AllocOp] = set()
        registers: dict[SSAValue, RegisterUse] = {}
        for program in programs:
            hardware = program.hardware_op()
            main = main_memory(hardware).sym_name.data
            if self.native:
                chosen = stack_allocations(program)
                on_stack |= chosen
                registers |= register_uses(program, chosen)
                one_slot(program, chosen)
            for inner in program.walk():
                if isinstance(inner, CopyOp):
                    pads[inner] = memory_of(inner.target) != main
                elif isinstance(inner, ExecOp) and not self.native:
                    instruction = inner.instruction_op()
                    name = microkernel_name(hardware.sym_name.data, instruction.sym_name.data)
                    if name not in kernels:
                        kernels[name] = microkernel(instruction, name)
                    tiles = tuple(kernels[name].function_type.inputs.data)
                    callees[inner] = Callee(name, tiles)  # type: ignore[arg-type]
        if self.harness:
            if len(programs) != 1:
                raise PassFailedException(
                    f"convert-accel-to-mlir: harness=true needs exactly one accel.program, "
                    f"the module has {len(programs)}."
                )
            program = programs[0]
            written = program.written_arguments()
            if not written:
                raise PassFailedException(
                    f"convert-accel-to-mlir: harness=true: @{program.sym_name.data} writes none "
                    "of its arguments, so the driver would have nothing to print."
                )
            try:
                driver = harness(
                    program.sym_name.data,
                    [a.type for a in program.arguments],
                    [a in written for a in program.arguments],
                )
            except ExportError as error:
                raise PassFailedException(f"convert-accel-to-mlir: {error}") from None
        views = FlatViews()
        try:
            PatternRewriteWalker(
                GreedyRewritePatternApplier([DropWait(), DropTouch()]), apply_recursively=False
            ).rewrite_module(op)
            PatternRewriteWalker(
                GreedyRewritePatternApplier(
                    [
                        LowerFill(views, self.native, registers),
                        LowerCopy(views, pads, self.native, registers),
                        InlineExec(views) if self.native else LowerExec(callees),
                    ]
                ),
                apply_recursively=False,
            ).rewrite_module(op)
        except ExportError as error:
            raise PassFailedException(f"convert-accel-to-mlir: {error}") from None
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    LowerAlloc(views, frozenset(on_stack), self.native, registers),
                    LowerFree(frozenset(on_stack)),
                ]
            ),
            apply_recursively=False,
        ).rewrite_module(op)
        references = {
            p.attributes["reference"].root_reference.data
            for p in programs
            if isinstance(p.attributes.get("reference"), SymbolRefAttr)
        }
        PatternRewriteWalker(LowerProgram(self.native), apply_recursively=False).rewrite_module(op)
        for top in list(op.body.block.ops):
            if isinstance(top, HardwareOp) or (
                isinstance(top, KernelOp) and top.sym_name.data in references
            ):
                top.detach()
                top.erase()
        first = op.body.block.first_op
        for kernel in kernels.values():
            if first is None:
                op.body.block.add_op(kernel)
            else:
                op.body.block.insert_op_before(kernel, first)
        if self.harness:
            for function in driver:
                op.body.block.add_op(function)
