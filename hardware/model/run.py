"""`run_program`: runs an `accel` program on the model, functionally or for
time only, and returns its outputs and statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import (
    Interpreter,
)
from xdsl.interpreters.arith import ArithFunctions

from isamapper_dialect.accel import (
    ProgramOp,
)
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_hardware.model.accel_ops import AccelFunctions, UnsignedIndexArith
from isamapper_hardware.model.fast_forward import FastForwardingScf
from isamapper_hardware.model.machine import Machine, ModelError, Statistics, warm_memories


@dataclass
class RunResult:
    """Outputs and statistics of one run."""

    arrays: dict[str, np.ndarray]
    stats: Statistics


def run_program(
    module: ModuleOp,
    program: ProgramOp,
    arrays: dict[str, np.ndarray],
    functional: bool = True,
    trace: bool = False,
    max_operations: int | None = None,
    warm: bool = False,
) -> RunResult:
    """Run `program` on copies of `arrays` (keyed by argument name; timing
    only leaves them as they are and returns views of them); past
    `max_operations` simulated copies and executions, raise ModelError.
    `warm`: the program runs again on the data of its last run, so its tensors
    start in the smallest cache that holds them all (`warm_memories`) and the
    traffic of cached blocks from there and beyond costs nothing (how a native
    run repeated on the same inputs is timed); otherwise they start in the
    main memory."""
    names = [a.name_hint or f"arg{i}" for i, a in enumerate(program.body.block.args)]
    # Timing only moves no data: views (one object per argument, as the
    # machine keys buffers by object) instead of copies.
    values = [
        np.array(arrays[name], copy=True) if functional else np.asarray(arrays[name]).view()
        for name in names
    ]
    spec = hardware_spec(program.hardware_op())
    start = warm_memories(spec, sum(v.nbytes for v in values)) if warm else frozenset()
    machine = Machine(spec, functional, trace, max_operations, start)
    interpreter = Interpreter(module)
    interpreter.register_implementations(ArithFunctions())
    interpreter.register_implementations(UnsignedIndexArith())
    accel = AccelFunctions(machine)
    interpreter.register_implementations(FastForwardingScf(machine, accel))
    interpreter.register_implementations(accel)
    try:
        interpreter.call_op(program.sym_name.data, tuple(values))
    except ModelError:
        raise
    except Exception as error:  # the interpreter wraps ModelError in a diagnostic
        cause = error
        while cause is not None and not isinstance(cause, ModelError):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, ModelError):
            raise cause from None
        raise
    machine.stats.cycles = machine.end
    return RunResult(dict(zip(names, values, strict=True)), machine.stats)
