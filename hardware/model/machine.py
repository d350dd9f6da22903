"""The model's machine state: buffers and their slots, the clocks of every
engine and unit, statistics, and the snapshots fast-forwarding compares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from isamapper_dialect.hardware_spec import HardwareSpec
from isamapper_dialect.resources import Resource, ResourceKind


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
    cached: dict[str, float] = field(default_factory=dict)
    """Per cache (every one of the hardware's), when the lines of the buffer its
    last touch or transfer through it brought there arrived."""

    def __post_init__(self) -> None:
        if not self.written:
            self.written = [0.0] * self.slots

    def slot(self, offset: int) -> int:
        return min(self.slots - 1, offset // self.slot_elements) if self.slots > 1 else 0

    def slots_of(self, offsets: np.ndarray) -> np.ndarray:
        """`slot` of each of `offsets`."""
        if self.slots > 1:
            return np.minimum(self.slots - 1, offsets // self.slot_elements)
        return np.zeros(offsets.shape, np.int64)


@dataclass
class Token:
    """Completion of a transfer."""

    time: float


@dataclass
class Statistics:
    """What a run measured."""

    cycles: float = 0.0
    busy: dict[Resource, float] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    bytes_moved: dict[str, float] = field(default_factory=dict)
    """Per memory, bytes its engines read from or wrote to it."""
    engine_bytes: dict[str, float] = field(default_factory=dict)
    """Per engine, bytes it moved (what its energy is charged on)."""
    executions: dict[str, float] = field(default_factory=dict)
    trace: list[dict[str, Any]] = field(default_factory=list)

    def utilisation(self, unit: str) -> float:
        """Busy share of a unit kind over the run (all its units)."""
        if not self.cycles:
            return 0.0
        return self.busy.get(Resource(ResourceKind.UNIT, unit), 0.0) / (
            self.cycles * self.units[unit]
        )


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


def warm_memories(hardware: HardwareSpec, footprint: int) -> frozenset[str]:
    """Where a program's tensors already are when it starts again on the same
    data (`footprint` bytes of them): the smallest cache holding them all, and
    every cache as large or larger, and the main memory. Empty when no cache
    holds them (every run starts cold)."""
    fits = [m for m in hardware.caches if hardware.memories[m][0] >= footprint]
    if not fits:
        return frozenset()
    smallest = min(hardware.memories[m][0] for m in fits)
    return frozenset(
        {m for m in hardware.caches if hardware.memories[m][0] >= smallest} | {hardware.main}
    )


class Machine:
    """Clocks, buffers and counters of one run."""

    def __init__(
        self,
        hardware: HardwareSpec,
        functional: bool,
        trace: bool,
        max_operations: int | None = None,
        warm: frozenset[str] = frozenset(),
    ):
        self.hardware = hardware
        self.warm_engines = frozenset(
            e.name for e in hardware.engines if e.source in warm and e.target in warm
        )
        """Engines between memories that already hold the tensors (`warm_memories`):
        a cached block's traffic on them costs nothing."""
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
        self.count_operations(1)

    def count_operations(self, count: int) -> None:
        """Count `count` copies or executions; refuse to go past `max_operations`."""
        self.operations += count
        if self.max_operations is not None and self.operations > self.max_operations:
            raise ModelError(
                f"the simulation passed {self.max_operations} copies and executions without "
                "finishing; the program is too long to simulate within the bound "
                "(isamapper-run --max-operations N raises it)"
            )

    def new_buffer(self, memory: str, slots: int, slot_elements: int) -> Buffer:
        """The timing state of a buffer just allocated (or a program argument)."""
        caches = {cache: 0.0 for cache in sorted(self.hardware.caches)}
        return Buffer(memory, slots, slot_elements, [0.0] * slots, [0.0] * slots, cached=caches)

    def buffer(self, array: np.ndarray) -> Buffer:
        key = id(array)
        if key not in self.buffers:
            self.buffers[key] = self.new_buffer(self.hardware.main, 1, array.size)
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
            values.extend(buffer.cached.values())
        values.extend(stats.busy.values())
        values.extend(stats.bytes_moved.values())
        values.extend(stats.engine_bytes.values())
        values.extend(stats.executions.values())
        layout = (
            tuple((key, buffer.slots) for key, buffer in self.buffers.items()),
            len(self.tiles),
            len(stats.busy),
            len(stats.bytes_moved),
            len(stats.engine_bytes),
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
            for cache in buffer.cached:
                buffer.cached[cache] += next(steps) * times
        for counters in (stats.busy, stats.bytes_moved, stats.engine_bytes, stats.executions):
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
