"""The mapping model, without IR: legality rules, splits, fusion, padding, transfers."""

from fractions import Fraction

from xdsl.parser import Parser

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.mapping import IndexGroup
from isamapper_dialect.mapping_attr import MappingAttr
from isamapper_dialect.parsing import make_context
from isamapper_passes.mapping.enumeration import enumerate_mappings

from mapping_helpers import matrix_instruction, statement, vector_instruction

MAC = ComputeKind.MAC


def gemm(m: int, n: int, k: int, a: str = "i, k", a_shape: tuple[int, int] | None = None):
    return statement(
        MAC,
        {"i": m, "j": n, "k": k},
        [("%C", (m, n), "i, j"), ("%A", a_shape or (m, k), a), ("%B", (k, n), "k, j")],
    )


def formats(statement_spec, instruction) -> list[str]:
    return [m.format() for m in enumerate_mappings(statement_spec, instruction).mappings]


def test_gemm_on_a_matrix_unit_both_operand_orders_with_padding() -> None:
    assert formats(gemm(5, 6, 7), matrix_instruction(4, 4, 4)) == [
        "@hw::@mm, operands = [1, 2, 0], i = [i:4], j = [j:4], k = [k:4], outer = [], "
        "executions = 8, utilisation = 210/512, transfer_dims = [2, 2, 2]",
        # B*A computes the transposed product: C's tile is written transposed.
        "@hw::@mm, operands = [2, 1, 0], i = [j:4], j = [i:4], k = [k:4], outer = [], "
        "executions = 8, utilisation = 210/512, transfer_dims = [2, 2, 2]",
    ]


def test_utilisation_counts_padding() -> None:
    (best, _) = enumerate_mappings(gemm(5, 6, 7), matrix_instruction(4, 4, 4)).mappings
    # ceil(5/4) * ceil(6/4) * ceil(7/4) executions of 64 lanes for 210 real points.
    assert best.executions == 8
    assert best.utilisation == Fraction(210, 512)


def test_vector_fma_broadcasts_the_operand_without_the_index() -> None:
    result = formats(gemm(8, 8, 8), vector_instruction(MAC, 8))
    assert result == [
        "@hw::@v, operands = [1, 2, 0], i = [i:8], outer = [j, k], executions = 64, "
        "utilisation = 512/512, transfer_dims = [1, 1, 1]",
        "@hw::@v, operands = [1, 2, 0], i = [j:8], outer = [i, k], executions = 64, "
        "utilisation = 512/512, transfer_dims = [1, 1, 1]",
    ]


def test_fusion_needs_contiguous_layouts() -> None:
    pointwise = statement(
        MAC,
        {"n": 2, "h": 3, "w": 5, "k": 8, "c": 4},
        [
            ("%O", (2, 3, 5, 8), "n, h, w, k"),
            ("%I", (2, 3, 5, 4), "n, h, w, c"),
            ("%W", (4, 8), "c, k"),
        ],
    )
    groups = {
        m.group("i") for m in enumerate_mappings(pointwise, matrix_instruction(16, 8, 4)).mappings
    }
    assert IndexGroup("i", ("n", "h", "w"), fused=True) in groups
    # The same kernel on an input with a halo (rows longer than w's extent).
    padded = statement(
        MAC,
        {"n": 2, "h": 3, "w": 5, "k": 8, "c": 4},
        [
            ("%O", (2, 3, 5, 8), "n, h, w, k"),
            ("%I", (2, 3, 7, 4), "n, h, w, c"),
            ("%W", (4, 8), "c, k"),
        ],
    )
    groups = {
        m.group("i") for m in enumerate_mappings(padded, matrix_instruction(16, 8, 4)).mappings
    }
    assert not any(g.fused for g in groups)
    assert IndexGroup("i", ("h", "w"), (3, 5)) in groups


def test_depthwise_maps_as_matrix_vector_with_channels_outer() -> None:
    depthwise = statement(
        MAC,
        {"h": 4, "w": 4, "c": 8, "r": 3, "s": 3},
        [
            ("%O", (4, 4, 8), "h, w, c"),
            ("%I", (9, 9, 8), "2*h + r, 2*w + s, c"),
            ("%F", (3, 3, 8), "r, s, c"),
        ],
    )
    mappings = enumerate_mappings(depthwise, matrix_instruction(16, 16, 16)).mappings
    assert mappings
    for mapping in mappings:
        # `c` is in the output and both inputs: it can only be an outer loop.
        assert "c" in mapping.outer
    best = mappings[0]
    assert best.format() == (
        "@hw::@mm, operands = [1, 2, 0], i = [h:4, w:4], j = [], k = [r:3, s:3], "
        "outer = [c], executions = 8, utilisation = 1152/32768, transfer_dims = [4, 1, 1]"
    )


def test_index_in_all_operands_cannot_use_a_matrix_unit() -> None:
    product = statement(
        MAC, {"c": 32}, [("%O", (32,), "c"), ("%X", (32,), "c"), ("%F", (32,), "c")]
    )
    search = enumerate_mappings(product, matrix_instruction(8, 8, 8))
    assert search.mappings == ()
    assert search.failure == (
        "no index of the statement fits an index of @mm (used by `i`: O, X; `j`: O, W; "
        "`k`: X, W): `c`, used by %O, %X, %F, cannot go to `i` (%F uses `c` but W does "
        "not use `i`); nor to `j` (%X uses `c` but X does not use `j`); nor to `k` (`c` "
        "is parallel but `k` is a reduction index)"
    )
    assert len(enumerate_mappings(product, vector_instruction(MAC, 8)).mappings) == 1


def test_operation_and_element_type_must_agree() -> None:
    tanh = statement(ComputeKind.TANH, {"i": 8}, [("%Y", (8,), "i"), ("%X", (8,), "i")])
    assert enumerate_mappings(tanh, vector_instruction(ComputeKind.ADD, 8)).failure == (
        "computes `add`, not `tanh`"
    )
    half = statement(
        ComputeKind.ADD,
        {"i": 8},
        [("%Y", (8,), "i"), ("%X", (8,), "i"), ("%Z", (8,), "i")],
        element_type="f16",
    )
    assert enumerate_mappings(half, vector_instruction(ComputeKind.ADD, 8)).failure == (
        "works on f32 elements, not f16"
    )


def test_transposed_operand_needs_a_two_dimensional_transfer() -> None:
    tn = gemm(8, 8, 8, a="k, i")
    wide = enumerate_mappings(tn, matrix_instruction(4, 4, 4, reach=2)).mappings
    assert wide[0].group("i") == IndexGroup("i", ("i",), (4,))
    assert wide[0].transfer_dims == (2, 2, 2)
    # With 1-D engines only mappings whose tiles are single strided runs remain.
    narrow = enumerate_mappings(tn, matrix_instruction(4, 4, 4, reach=1)).mappings
    assert narrow and all(max(m.transfer_dims) == 1 for m in narrow)
    assert all(sum(1 for g in m.groups if g.kernel_indices) == 1 for m in narrow)


def test_unreachable_memory_is_explained() -> None:
    search = enumerate_mappings(gemm(8, 8, 8), matrix_instruction(4, 4, 4, reach=0))
    assert search.mappings == ()
    assert search.failure == (
        "O lives in @acc, from which no transfer engine leads back to the kernel's memory"
    )


def test_no_mapping_leaves_a_dimension_empty_when_it_could_be_filled() -> None:
    for mapping in enumerate_mappings(gemm(8, 8, 8), matrix_instruction(4, 4, 4)).mappings:
        assert all(g.kernel_indices for g in mapping.groups)


def test_scalar_instruction_runs_everything_as_outer_loops() -> None:
    add = statement(
        ComputeKind.ADD,
        {"b": 2, "u": 3},
        [("%Y", (2, 3), "b, u"), ("%X", (2, 3), "b, u"), ("%Z", (3,), "u")],
    )
    (mapping,) = enumerate_mappings(add, vector_instruction(ComputeKind.ADD, 1)).mappings
    assert mapping.outer == ("b", "u")
    assert mapping.executions == 6
    assert mapping.utilisation == 1


def test_subtraction_keeps_its_operand_order() -> None:
    sub = statement(
        ComputeKind.SUB, {"u": 8}, [("%Y", (8,), "u"), ("%X", (8,), "u"), ("%Z", (8,), "u")]
    )
    (mapping,) = enumerate_mappings(sub, vector_instruction(ComputeKind.SUB, 8)).mappings
    assert mapping.operands == (1, 2, 0)


def test_mapping_attribute_round_trips() -> None:
    for mapping in enumerate_mappings(gemm(5, 6, 7), matrix_instruction(4, 4, 4)).mappings:
        text = f"#isa.mapping<{mapping.format()}>"
        parsed = Parser(make_context(), text).parse_attribute()
        assert isinstance(parsed, MappingAttr)
        assert parsed.data == mapping
