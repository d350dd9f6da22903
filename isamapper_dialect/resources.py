"""What keeps a program busy, as one typed key for the cost model, the model's
statistics and the tools: a unit kind, a transfer engine or an operand's station."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ResourceKind(StrEnum):
    """The kinds of resource a schedule occupies."""

    UNIT = "unit"
    """A compute unit kind (`isa.unit`), all its units together."""
    ENGINE = "engine"
    """A transfer engine (`isa.transfer`)."""
    STATION = "station"
    """An operand's block buffer at one tiling level (its slots taking turns)."""


@dataclass(frozen=True, order=True)
class Resource:
    """One resource, e.g. `Resource(ResourceKind.UNIT, "mxu")`; prints as `unit:mxu`."""

    kind: ResourceKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"
