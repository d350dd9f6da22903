"""Every mapping the mapper emits computes what its statement computes."""

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isamapper_dialect.affine_access import AccessRow
from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.instruction_op import InstructionOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.mapping import IndexGroup
from isamapper_dialect.parsing import parse_module
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.mapping.from_ir import instruction_spec, statement_spec
from isamapper_passes.mapping.soundness import UnsoundMapping, check_mapping
from isamapper_passes.mapping.specs import OperandSpec, StatementSpec

from conftest import EXAMPLES, HARDWARE
from mapping_helpers import matrix_instruction, statement, vector_instruction


def instructions(path: Path):
    hardware = next(op for op in parse_module(path).walk() if isinstance(op, HardwareOp))
    return [instruction_spec(i, hardware) for i in hardware.ops_of(InstructionOp)]


@pytest.mark.parametrize("hardware", HARDWARE, ids=lambda p: p.stem)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_candidate_is_sound(example: Path, hardware: Path) -> None:
    specs = instructions(hardware)
    kernel = next(op for op in parse_module(example).walk() if isinstance(op, KernelOp))
    for op in kernel.statements:
        spec_of_statement = statement_spec(op)
        mappings = [
            (spec, mapping)
            for spec in specs
            for mapping in enumerate_mappings(spec_of_statement, spec).mappings
        ]
        assert mappings, f"no mapping for a statement of {example.name} on {hardware.name}"
        for spec, mapping in mappings:
            check_mapping(spec_of_statement, spec, mapping)


def test_checker_rejects_a_wrong_mapping() -> None:
    gemm = statement(
        ComputeKind.MAC,
        {"i": 8, "j": 8, "k": 8},
        [("%C", (8, 8), "i, j"), ("%A", (8, 8), "i, k"), ("%B", (8, 8), "k, j")],
    )
    instruction = matrix_instruction(4, 4, 4)
    good = enumerate_mappings(gemm, instruction).mappings[0]
    check_mapping(gemm, instruction, good)
    # Reading A where B belongs: B's tile would have to depend on `i`.
    swapped = dataclasses.replace(good, operands=(2, 1, 0))
    with pytest.raises(UnsoundMapping, match="%B depends on `j`, which no index of the"):
        check_mapping(gemm, instruction, swapped)
    # A tile larger than the instruction's 4 lanes leaves half of `i` uncomputed.
    too_wide = dataclasses.replace(
        good,
        groups=(IndexGroup("i", ("i",), (8,)), *good.groups[1:]),
        executions=4,
    )
    with pytest.raises(UnsoundMapping, match="differs from the statement's reference"):
        check_mapping(gemm, instruction, too_wide)


# ---- property: random contractions on random matrix and vector instructions ----


@st.composite
def contractions(draw) -> StatementSpec:
    """`O[...] += X[...] * W[...]` with 2-5 indices, random strides and offsets,
    transposed operands and sizes that rarely divide anything."""
    names = ("a", "b", "c", "d", "e")[: draw(st.integers(2, 5))]
    extents = tuple(draw(st.integers(1, 7)) for _ in names)
    parallel = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    operands = []
    for label, pool in (("%O", parallel), ("%X", names), ("%W", names)):
        chosen = (
            draw(st.permutations(pool))
            if label == "%O"
            else draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        )
        rows, shape = [], []
        for name in chosen:
            coefficients = [0] * len(names)
            coefficients[names.index(name)] = 1 if label == "%O" else draw(st.integers(1, 2))
            if label != "%O" and draw(st.booleans()):
                other = draw(st.sampled_from(names))
                coefficients[names.index(other)] += 1
            offset = draw(st.integers(0, 2))
            row = AccessRow(tuple(coefficients), offset)
            rows.append(row)
            shape.append(row.value_range(extents)[1] + 1 + draw(st.integers(0, 1)))
        operands.append(OperandSpec(label, tuple(shape), tuple(rows), "f32"))
    return StatementSpec(ComputeKind.MAC, names, extents, tuple(operands))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contractions(),
    st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6)),
    st.integers(1, 4),
    st.integers(1, 8),
)
def test_random_contractions_map_soundly(contraction, shape, reach, width) -> None:
    for instruction in (
        matrix_instruction(*shape, reach=reach),
        vector_instruction(ComputeKind.MAC, width, reach),
    ):
        for mapping in enumerate_mappings(contraction, instruction).mappings[:40]:
            check_mapping(contraction, instruction, mapping)
