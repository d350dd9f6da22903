"""Verifier decisions that need more than one example: when an assignment's
output provably writes each element once; a cache's geometry built in Python."""

import pytest
from xdsl.parser import Parser
from xdsl.utils.exceptions import VerifyException

from isamapper_dialect.hardware_ops import MemoryOp
from isamapper_dialect.parsing import make_context


def verify(statement: str, x_shape: str, y_shape: str) -> None:
    text = (
        f"isa.kernel @k(%X : memref<{x_shape}xf32>, %Y : memref<{y_shape}xf32>) {{\n"
        f"  {statement}\n}}\n"
    )
    Parser(make_context(), text).parse_module().verify()


@pytest.mark.parametrize(
    ("statement", "x_shape", "y_shape"),
    [
        # Full column rank: one-to-one on all integers.
        ("isa.compute %Y[j, i] = %X[i, j] for i < 3, j < 5", "3x5", "5x3"),
        # Fused (mixed-radix) layout on a domain far too large to enumerate.
        ("isa.compute %Y[i + 4096*j] = %X[i, j] for i < 4096, j < 4096", "4096x4096", "16777216"),
        # Neither, but small: checked point by point (addresses 0 2 4 3 5 7).
        ("isa.compute %Y[2*i + 3*j] = %X[i, j] for i < 3, j < 2", "3x2", "8"),
    ],
)
def test_one_to_one_assignments_verify(statement: str, x_shape: str, y_shape: str) -> None:
    verify(statement, x_shape, y_shape)


def test_overlapping_assignment_is_rejected() -> None:
    with pytest.raises(VerifyException, match="writes some element more than once"):
        verify("isa.compute %Y[i + 2*j] = %X[i, j] for i < 3, j < 2", "3x2", "6")


def test_accumulation_may_overlap() -> None:
    verify("isa.compute %Y[i + j] += %X[i, j] * %X[j, i] for i < 3, j < 3", "3x3", "5")


def test_a_cache_built_with_its_geometry_prints_as_written() -> None:
    memory = MemoryOp("l1d", 49152, 128, 5, cache=True, geometry=(12, 64))
    memory.verify_()
    assert memory.geometry == (64, 12, 64)
    assert (
        str(memory)
        == "isa.memory @l1d capacity 49152 bandwidth 128 latency 5 cache ways 12 line 64"
    )
    with pytest.raises(VerifyException, match="without being a cache with both"):
        MemoryOp("sram", 49152, 128, 5, geometry=(12, 64)).verify_()
