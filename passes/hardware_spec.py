"""The hardware as plain data, for the scheduler, the cost model and the model."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, TransferOp, UnitOp


@dataclass(frozen=True)
class Engine:
    """A transfer engine."""

    name: str
    source: str
    target: str
    bandwidth: int
    latency: int
    dims: int


@dataclass(frozen=True)
class HardwareSpec:
    """Memories (capacity, bandwidth, latency), engines and units of a hardware."""

    name: str
    memories: dict[str, tuple[int, int, int]]
    engines: tuple[Engine, ...]
    units: dict[str, int]
    main: str

    def path(self, source: str, target: str) -> list[Engine] | None:
        """A shortest chain of engines from `source` to `target` (first declared
        engines preferred); [] when they are the same memory, None when unreachable."""
        if source == target:
            return []
        previous: dict[str, Engine] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            node = queue.popleft()
            for engine in self.engines:
                if engine.source == node and engine.target not in seen:
                    seen.add(engine.target)
                    previous[engine.target] = engine
                    queue.append(engine.target)
        if target not in previous:
            return None
        chain = [previous[target]]
        while chain[0].source != source:
            chain.insert(0, previous[chain[0].source])
        return chain


def hardware_spec(hardware: HardwareOp) -> HardwareSpec:
    """The plain-data view of a verified `isa.hardware`."""
    from isamapper_passes.mapping_from_ir import main_memory

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
            )
            for t in hardware.ops_of(TransferOp)
        ),
        units={u.sym_name.data: u.count.value.data for u in hardware.ops_of(UnitOp)},
        main=main_memory(hardware).sym_name.data,
    )
