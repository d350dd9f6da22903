"""isamapper-run end to end: outputs equal numpy, and every error path is one
clear message with exit status 1 (never a traceback)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, PROJECT

RUN = Path(sys.executable).parent / "isamapper-run"
GEMM = PROJECT / "examples" / "gemm_nn.mlir"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUN), *map(str, args)], capture_output=True, text=True, cwd=cwd)


def fails_with(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_with_seed(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    result = run(path, "--seed", "0", "--outputs", out)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    with np.load(out) as arrays:
        assert len(arrays.files) > 0


def test_gemm_outputs_equal_numpy(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    a = rng.standard_normal((128, 256)).astype(np.float32)
    b = rng.standard_normal((256, 64)).astype(np.float32)
    np.savez(tmp_path / "in.npz", A=a, B=b)
    result = run(GEMM, "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
    assert result.returncode == 0, result.stderr
    assert "isa.kernel @gemm_nn" in result.stdout
    assert "2097152 multiply-accumulates" in result.stdout
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_allclose(out["C"], a.astype(np.float64) @ b, rtol=1e-4, atol=1e-4)
        np.testing.assert_array_equal(out["A"], a)


def test_accumulates_into_given_output(tmp_path: Path) -> None:
    a = np.ones((128, 256), np.float32)
    b = np.ones((256, 64), np.float32)
    c = np.full((128, 64), 1.5, np.float32)
    np.savez(tmp_path / "in.npz", A=a, B=b, C=c)
    assert (
        run(GEMM, "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "o.npz").returncode == 0
    )
    with np.load(tmp_path / "o.npz") as out:
        np.testing.assert_array_equal(out["C"], np.full((128, 64), 257.5, np.float32))


def test_seed_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run(GEMM, "--seed", "3", "--outputs", tmp_path / f"{name}.npz").returncode == 0
    with np.load(tmp_path / "a.npz") as a, np.load(tmp_path / "b.npz") as b:
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])


def test_missing_file() -> None:
    fails_with(run("does/not/exist.mlir"), "cannot read does/not/exist.mlir: No such file")


def test_parse_error_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(
        "isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {\n"
        "  isa.compute %B[i] = %A[q] for i < 4\n"
        "}\n"
    )
    result = run(bad)
    fails_with(result, f"{bad}:2:26")
    assert "Index `q` is used in an access but not declared in the domain" in result.stderr


def test_verifier_error_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(
        "isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {\n"
        "  isa.compute %B[i] = %A[i + 1] for i < 4\n"
        "}\n"
    )
    fails_with(
        run(bad),
        f"{bad}:2:3: error: The access %A[i + 1] is out of bounds: dimension 0 "
        "(`i + 1`) ranges over [1, 4] but its extent is 4.",
    )


def test_several_kernels_need_a_choice(tmp_path: Path) -> None:
    two = tmp_path / "two.mlir"
    two.write_text(GEMM.read_text() + (PROJECT / "examples" / "gemm_nt.mlir").read_text())
    fails_with(
        run(two), "the file has several kernels (@gemm_nn, @gemm_nt); choose one with --kernel"
    )
    fails_with(
        run(two, "--kernel", "nope"), "no kernel @nope in the file (it has @gemm_nn, @gemm_nt)"
    )
    assert run(two, "--kernel", "gemm_nt").returncode == 0


def test_no_kernel() -> None:
    fails_with(run(PROJECT / "hardware" / "nnp.mlir"), "the file has no isa.kernel to run")


def test_missing_input_array(tmp_path: Path) -> None:
    np.savez(tmp_path / "in.npz", A=np.zeros((128, 256), np.float32))
    fails_with(
        run(GEMM, "--inputs", tmp_path / "in.npz"),
        "no array 'B' for input argument %B (memref<256x64xf32>)",
    )


def test_misshaped_input_array(tmp_path: Path) -> None:
    np.savez(
        tmp_path / "in.npz", A=np.zeros((256, 128), np.float32), B=np.zeros((256, 64), np.float32)
    )
    fails_with(
        run(GEMM, "--inputs", tmp_path / "in.npz"),
        "array 'A' has shape (256, 128) but %A is memref<128x256xf32> (shape (128, 256))",
    )


def test_wrong_dtype(tmp_path: Path) -> None:
    np.savez(
        tmp_path / "in.npz", A=np.zeros((128, 256), np.complex64), B=np.zeros((256, 64), np.float32)
    )
    fails_with(
        run(GEMM, "--inputs", tmp_path / "in.npz"),
        "array 'A' has dtype complex64, which cannot be converted to float32 for %A",
    )


def test_unknown_array_name(tmp_path: Path) -> None:
    np.savez(tmp_path / "in.npz", X=np.zeros(3))
    fails_with(
        run(GEMM, "--inputs", tmp_path / "in.npz"),
        "array 'X' matches no argument of @gemm_nn (arguments: A, B, C)",
    )


def test_not_an_npz(tmp_path: Path) -> None:
    (tmp_path / "in.npz").write_text("hello")
    fails_with(
        run(GEMM, "--inputs", tmp_path / "in.npz"),
        "it is not an .npz archive (write one with numpy.savez(path, A=..., B=...))",
    )


def test_missing_npz(tmp_path: Path) -> None:
    fails_with(run(GEMM, "--inputs", tmp_path / "nope.npz"), "nope.npz: no such file")


def test_unsupported_element_type(tmp_path: Path) -> None:
    bad = tmp_path / "bf16.mlir"
    bad.write_text(
        "isa.kernel @k(%A : memref<4xbf16>, %B : memref<4xbf16>) {\n"
        "  isa.compute %B[i] = %A[i] for i < 4\n"
        "}\n"
    )
    fails_with(run(bad), "argument %A: element type bf16 has no numpy equivalent")


def test_help_explains_inputs() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--inputs IN.npz" in result.stdout
    assert "named" in result.stdout and "after the argument" in result.stdout


def test_unrepresentable_affine_map(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(
        "isa.kernel @k(%A : memref<4x4xf32>, %B : memref<16xf32>) {\n"
        '  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], '
        "bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0 * d1)>, "
        "affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<16xf32>, memref<4x4xf32>) -> ()\n"
        "}\n"
    )
    fails_with(run(bad), f"parse error in {bad}: Multiplication with non-constant")
