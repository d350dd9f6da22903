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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np
from xdsl.dialects import arith, scf
from xdsl.dialects.builtin import IndexType, IntegerType, MemRefType, ModuleOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    impl,
    impl_callable,
    register_impls,
)
from xdsl.interpreters.arith import ArithFunctions
from xdsl.interpreters.scf import ScfFunctions
from xdsl.ir import Block, Operation, SSAValue

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
from isamapper_hardware.reference_semantics import Evaluator, compile_statement
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


class TileRecorder:
    """What the output tiles written since a loop's last snapshot held then."""

    def __init__(self) -> None:
        self.changed: dict[tuple[int, int], float | None] = {}


@dataclass
class Snapshot:
    """The state at the start of one iteration of a watched loop.

    `values` holds every clock and counter (in the machine's order, which
    `layout` fixes: the same layout means the same keys). The output tiles, which
    grow without bound, are kept as `changed` only: the value each tile written
    during the previous iteration had when that iteration started (tiles only
    ever get added, so equal counts in `layout` mean the same tiles).
    """

    layout: tuple[Any, ...]
    values: list[float]
    changed: dict[tuple[int, int], float | None]


Delta = tuple[list[float], dict[tuple[int, int], float]]
"""Per-period change of the clocks and counters, and of the tiles that changed."""


class Machine:
    """Clocks, buffers and counters of one run."""

    def __init__(
        self,
        hardware: HardwareSpec,
        functional: bool,
        trace: bool,
        max_operations: int | None = None,
    ):
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
        self.recorders: list[TileRecorder] = []
        """One per loop watching for a repeat (see `FastForwardingScf.iterate`)."""
        self.operations = 0
        """Copies and executions run (not fast-forwarded): what simulating cost."""
        self.max_operations = max_operations
        """Past this many operations the run stops with a ModelError (None: no bound)."""

    def count_operation(self) -> None:
        """Count one copy or execution; refuse to go past `max_operations`."""
        self.operations += 1
        if self.max_operations is not None and self.operations > self.max_operations:
            raise ModelError(
                f"the simulation passed {self.max_operations} copies and executions without "
                "finishing; the program is too long to simulate within the bound "
                "(isamapper-run --max-operations N raises it)"
            )

    def buffer(self, array: np.ndarray) -> Buffer:
        key = id(array)
        if key not in self.buffers:
            self.buffers[key] = Buffer(self.hardware.main, 1, array.size, [0.0], [0.0])
        return self.buffers[key]

    def set_tile(self, key: tuple[int, int], value: float) -> None:
        """Set when an output tile is next ready, telling the watching loops."""
        for recorder in self.recorders:
            if key not in recorder.changed:
                recorder.changed[key] = self.tiles.get(key)
        self.tiles[key] = value

    def snapshot(self, changed: dict[tuple[int, int], float | None]) -> Snapshot:
        """Every clock and counter, for fast-forwarding; the output tiles only as
        how many there are plus `changed` (see `Snapshot`)."""
        stats = self.stats
        values = [self.issue, self.end, *self.engine_free.values()]
        for clocks in self.unit_free.values():
            values.extend(sorted(clocks))
        for buffer in self.buffers.values():
            values.extend(buffer.ready)
            values.extend(buffer.free)
            values.extend(buffer.written)
        values.extend(stats.busy.values())
        values.extend(stats.bytes_moved.values())
        values.extend(stats.executions.values())
        layout = (
            tuple((key, buffer.slots) for key, buffer in self.buffers.items()),
            len(self.tiles),
            len(stats.busy),
            len(stats.bytes_moved),
            len(stats.executions),
        )
        return Snapshot(layout, values, changed)

    def advance(self, delta: Delta, times: int) -> None:
        """Add `times` x `delta` to every clock and counter."""
        changes, tile_changes = delta
        stats = self.stats
        steps = iter(changes)
        self.issue += next(steps) * times
        self.end += next(steps) * times
        for name in self.engine_free:
            self.engine_free[name] += next(steps) * times
        for unit, clocks in self.unit_free.items():
            self.unit_free[unit] = [value + next(steps) * times for value in sorted(clocks)]
        for buffer in self.buffers.values():
            for times_list in (buffer.ready, buffer.free, buffer.written):
                for slot in range(buffer.slots):
                    times_list[slot] += next(steps) * times
        for counters in (stats.busy, stats.bytes_moved, stats.executions):
            for name in counters:
                counters[name] += next(steps) * times
        # Tiles no iteration of the window wrote change by 0.0: left as they are.
        for key, change in tile_changes.items():
            self.set_tile(key, self.tiles[key] + change * times)

    def record(self, name: str, start: float, duration: float, kind: str) -> None:
        if self.tracing and len(self.stats.trace) < 200_000:
            self.stats.trace.append(
                {"name": name, "ph": "X", "ts": start, "dur": duration, "pid": 0, "tid": kind}
            )


def _box_addresses(base: int, sizes: Sequence[int], strides: Sequence[int]) -> np.ndarray:
    grids = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
    return base + (np.array(strides, dtype=np.int64)[:, None] * grids).sum(axis=0)


@dataclass
class _CopyInfo:
    """What a copy needs that does not change between its runs."""

    engine: Any
    sizes: tuple[int, ...]
    source_strides: tuple[int, ...]
    target_strides: tuple[int, ...]
    accumulate: bool
    busy: str


@dataclass
class _ExecInfo:
    """What an execution needs that does not change between its runs."""

    name: str
    unit: str
    busy: str
    interval: int
    latency: int
    output_position: int
    shapes: list[tuple[int, ...]]
    strides: list[tuple[int, ...]]
    order: list[int]
    """Operand positions in the statement's order (output first)."""
    evaluate: Evaluator


@register_impls
class AccelFunctions(InterpreterFunctions):
    """Interpreter functions of the `accel` dialect (see the module docstring).

    What each copy and execution needs from its op (engine, box, instruction,
    shapes, evaluator) is looked up once per op and kept.
    """

    def __init__(self, machine: Machine):
        self.machine = machine
        self._copies: dict[CopyOp, _CopyInfo] = {}
        self._execs: dict[ExecOp, _ExecInfo] = {}
        self._boxes: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray] = {}
        self.direct: dict[type, Callable[[Any, tuple[Any, ...]], tuple[Any, ...]]] = {
            AllocOp: self.alloc,
            FreeOp: self.free,
            CopyOp: self.copy,
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
        machine.buffers[id(array)] = Buffer(
            memory, slots, array.size // slots, [0.0] * slots, [0.0] * slots
        )
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
            offsets = self._boxes[key] = _box_addresses(0, sizes, strides)
        return offsets

    def _copy_info(self, op: CopyOp) -> _CopyInfo:
        engine = self.machine.engines.get(op.engine.root_reference.data)
        if engine is None:
            raise ModelError(f"accel.copy uses {op.engine}, which is not a declared engine")
        box = op.box()
        info = _CopyInfo(
            engine,
            tuple(b[0] for b in box),
            tuple(b[1] for b in box),
            tuple(b[2] for b in box),
            op.accumulate is not None,
            f"engine:{engine.name}",
        )
        self._copies[op] = info
        return info

    def copy(self, op: CopyOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        machine = self.machine
        machine.count_operation()
        source, source_offset, target, target_offset, *limits = args
        info = self._copies.get(op) or self._copy_info(op)
        engine = info.engine
        sizes = tuple(
            max(0, min(size, limit)) for size, limit in zip(info.sizes, limits, strict=True)
        )
        elements = prod(sizes)
        src = machine.buffer(source)
        dst = machine.buffer(target)
        if machine.functional:
            flat_target = target.reshape(-1)
            if not info.accumulate:
                if dst.memory != machine.hardware.main:
                    flat_target[target_offset + self._box(info.sizes, info.target_strides)] = 0
            if elements:
                read = source_offset + self._box(sizes, info.source_strides)
                write = target_offset + self._box(sizes, info.target_strides)
                values = source.reshape(-1)[read]
                if info.accumulate:
                    np.add.at(flat_target, write, values)
                else:
                    flat_target[write] = values
        itemsize = source.itemsize
        data = elements * itemsize
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
        stats.busy[info.busy] = stats.busy.get(info.busy, 0.0) + duration
        bytes_moved = stats.bytes_moved
        for memory in (engine.source, engine.target):
            bytes_moved[memory] = bytes_moved.get(memory, 0.0) + data
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

    def _exec_info(self, op: ExecOp) -> _ExecInfo:
        instruction: InstructionOp = op.instruction_op()
        statement = instruction.statement
        arguments = list(instruction.body.block.args)
        shapes = []
        for argument in arguments:
            assert isinstance(argument.type, MemRefType)
            shapes.append(tuple(argument.type.get_shape()))
        unit = instruction.unit.root_reference.data
        info = _ExecInfo(
            name=instruction.sym_name.data,
            unit=unit,
            busy=f"unit:{unit}",
            interval=instruction.interval.value.data,
            latency=instruction.latency.value.data,
            output_position=arguments.index(statement.output),
            shapes=shapes,
            strides=op.tile_strides(),
            order=[arguments.index(v) for v in statement.all_operands],
            evaluate=compile_statement(
                statement.compute_kind,
                tuple(statement.extents),
                tuple(statement.access(p) for p in range(len(statement.all_operands))),
            ),
        )
        self._execs[op] = info
        return info

    def execute(self, op: ExecOp, args: tuple[Any, ...]) -> tuple[Any, ...]:
        machine = self.machine
        machine.count_operation()
        info = self._execs.get(op) or self._exec_info(op)
        count = len(info.shapes)
        arrays, offsets = args[:count], args[count:]
        if machine.functional:
            views = [
                _tile_view(array, offset, shape, strides)
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


def _tile_view(
    array: np.ndarray, offset: int, shape: tuple[int, ...], strides: tuple[int, ...]
) -> np.ndarray:
    """The strided view of a tile at element `offset` of `array`."""
    itemsize = array.itemsize
    byte_strides = [s * itemsize for s in strides]
    try:
        return np.ndarray(shape, array.dtype, array, offset * itemsize, byte_strides)
    except (TypeError, ValueError):  # not a plain contiguous buffer, or past its end
        return np.lib.stride_tricks.as_strided(
            array.reshape(-1)[offset:], shape=shape, strides=byte_strides
        )


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


Frame = list[Any]
"""The values of a compiled loop nest, one slot per SSA value."""
Step = Callable[[Frame], None]


@register_impls
class FastForwardingScf(ScfFunctions):
    """`scf.for` that, without arithmetic, skips iterations whose timing repeats.

    A loop nest whose ops are `scf.for`s and ops without regions runs compiled
    (see `_NestCompiler`): the interpreter's per-op dispatch and scoping is paid
    once per nest instead of once per op and iteration. Other loops are
    interpreted; both go through `iterate`, so they fast-forward alike.
    """

    def __init__(self, machine: Machine, accel: AccelFunctions | None = None):
        self.machine = machine
        self.accel = accel
        self._nests: dict[scf.ForOp, _Nest | None] = {}
        self._watching: dict[scf.ForOp, _Watching] = {}

    @impl(scf.ForOp)
    def run_for(self, interpreter: Interpreter, op: scf.ForOp, args: tuple[Any, ...]):
        if op not in self._nests:
            self._nests[op] = _NestCompiler(interpreter, self).compile(op)
        nest = self._nests[op]
        if nest is not None:
            return nest.run(interpreter)
        lower, upper, step, *loop_args = args

        def body(index: int, loop_args: Sequence[Any]) -> Sequence[Any]:
            return interpreter.run_ssacfg_region(op.body, (index, *loop_args), "for_loop")

        return self.iterate(range(lower, upper, step), loop_args, body, op)

    def iterate(
        self,
        values: range,
        loop_args: Sequence[Any],
        body: Callable[[int, Sequence[Any]], Sequence[Any]],
        loop: scf.ForOp | None = None,
    ) -> tuple[Any, ...]:
        """Run `body` for each of `values`, fast-forwarding when timing repeats.

        `loop` (the `scf.for` run) lets a loop whose cheap iterations never
        repeat stop paying for the watch (see `_Watching`)."""
        machine = self.machine
        snapshots: list[Snapshot] = []
        position = 0
        watching = self._watching.setdefault(loop, _Watching()) if loop is not None else None
        # Look for a repeat in the first iterations only (long enough to see two
        # periods of the deepest slot rotation): loops whose iterations touch
        # different tiles never repeat, and snapshots cost time.
        if not machine.functional and len(values) >= 4 and (watching is None or watching.due()):
            recorder = TileRecorder()
            machine.recorders.append(recorder)
            operations = machine.operations
            found = False
            try:
                while position < min(2 * MAX_PERIOD + 2, len(values)):
                    snapshots.append(machine.snapshot(recorder.changed))
                    recorder.changed = {}
                    jump = _repeat(snapshots, machine.tiles)
                    if jump is not None:
                        found = True
                        period, delta = jump
                        # The last iteration runs for real: it may move a ragged
                        # edge block, which the repeating ones do not.
                        times = (len(values) - position - 1) // period
                        machine.advance(delta, times)
                        position += times * period
                        break
                    loop_args = body(values[position], loop_args)
                    position += 1
            finally:
                machine.recorders.remove(recorder)
            if watching is not None:
                cheap = machine.operations - operations <= CHEAP_ITERATION * max(position, 1)
                watching.watched(found, cheap)
        for index in values[position:]:
            loop_args = body(index, loop_args)
        return tuple(loop_args)


CHEAP_ITERATION = 4
"""Copies and executions per iteration up to which an iteration costs about as
much to simulate as a snapshot and repeat check (see `_Watching`)."""


@dataclass
class _Watching:
    """How watching one loop for a repeat went over its calls (timing only).

    Watching costs a snapshot and a repeat check per iteration, for up to
    2 * MAX_PERIOD + 2 iterations. For an innermost loop of one execution per
    iteration whose timing never repeats (the executions of a block spread over
    48 units rotate with a period of up to 48 iterations), that was most of the
    run. So a loop that found no repeat in `MISSES` watched calls in a row, each
    with cheap iterations, is watched only once every `RETRY` calls, until a
    watch finds one again. Unwatched iterations run for real, so the cycles stay
    those of the full simulation; loops with costly iterations are always
    watched (a repeat found later saves much, a watch costs little)."""

    MISSES = 4
    RETRY = 64

    misses: int = 0
    """Watched calls in a row that found no repeat in cheap iterations."""
    skipped: int = 0
    """Calls run unwatched since the last watched one."""

    def due(self) -> bool:
        """Whether to watch this call."""
        if self.misses < self.MISSES or self.skipped >= self.RETRY - 1:
            self.skipped = 0
            return True
        self.skipped += 1
        return False

    def watched(self, found: bool, cheap: bool) -> None:
        """Note what a watched call found, and whether its iterations were cheap."""
        self.misses = self.misses + 1 if not found and cheap else 0


@dataclass
class _Nest:
    """A compiled loop nest: `step` runs the outermost loop on a frame."""

    template: Frame
    """Constants in place, None elsewhere."""
    free: list[tuple[int, SSAValue]]
    """Slots of the values defined outside the nest."""
    step: Step
    results: list[int]

    def run(self, interpreter: Interpreter) -> tuple[Any, ...]:
        frame = self.template.copy()
        values = interpreter.get_values([value for _, value in self.free])
        for (slot, _), value in zip(self.free, values, strict=True):
            frame[slot] = value
        self.step(frame)
        return tuple(frame[slot] for slot in self.results)


def _wrapping_step(kind: type, width: int, a: int, b: int, r: int) -> Step:
    """Integer add, sub or mul with wrap-around to `width` signed bits, as xDSL's
    arith interpreter computes them."""
    half, modulus = 1 << (width - 1), 1 << width
    if kind is arith.AddiOp:

        def add(frame: Frame) -> None:
            frame[r] = (frame[a] + frame[b] + half) % modulus - half

        return add
    if kind is arith.SubiOp:

        def sub(frame: Frame) -> None:
            frame[r] = (frame[a] - frame[b] + half) % modulus - half

        return sub

    def mul(frame: Frame) -> None:
        frame[r] = (frame[a] * frame[b] + half) % modulus - half

    return mul


def _unsigned_step(kind: type, a: int, b: int, r: int) -> Step:
    """`UnsignedIndexArith`'s division or remainder."""
    if kind is arith.DivUIOp:

        def divui(frame: Frame) -> None:
            frame[r] = frame[a] // frame[b]

        return divui

    def remui(frame: Frame) -> None:
        frame[r] = frame[a] % frame[b]

    return remui


def _call_step(
    function: Callable[[Any, tuple[Any, ...]], Sequence[Any]],
    op: Operation,
    ins: list[int],
    outs: list[int],
) -> Step:
    """Calls `function(op, operand values)` and stores its results."""
    if not outs:

        def call(frame: Frame) -> None:
            function(op, tuple([frame[s] for s in ins]))

        return call
    if len(outs) == 1:
        (out,) = outs

        def call_one(frame: Frame) -> None:
            (frame[out],) = function(op, tuple([frame[s] for s in ins]))

        return call_one

    def call_many(frame: Frame) -> None:
        results = function(op, tuple([frame[s] for s in ins]))
        for slot, value in zip(outs, results, strict=True):
            frame[slot] = value

    return call_many


class _NestCompiler:
    """Turns an `scf.for` nest into Python steps over a frame of values.

    Constants are evaluated once (by the interpreter) into the frame's
    template, integer arithmetic runs inline with xDSL's wrap-around, `accel`
    ops call `AccelFunctions` directly, and any other op without regions goes
    through `Interpreter.run_op`. Each loop iterates with
    `FastForwardingScf.iterate`. Nests holding other ops with regions are not
    compiled (None).
    """

    def __init__(self, interpreter: Interpreter, loops: FastForwardingScf):
        self.interpreter = interpreter
        self.loops = loops
        self.direct = loops.accel.direct if loops.accel is not None else {}
        self.slots: dict[SSAValue, int] = {}
        self.template: Frame = []
        self.free: list[tuple[int, SSAValue]] = []

    def compile(self, op: scf.ForOp) -> _Nest | None:
        if not _compilable(op):
            return None
        step = self.loop(op)
        return _Nest(self.template, self.free, step, [self.slot(r) for r in op.results])

    def slot(self, value: SSAValue) -> int:
        """The frame slot of a value defined in the nest."""
        slot = self.slots.get(value)
        if slot is None:
            slot = self.slots[value] = len(self.template)
            self.template.append(None)
        return slot

    def operand(self, value: SSAValue) -> int:
        """The frame slot of a used value; values from outside are loaded on entry."""
        if value not in self.slots:
            self.free.append((self.slot(value), value))
        return self.slots[value]

    def loop(self, op: scf.ForOp) -> Step:
        lower, upper, stride, *inits = (self.operand(v) for v in op.operands)
        outs = [self.slot(r) for r in op.results]
        block = op.body.block
        index, *carried = (self.slot(a) for a in block.args)
        steps, yielded = self.block(block)
        iterate = self.loops.iterate

        def run_loop(frame: Frame) -> None:
            def body(value: int, loop_args: Sequence[Any]) -> list[Any]:
                frame[index] = value
                for slot, arg in zip(carried, loop_args, strict=True):
                    frame[slot] = arg
                for step in steps:
                    step(frame)
                return [frame[slot] for slot in yielded]

            results = iterate(
                range(frame[lower], frame[upper], frame[stride]),
                [frame[slot] for slot in inits],
                body,
                op,
            )
            for slot, value in zip(outs, results, strict=True):
                frame[slot] = value

        return run_loop

    def block(self, block: Block) -> tuple[list[Step], list[int]]:
        steps: list[Step] = []
        yielded: list[int] = []
        for op in block.ops:
            if isinstance(op, scf.YieldOp):
                yielded = [self.operand(v) for v in op.operands]
            elif isinstance(op, scf.ForOp):
                steps.append(self.loop(op))
            elif isinstance(op, arith.ConstantOp):
                (self.template[self.slot(op.result)],) = self.interpreter.run_op(op, ())
            else:
                steps.append(self.step(op))
        return steps, yielded

    def step(self, op: Operation) -> Step:
        ins = [self.operand(v) for v in op.operands]
        outs = [self.slot(r) for r in op.results]
        kind = type(op)
        if kind in (arith.AddiOp, arith.SubiOp, arith.MuliOp):
            result_type = op.results[0].type
            if isinstance(result_type, IndexType):
                return _wrapping_step(kind, self.interpreter.index_bitwidth, *ins, *outs)
            if isinstance(result_type, IntegerType):
                return _wrapping_step(kind, result_type.width.data, *ins, *outs)
        if kind in (arith.DivUIOp, arith.RemUIOp):
            return _unsigned_step(kind, *ins, *outs)
        direct = self.direct.get(kind)
        if direct is not None:
            return _call_step(direct, op, ins, outs)
        interpreter = self.interpreter
        return _call_step(lambda op, args: interpreter.run_op(op, args), op, ins, outs)


def _compilable(op: scf.ForOp) -> bool:
    """Whether a loop nest holds only `scf.for`s (with one block) and ops without regions."""
    for inner in op.walk():
        if isinstance(inner, scf.ForOp):
            if len(inner.body.blocks) != 1:
                return False
        elif inner.regions:
            return False
    return True


MAX_PERIOD = 8
"""Longest period of iterations fast-forwarding looks for: a buffer's slots
rotate with the loop, so a loop's timing repeats every `slots` iterations (the
scheduler uses at most 8)."""


def _evenly(a: list[float], b: list[float], c: list[float]) -> bool:
    """Whether every value changed by the same amount (to 1e-9) from `a` to `b`
    as from `b` to `c`. Stops at the first that did not: most windows do not
    repeat, and where no loop repeats, building every change first cost most
    of the run."""
    for x, y, z in zip(a, b, c, strict=True):
        if not abs((y - x) - (z - y)) < 1e-9:
            return False
    return True


def _repeat(
    snapshots: list[Snapshot], tiles: dict[tuple[int, int], float]
) -> tuple[int, Delta] | None:
    """(period, per-period change) when the last iterations repeat with a period
    up to MAX_PERIOD: every clock, counter and tile changed by the same amount
    (to 1e-9) over the last two periods. `tiles` is the current value of the
    tiles (the last snapshot is of now)."""
    for period in range(1, MAX_PERIOD + 1):
        if len(snapshots) < 2 * period + 1:
            continue
        a, b, c = snapshots[-1 - 2 * period], snapshots[-1 - period], snapshots[-1]
        if not (a.layout == b.layout == c.layout):
            continue
        if not _evenly(a.values, b.values, c.values):
            continue
        changes = [z - y for y, z in zip(b.values, c.values, strict=True)]
        # A tile's value at an earlier snapshot: undo the later iterations' writes.
        at_b: dict[tuple[int, int], float] = {}
        for snapshot in snapshots[: -1 - period : -1]:
            at_b.update(snapshot.changed)
        at_a = dict(at_b)
        for snapshot in snapshots[-1 - period : -1 - 2 * period : -1]:
            at_a.update(snapshot.changed)
        tile_changes: dict[tuple[int, int], float] = {}
        for key in at_a:
            now = tiles[key]
            then = at_b.get(key, now)
            change = now - then
            if not abs((then - at_a[key]) - change) < 1e-9:
                break
            tile_changes[key] = change
        else:
            return period, (changes, tile_changes)
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
    max_operations: int | None = None,
) -> RunResult:
    """Run `program` on copies of `arrays` (keyed by argument name); past
    `max_operations` simulated copies and executions, raise ModelError."""
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(program.body.block.args)]
    values = [np.array(arrays[name], copy=True) for name in names]
    machine = Machine(hardware_spec(program.hardware_op()), functional, trace, max_operations)
    interpreter = Interpreter(module)
    interpreter.register_implementations(ArithFunctions())
    interpreter.register_implementations(UnsignedIndexArith())
    accel = AccelFunctions(machine)
    interpreter.register_implementations(FastForwardingScf(machine, accel))
    interpreter.register_implementations(accel)
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
