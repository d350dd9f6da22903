"""xDSL's `linalg` and `memref` dialects as isamapper's tools read them: able to parse
what upstream `mlir-opt` (LLVM 22) prints for the ops `convert-linalg-to-isa` imports.

xDSL 0.74 lacks or misreads a few of those forms; here each is a subclass of xDSL's op
(so passes that test `isinstance` against xDSL's classes still see it; a subclass of an
IRDL op must declare its operands, results, regions and properties again):

- `linalg.depthwise_conv_2d_nhwc_hwc` does not exist in xDSL (`linalg_depthwise.py`);
- `linalg.matmul indexing_maps = [...] ins(...) outs(...)`, upstream's pretty form of a
  transposed matmul, fails to parse (xDSL reads only an attribute dictionary in front)
  and xDSL prints a matmul without its maps; `MatmulOp` reads and prints them;
- `linalg.conv_2d_nhwc_hwcf` without `strides`/`dilations` (upstream's defaults, 1)
  fails xDSL's verifier; `Conv2DNhwcHwcfOp` defaults them to 1 (and reports strides that
  are not two integers instead of raising a Python error);
- `memref.copy %a, %b : T to T` has no custom syntax in xDSL; `CopyOp` has upstream's.

`isamapper-opt` and `isamapper_dialect.parsing.make_context` register these dialects
instead of xDSL's; stock `xdsl-opt` keeps xDSL's own (a universe cannot replace them).
"""

from __future__ import annotations

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseIntElementsAttr,
    MemRefType,
    ShapedType,
    TensorType,
)
from xdsl.dialects.linalg import Linalg
from xdsl.dialects.linalg import ops as linalg_ops
from xdsl.ir import Dialect, Operation
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    region_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer

from isamapper_dialect.linalg_depthwise import (
    DepthwiseConv2DNhwcHwcOp,
    unit_window,
    verify_windows,
)

DEFAULT_MATMUL_MAPS = (
    linalg_ops.MatmulOp.get_irdl_definition().properties["indexing_maps"].default_value
)
"""`(i, k)`, `(k, j)`, `(i, j)`: upstream prints a matmul's maps only when they differ."""


@irdl_op_definition
class MatmulOp(linalg_ops.MatmulOp):
    """`linalg.matmul`, with upstream's `indexing_maps = [...]` in front of `ins`."""

    name = "linalg.matmul"

    inputs = var_operand_def()
    outputs = var_operand_def(ShapedType)
    res = var_result_def(TensorType)
    body = region_def("single_block")
    indexing_maps = prop_def(ArrayAttr[AffineMapAttr], default_value=DEFAULT_MATMUL_MAPS)

    @classmethod
    def parse(cls, parser: Parser) -> MatmulOp:
        maps = None
        if parser.parse_optional_keyword("indexing_maps") is not None:
            parser.parse_punctuation("=", " after `indexing_maps`")
            start = parser.pos
            maps = parser.parse_attribute()
            if not isinstance(maps, ArrayAttr) or not all(
                isinstance(m, AffineMapAttr)
                for m in maps.data  # pyright: ignore[reportUnknownMemberType]
            ):
                parser.raise_error("`indexing_maps` must be a list of affine maps", start)
        op = super().parse(parser)
        if maps is not None:
            op.properties["indexing_maps"] = maps
        return op

    def print(self, printer: Printer) -> None:
        if self.indexing_maps != DEFAULT_MATMUL_MAPS:
            printer.print_string(" indexing_maps = ")
            printer.print_attribute(self.indexing_maps)
        super().print(printer)


@irdl_op_definition
class Conv2DNhwcHwcfOp(linalg_ops.Conv2DNhwc_HwcfOp):
    """`linalg.conv_2d_nhwc_hwcf`, whose strides and dilations default to 1."""

    name = "linalg.conv_2d_nhwc_hwcf"

    inputs = var_operand_def()
    outputs = var_operand_def(ShapedType)
    res = var_result_def(TensorType)
    body = region_def("single_block")
    strides = prop_def(DenseIntElementsAttr, default_value=unit_window())
    dilations = prop_def(DenseIntElementsAttr, default_value=unit_window())

    def verify_(self) -> None:
        verify_windows(self)
        super().verify_()


@irdl_op_definition
class CopyOp(memref.CopyOp):
    """`memref.copy %source, %target : memref<...> to memref<...>`."""

    name = "memref.copy"

    source = operand_def(MemRefType)
    destination = operand_def(MemRefType)

    assembly_format = "$source `,` $destination attr-dict `:` type($source) `to` type($destination)"


def _replace(dialect: Dialect, replacements: list[type[Operation]]) -> list[type[Operation]]:
    by_name = {op.name: op for op in replacements}
    return [by_name.pop(op.name, op) for op in dialect.operations] + list(by_name.values())


def linalg_dialect() -> Dialect:
    """xDSL's linalg with the depthwise convolution and the forms above."""
    return Dialect(
        "linalg",
        _replace(Linalg, [MatmulOp, Conv2DNhwcHwcfOp, DepthwiseConv2DNhwcHwcOp]),
        list(Linalg.attributes),
    )


def memref_dialect() -> Dialect:
    """xDSL's memref with upstream's `memref.copy` syntax."""
    return Dialect("memref", _replace(memref.MemRef, [CopyOp]), list(memref.MemRef.attributes))
