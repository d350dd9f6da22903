"""A hardware's energy and area as plain data: the one reading of the optional
cost fields (cost_fields.py) that the model's energy, the energy bound and the
sweep's area use.

A field a description leaves out costs nothing; a description without any
energy field has no energy (`energy_spec` is None), one without any area field
no area, so a tool reports them as absent, never as zero."""

from __future__ import annotations

from dataclasses import dataclass

from isamapper_dialect.cost_fields import cost_value
from isamapper_dialect.hardware_ops import HardwareOp, MemoryOp, UnitOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.transfer_op import TransferOp


@dataclass(frozen=True)
class EnergySpec:
    """Energies in pJ: per byte an engine moves, per execution, per cycle."""

    reads: dict[str, float]
    """Per memory, pJ per byte read."""
    writes: dict[str, float]
    """Per memory, pJ per byte written."""
    engines: dict[str, tuple[str, str, float]]
    """Per engine, (source memory, target memory, pJ per byte of its own)."""
    instructions: dict[str, float]
    """Per instruction, pJ per execution."""
    static: dict[str, float]
    """Per unit kind, pJ per cycle of all its copies together."""

    def per_byte(self, engine: str) -> float:
        """pJ a byte moved by `engine` costs: read at its source, the engine's
        own, written at its target."""
        source, target, own = self.engines[engine]
        return self.reads.get(source, 0.0) + own + self.writes.get(target, 0.0)

    @property
    def static_per_cycle(self) -> float:
        """pJ per cycle of every unit together."""
        return sum(self.static.values())


def energy_spec(hardware: HardwareOp) -> EnergySpec | None:
    """The energies of a verified `isa.hardware`; None when it gives none."""
    memories = hardware.ops_of(MemoryOp)
    transfers = hardware.ops_of(TransferOp)
    units = hardware.ops_of(UnitOp)
    instructions = hardware.ops_of(InstructionOp)
    given = [
        *(cost_value(m, f) for m in memories for f in ("read_energy", "write_energy")),
        *(cost_value(t, "energy") for t in transfers),
        *(cost_value(u, "static_energy") for u in units),
        *(cost_value(i, "energy") for i in instructions),
    ]
    if all(value is None for value in given):
        return None

    def of(op, field: str) -> float:
        return cost_value(op, field) or 0.0

    return EnergySpec(
        reads={m.sym_name.data: of(m, "read_energy") for m in memories},
        writes={m.sym_name.data: of(m, "write_energy") for m in memories},
        engines={
            t.sym_name.data: (
                t.source.root_reference.data,
                t.target.root_reference.data,
                of(t, "energy"),
            )
            for t in transfers
        },
        instructions={i.sym_name.data: of(i, "energy") for i in instructions},
        static={u.sym_name.data: of(u, "static_energy") * u.count.value.data for u in units},
    )


def area_mm2(hardware: HardwareOp) -> float | None:
    """The area of the units and memories that give one (mm²); None when none does."""
    parts = [(cost_value(u, "area"), u.count.value.data) for u in hardware.ops_of(UnitOp)] + [
        (cost_value(m, "area"), m.capacity.value.data / 1024) for m in hardware.ops_of(MemoryOp)
    ]
    if all(area is None for area, _ in parts):
        return None
    return sum((area or 0.0) * amount for area, amount in parts)
