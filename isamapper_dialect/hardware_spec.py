"""The hardware as plain data, for the scheduler, the cost model and the model."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, UnitOp
from isamapper_dialect.main_memory import main_memory
from isamapper_dialect.tlb_op import TlbOp
from isamapper_dialect.transfer_op import TransferOp


@dataclass(frozen=True)
class Engine:
    """A transfer engine."""

    name: str
    source: str
    target: str
    bandwidth: int
    latency: int
    dims: int
    granule: int = 1
    """Bytes of the smallest access (strided_box.charged_bytes)."""
    prefetch: int | None = None
    """How far apart a transfer's rows stream (strided_box.demand_misses); None: any."""


@dataclass(frozen=True)
class HardwareSpec:
    """Memories (capacity, bandwidth, latency), engines and units of a hardware."""

    name: str
    memories: dict[str, tuple[int, int, int]]
    engines: tuple[Engine, ...]
    units: dict[str, int]
    main: str
    clock_mhz: int | None = None
    """The core clock, where the description gives one."""
    caches: frozenset[str] = frozenset()
    """The hardware-managed memories (`isa.memory ... cache`)."""
    tlbs: tuple[tuple[str, int, int], ...] = ()
    """(cache, entries, page bytes) of each `isa.tlb`."""
    geometries: tuple[tuple[str, int, int, int], ...] = ()
    """(cache, sets, ways, line bytes) of each cache that gives `ways N line B`."""

    @cached_property
    def engine_named(self) -> dict[str, Engine]:
        """The engines by name (the scheduler asks for them per plan station)."""
        return {engine.name: engine for engine in self.engines}

    def geometry_of(self, memory: str) -> tuple[int, int, int] | None:
        """(sets, ways, line bytes) of a cache, if its description gives them."""
        return next(((n, w, b) for m, n, w, b in self.geometries if m == memory), None)

    def tlb_of(self, memory: str) -> tuple[int, int] | None:
        """(entries, page bytes) of the TLB covering a cache, if one is described."""
        return next(((e, p) for m, e, p in self.tlbs if m == memory), None)

    def route(self, source: str, target: str) -> list[Engine] | None:
        """The chain of engines tiles take from `source` to `target`, the one rule
        the mapper (its tiles' reach) and the scheduler (its stations) share: of
        the simple paths, the one whose widest engine addresses the most strided
        dimensions, then the one with fewest hops, then the first declared.
        [] when they are the same memory, None when unreachable."""
        found = _route(self.engines, source, target)
        return None if found is None else list(found)

    def reach(self, memory: str, into: bool) -> int:
        """The most strided dimensions a tile can be given on its route from the
        main memory to `memory` (`into`) or back; 0 when there is no route. A
        tile used in place in the main memory cannot be rearranged: 1."""
        source, target = (self.main, memory) if into else (memory, self.main)
        route = self.route(source, target)
        if route is None:
            return 0
        return max((e.dims for e in route), default=1)


def hardware_spec(hardware: HardwareOp) -> HardwareSpec:
    """The plain-data view of a verified `isa.hardware`."""
    return HardwareSpec(
        name=hardware.sym_name.data,
        memories={
            m.sym_name.data: (m.capacity.value.data, m.bandwidth.value.data, m.latency.value.data)
            for m in hardware.ops_of(MemoryOp)
        },
        engines=tuple(
            Engine(
                t.sym_name.data,
                t.source.root_reference.data,
                t.target.root_reference.data,
                t.bandwidth.value.data,
                t.latency.value.data,
                t.dims.value.data,
                t.granule_bytes,
                t.prefetch_bytes,
            )
            for t in hardware.ops_of(TransferOp)
        ),
        units={u.sym_name.data: u.count.value.data for u in hardware.ops_of(UnitOp)},
        main=main_memory(hardware).sym_name.data,
        clock_mhz=hardware.clock_mhz,
        caches=frozenset(m.sym_name.data for m in hardware.ops_of(MemoryOp) if m.is_cache),
        tlbs=tuple((t.memory.root_reference.data, *t.reach) for t in hardware.ops_of(TlbOp)),
        geometries=tuple(
            (m.sym_name.data, *m.geometry)
            for m in hardware.ops_of(MemoryOp)
            if m.geometry is not None
        ),
    )


@lru_cache(maxsize=1024)
def _route(engines: tuple[Engine, ...], source: str, target: str) -> tuple[Engine, ...] | None:
    """`HardwareSpec.route`, remembered: it depends on the engines alone, and the
    scheduler asks for it for every candidate and plan."""
    if source == target:
        return ()
    order = {engine: n for n, engine in enumerate(engines)}
    best: tuple[tuple[int, int, tuple[int, ...]], tuple[Engine, ...]] | None = None

    def walk(node: str, chain: tuple[Engine, ...], visited: frozenset[str]) -> None:
        nonlocal best
        if node == target:
            key = (-max(e.dims for e in chain), len(chain), tuple(order[e] for e in chain))
            if best is None or key < best[0]:
                best = (key, chain)
            return
        for engine in engines:
            if engine.source == node and engine.target not in visited:
                walk(engine.target, (*chain, engine), visited | {engine.target})

    walk(source, (), frozenset({source}))
    return None if best is None else best[1]
