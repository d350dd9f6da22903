"""`isamapper-run --native`: every example compiled for the CPU descriptions,
built with the `mlir` extra's tools, run on this machine and compared with the
reference semantics; and the messages for a machine, toolchain or program the
native path cannot use."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from isamapper_dialect.accel import ExecOp, ProgramOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.kernel_op import KernelOp
from isamapper_dialect.parsing import InputError, parse_text
from isamapper_hardware.model.isa_interpreter import run_kernel
from isamapper_passes.compile_module import compile_module
from isamapper_tools import native_build
from isamapper_tools.kernel_inputs import random_inputs, written_arguments
from isamapper_tools.native_build import build_library, check_host, host_flags
from isamapper_tools.native_report import run_native
from isamapper_tools.run import run

from conftest import EXAMPLES, PROJECT
from mlir_tools import needs_mlir


def _runs_here(description: str) -> bool:
    flags = host_flags() or frozenset()
    hardware = parse_text((PROJECT / "hardware" / description).read_text(), description)
    op = next(o for o in hardware.walk() if isinstance(o, HardwareOp))
    target = op.native_target
    return target is not None and all(f in flags for f in target[1])


CPUS = [
    pytest.param(
        name,
        marks=pytest.mark.skipif(
            not _runs_here(name), reason=f"this CPU lacks the flags {name} needs"
        ),
    )
    for name in ("cpu_avx512.mlir", "cpu_avx2.mlir")
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _compiled(example: Path, description: str):
    module = parse_text(example.read_text(), example.name)
    return compile_module(module, PROJECT / "hardware" / description)


@needs_mlir
@pytest.mark.parametrize("description", CPUS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_natively_as_the_reference(example: Path, description: str) -> None:
    module = _compiled(example, description)
    programs = [o for o in module.walk() if isinstance(o, ProgramOp)]
    assert programs
    for program in programs:
        arrays = random_inputs(program, 0)
        measured = run_native(module, program, arrays, repeats=1)
        name = program.attributes["reference"].root_reference.data
        reference = next(
            o for o in module.walk() if isinstance(o, KernelOp) and o.sym_name.data == name
        )
        expected = run_kernel(module, reference, arrays)
        for name in written_arguments(program):
            np.testing.assert_allclose(measured.arrays[name], expected[name], rtol=2e-5, atol=2e-5)


@needs_mlir
@pytest.mark.parametrize("description", CPUS[:1])
def test_the_cli_reports_native_and_model_times(
    tmp_path: Path, description: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _compiled(PROJECT / "examples" / "gemm_nn.mlir", description)
    program = tmp_path / "gemm.mlir"
    program.write_text(str(module))
    assert run([str(program), "--native", "--check", "--json", "--repeats", "3"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["mode"] == "native"
    assert figures["check"]["passed"] is True
    assert figures["native_s"] > 0 and figures["gflops"] > 0 and figures["model_s"] > 0
    assert figures["model_error"] == pytest.approx(figures["model_s"] / figures["native_s"] - 1)
    assert 1 <= figures["calls_timed"] <= 3
    # The second run takes the library from the cache.
    assert run([str(program), "--native", "--json", "--repeats", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["library_cached"] is True


HOSTLESS = """
isa.hardware @acc {
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
}
"""

# sse2 is on every x86-64 host, so only the imaginary flag is missing anywhere.
FUTURE_CPU = """
isa.hardware @future cpu "x86-64" features ["sse2", "avx1024_imaginary"] {
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
}
"""


def _hardware(text: str) -> HardwareOp:
    return next(o for o in parse_text(text, "hw.mlir").walk() if isinstance(o, HardwareOp))


def test_an_accelerator_description_is_not_built_natively() -> None:
    with pytest.raises(InputError) as error:
        check_host(_hardware(HOSTLESS))
    assert str(error.value) == (
        "--native: @acc names no CPU to compile for (an isa.hardware for the host gives "
        '`cpu "x86-64-v4" features [...]`, as hardware/cpu_avx512.mlir does)'
    )


@pytest.mark.skipif(host_flags() is None, reason="no /proc/cpuinfo here")
def test_a_cpu_lacking_a_feature_is_refused_by_name() -> None:
    with pytest.raises(InputError) as error:
        check_host(_hardware(FUTURE_CPU))
    assert str(error.value) == (
        "--native: @future needs CPU flags this machine lacks: avx1024_imaginary "
        "(run a description of this CPU instead, e.g. --hardware cpu_avx2)"
    )


def test_a_missing_toolchain_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native_build, "_package_bin", lambda package, tool: None)
    with pytest.raises(InputError) as error:
        native_build.find_toolchain()
    assert str(error.value) == (
        "--native needs mlir-opt, mlir-translate, opt, llc from the `mlir` extra: "
        "pip install 'isamapper[mlir]'"
    )


@needs_mlir
def test_an_unbuildable_program_names_the_failing_tool() -> None:
    hardware = _hardware((PROJECT / "hardware" / "cpu_avx2.mlir").read_text())
    if not _runs_here("cpu_avx2.mlir"):
        pytest.skip("this CPU lacks AVX2")
    with pytest.raises(InputError) as error:
        build_library("func.func @f() { not an op }", hardware, native_build.find_toolchain())
    assert str(error.value).startswith("--native: mlir-opt failed on the exported program:\n")


def test_native_runs_programs_not_kernels(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as error:
        run([str(PROJECT / "examples" / "gemm_nn.mlir"), "--native"])
    assert str(error.value) == (
        "--native runs scheduled programs (compile the kernel with isamapper-compile "
        "--hardware cpu_avx512 first)"
    )


@needs_mlir
@pytest.mark.parametrize("description", CPUS)
def test_a_matrix_vector_product_is_split_across_the_lanes(description: str) -> None:
    """GEMV's reduction runs as partial sums per lane, summed by the
    description's `sum` instruction, and natively equals numpy's product."""
    module = _compiled(PROJECT / "examples" / "gemv.mlir", description)
    program = next(o for o in module.walk() if isinstance(o, ProgramOp))
    executed = {o.instruction.root_reference.data for o in program.walk() if isinstance(o, ExecOp)}
    assert executed == {
        "vfmadd16" if "512" in description else "vfmadd8",
        "vreduce16" if "512" in description else "vreduce8",
    }
    arrays = random_inputs(program, 3)
    measured = run_native(module, program, arrays, repeats=1)
    expected = arrays["A"].astype(np.float64) @ arrays["x"].astype(np.float64)
    np.testing.assert_allclose(measured.arrays["y"], expected, rtol=1e-5, atol=1e-5)


@needs_mlir
def test_register_stations_of_a_clipped_block_run_natively() -> None:
    """The hand-written program of native_registers.mlir (broadcast elements
    copied one by one, 8-lane rows, unmasked unless the edge clips them)
    computes C += A B natively, its second column block clipped at 20."""
    if not _runs_here("cpu_avx2.mlir"):
        pytest.skip("this CPU lacks AVX2")
    path = PROJECT / "test" / "filecheck" / "passes" / "convert-accel-to-mlir"
    module = parse_text((path / "native_registers.mlir").read_text(), "native_registers.mlir")
    program = next(o for o in module.walk() if isinstance(o, ProgramOp))
    arrays = random_inputs(program, 5)
    expected = arrays["C"] + arrays["A"].astype(np.float64) @ arrays["B"].astype(np.float64)
    measured = run_native(module, program, arrays, repeats=1)
    np.testing.assert_allclose(measured.arrays["C"], expected, rtol=1e-5, atol=1e-5)
