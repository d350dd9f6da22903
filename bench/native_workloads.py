"""What the native bench runs for a row: its kernels, the weight each one's time
has in the row's time, and numpy's formulation of each (the best plain numpy:
one matmul per GEMM, per tap or per layer; element-wise steps into
preallocated arrays).

- a GEMM row is one kernel, `C += op(A) op(B)`, against `np.matmul`;
- a MobileNet block is one kernel (convolution or depthwise, ReLU, pointwise,
  ReLU), against numpy: the depthwise taps as nine broadcast multiply-adds,
  a convolution as one matmul per tap, the pointwise convolution one matmul;
- a GRU layer is, as in the model's bench (measure.py), the input projection
  of every step (a GEMM) plus `t` recurrent steps timed as 2 and 3 steps and
  extrapolated linearly (`t` steps = (3 - t) x two + (t - 2) x three), the
  same for numpy, whose step is one `h @ U` and the gates' element-wise ops.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from isamapper_bench.kernels import gemm_kernel, gru_projection, gru_steps, mobilenet_kernel
from isamapper_bench.workloads import GemmRow, GruRow, MobileNetBlock, Row

NumpyCall = Callable[[], None]
"""One run of numpy's formulation, into the outputs it was built with."""


def native_terms(row: Row) -> tuple[tuple[float, str], ...]:
    """(weight, kernel text) of each kernel whose time, weighted, sums to the row's."""
    if isinstance(row, GemmRow):
        return ((1.0, gemm_kernel(row)),)
    if isinstance(row, MobileNetBlock):
        return ((1.0, mobilenet_kernel(row, False)),)
    t = row.timesteps
    projection = (1.0, gru_projection(row))
    if t <= 2:
        return (projection, (1.0, gru_steps(row, t, False)))
    return (
        projection,
        (3.0 - t, gru_steps(row, 2, False)),
        (t - 2.0, gru_steps(row, 3, False)),
    )


def row_flops(row: Row) -> float:
    """Floating-point operations of the row (2 per multiply-accumulate)."""
    if isinstance(row, GemmRow):
        return 2.0 * row.m * row.n * row.k
    if isinstance(row, MobileNetBlock):
        return 2.0 * sum(layer.macs for layer in row.layers)
    # The projection and the recurrent GEMMs of every step.
    return 2.0 * 2 * row.timesteps * row.batch * row.hidden * 3 * row.hidden


def relative_tolerance(row: Row) -> float:
    """How far (relative to the larger of 1 and the largest value) a native
    output may lie from numpy's, both in float32 but summed in other orders:
    1e-4, and 1e-3 for a GRU layer, whose states go through up to three steps of
    recurrent sums over as many as 2816 products each."""
    return 1e-3 if isinstance(row, GruRow) else 1e-4


def numpy_formulation(
    row: Row, term: int, arrays: dict[str, np.ndarray]
) -> tuple[NumpyCall, dict[str, np.ndarray]]:
    """numpy's computation of kernel `term` of the row on `arrays` (named as
    the kernel's arguments), and the outputs it writes, keyed by argument."""
    if isinstance(row, GemmRow):
        a = arrays["A"].T if row.a_trans else arrays["A"]
        b = arrays["B"].T if row.b_trans else arrays["B"]
        c = np.empty((row.m, row.n), np.float32)
        return lambda: np.matmul(a, b, out=c), {"C": c}
    if isinstance(row, MobileNetBlock):
        return _mobilenet(row, arrays)
    if term == 0:
        x, w = arrays["X"], arrays["W"]
        xw = np.empty((x.shape[0], w.shape[1]), np.float32)
        return lambda: np.matmul(x, w, out=xw), {"XW": xw}
    return _gru_steps(row, arrays)


def _mobilenet(
    block: MobileNetBlock, arrays: dict[str, np.ndarray]
) -> tuple[NumpyCall, dict[str, np.ndarray]]:
    first = block.layers[0]
    ho, wo, stride = first.h_out, first.w_out, first.stride
    image = arrays["I"][0]

    def window(r: int, s: int) -> np.ndarray:
        return image[r : r + stride * (ho - 1) + 1 : stride, s : s + stride * (wo - 1) + 1 : stride]

    if first.op == "conv":
        filters = arrays["F"]
        out = np.empty((1, ho, wo, first.c_out), np.float32)
        tap = np.empty((ho, wo, first.c_out), np.float32)

        def conv() -> None:
            out[0] = 0.0
            for r in range(3):
                for s in range(3):
                    np.matmul(window(r, s), filters[r, s], out=tap)
                    out[0] += tap
            np.maximum(out, 0.0, out=out)

        return conv, {"O": out}
    depthwise, pointwise = arrays["Fd"], arrays["Wp"]
    c, k = first.c_in, block.layers[1].c_out
    hidden = np.empty((ho, wo, c), np.float32)
    product = np.empty((ho, wo, c), np.float32)
    out = np.empty((1, ho, wo, k), np.float32)

    def dwsep() -> None:
        hidden[...] = 0.0
        for r in range(3):
            for s in range(3):
                np.multiply(window(r, s), depthwise[r, s], out=product)
                np.add(hidden, product, out=hidden)
        np.maximum(hidden, 0.0, out=hidden)
        np.matmul(hidden.reshape(ho * wo, c), pointwise, out=out.reshape(ho * wo, k))
        np.maximum(out, 0.0, out=out)

    return dwsep, {"O": out}


def _gru_steps(
    row: GruRow, arrays: dict[str, np.ndarray]
) -> tuple[NumpyCall, dict[str, np.ndarray]]:
    b, h = row.batch, row.hidden
    xw, h0, u, bx, bh = (arrays[n] for n in ("XW", "h0", "U", "bx", "bh"))
    steps = xw.shape[0] // b
    states = np.empty((steps * b, h), np.float32)
    hu = np.empty((b, 3 * h), np.float32)
    xb = np.empty((b, 3 * h), np.float32)
    rz = np.empty((b, 2 * h), np.float32)
    n = np.empty((b, h), np.float32)
    d = np.empty((b, h), np.float32)

    def run() -> None:
        previous = h0
        for t in range(steps):
            np.matmul(previous, u, out=hu)
            np.add(hu, bh, out=hu)
            np.add(xw[t * b : (t + 1) * b], bx, out=xb)
            # r, z = sigmoid(XB + HB) on the first 2h columns, as 1 / (1 + exp(-x)).
            np.add(xb[:, : 2 * h], hu[:, : 2 * h], out=rz)
            np.negative(rz, out=rz)
            with np.errstate(over="ignore"):  # exp(88+) is inf: sigmoid 0, as intended
                np.exp(rz, out=rz)
            np.add(rz, 1.0, out=rz)
            np.reciprocal(rz, out=rz)
            np.multiply(rz[:, :h], hu[:, 2 * h :], out=n)
            np.add(n, xb[:, 2 * h :], out=n)
            np.tanh(n, out=n)
            np.subtract(previous, n, out=d)
            np.multiply(d, rz[:, h:], out=d)
            state = states[t * b : (t + 1) * b]
            np.add(n, d, out=state)
            previous = state

    return run, {"H": states}
