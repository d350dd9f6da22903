"""The timing of a batch of executions (`exec_batch`): each takes a unit of
its kind whose clock is the smallest (a heap holds the clocks: which of
several equal clocks is taken changes nothing but the trace, which batches do
not write), once its tiles are ready and its output tile's last write
completed, exactly as `AccelFunctions.execute` times it, with the same float
operations in the same order."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from isamapper_dialect.accel import ExecOp
from isamapper_dialect.resources import Resource
from isamapper_hardware.model.machine import Buffer, Machine
from isamapper_hardware.model.op_facts import ExecFacts


@dataclass
class ExecRun:
    """The executions of one `accel.exec` in the nest: their positions in the
    nest's order, and each operand's offset (broadcast to the positions)."""

    op: ExecOp
    facts: ExecFacts
    positions: np.ndarray
    arrays: list[np.ndarray]
    offsets: list[np.ndarray]


@dataclass
class _Use:
    """One operand of one exec op over the batch: its buffer, whether the
    executions write it, their positions and the slot each uses, and those
    positions by slot."""

    buffer: Buffer
    output: bool
    positions: np.ndarray
    slots: np.ndarray
    by_slot: list[tuple[int, np.ndarray]]


@dataclass
class Prepared:
    """What timing a batch needs that depends on its offsets only, not on the
    machine's clocks: kept by `exec_batch` for nests that run again with the
    same outer values."""

    total: int
    uses: list[_Use]
    tile_keys: list[tuple[int, int]]
    tile: list[int]
    """Each execution's output tile (an index into `tile_keys`)."""
    timing: tuple[str, int, int] | None
    """(unit, interval, latency) when every execution shares them; else `steps`."""
    steps: tuple[list[int], list[int], list[int], list[str]] | None
    """Per execution, its unit (an index into the last list), interval, latency."""
    counters: list[tuple[Resource, int, str, int]]
    """(busy resource, busy cycles, instruction, executions) per exec op, in
    the order they first run."""


def prepare(machine: Machine, runs: list[ExecRun], total: int) -> Prepared | None:
    """The batch's structure; None when an execution reads a buffer another
    writes (its readiness would change as they run, which only op by op
    follows)."""
    written = {id(run.arrays[run.facts.output_position]) for run in runs}
    # An exec op in a loop of no iterations runs never: nothing of it counts.
    runs = [run for run in runs if run.positions.size]
    tile = np.empty(total, np.int64)
    tile_keys: list[tuple[int, int]] = []
    tile_ids: dict[tuple[int, int], int] = {}
    uses = []
    for run in runs:
        facts = run.facts
        shape = run.positions.shape
        positions = run.positions.reshape(-1)
        for position, (array, offsets) in enumerate(zip(run.arrays, run.offsets, strict=True)):
            buffer = machine.buffer(array)
            output = position == facts.output_position
            if not output and id(array) in written:
                return None
            offsets = np.broadcast_to(offsets, shape).reshape(-1)
            slots = buffer.slots_of(offsets)
            if output:
                unique, inverse = np.unique(offsets, return_inverse=True)
                ids = np.empty(len(unique), np.int64)
                for k, offset in enumerate(unique.tolist()):
                    key = (id(array), offset)
                    found = tile_ids.get(key)
                    if found is None:
                        found = tile_ids[key] = len(tile_keys)
                        tile_keys.append(key)
                    ids[k] = found
                tile[positions] = ids[inverse.reshape(-1)]
            by_slot = [(int(slot), positions[slots == slot]) for slot in np.unique(slots)]
            uses.append(_Use(buffer, output, positions, slots, by_slot))
    timings = {(r.facts.unit, r.facts.interval, r.facts.latency) for r in runs}
    timing, steps = None, None
    if len(timings) == 1:
        (timing,) = timings
    else:
        names = sorted({r.facts.unit for r in runs})
        which, intervals, latencies = (np.empty(total, np.int64) for _ in range(3))
        for run in runs:
            positions = run.positions.reshape(-1)
            which[positions] = names.index(run.facts.unit)
            intervals[positions] = run.facts.interval
            latencies[positions] = run.facts.latency
        steps = (which.tolist(), intervals.tolist(), latencies.tolist(), names)
    counters = [
        (r.facts.busy, r.facts.interval * r.positions.size, r.facts.name, r.positions.size)
        for r in sorted(runs, key=lambda r: int(r.positions.min()))
    ]
    return Prepared(total, uses, tile_keys, tile.tolist(), timing, steps, counters)


def time_executions(machine: Machine, batch: Prepared, issues: np.ndarray) -> None:
    """Time the batch's executions in order of their positions, each issued
    no earlier than `issues` (by position) allows (the array becomes when each
    may start, its tiles' slots considered)."""
    earliest = issues
    for use in batch.uses:
        slot_times = np.asarray(use.buffer.ready)
        if not use.output:
            slot_times = np.maximum(slot_times, use.buffer.written)
        earliest[use.positions] = np.maximum(earliest[use.positions], slot_times[use.slots])
    machine.count_operations(batch.total)
    tiles = [machine.tiles.get(key, 0.0) for key in batch.tile_keys]
    done = np.asarray(_queue(machine, batch, earliest.tolist(), tiles))
    # What the executions leave: tiles, slots' last readers and writers, counters.
    for key, value in zip(batch.tile_keys, tiles, strict=True):
        machine.set_tile(key, value)
    for use in batch.uses:
        times = use.buffer.written if use.output else use.buffer.free
        for slot, positions in use.by_slot:
            latest = float(done[positions].max())
            if latest > times[slot]:
                times[slot] = latest
    stats = machine.stats
    for busy, cycles, name, count in batch.counters:
        stats.busy[busy] = stats.busy.get(busy, 0.0) + cycles
        stats.executions[name] = stats.executions.get(name, 0.0) + count
    machine.end = max(machine.end, float(done.max()))


def _queue(
    machine: Machine, batch: Prepared, ready: list[float], tiles: list[float]
) -> list[float]:
    """Each execution's completion, in order: it starts once the earliest
    clock of its unit kind, its tiles and its output tile's last write
    allow. `tiles` (by tile) ends as each tile's last completion."""
    unit_free = machine.unit_free
    done: list[float] = []
    append = done.append
    replace = heapq.heapreplace
    # One instruction timing (most blocks) in a loop of its own: the general
    # loop below made 8448x3000x2816's whole simulation 7% slower.
    if batch.timing is not None:
        unit, interval, latency = batch.timing
        heap = list(unit_free[unit])
        heapq.heapify(heap)
        for earliest, t in zip(ready, batch.tile, strict=True):
            previous = tiles[t]
            if previous > earliest:
                earliest = previous
            clock = heap[0]
            start = clock if clock > earliest else earliest
            replace(heap, start + interval)
            end = start + latency
            tiles[t] = end
            append(end)
        unit_free[unit][:] = heap
        return done
    assert batch.steps is not None
    which, intervals, latencies, units = batch.steps
    heaps = [list(unit_free[unit]) for unit in units]
    for heap in heaps:
        heapq.heapify(heap)
    steps = zip(ready, batch.tile, which, intervals, latencies, strict=True)
    for earliest, t, u, interval, latency in steps:
        previous = tiles[t]
        if previous > earliest:
            earliest = previous
        heap = heaps[u]
        clock = heap[0]
        start = clock if clock > earliest else earliest
        replace(heap, start + interval)
        end = start + latency
        tiles[t] = end
        append(end)
    for unit, heap in zip(units, heaps, strict=True):
        unit_free[unit][:] = heap
    return done
