"""The accelerator model: runs `accel` programs functionally and for time.

Functional: buffers are numpy arrays; `accel.copy` moves its strided box,
`accel.exec` applies the instruction's own `isa.compute` semantics
(`evaluate_statement`) to strided views of its tiles.

Timing: every transfer engine and every compute unit has a timeline. A copy
starts when its engine is free, its source is ready and its destination slot
is no longer read; it occupies the engine for bytes / bandwidth and completes
`latency` later. Transfers are queued ahead of the computation (a decoupled
access/execute machine): only their data and buffer slots order them.
An execution starts when a unit of its kind is free and its tiles are ready;
it occupies the unit for `interval` and its result is ready `latency` later.
`accel.wait` holds the executions (not the transfer queues) until its tokens
complete. The program's time is the last completion.

Timing-only mode skips the arithmetic and fast-forwards loops: once two
consecutive iterations (or pairs, for double buffering) change every clock and
counter by the same amounts, the remaining ones are added at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np
from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import MemRefType, ModuleOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    impl,
    impl_callable,
    register_impls,
)
from xdsl.interpreters.arith import ArithFunctions
from xdsl.interpreters.scf import ScfFunctions

from isamapper_dialect.accel import (
    AllocOp,
    CopyOp,
    ExecOp,
    FillOp,
    FreeOp,
    ProgramOp,
    WaitOp,
)
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_hardware.isa_interpreter import numpy_dtype
from isamapper_hardware.reference_semantics import evaluate_statement
from isamapper_passes.hardware_spec import HardwareSpec, hardware_spec


class ModelError(Exception):
    """A program the model refuses to run (with the reason)."""


@dataclass
class Buffer:
    """Timing state of one buffer (or tensor in the main memory)."""

    memory: str
    slots: int
    slot_elements: int
    ready: list[float]
    """When the slot's data (or zeros) arrived."""
    free: list[float]
    """When the last reader of the slot finished."""
    written: list[float] = field(default_factory=list)
    """When the last execution writing into the slot finished."""

    def __post_init__(self) -> None:
        if not self.written:
            self.written = [0.0] * self.slots

    def slot(self, offset: int) -> int:
        return min(self.slots - 1, offset // self.slot_elements) if self.slots > 1 else 0


@dataclass
class Token:
    """Completion of a transfer."""

    time: float


@dataclass
class Statistics:
    """What a run measured."""

    cycles: float = 0.0
    busy: dict[str, float] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    bytes_moved: dict[str, float] = field(default_factory=dict)
    executions: dict[str, float] = field(default_factory=dict)
    trace: list[dict[str, Any]] = field(default_factory=list)

    def utilisation(self, unit: str) -> float:
        """Busy share of a unit kind over the run (all its units)."""
        if not self.cycles:
            return 0.0
        return self.busy.get(f"unit:{unit}", 0.0) / (self.cycles * self.units[unit])


class Machine:
    """Clocks, buffers and counters of one run."""

    def __init__(self, hardware: HardwareSpec, functional: bool, trace: bool):
        self.hardware = hardware
        self.functional = functional
        self.tracing = trace
        self.engines = {e.name: e for e in hardware.engines}
        self.engine_free = {e.name: 0.0 for e in hardware.engines}
        self.unit_free = {u: [0.0] * n for u, n in hardware.units.items()}
        self.buffers: dict[int, Buffer] = {}
        self.tiles: dict[tuple[int, int], float] = {}
        self.issue = 0.0
        self.live: dict[str, int] = {}
        self.stats = Statistics(units=dict(hardware.units))
        self.end = 0.0

    def buffer(self, array: np.ndarray) -> Buffer:
        key = id(array)
        if key not in self.buffers:
            self.buffers[key] = Buffer(self.hardware.main, 1, array.size, [0.0], [0.0])
        return self.buffers[key]

    def snapshot(self) -> dict[Any, float]:
        """Every clock and counter, for fast-forwarding."""
        state: dict[Any, float] = {("issue",): self.issue, ("end",): self.end}
        for name, value in self.engine_free.items():
            state[("engine", name)] = value
        for unit, clocks in self.unit_free.items():
            for position, value in enumerate(sorted(clocks)):
                state[("unit", unit, position)] = value
        for key, buffer in self.buffers.items():
            for slot in range(buffer.slots):
                state[("ready", key, slot)] = buffer.ready[slot]
                state[("free", key, slot)] = buffer.free[slot]
                state[("written", key, slot)] = buffer.written[slot]
        for key, value in self.tiles.items():
            state[("tile", *key)] = value
        for name, value in self.stats.busy.items():
            state[("busy", name)] = value
        for name, value in self.stats.bytes_moved.items():
            state[("bytes", name)] = value
        for name, value in self.stats.executions.items():
            state[("execs", name)] = value
        return state

    def advance(self, delta: dict[Any, float], times: int) -> None:
        """Add `times` x `delta` to every clock and counter."""
        self.issue += delta[("issue",)] * times
        self.end += delta[("end",)] * times
        for name in self.engine_free:
            self.engine_free[name] += delta[("engine", name)] * times
        for unit, clocks in self.unit_free.items():
            ordered = sorted(clocks)
            self.unit_free[unit] = [
                value + delta[("unit", unit, position)] * times
                for position, value in enumerate(ordered)
            ]
        for key, buffer in self.buffers.items():
            for slot in range(buffer.slots):
                buffer.ready[slot] += delta[("ready", key, slot)] * times
                buffer.free[slot] += delta[("free", key, slot)] * times
                buffer.written[slot] += delta[("written", key, slot)] * times
        for key in self.tiles:
            self.tiles[key] += delta[("tile", *key)] * times
        for name in self.stats.busy:
            self.stats.busy[name] += delta[("busy", name)] * times
        for name in self.stats.bytes_moved:
            self.stats.bytes_moved[name] += delta[("bytes", name)] * times
        for name in self.stats.executions:
            self.stats.executions[name] += delta[("execs", name)] * times

    def record(self, name: str, start: float, duration: float, kind: str) -> None:
        if self.tracing and len(self.stats.trace) < 200_000:
            self.stats.trace.append(
                {"name": name, "ph": "X", "ts": start, "dur": duration, "pid": 0, "tid": kind}
            )


def _box_addresses(base: int, sizes: Sequence[int], strides: Sequence[int]) -> np.ndarray:
    grids = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
    return base + (np.array(strides, dtype=np.int64)[:, None] * grids).sum(axis=0)


@register_impls
class AccelFunctions(InterpreterFunctions):
    """Interpreter functions of the `accel` dialect (see the module docstring)."""

    def __init__(self, machine: Machine):
        self.machine = machine

    @impl_callable(ProgramOp)
    def call_program(self, interpreter: Interpreter, op: ProgramOp, args: tuple[Any, ...]):
        for array in args:
            self.machine.buffer(array)
        return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl(AllocOp)
    def run_alloc(self, interpreter: Interpreter, op: AllocOp, args: tuple[Any, ...]):
        machine = self.machine
        memref = op.result.type
        assert isinstance(memref, MemRefType)
        memory = op.memory.root_reference.data
        array = np.zeros(memref.get_shape(), numpy_dtype(memref.element_type))
        size = array.nbytes
        if memory != machine.hardware.main:
            machine.live[memory] = machine.live.get(memory, 0) + size
            capacity = machine.hardware.memories[memory][0]
            if machine.live[memory] > capacity:
                raise ModelError(
                    f"accel.alloc overflows @{memory}: {machine.live[memory]} bytes live, "
                    f"capacity {capacity}"
                )
        slots = op.slot_count
        machine.buffers[id(array)] = Buffer(
            memory, slots, array.size // slots, [0.0] * slots, [0.0] * slots
        )
        return (array,)

    @impl(FreeOp)
    def run_free(self, interpreter: Interpreter, op: FreeOp, args: tuple[Any, ...]):
        (array,) = args
        buffer = self.machine.buffer(array)
        if buffer.memory != self.machine.hardware.main:
            self.machine.live[buffer.memory] -= array.nbytes
        return ()

    @impl(CopyOp)
    def run_copy(self, interpreter: Interpreter, op: CopyOp, args: tuple[Any, ...]):
        machine = self.machine
        source, source_offset, target, target_offset, *limits = args
        box = op.box()
        engine = machine.engines.get(op.engine.root_reference.data)
        if engine is None:
            raise ModelError(f"accel.copy uses {op.engine}, which is not a declared engine")
        sizes = [max(0, min(size, limit)) for (size, _, _), limit in zip(box, limits, strict=True)]
        elements = prod(sizes)
        if machine.functional:
            flat_target = target.reshape(-1)
            if op.accumulate is None:
                full = _box_addresses(target_offset, [b[0] for b in box], [b[2] for b in box])
                if machine.buffer(target).memory != machine.hardware.main:
                    flat_target[full] = 0
            if elements:
                read = _box_addresses(source_offset, sizes, [b[1] for b in box])
                write = _box_addresses(target_offset, sizes, [b[2] for b in box])
                values = source.reshape(-1)[read]
                if op.accumulate is not None:
                    np.add.at(flat_target, write, values)
                else:
                    flat_target[write] = values
        itemsize = source.itemsize
        data = elements * itemsize
        src = machine.buffer(source)
        dst = machine.buffer(target)
        src_slot = src.slot(source_offset)
        dst_slot = dst.slot(target_offset)
        start = max(
            machine.engine_free[engine.name],
            src.ready[src_slot],
            src.written[src_slot],
            dst.free[dst_slot],
        )
        duration = data / engine.bandwidth
        done = start + engine.latency + duration
        machine.engine_free[engine.name] = start + duration
        dst.ready[dst_slot] = max(dst.ready[dst_slot], done)
        src.free[src_slot] = max(src.free[src_slot], done)
        stats = machine.stats
        stats.busy[f"engine:{engine.name}"] = (
            stats.busy.get(f"engine:{engine.name}", 0.0) + duration
        )
        for memory in (engine.source, engine.target):
            stats.bytes_moved[memory] = stats.bytes_moved.get(memory, 0.0) + data
        machine.end = max(machine.end, done)
        machine.record(engine.name, start, duration, engine.name)
        return (Token(done),)

    @impl(WaitOp)
    def run_wait(self, interpreter: Interpreter, op: WaitOp, args: tuple[Any, ...]):
        for token in args:
            self.machine.issue = max(self.machine.issue, token.time)
        return ()

    @impl(FillOp)
    def run_fill(self, interpreter: Interpreter, op: FillOp, args: tuple[Any, ...]):
        array, offset = args
        if self.machine.functional:
            array.reshape(-1)[offset : offset + op.size.value.data] = 0
        buffer = self.machine.buffer(array)
        slot = buffer.slot(offset)
        buffer.ready[slot] = max(self.machine.issue, buffer.free[slot], buffer.ready[slot])
        return ()

    @impl(ExecOp)
    def run_exec(self, interpreter: Interpreter, op: ExecOp, args: tuple[Any, ...]):
        machine = self.machine
        count = len(op.buffers)
        arrays, offsets = args[:count], args[count:]
        instruction: InstructionOp = op.instruction_op()
        statement = instruction.statement
        arguments = list(instruction.body.block.args)
        strides = op.tile_strides()
        if machine.functional:
            views = []
            for array, offset, argument, tile in zip(
                arrays, offsets, arguments, strides, strict=True
            ):
                assert isinstance(argument.type, MemRefType)
                views.append(
                    np.lib.stride_tricks.as_strided(
                        array.reshape(-1)[offset:],
                        shape=argument.type.get_shape(),
                        strides=[s * array.itemsize for s in tile],
                    )
                )
            by_value = dict(zip(arguments, views, strict=True))
            ordered = [by_value[v] for v in statement.all_operands]
            evaluate_statement(
                statement.compute_kind,
                statement.extents,
                [statement.access(p) for p in range(len(ordered))],
                ordered[0],
                ordered[1:],
            )
        unit = instruction.unit.root_reference.data
        clocks = machine.unit_free[unit]
        which = min(range(len(clocks)), key=clocks.__getitem__)
        output_position = arguments.index(statement.output)
        ready = machine.issue
        for position, (array, offset) in enumerate(zip(arrays, offsets, strict=True)):
            buffer = machine.buffer(array)
            ready = max(ready, buffer.ready[buffer.slot(offset)])
            if position == output_position:
                ready = max(ready, machine.tiles.get((id(array), offset), 0.0))
        start = max(clocks[which], ready)
        interval = instruction.interval.value.data
        done = start + instruction.latency.value.data
        clocks[which] = start + interval
        for position, (array, offset) in enumerate(zip(arrays, offsets, strict=True)):
            buffer = machine.buffer(array)
            slot = buffer.slot(offset)
            if position == output_position:
                machine.tiles[(id(array), offset)] = done
                buffer.written[slot] = max(buffer.written[slot], done)
            else:
                buffer.free[slot] = max(buffer.free[slot], done)
        stats = machine.stats
        stats.busy[f"unit:{unit}"] = stats.busy.get(f"unit:{unit}", 0.0) + interval
        name = instruction.sym_name.data
        stats.executions[name] = stats.executions.get(name, 0.0) + 1
        machine.end = max(machine.end, done)
        machine.record(name, start, interval, f"{unit}{which}")
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


@register_impls
class FastForwardingScf(ScfFunctions):
    """`scf.for` that, without arithmetic, skips iterations whose timing repeats."""

    def __init__(self, machine: Machine):
        self.machine = machine

    @impl(scf.ForOp)
    def run_for(self, interpreter: Interpreter, op: scf.ForOp, args: tuple[Any, ...]):
        lower, upper, step, *loop_args = args
        values = list(range(lower, upper, step))
        machine = self.machine
        snapshots = []
        position = 0
        # Look for a repeat in the first iterations only: loops whose iterations
        # touch different tiles never repeat, and snapshots cost time.
        watch = not machine.functional and len(values) >= 4
        while position < len(values):
            if watch and position < 8:
                snapshots.append(machine.snapshot())
                jump = _repeat(snapshots)
                if jump is not None:
                    period, delta = jump
                    times = (len(values) - position) // period
                    machine.advance(delta, times)
                    position += times * period
                    watch = False
                    continue
            loop_args = interpreter.run_ssacfg_region(
                op.body, (values[position], *loop_args), "for_loop"
            )
            position += 1
        return tuple(loop_args)


def _repeat(snapshots: list[dict[Any, float]]) -> tuple[int, dict[Any, float]] | None:
    """(period, per-period change) when the last iterations repeat with period 1 or 2."""
    for period in (1, 2):
        if len(snapshots) < 2 * period + 1:
            continue
        a, b, c = snapshots[-1 - 2 * period], snapshots[-1 - period], snapshots[-1]
        if not (a.keys() == b.keys() == c.keys()):
            continue
        delta = {k: c[k] - b[k] for k in c}
        if all(abs((b[k] - a[k]) - delta[k]) < 1e-9 for k in c):
            return period, delta
    return None


@dataclass
class RunResult:
    """Outputs and statistics of one run."""

    arrays: dict[str, np.ndarray]
    stats: Statistics


def run_program(
    module: ModuleOp,
    program: ProgramOp,
    arrays: dict[str, np.ndarray],
    functional: bool = True,
    trace: bool = False,
) -> RunResult:
    """Run `program` on copies of `arrays` (keyed by argument name)."""
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(program.body.block.args)]
    values = [np.array(arrays[name], copy=True) for name in names]
    machine = Machine(hardware_spec(program.hardware_op()), functional, trace)
    interpreter = Interpreter(module)
    interpreter.register_implementations(ArithFunctions())
    interpreter.register_implementations(UnsignedIndexArith())
    interpreter.register_implementations(FastForwardingScf(machine))
    interpreter.register_implementations(AccelFunctions(machine))
    try:
        interpreter.call_op(program.sym_name.data, tuple(values))
    except ModelError:
        raise
    except Exception as error:  # the interpreter wraps ModelError in a diagnostic
        cause = error
        while cause is not None and not isinstance(cause, ModelError):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, ModelError):
            raise cause from None
        raise
    machine.stats.cycles = machine.end
    return RunResult(dict(zip(names, values, strict=True)), machine.stats)
