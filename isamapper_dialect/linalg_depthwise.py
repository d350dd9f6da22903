"""`linalg.depthwise_conv_2d_nhwc_hwc`, which xDSL 0.74's linalg dialect lacks.

Upstream MLIR's depthwise 2-D convolution with one filter per channel::

    linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>,
        strides = dense<2> : tensor<2xi64>}
        ins(%I, %F : memref<1x57x57x32xf32>, memref<3x3x32xf32>)
        outs(%O : memref<1x28x28x32xf32>)

computes ``O[n, h, w, c] += I[n, h*sh + r*dh, w*sw + s*dw, c] * F[r, s, c]`` over the
loops ``(n, h, w, c, r, s)``, ``r`` and ``s`` being reductions. As upstream,
`strides` and `dilations` default to 1 when absent.

`isamapper-opt` reads this op through `isamapper_dialect.upstream_dialects`; stock
`xdsl-opt` cannot (a universe cannot add an op to an existing dialect), so there the
op's generic form parses only with `--allow-unregistered-dialect`, and
`indexing_maps` serves the import pass for that form too.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntElementsAttr,
    DenseIntOrFPElementsAttr,
    TensorType,
    i64,
)
from xdsl.dialects.linalg.abstract_ops import ConvOperation
from xdsl.dialects.linalg.attrs import IteratorType, IteratorTypeAttr
from xdsl.ir import Attribute
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.irdl import irdl_op_definition, prop_def
from xdsl.utils.exceptions import VerifyException

NAME = "linalg.depthwise_conv_2d_nhwc_hwc"

NUM_LOOPS = 6
"""The loops `(n, h, w, c, r, s)`."""

ITERATOR_TYPES = (IteratorType.PARALLEL,) * 4 + (IteratorType.REDUCTION,) * 2


def unit_window() -> DenseIntElementsAttr:
    """`dense<1> : tensor<2xi64>`: the default strides and dilations."""
    return DenseIntOrFPElementsAttr.from_list(TensorType(i64, [2]), [1, 1])


def window_values(attribute: Attribute | None, what: str) -> tuple[int, int]:
    """The two values of a `strides` or `dilations` attribute (1, 1 when absent);
    ValueError when it is not two integers."""
    if attribute is None:
        return (1, 1)
    if not isinstance(attribute, DenseIntOrFPElementsAttr):
        raise ValueError(f"`{what}` must be a dense integer attribute, not {attribute}")
    values = attribute.get_values()
    if len(values) != 2 or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(f"`{what}` must hold two positive integers, not {attribute}")
    return (int(values[0]), int(values[1]))


def verify_windows(op: ConvOperation) -> None:
    """Raise VerifyException unless the op's strides and dilations are two positive
    integers each (xDSL's verifier would fail on them with a Python error)."""
    for name in ("strides", "dilations"):
        try:
            window_values(op.properties.get(name), name)
        except ValueError as error:
            raise VerifyException(str(error)) from None


def indexing_maps(
    strides: Sequence[int], dilations: Sequence[int]
) -> tuple[AffineMap, AffineMap, AffineMap]:
    """Input, filter and output maps over `(n, h, w, c, r, s)`."""
    n, h, w, c, r, s = (AffineDimExpr(d) for d in range(NUM_LOOPS))
    stride_h, stride_w = strides
    dilation_h, dilation_w = dilations
    return (
        AffineMap(
            NUM_LOOPS, 0, (n, h * stride_h + r * dilation_h, w * stride_w + s * dilation_w, c)
        ),
        AffineMap(NUM_LOOPS, 0, (r, s, c)),
        AffineMap(NUM_LOOPS, 0, (n, h, w, c)),
    )


@irdl_op_definition
class DepthwiseConv2DNhwcHwcOp(ConvOperation):
    """Depthwise 2-D convolution, NHWC input, HWC filter (one filter per channel).

    See external [documentation](https://mlir.llvm.org/docs/Dialects/Linalg/#linalgdepthwise_conv_2d_nhwc_hwc-linalgdepthwiseconv2dnhwchwcop).
    """

    name = NAME

    strides = prop_def(DenseIntElementsAttr, default_value=unit_window())
    dilations = prop_def(DenseIntElementsAttr, default_value=unit_window())

    def verify_(self) -> None:
        verify_windows(self)
        super().verify_()

    def get_default_indexing_maps(self) -> Sequence[AffineMap]:
        return indexing_maps(
            window_values(self.strides, "strides"), window_values(self.dilations, "dilations")
        )

    def get_iterator_types(self) -> ArrayAttr[IteratorTypeAttr]:
        return ArrayAttr(IteratorTypeAttr(t) for t in ITERATOR_TYPES)
