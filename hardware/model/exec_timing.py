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
from isamapper_hardware.model.machine import Machine
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


def time_executions(machine: Machine, runs: list[ExecRun], total: int) -> bool:
    """Time `total` executions, `runs` of them per exec op, in order of their
    positions; False (nothing changed) when one reads a buffer another writes
    (its readiness would change as they run, which only op by op follows)."""
    written = {id(run.arrays[run.facts.output_position]) for run in runs}
    ready = np.empty(total)
    tile = np.empty(total, np.int64)
    tile_keys: list[tuple[int, int]] = []
    tile_ids: dict[tuple[int, int], int] = {}
    # (buffer, whether written, positions, slots) of every operand of every run
    slot_uses = []
    for run in runs:
        facts = run.facts
        shape = run.positions.shape
        positions = run.positions.reshape(-1)
        earliest = np.full(positions.shape, machine.issue)
        for position, (array, offsets) in enumerate(zip(run.arrays, run.offsets, strict=True)):
            buffer = machine.buffer(array)
            offsets = np.broadcast_to(offsets, shape).reshape(-1)
            if buffer.slots > 1:
                slots = np.minimum(buffer.slots - 1, offsets // buffer.slot_elements)
            else:
                slots = np.zeros(offsets.shape, np.int64)
            earliest = np.maximum(earliest, np.asarray(buffer.ready)[slots])
            output = position == facts.output_position
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
            else:
                if id(array) in written:
                    return False
                earliest = np.maximum(earliest, np.asarray(buffer.written)[slots])
            slot_uses.append((buffer, output, positions, slots))
        ready[positions] = earliest
    machine.count_operations(total)
    tiles = [machine.tiles.get(key, 0.0) for key in tile_keys]
    done = np.asarray(_queue(machine, runs, ready.tolist(), tile.tolist(), tiles, total))
    # What the executions leave: tiles, slots' last readers and writers, counters.
    for key, value in zip(tile_keys, tiles, strict=True):
        machine.set_tile(key, value)
    for buffer, output, positions, slots in slot_uses:
        times = buffer.written if output else buffer.free
        latest = np.full(buffer.slots, -np.inf)
        np.maximum.at(latest, slots, done[positions])
        for slot, value in enumerate(latest.tolist()):
            if value > times[slot]:
                times[slot] = value
    stats = machine.stats
    for run in sorted(runs, key=lambda r: int(r.positions.min())):
        facts = run.facts
        n = run.positions.size
        stats.busy[facts.busy] = stats.busy.get(facts.busy, 0.0) + facts.interval * n
        stats.executions[facts.name] = stats.executions.get(facts.name, 0.0) + n
    machine.end = max(machine.end, float(done.max()))
    return True


def _queue(
    machine: Machine,
    runs: list[ExecRun],
    ready: list[float],
    tile: list[int],
    tiles: list[float],
    total: int,
) -> list[float]:
    """Each execution's completion, in order: it starts once the earliest
    clock of its unit kind, its tiles and its output tile's last write
    allow. `tiles` (by tile) ends as each tile's last completion."""
    unit_free = machine.unit_free
    timings = {(r.facts.unit, r.facts.interval, r.facts.latency) for r in runs}
    done: list[float] = []
    append = done.append
    replace = heapq.heapreplace
    if len(timings) == 1:
        ((unit, interval, latency),) = timings
        heap = list(unit_free[unit])
        heapq.heapify(heap)
        for earliest, t in zip(ready, tile, strict=True):
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
    units = sorted({r.facts.unit for r in runs})
    heaps = [list(unit_free[unit]) for unit in units]
    for heap in heaps:
        heapq.heapify(heap)
    which = np.empty(total, np.int64)
    intervals = np.empty(total, np.int64)
    latencies = np.empty(total, np.int64)
    for run in runs:
        positions = run.positions.reshape(-1)
        which[positions] = units.index(run.facts.unit)
        intervals[positions] = run.facts.interval
        latencies[positions] = run.facts.latency
    steps = zip(ready, tile, which.tolist(), intervals.tolist(), latencies.tolist(), strict=True)
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
