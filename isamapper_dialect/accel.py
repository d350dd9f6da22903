"""The `accel` dialect: scheduled programs for a described accelerator.

A program names its hardware (`on @nnp`); buffers live in its memories,
transfers run on its engines and instruction executions on its units. Loops
and index arithmetic are upstream `scf` and `arith`.

    accel.program @gemm on @nnp(%A : memref<64x64xf32>, ...) {
      %x = accel.alloc @sram : memref<2x32x32xf32>
      %t = accel.copy @hbm_to_sram %A[%a] -> %x[%s] box [32:64:32, 32:1:1] limits [%m, %n]
      accel.wait %t
      accel.exec @mm32(%x[%s], %w[%s2], %o[%c0]) strides [[32, 1], [32, 1], [32, 1]]
    }

`accel.copy` moves a strided box: dimension `d` has `size`, a stride in the
source and one in the destination (in elements, from the two offsets);
elements at or past `limits[d]` along `d` are padding: not read, and zero in
the destination unless it is in the main memory (a block loaded into a buffer
is padded; a block stored into a tensor in the main memory leaves the rest of
the tensor alone; the scheduler never stores a ragged block, except
accumulating, into a tensor elsewhere). With `accumulate` it adds into the
destination (and pads nothing).

A block in a cache (a hardware-managed memory) has no buffer: the transfers
below it read the buffer above it through the cache, with engines whose end is
the cache, and `accel.touch` times the lines the cache moves (accel_touch.py).
"""

from xdsl.ir import Dialect

from isamapper_dialect.accel_copy import CopyOp
from isamapper_dialect.accel_exec import ExecOp
from isamapper_dialect.accel_program import (
    AllocOp,
    FillOp,
    FreeOp,
    ProgramOp,
    TokenType,
    WaitOp,
    WritesBuffer,
    memory_of,
)
from isamapper_dialect.accel_touch import TouchOp
from isamapper_dialect.strided_box import merged_dims

__all__ = [
    "ACCEL",
    "AllocOp",
    "CopyOp",
    "ExecOp",
    "FillOp",
    "FreeOp",
    "ProgramOp",
    "TokenType",
    "TouchOp",
    "WaitOp",
    "WritesBuffer",
    "memory_of",
    "merged_dims",
]

ACCEL = Dialect(
    "accel",
    [ProgramOp, AllocOp, CopyOp, TouchOp, WaitOp, FillOp, FreeOp, ExecOp],
    [TokenType],
)
