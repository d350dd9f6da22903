"""A built wheel is a working isamapper (issue 14, item 11): it carries the
shipped hardware descriptions, `--hardware nnp` finds them from any folder, and
the build is warning-free."""

import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel installed alone into a folder, and its build log."""
    root = tmp_path_factory.mktemp("wheel")
    # A copy, since setuptools builds in the source tree (build/, *.egg-info).
    source = root / "source"
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", str(source), "-w", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    (wheel,) = root.glob("isamapper-*.whl")
    target = root / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        check=True,
    )
    return target, built.stdout + built.stderr


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """isamapper-compile from the installed wheel; the dependencies come from this
    environment's site-packages, added as a plain path so that the checkout's
    editable install (a .pth file there) is not loaded."""
    dependencies = [*site.getsitepackages(), sysconfig.get_paths()["purelib"]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), *dependencies])}
    code = "import sys; from isamapper_tools.compile import main; sys.argv[0] = 'x'; main()"
    return subprocess.run(
        [sys.executable, "-S", "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_build_is_warning_free(wheel_site: tuple[Path, str]) -> None:
    assert "warning" not in wheel_site[1].lower()


def test_an_installed_wheel_compiles_with_a_shipped_description(
    wheel_site: tuple[Path, str], tmp_path: Path
) -> None:
    target, _ = wheel_site
    kernel = tmp_path / "gemm.mlir"
    kernel.write_text((PROJECT / "examples" / "gemm_nn.mlir").read_text())
    listed = run_installed(target, tmp_path, "--list-hardware")
    assert listed.returncode == 0, listed.stderr
    names = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert names == ["cpu_avx2", "cpu_avx512", "nnp", "systolic"]
    assert all(str(target) in line for line in listed.stdout.splitlines())
    compiled = run_installed(target, tmp_path, "gemm.mlir", "--hardware", "nnp", "-o", "out.mlir")
    assert compiled.returncode == 0, compiled.stderr
    assert "accel.program @gemm_nn" in (tmp_path / "out.mlir").read_text()
