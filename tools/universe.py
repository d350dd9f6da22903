"""Registration of isamapper's dialects and passes with stock `xdsl-opt`.

Loaded on every `xdsl-opt` start through the `xdsl.universe` entry point, so
it imports nothing heavy: each entry is a function that imports on demand.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass
from xdsl.universe import Universe

from isamapper_dialect.registry import DIALECTS


def _map_instructions() -> type[ModulePass]:
    from isamapper_passes.mapping.map_instructions import MapInstructionsPass

    return MapInstructionsPass


def _schedule() -> type[ModulePass]:
    from isamapper_passes.scheduling.schedule import SchedulePass

    return SchedulePass


def _export() -> type[ModulePass]:
    from isamapper_passes.interop.accel_export import ConvertAccelToMlirPass

    return ConvertAccelToMlirPass


def _convert_linalg_to_isa() -> type[ModulePass]:
    from isamapper_passes.interop.linalg_import import ConvertLinalgToIsaPass

    return ConvertLinalgToIsaPass


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "convert-linalg-to-isa": _convert_linalg_to_isa,
    "isa-map-instructions": _map_instructions,
    "isa-schedule": _schedule,
    "convert-accel-to-mlir": _export,
}

ISAMAPPER_UNIVERSE = Universe(all_dialects=DIALECTS, all_passes=PASSES)
