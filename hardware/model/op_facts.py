"""What the model's `accel` ops need that does not change between their runs,
looked up once per op (`accel_ops.AccelFunctions` keeps them): a copy's or
touch's engine and box, and per run-time clipping of the box its cost on the
engine; an execution's instruction, tile shapes and compiled semantics.

A program's innermost loops run the same few ops millions of times, most with
the same limits: the costs (strided_box.charged_bytes, demand_misses) are
computed once per op and clipped box, not per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import prod

import numpy as np
from xdsl.dialects.builtin import MemRefType

from isamapper_dialect.accel import CopyOp, ExecOp, TouchOp
from isamapper_dialect.hardware_spec import Engine
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.reference_semantics import Evaluator, compile_statement
from isamapper_dialect.resources import Resource, ResourceKind
from isamapper_dialect.strided_box import charged_bytes, demand_misses
from isamapper_hardware.model.machine import ModelError


def box_addresses(base: int, sizes: Sequence[int], strides: Sequence[int]) -> np.ndarray:
    """Element offsets of every point of a strided box from `base`."""
    grids = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), int)
    return base + (np.array(strides, dtype=np.int64)[:, None] * grids).sum(axis=0)


@dataclass(frozen=True)
class BoxRun:
    """One run of a copy or touch whose box the limits clipped to `sizes`."""

    sizes: tuple[int, ...]
    elements: int
    duration: float
    """Cycles the engine is busy: charged bytes / bandwidth."""
    trip: float
    """Cycles from start to completion: the latencies waited, and `duration`."""


@dataclass
class BoxFacts:
    """A copy's or touch's engine and box (source and target strides; a touch's
    are equal), and its runs' costs by limits."""

    engine: Engine
    sizes: tuple[int, ...]
    source_strides: tuple[int, ...]
    target_strides: tuple[int, ...]
    accumulate: bool
    busy: Resource
    touch: bool
    itemsize: int
    free: bool = False
    """A touch between memories already holding the data: no cost."""
    runs: dict[tuple[int, ...], BoxRun] = field(default_factory=dict)

    def run(self, limits: Sequence[int]) -> BoxRun:
        """The run with these limits (computed the first time they occur)."""
        key = tuple(limits)
        found = self.runs.get(key)
        if found is None:
            found = self.runs[key] = self._run(key)
        return found

    def _run(self, limits: tuple[int, ...]) -> BoxRun:
        sizes = tuple(
            max(0, min(size, limit)) for size, limit in zip(self.sizes, limits, strict=True)
        )
        box = tuple(zip(sizes, self.source_strides, self.target_strides, strict=True))
        if self.free:
            return BoxRun(sizes, prod(sizes), 0.0, 0.0)
        engine = self.engine
        duration = charged_bytes(box, self.itemsize, engine.granule) / engine.bandwidth
        # A touch is the cache's own traffic: one latency. A copy's rows too far
        # apart to prefetch each wait the latency (demand misses).
        misses = 1 if self.touch else demand_misses(box, self.itemsize, engine.prefetch)
        return BoxRun(sizes, prod(sizes), duration, engine.latency * misses + duration)


def _engine(engines: dict[str, Engine], op: CopyOp | TouchOp, name: str) -> Engine:
    engine = engines.get(op.engine.root_reference.data)
    if engine is None:
        raise ModelError(f"accel.{name} uses {op.engine}, which is not a declared engine")
    return engine


def copy_facts(op: CopyOp, engines: dict[str, Engine], itemsize: int) -> BoxFacts:
    """A copy's facts (its elements `itemsize` bytes each)."""
    engine = _engine(engines, op, "copy")
    box = op.box()
    return BoxFacts(
        engine,
        tuple(b[0] for b in box),
        tuple(b[1] for b in box),
        tuple(b[2] for b in box),
        op.accumulate is not None,
        Resource(ResourceKind.ENGINE, engine.name),
        touch=False,
        itemsize=itemsize,
    )


def touch_facts(
    op: TouchOp, engines: dict[str, Engine], itemsize: int, free: frozenset[str] = frozenset()
) -> BoxFacts:
    """A touch's facts (its elements `itemsize` bytes each); on an engine of
    `free` it costs nothing."""
    engine = _engine(engines, op, "touch")
    box = op.box()
    strides = tuple(stride for _, stride in box)
    return BoxFacts(
        engine,
        tuple(size for size, _ in box),
        strides,
        strides,
        False,
        Resource(ResourceKind.ENGINE, engine.name),
        touch=True,
        itemsize=itemsize,
        free=engine.name in free,
    )


@dataclass
class ExecFacts:
    """What an execution needs that does not change between its runs."""

    name: str
    unit: str
    busy: Resource
    interval: int
    latency: int
    output_position: int
    shapes: list[tuple[int, ...]]
    strides: list[tuple[int, ...]]
    order: list[int]
    """Operand positions in the statement's order (output first)."""
    evaluate: Evaluator


def exec_facts(op: ExecOp) -> ExecFacts:
    """An execution's facts, from its instruction."""
    instruction: InstructionOp = op.instruction_op()
    statement = instruction.statement
    arguments = list(instruction.body.block.args)
    shapes = []
    for argument in arguments:
        assert isinstance(argument.type, MemRefType)
        shapes.append(tuple(argument.type.get_shape()))
    unit = instruction.unit.root_reference.data
    return ExecFacts(
        name=instruction.sym_name.data,
        unit=unit,
        busy=Resource(ResourceKind.UNIT, unit),
        interval=instruction.interval.value.data,
        latency=instruction.latency.value.data,
        output_position=arguments.index(statement.output),
        shapes=shapes,
        strides=op.tile_strides(),
        order=[arguments.index(v) for v in statement.all_operands],
        evaluate=compile_statement(
            statement.compute_kind,
            tuple(statement.extents),
            tuple(statement.access(p) for p in range(len(statement.all_operands))),
        ),
    )


def tile_view(
    array: np.ndarray, offset: int, shape: tuple[int, ...], strides: tuple[int, ...]
) -> np.ndarray:
    """The strided view of a tile at element `offset` of `array`."""
    itemsize = array.itemsize
    byte_strides = [s * itemsize for s in strides]
    try:
        return np.ndarray(shape, array.dtype, array, offset * itemsize, byte_strides)
    except (TypeError, ValueError):  # not a plain contiguous buffer, or past its end
        return np.lib.stride_tricks.as_strided(
            array.reshape(-1)[offset:], shape=shape, strides=byte_strides
        )
