"""The semantics of the `accel` ops on the model (`@impl`s): copies move their
strided box, executions apply the instruction's own `isa.compute` to strided
views of its tiles, and both are timed on the engines' and units' timelines
(the rules are in the package docstring, `isamapper_hardware.model`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import MemRefType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    impl,
    impl_callable,
    register_impls,
)

from isamapper_dialect.accel import (
    AllocOp,
    CopyOp,
    ExecOp,
    FillOp,
    FreeOp,
    ProgramOp,
    TouchOp,
    WaitOp,
)
from isamapper_hardware.model.isa_interpreter import numpy_dtype
from isamapper_hardware.model.machine import Machine, ModelError, Token
from isamapper_hardware.model.op_facts import (
    BoxFacts,
    ExecFacts,
    box_addresses,
    copy_facts,
    exec_facts,
    tile_view,
    touch_facts,
)


@register_impls
class AccelFunctions(InterpreterFunctions):
    """Interpreter functions of the `accel` dialect (see the module docstring).

    What each copy and execution needs from its op (engine, box, instruction,
    shapes, evaluator) is looked up once per op and kept.
    """

    def __init__(self, machine: Machine):
        self.machine = machine
        # By id(op): xDSL's Operation.__hash__ is a Python call, and these are
        # looked up at every run of the op (the ops outlive the run).
        self._copies: dict[int, BoxFacts] = {}
        self._touches: dict[int, BoxFacts] = {}
        self._execs: dict[int, ExecFacts] = {}
        self._boxes: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray] = {}
        self.direct: dict[type, Callable[[Any, tuple[Any, ...]], tuple[Any, ...]]] = {
            AllocOp: self.alloc,
            FreeOp: self.free,
            CopyOp: self.copy,
            TouchOp: self.touch,
            WaitOp: self.wait,
            FillOp: self.fill,
            ExecOp: self.execute,
        }
        """The functions below by op type, for `FastForwardingScf`'s compiled loops."""

    @impl_callable(ProgramOp)
    def call_program(self, interpreter: Interpreter, op: ProgramOp, args: tuple[Any, ...]):
        machine = self.machine
        for array in args:
            machine.buffer(array)
        main = machine.hardware.main
        machine.live[main] = machine.live.get(main, 0) + sum(array.nbytes for array in args)
        capacity = machine.hardware.memories[main][0]
        if machine.live[main] > capacity:
            raise ModelError(
                f"the program's arguments need {machine.live[main]} bytes of the main memory "
                f"@{main}, capacity {capacity}"
            )
        return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl(AllocOp)
    def run_alloc(self, interpreter: Interpreter, op: AllocOp, args: tuple[Any, ...]):
        return self.alloc(op, args)

    @impl(FreeOp)
    def run_free(self, interpreter: Interpreter, op: FreeOp, args: tuple[Any, ...]):
        return self.free(op, args)

    @impl(CopyOp)
    def run_copy(self, interpreter: Interpreter, op: CopyOp, args: tuple[Any, ...]):
        return self.copy(op, args)

    @impl(TouchOp)
    def run_touch(self, interpreter: Interpreter, op: TouchOp, args: tuple[Any, ...]):
        return self.touch(op, args)

    @impl(WaitOp)
    def run_wait(self, interpreter: Interpreter, op: WaitOp, args: tuple[Any, ...]):
        return self.wait(op, args)

    @impl(FillOp)
    def run_fill(self, interpreter: Interpreter, op: FillOp, args: tuple[Any, ...]):
        return self.fill(op, args)

    @impl(ExecOp)
    def run_exec(self, interpreter: Interpreter, op: ExecOp, args: tuple[Any, ...]):
        return self.execute(op, args)

    def alloc(self, op: AllocOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        machine = self.machine
        memref = op.result.type
        assert isinstance(memref, MemRefType)
        memory = op.memory.root_reference.data
        array = np.zeros(memref.get_shape(), numpy_dtype(memref.element_type))
        machine.live[memory] = machine.live.get(memory, 0) + array.nbytes
        capacity = machine.hardware.memories[memory][0]
        if machine.live[memory] > capacity:
            raise ModelError(
                f"accel.alloc overflows @{memory}: {machine.live[memory]} bytes live, "
                f"capacity {capacity}"
            )
        slots = op.slot_count
        machine.buffers[id(array)] = machine.new_buffer(memory, slots, array.size // slots)
        return (array,)

    def free(self, op: FreeOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        (array,) = args
        buffer = self.machine.buffer(array)
        self.machine.live[buffer.memory] -= array.nbytes
        return ()

    def _box(self, sizes: tuple[int, ...], strides: tuple[int, ...]) -> np.ndarray:
        """Element offsets of a box from its base (kept per sizes and strides)."""
        key = (sizes, strides)
        offsets = self._boxes.get(key)
        if offsets is None:
            offsets = self._boxes[key] = box_addresses(0, sizes, strides)
        return offsets

    def copy(self, op: CopyOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        machine = self.machine
        machine.count_operation()
        source, source_offset, target, target_offset, *limits = args
        info = self._copies.get(id(op))
        if info is None:
            info = self._copies[id(op)] = copy_facts(op, machine.engines, source.itemsize)
        engine = info.engine
        run = info.run(limits)
        src = machine.buffer(source)
        dst = machine.buffer(target)
        if machine.functional:
            flat_target = target.reshape(-1)
            if not info.accumulate:
                if dst.memory != machine.hardware.main:
                    flat_target[target_offset + self._box(info.sizes, info.target_strides)] = 0
            if run.elements:
                read = source_offset + self._box(run.sizes, info.source_strides)
                write = target_offset + self._box(run.sizes, info.target_strides)
                values = source.reshape(-1)[read]
                if info.accumulate:
                    np.add.at(flat_target, write, values)
                else:
                    flat_target[write] = values
        data = run.elements * source.itemsize
        src_slot = src.slot(source_offset)
        dst_slot = dst.slot(target_offset)
        start = max(
            machine.engine_free[engine.name],
            src.ready[src_slot],
            src.written[src_slot],
            dst.free[dst_slot],
            # Read through a cache: once its lines are there.
            src.cached.get(engine.source, 0.0) if src.memory != engine.source else 0.0,
        )
        duration = run.duration
        done = start + run.trip
        machine.engine_free[engine.name] = start + duration
        dst.ready[dst_slot] = max(dst.ready[dst_slot], done)
        if dst.memory != engine.target and engine.target in dst.cached:
            dst.cached[engine.target] = max(dst.cached[engine.target], done)
        src.free[src_slot] = max(src.free[src_slot], done)
        stats = machine.stats
        stats.busy[info.busy] = stats.busy.get(info.busy, 0.0) + duration
        bytes_moved = stats.bytes_moved
        for memory in (engine.source, engine.target):
            bytes_moved[memory] = bytes_moved.get(memory, 0.0) + data
        stats.engine_bytes[engine.name] = stats.engine_bytes.get(engine.name, 0.0) + data
        machine.end = max(machine.end, done)
        if machine.tracing:
            machine.record(engine.name, start, duration, engine.name)
        return (Token(done),)

    def touch(self, op: TouchOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """A cached block's traffic on its engine, after the lines arrived in the
        level above; transfers reading the buffer through the cache below wait for
        it. No data moves."""
        machine = self.machine
        machine.count_operation()
        array, offset, *limits = args
        info = self._touches.get(id(op))
        if info is None:
            info = self._touches[id(op)] = touch_facts(
                op, machine.engines, array.itemsize, machine.warm_engines
            )
        engine = info.engine
        run = info.run(limits)
        data = run.elements * array.itemsize
        buffer = machine.buffer(array)
        slot = buffer.slot(offset)
        # The lines leave the level above once there (or, from the buffer's own
        # memory, once written); a write-back into it makes the buffer ready.
        above = buffer.cached.get(engine.source)
        if above is None:
            above = max(buffer.ready[slot], buffer.written[slot])
        start = max(machine.engine_free[engine.name], above)
        duration = run.duration
        done = start + run.trip
        machine.engine_free[engine.name] = start + duration
        if engine.target in buffer.cached:
            buffer.cached[engine.target] = max(buffer.cached[engine.target], done)
        else:
            buffer.ready[slot] = max(buffer.ready[slot], done)
        stats = machine.stats
        if not info.free:
            stats.busy[info.busy] = stats.busy.get(info.busy, 0.0) + duration
            for memory in (engine.source, engine.target):
                stats.bytes_moved[memory] = stats.bytes_moved.get(memory, 0.0) + data
            stats.engine_bytes[engine.name] = stats.engine_bytes.get(engine.name, 0.0) + data
        machine.end = max(machine.end, done)
        if machine.tracing:
            machine.record(engine.name, start, duration, engine.name)
        return (Token(done),)

    def wait(self, op: WaitOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        for token in args:
            self.machine.issue = max(self.machine.issue, token.time)
        return ()

    def fill(self, op: FillOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        array, offset = args
        if self.machine.functional:
            array.reshape(-1)[offset : offset + op.size.value.data] = 0
        buffer = self.machine.buffer(array)
        slot = buffer.slot(offset)
        buffer.ready[slot] = max(self.machine.issue, buffer.free[slot], buffer.ready[slot])
        return ()

    def exec_info(self, op: ExecOp) -> ExecFacts:
        """The facts of an execution (looked up once per op)."""
        info = self._execs.get(id(op))
        if info is None:
            info = self._execs[id(op)] = exec_facts(op)
        return info

    def execute(self, op: ExecOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        machine = self.machine
        machine.count_operation()
        info = self._execs.get(id(op))
        if info is None:
            info = self._execs[id(op)] = exec_facts(op)
        count = len(info.shapes)
        arrays, offsets = args[:count], args[count:]
        if machine.functional:
            views = [
                tile_view(array, offset, shape, strides)
                for array, offset, shape, strides in zip(
                    arrays, offsets, info.shapes, info.strides, strict=True
                )
            ]
            order = info.order
            info.evaluate(views[order[0]], [views[p] for p in order[1:]])
        clocks = machine.unit_free[info.unit]
        which = min(range(len(clocks)), key=clocks.__getitem__) if len(clocks) > 1 else 0
        output_position = info.output_position
        buffers = [machine.buffer(array) for array in arrays]
        slots = [buffer.slot(offset) for buffer, offset in zip(buffers, offsets, strict=True)]
        ready = machine.issue
        for position, buffer in enumerate(buffers):
            ready = max(ready, buffer.ready[slots[position]])
            if position == output_position:
                ready = max(
                    ready, machine.tiles.get((id(arrays[position]), offsets[position]), 0.0)
                )
            else:
                # An input that earlier executions wrote in place (an intermediate
                # kept in the instruction's memory) is ready once they are done.
                ready = max(ready, buffer.written[slots[position]])
        start = max(clocks[which], ready)
        interval = info.interval
        done = start + info.latency
        clocks[which] = start + interval
        for position, buffer in enumerate(buffers):
            slot = slots[position]
            if position == output_position:
                machine.set_tile((id(arrays[position]), offsets[position]), done)
                buffer.written[slot] = max(buffer.written[slot], done)
            else:
                buffer.free[slot] = max(buffer.free[slot], done)
        stats = machine.stats
        stats.busy[info.busy] = stats.busy.get(info.busy, 0.0) + interval
        stats.executions[info.name] = stats.executions.get(info.name, 0.0) + 1
        machine.end = max(machine.end, done)
        if machine.tracing:
            machine.record(info.name, start, interval, f"{info.unit}{which}")
        return ()


@register_impls
class UnsignedIndexArith(InterpreterFunctions):
    """The unsigned index division and remainder the lowering emits (xDSL's
    arith interpreter lacks them)."""

    @impl(arith.DivUIOp)
    def run_divui(self, interpreter: Interpreter, op: arith.DivUIOp, args: tuple[Any, ...]):
        return (args[0] // args[1],)

    @impl(arith.RemUIOp)
    def run_remui(self, interpreter: Interpreter, op: arith.RemUIOp, args: tuple[Any, ...]):
        return (args[0] % args[1],)
