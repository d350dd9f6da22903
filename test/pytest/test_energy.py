"""Energy and area: the descriptions' optional fields read as plain data, a
run's energy by component from its statistics, the energy bound (hand
computed), and what `isamapper-run` and the bench report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from isamapper_bench.cli import bench
from isamapper_dialect.energy_spec import EnergySpec, area_mm2, energy_spec
from isamapper_dialect.parsing import parse_text
from isamapper_dialect.resources import Resource, ResourceKind
from isamapper_dialect.shipped_hardware import load_hardware
from isamapper_hardware.model.energy import program_energy
from isamapper_hardware.model.machine import Statistics
from isamapper_hardware.model.run import run_program
from isamapper_passes.analysis.energy_bound import energy_bound
from isamapper_passes.analysis.roofline import roofline
from isamapper_passes.compile_module import compile_module
from isamapper_tools.kernel_inputs import random_inputs
from isamapper_tools.run import run

from conftest import PROJECT

TINY = """
isa.hardware @tiny {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100 read_energy 30.0 write_energy 40.0
  isa.memory @sram capacity 65536 bandwidth 64 latency 2 read_energy 1.0 write_energy 2.0 area 0.5
  isa.transfer @in from @dram to @sram bandwidth 16 latency 50 dims 2 energy 0.25
  isa.transfer @out from @sram to @dram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 2 static_energy 3.0 area 0.125
  isa.instruction @vfma on @vpu latency 4 interval 1 energy 8.0 (%X : memref<4xf32> in @sram, %W : memref<4xf32> in @sram, %O : memref<4xf32> in @sram) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 4
  }
}
"""  # noqa: E501

KERNEL = """
isa.kernel @axpy(%X : memref<64xf32>, %W : memref<64xf32>, %O : memref<64xf32>) {
  isa.compute %O[i] += %X[i] * %W[i] for i < 64
}
"""


def _tiny():
    module = parse_text(TINY, "tiny.mlir")
    return next(op for op in module.walk() if op.name == "isa.hardware")


def test_a_descriptions_energies_as_plain_data() -> None:
    spec = energy_spec(_tiny())
    assert spec == EnergySpec(
        reads={"dram": 30.0, "sram": 1.0},
        writes={"dram": 40.0, "sram": 2.0},
        engines={"in": ("dram", "sram", 0.25), "out": ("sram", "dram", 0.0)},
        instructions={"vfma": 8.0},
        static={"vpu": 6.0},
    )
    assert spec.per_byte("in") == 30.0 + 0.25 + 2.0
    assert spec.per_byte("out") == 1.0 + 40.0
    # 64 KiB at 0.5 mm² per KiB, two units of 0.125 mm²; DRAM gives no area.
    assert area_mm2(_tiny()) == 64 * 0.5 + 2 * 0.125


def test_a_description_without_energies_has_none() -> None:
    hardware = load_hardware(PROJECT / "hardware" / "cpu_avx512.mlir")
    assert energy_spec(hardware) is None
    assert area_mm2(hardware) is None


def test_a_runs_energy_is_its_traffic_executions_and_static_energy() -> None:
    stats = Statistics(
        cycles=100.0,
        busy={Resource(ResourceKind.UNIT, "vpu"): 10.0},
        units={"vpu": 2},
        engine_bytes={"in": 512.0, "out": 256.0},
        executions={"vfma": 16.0},
    )
    energy = program_energy(stats, energy_spec(_tiny()))
    assert energy.components == {
        "@dram": 512 * 30.0 + 256 * 40.0,
        "@in": 512 * 0.25,
        "@sram": 512 * 2.0 + 256 * 1.0,
        "compute": 16 * 8.0,
        "static": 100 * 6.0,
    }
    assert energy.total == pytest.approx(sum(energy.components.values()))


def test_the_energy_bound_by_hand_and_a_program_above_it() -> None:
    module = parse_text(TINY + KERNEL, "axpy.mlir")
    hardware = next(op for op in module.walk() if op.name == "isa.hardware")
    kernel = next(op for op in module.walk() if op.name == "isa.kernel")
    bound = energy_bound(kernel, hardware)
    # X and W read (256 B each) over @in, O written back over @out (an
    # accumulating output is added at its destination, not read: roofline.py);
    # 64 points at 8 pJ per 4 lanes; static over the roofline's cycles.
    assert bound.traffic == 2 * 256 * (30.0 + 0.25 + 2.0) + 256 * (1.0 + 40.0)
    assert bound.work == 64 * 8.0 / 4
    assert bound.cycles == roofline(kernel, hardware).bound
    assert bound.total == bound.traffic + bound.work + 6.0 * bound.cycles
    compile_module(module)
    program = next(op for op in module.walk() if op.name == "accel.program")
    result = run_program(module, program, random_inputs(kernel, 0), functional=False)
    energy = program_energy(result.stats, energy_spec(hardware))
    assert energy.total >= bound.total
    assert result.stats.executions == {"vfma": 16.0}


@pytest.mark.parametrize(("hardware", "given"), [("nnp", True), ("cpu_avx2", False)])
def test_isamapper_run_reports_energy_or_null(
    hardware: str, given: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = parse_text((PROJECT / "examples" / "gemm_nn.mlir").read_text(), "gemm_nn.mlir")
    compile_module(module, PROJECT / "hardware" / f"{hardware}.mlir")
    program = tmp_path / "gemm.mlir"
    program.write_text(str(module))
    assert run([str(program), "--timing-only", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    if given:
        assert figures["energy_pj"] >= figures["energy_bound_pj"] > 0
        assert figures["energy_pj"] == pytest.approx(sum(figures["energy"].values()))
        assert set(figures["energy"]) >= {"compute", "static", "@hbm", "@hbm_to_sram"}
    else:
        assert figures["energy_pj"] is None and figures["energy_bound_pj"] is None
    assert run([str(program), "--timing-only"]) == 0
    text = capsys.readouterr().out
    assert ("  energy: " in text) == given


def test_the_bench_csv_carries_energy(tmp_path: Path) -> None:
    out = tmp_path / "gemm.csv"
    row = "inference_device_set/0 "
    assert bench(["deepbench-gemm", "--hardware", "nnp", "--filter", row, "--jobs", "1",
                  "--quiet", "--no-check", "--csv", str(out)]) == 0  # fmt: skip
    (line,) = list(csv.DictReader(out.open()))
    assert float(line["energy_pj"]) >= float(line["energy_bound_pj"]) > 0
