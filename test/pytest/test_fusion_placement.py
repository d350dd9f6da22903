"""Fusion without IR (issue 14, item 8): where `place_intermediates` keeps a
kernel's intermediate, why it leaves one in the main memory, and the fallback
to an unfused schedule when a placement squeezes another statement out of room,
on plain specs (tensors are strings here, SSA values in the pass)."""

from isamapper_dialect.compute_kind import ComputeKind
from isamapper_dialect.hardware_spec import Engine, HardwareSpec
from isamapper_passes.mapping.enumeration import enumerate_mappings
from isamapper_passes.mapping.specs import InstructionSpec, StatementSpec
from isamapper_passes.scheduling.cost_model import AnalyticCostModel
from isamapper_passes.scheduling.fusion import fused_plans
from isamapper_passes.scheduling.plan import Home
from isamapper_passes.scheduling.plan_chooser import PlanChooser, room
from isamapper_passes.scheduling.strategies import Strategy, StrategyKind
from isamapper_passes.scheduling.work import Work, WorkStatement

from mapping_helpers import matrix_instruction, statement, vector_instruction

VADD = vector_instruction(ComputeKind.ADD, 16)  # every operand in @sram
MM = matrix_instruction(32, 32, 32)  # X, W in @sram; O in @acc


def hardware(sram: int, acc: int = 1 << 16) -> HardwareSpec:
    engines = (
        Engine("in", "dram", "sram", 64, 10, 2),
        Engine("out", "sram", "dram", 64, 10, 2),
        Engine("down", "sram", "acc", 128, 2, 2),
        Engine("up", "acc", "sram", 128, 2, 2),
    )
    memories = {"dram": (1 << 30, 64, 100), "sram": (sram, 256, 4), "acc": (acc, 256, 1)}
    return HardwareSpec("hw", memories, engines, {"mu": 1}, "dram")


def add(out: str, a: str, b: str, rows: int, cols: int) -> StatementSpec:
    return statement(
        ComputeKind.ADD,
        {"i": rows, "j": cols},
        [(f"%{name}", (rows, cols), "i, j") for name in (out, a, b)],
    )


def gemm(out: str, a: str, b: str, size: int) -> StatementSpec:
    shape = (size, size)
    return statement(
        ComputeKind.MAC,
        {"i": size, "j": size, "k": size},
        [(f"%{out}", shape, "i, j"), (f"%{a}", shape, "i, k"), (f"%{b}", shape, "k, j")],
    )


def step(spec: StatementSpec, instruction: InstructionSpec, tensors: str) -> WorkStatement:
    candidates = [(instruction, m) for m in enumerate_mappings(spec, instruction).mappings]
    return WorkStatement(spec, candidates, tuple(tensors))


def work(*statements: WorkStatement) -> Work:
    """A kernel whose one intermediate is T, every other tensor an argument."""
    tensors = sorted({t for s in statements for t in s.tensors} - {"T"})
    return Work(statements, ("T",), tuple(tensors), {t: t for t in ("T", *tensors)})


def chooser(kernel: Work, spec: HardwareSpec) -> PlanChooser:
    return PlanChooser(kernel, spec, Strategy(StrategyKind.GREEDY, AnalyticCostModel()))


def test_live_ranges_users_and_sizes_come_from_the_statements() -> None:
    kernel = work(
        step(add("T", "A", "B", 32, 64), VADD, "TAB"),
        step(gemm("E", "F", "G", 64), MM, "EFG"),
        step(add("C", "T", "D", 32, 64), VADD, "CTD"),
    )
    assert kernel.live_range("T") == range(0, 3)
    assert kernel.users("T") == [0, 2]
    assert kernel.live_range("F") == range(1, 2)
    assert kernel.live_range("unused") == range(0)
    assert kernel.written() == {"T", "E", "C"}
    assert kernel.tensor_bytes("T") == 32 * 64 * 4
    assert kernel.tensor_bytes("T", (32, 80)) == 32 * 80 * 4
    assert kernel.label("T") == "%T"
    # A tensor on chip takes its bytes at every statement it is live in.
    homes = {"T": Home("sram", (32, 64))}
    assert [room(hardware(1 << 20), homes, kernel, i).memories["sram"][0] for i in range(3)] == [
        (1 << 20) - 8192
    ] * 3


def test_an_intermediate_stays_in_the_largest_memory_where_its_users_run_no_slower() -> None:
    kernel = work(
        step(add("T", "A", "B", 32, 64), VADD, "TAB"),
        step(add("C", "T", "D", 32, 64), VADD, "CTD"),
    )
    plans, homes, declined = fused_plans(chooser(kernel, hardware(1 << 20)))
    assert homes == {"T": Home("sram", (32, 64))}
    assert declined == ()
    assert [plan.spec.name for plan in plans] == ["v", "v"]
    # Kept in the SRAM, the producer stores nothing and the consumer loads
    # nothing of T: both are rated cheaper than through the main memory.
    rated = chooser(kernel, hardware(1 << 20))
    for index in range(2):
        assert rated.cost(index, homes) < rated.cost(index, {})


def test_an_intermediate_over_half_of_every_memory_stays_in_the_main_memory() -> None:
    kernel = work(
        step(add("T", "A", "B", 512, 512), VADD, "TAB"),
        step(add("C", "T", "D", 512, 512), VADD, "CTD"),
    )
    _, homes, declined = fused_plans(chooser(kernel, hardware(1 << 20)))
    assert homes == {}
    assert declined == (
        "%T stays in @dram: in @sram: it takes 1048576 bytes, more than half of 1048576; "
        "in @acc: it takes 1048576 bytes, more than half of 65536",
    )


def test_a_placement_that_squeezes_out_another_statement_falls_back_to_unfused() -> None:
    # T (8 KiB) fits half of the 20 KiB SRAM and its users run with it there,
    # but the matrix multiply between them, live while T is, then has 12 KiB
    # left and needs more: the kernel is planned unfused, and a note says why.
    kernel = work(
        step(add("T", "A", "B", 32, 64), VADD, "TAB"),
        step(gemm("E", "F", "G", 64), MM, "EFG"),
        step(add("C", "T", "D", 32, 64), VADD, "CTD"),
    )
    plans, homes, declined = fused_plans(chooser(kernel, hardware(20 * 1024, acc=16 * 1024)))
    assert homes == {}
    assert [plan.spec.name for plan in plans] == ["v", "mm", "v"]
    assert declined == (
        "%T planned on chip, but then statement #1 has no plan (no candidate fits the "
        "hardware: @mm: the buffers need 24576 bytes of @sram, which holds 12288); the "
        "kernel is scheduled unfused, every tensor in @dram",
    )
    # Without fusion the same plans, and nothing to say.
    unfused_plans, unfused_homes, notes = fused_plans(
        chooser(kernel, hardware(20 * 1024, acc=16 * 1024)), fuse=False
    )
    assert (unfused_plans, unfused_homes, notes) == (plans, {}, ())


def test_an_argument_that_cannot_pay_for_its_copy_is_not_tried(monkeypatch) -> None:
    # A compute-bound GEMM: copying A or B on chip first costs more than the
    # matrix units leave to gain (the cost model rates no plan below its
    # instruction cycles), so only the plan with both in the main memory is
    # searched, and the schedule is the one a search of all three picked.
    import io
    from contextlib import redirect_stderr

    from xdsl.parser import Parser

    from isamapper_dialect.parsing import make_context
    from isamapper_passes.compile_module import compile_module
    from isamapper_passes.scheduling import strategies
    from isamapper_tools.gemm_kernel import gemm_text

    from conftest import PROJECT

    searched = []
    choose = strategies.Strategy._choose

    def counting(self, *args, **kwargs):
        searched.append(args[0])
        return choose(self, *args, **kwargs)

    monkeypatch.setattr(strategies.Strategy, "_choose", counting)

    def compiled() -> str:
        module = Parser(make_context(), gemm_text(1024, 1024, 1024, "g")).parse_module()
        with redirect_stderr(io.StringIO()):
            compile_module(module, PROJECT / "hardware" / "nnp.mlir")
        return str(module)

    pruned = compiled()
    assert len(searched) == 1
    searched.clear()
    monkeypatch.setattr(AnalyticCostModel, "lower_bound", lambda self, spec, mapping: 0.0)
    assert compiled() == pruned
    assert len(searched) == 3
