"""`compile_module`: the one Python entry point for the main job, map + schedule,
the two passes `isamapper-compile` runs (`isa-map-instructions`, then
`isa-schedule`), with the same options."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.parsing import make_context
from isamapper_passes.mapping.enumeration import DEFAULT_MAX_CANDIDATES
from isamapper_passes.mapping.map_instructions import MapInstructionsPass
from isamapper_passes.scheduling.schedule import SchedulePass, ScheduleTuner


def compile_module(
    module: ModuleOp,
    hardware: str | Path | HardwareOp | None = None,
    *,
    target: str | None = None,
    strategy: str = "greedy",
    cost_model: str = "analytic",
    budget: int = 2000,
    seed: int = 0,
    fuse: bool = True,
    max_candidates: int = DEFAULT_MAX_CANDIDATES,
    context: Context | None = None,
    tuner: ScheduleTuner | None = None,
) -> ModuleOp:
    """Map every statement of `module`'s kernels onto `hardware` and schedule them
    into `accel` programs, in place; returns `module`.

    `hardware` is a description file (copied into the module, as
    `hardware-file=` does), an `isa.hardware` op (cloned into the module unless
    it is already there), or None for the one in the module (`target` names it
    when there are several). The other options are the passes' (`isa-schedule`:
    strategy, cost model, budget, seed, fuse; `isa-map-instructions`:
    max-candidates); `tuner` may replace the plans the scheduler chose
    (`SchedulePass.schedule`). Failures raise the passes' PassFailedException or
    StatementError (or the verifier's error), with the message `isamapper-compile` would print."""
    context = context or make_context()
    hardware_file = None
    if isinstance(hardware, HardwareOp):
        target = hardware.sym_name.data
        if hardware.parent_op() is not module:
            module.body.block.add_op(hardware.clone())
    elif hardware is not None:
        hardware_file = str(hardware)
    MapInstructionsPass(
        target=target, hardware_file=hardware_file, max_candidates=max_candidates
    ).apply(context, module)
    module.verify()
    SchedulePass(
        strategy=strategy, cost_model=cost_model, budget=budget, seed=seed, fuse=fuse
    ).schedule(module, tuner)
    module.verify()
    return module
