"""The conditions of the model's prediction beside a native run: the clock
measured on this machine (tools/native_clock.py) and the tensors warm in cache
from the previous call (`run_program(..., warm=True)`, model/machine.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_native import CPUS

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.hardware_spec import hardware_spec
from isamapper_dialect.parsing import InputError, parse_text
from isamapper_dialect.resources import Resource, ResourceKind
from isamapper_dialect.shipped_hardware import load_hardware
from isamapper_hardware.model.machine import warm_memories
from isamapper_hardware.model.run import run_program
from isamapper_passes.compile_module import compile_module
from isamapper_tools.native_build import find_toolchain
from isamapper_tools.native_clock import (
    PeakInstruction,
    fma_loop_ir,
    measure_clock,
    model_clock,
    peak_instruction,
)
from isamapper_tools.run import run

from conftest import PROJECT
from mlir_tools import needs_mlir


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_the_peak_instruction_is_the_fastest_mac_over_its_units() -> None:
    assert peak_instruction(load_hardware("cpu_avx512")) == PeakInstruction(
        "vfmadd16", 16, "float", 16, 32.0
    )
    assert peak_instruction(load_hardware("cpu_avx2")) == PeakInstruction(
        "vfmadd8", 8, "float", 16, 16.0
    )


def test_the_fma_loop_has_independent_chains_within_the_registers() -> None:
    text = fma_loop_ir(PeakInstruction("v", 8, "double", 12, 8.0), registers=6)
    assert text.startswith(
        "declare <8 x double> @llvm.fma.v8f64(<8 x double>, <8 x double>, <8 x double>)\n"
        "define double @fma_loop(i64 %n, double %x, double %y) {\n"
    )
    # 6 registers: 4 chains, besides the two broadcast operands.
    assert text.count("call <8 x double> @llvm.fma.v8f64") == 4
    assert "  %b3 = call <8 x double> @llvm.fma.v8f64(<8 x double> %a3, " in text
    assert "%a4" not in text
    assert text.endswith(
        "  %lane = extractelement <8 x double> %s3, i64 0\n  ret double %lane\n}\n"
    )


def test_a_description_without_a_mac_has_no_clock_to_measure() -> None:
    hardware = next(
        op
        for op in parse_text(
            'isa.hardware @acc cpu "x86-64" features ["sse2"] {\n'
            "  isa.memory @dram capacity 1048576 bandwidth 8 latency 100\n}\n",
            "acc.mlir",
        ).walk()
        if isinstance(op, HardwareOp)
    )
    with pytest.raises(InputError) as error:
        peak_instruction(hardware)
    assert str(error.value) == (
        "@acc has no f32 or f64 `mac` instruction to measure its clock with "
        "(use --model-clock description)"
    )
    assert model_clock(hardware, "description", find_toolchain()) == (
        None,
        "@acc gives no clock",
    )


def test_the_description_clock_is_its_own() -> None:
    hardware = load_hardware("cpu_avx512")
    assert model_clock(hardware, "description", find_toolchain()) == (
        2600.0,
        "clock: the description's 2600 MHz",
    )


@needs_mlir
@pytest.mark.parametrize("description", CPUS)
def test_the_measured_clock_is_a_plausible_core_clock(description: str) -> None:
    hardware = load_hardware(description)
    measured = measure_clock(hardware, find_toolchain(), seconds=0.005, calls=3)
    # A shared host may run slow, but no x86 core runs below 300 MHz or above 7 GHz.
    assert 300 < measured.mhz < 7000
    assert measured.gflops == pytest.approx(
        2 * measured.mhz * 1e6 * measured.peak.macs_per_cycle / 1e9
    )
    assert measured.describe(hardware).startswith(
        f"clock measured on this machine: {measured.mhz:.0f} MHz (an FMA loop on "
        f"{measured.peak.lanes}-lane vectors at "
    )


def test_the_tensors_are_warm_in_the_smallest_cache_holding_them() -> None:
    spec = hardware_spec(load_hardware("cpu_avx512"))
    assert warm_memories(spec, 40_000) == {"l1d", "l2", "l3", "dram"}
    assert warm_memories(spec, 1 << 20) == {"l2", "l3", "dram"}
    assert warm_memories(spec, 40 << 20) == {"l3", "dram"}
    assert warm_memories(spec, 1 << 30) == frozenset()


def _gemv(rows: int, depth: int) -> tuple:
    text = (
        f"isa.kernel @gemv(%A : memref<{rows}x{depth}xf32>, %x : memref<{depth}xf32>, "
        f"%y : memref<{rows}xf32>) {{\n"
        f"  isa.compute %y[i] += %A[i, k] * %x[k] for i < {rows}, k < {depth}\n}}\n"
    )
    module = compile_module(parse_text(text, "gemv.mlir"), PROJECT / "hardware" / "cpu_avx512.mlir")
    program = next(op for op in module.walk() if isinstance(op, ProgramOp))
    arrays = {
        "A": np.ones((rows, depth), np.float32),
        "x": np.ones(depth, np.float32),
        "y": np.zeros(rows, np.float32),
    }
    return module, program, arrays


def test_a_warm_start_skips_the_memory_traffic_of_the_caches_holding_the_tensors() -> None:
    module, program, arrays = _gemv(128, 1024)  # 512 KiB: warm in l2
    cold = run_program(module, program, arrays, functional=False).stats
    warm = run_program(module, program, arrays, functional=False, warm=True).stats
    dram = Resource(ResourceKind.ENGINE, "dram_to_l3")
    l3 = Resource(ResourceKind.ENGINE, "l3_to_l2")
    l2 = Resource(ResourceKind.ENGINE, "l2_to_l1")
    assert cold.busy[dram] > 0 and cold.busy[l3] > 0
    assert dram not in warm.busy and l3 not in warm.busy
    assert warm.busy[l2] == cold.busy[l2] > 0
    assert warm.executions == cold.executions
    assert warm.cycles < cold.cycles
    # Warm or cold, the numbers are the same.
    values = run_program(module, program, arrays, warm=True).arrays
    np.testing.assert_array_equal(values["y"], np.full(128, 1024, np.float32))


@needs_mlir
@pytest.mark.parametrize("description", CPUS[:1])
def test_the_cli_reports_the_model_conditions(
    tmp_path: Path, description: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = compile_module(
        parse_text((PROJECT / "examples" / "gemm_nn.mlir").read_text(), "gemm_nn.mlir"),
        PROJECT / "hardware" / description,
    )
    path = tmp_path / "gemm.mlir"
    path.write_text(str(module))
    common = [str(path), "--native", "--json", "--repeats", "1"]
    assert run([*common, "--model-clock", "description", "--model-start", "cold"]) == 0
    cold = json.loads(capsys.readouterr().out)
    assert cold["model_clock_mhz"] == 2600.0 and cold["model_start"] == "cold"
    assert cold["model_s"] == pytest.approx(cold["model_cycles"] / 2600e6)
    assert run(common) == 0
    warm = json.loads(capsys.readouterr().out)
    assert warm["model_start"] == "warm" and 300 < warm["model_clock_mhz"] < 7000
    assert warm["model_cycles"] < cold["model_cycles"]
    assert warm["model_s"] == pytest.approx(warm["model_cycles"] / (warm["model_clock_mhz"] * 1e6))
