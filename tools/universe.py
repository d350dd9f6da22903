"""Registration of isamapper's dialects and passes with stock `xdsl-opt`.

Loaded on every `xdsl-opt` start through the `xdsl.universe` entry point, so
it imports nothing heavy: each entry is a function that imports on demand.
"""

from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.universe import Universe


def _isa_dialect() -> Dialect:
    from isamapper_dialect.isa import ISA

    return ISA


def _map_instructions() -> type[ModulePass]:
    from isamapper_passes.map_instructions import MapInstructionsPass

    return MapInstructionsPass


def _accel_dialect() -> Dialect:
    from isamapper_dialect.accel import ACCEL

    return ACCEL


DIALECTS: dict[str, Callable[[], Dialect]] = {"isa": _isa_dialect, "accel": _accel_dialect}


def _schedule() -> type[ModulePass]:
    from isamapper_passes.schedule import SchedulePass

    return SchedulePass


def _export() -> type[ModulePass]:
    from isamapper_passes.accel_export import ConvertAccelToMlirPass

    return ConvertAccelToMlirPass


def _convert_linalg_to_isa() -> type[ModulePass]:
    from isamapper_passes.linalg_import import ConvertLinalgToIsaPass

    return ConvertLinalgToIsaPass


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "convert-linalg-to-isa": _convert_linalg_to_isa,
    "isa-map-instructions": _map_instructions,
    "isa-schedule": _schedule,
    "convert-accel-to-mlir": _export,
}

ISAMAPPER_UNIVERSE = Universe(all_dialects=DIALECTS, all_passes=PASSES)


def _linalg_dialect() -> Dialect:
    from isamapper_dialect.upstream_dialects import linalg_dialect

    return linalg_dialect()


def _memref_dialect() -> Dialect:
    from isamapper_dialect.upstream_dialects import memref_dialect

    return memref_dialect()


UPSTREAM_DIALECTS: dict[str, Callable[[], Dialect]] = {
    "linalg": _linalg_dialect,
    "memref": _memref_dialect,
}
"""Replacements for xDSL's own `linalg` and `memref` that read upstream mlir-opt's
forms (see isamapper_dialect/upstream_dialects.py). Not part of the universe (a
universe cannot replace a dialect xDSL registers): `isamapper-opt` and
`isamapper_tools.loading.make_context` register them instead of xDSL's."""
