"""Build a scheduled program into a shared library for the CPU it describes.

`convert-accel-to-mlir{native=true}` writes the program in upstream dialects;
the upstream tools of the `mlir` extra lower it (`mlir-opt`, `mlir-translate`)
and compile it (`opt -O3`, `llc -O3` for the description's LLVM CPU); the
system C compiler only links the object into a `.so`. Libraries are cached by
a hash of the exported module, the toolchain and the target under the user's
cache directory (`$XDG_CACHE_HOME/isamapper/native`, or
`~/.cache/isamapper/native`), never in the working tree.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from isamapper_dialect.hardware_ops import HardwareOp
from isamapper_dialect.parsing import InputError
from isamapper_passes.interop.accel_export import ConvertAccelToMlirPass
from isamapper_passes.interop.upstream_lowering import LOWER_NATIVE

TRIPLE = "x86_64-unknown-linux-gnu"
"""What native code is built for (check_host refuses other machines)."""


@dataclass(frozen=True)
class Toolchain:
    """The tools a native build runs."""

    mlir_opt: Path
    mlir_translate: Path
    opt: Path
    llc: Path
    linker: str

    def identity(self) -> str:
        """What the cache key records of the toolchain."""
        return "|".join(str(p) for p in (self.mlir_opt, self.mlir_translate, self.opt, self.llc))


def _package_bin(package: str, tool: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    for root in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "bin" / tool
        if path.exists():
            return path
    return None


def find_toolchain() -> Toolchain:
    """The tools of the `mlir` extra and a C compiler to link with; an InputError
    saying what to install when one is missing."""
    found = {
        "mlir-opt": _package_bin("mlir", "mlir-opt"),
        "mlir-translate": _package_bin("mlir", "mlir-translate"),
        "opt": _package_bin("llvm", "opt"),
        "llc": _package_bin("llvm", "llc"),
    }
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise InputError(
            f"--native needs {', '.join(missing)} from the `mlir` extra: "
            "pip install 'isamapper[mlir]'"
        )
    linker = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if linker is None:
        raise InputError("--native needs a C compiler to link with (cc or gcc, or set CC)")
    return Toolchain(*(found[n] for n in found), linker)  # type: ignore[arg-type]


def host_flags() -> frozenset[str] | None:
    """The CPU flags of this machine (Linux's /proc/cpuinfo), None where unknown."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return None


def check_host(hardware: HardwareOp) -> tuple[str, tuple[str, ...]]:
    """The description's (LLVM CPU, flags) if this machine can run its native
    code; an InputError saying why not otherwise."""
    target = hardware.native_target
    name = hardware.sym_name.data
    if target is None:
        raise InputError(
            f"--native: @{name} names no CPU to compile for (an isa.hardware for the host "
            'gives `cpu "x86-64-v4" features [...]`, as hardware/cpu_avx512.mlir does)'
        )
    if platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        raise InputError(
            f"--native: @{name} is compiled for x86-64 Linux ({target[0]}); this machine is "
            f"{platform.machine()} {platform.system()}"
        )
    flags = host_flags()
    if flags is None:
        raise InputError(
            f"--native: cannot read this machine's CPU flags to check that it has "
            f"{', '.join(target[1])}"
        )
    missing = [f for f in target[1] if f not in flags]
    if missing:
        raise InputError(
            f"--native: @{name} needs CPU flags this machine lacks: {', '.join(missing)} "
            f"(run a description of this CPU instead, e.g. --hardware cpu_avx2)"
        )
    return target


def cache_folder() -> Path:
    """Where built libraries are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "isamapper" / "native"


def export_native(module: ModuleOp, context: Context) -> str:
    """The program module in upstream dialects, as the native export writes it."""
    exported = module.clone()
    ConvertAccelToMlirPass(native=True).apply(context, exported)
    return str(exported)


def _run(command: list[str], stage: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        shown = "\n".join(detail[:20])
        raise InputError(f"--native: {stage} failed on the exported program:\n{shown}")


def _target(hardware: HardwareOp) -> list[str]:
    """The LLVM target flags of a description's native code."""
    cpu, features = check_host(hardware)
    # x86-64-v4's tuning prefers 256-bit vectors, so LLVM would split the copies'
    # rows into ymm halves that the zmm loads after them cannot forward from.
    attributes = ",".join([*(f"+{f}" for f in features), "-prefer-256-bit"])
    # Without a triple LLVM knows no C library and expands memcpy into byte loops.
    return [f"-mtriple={TRIPLE}", f"-mcpu={cpu}", f"-mattr={attributes}"]


def _cached(parts: list[str]) -> Path:
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return cache_folder() / f"{key}.so"


def _compile_llvm(llvm_ir: Path, work: Path, target: list[str], toolchain: Toolchain) -> Path:
    """`opt -O3`, `llc -O3` and the link of an LLVM IR file into a .so in `work`."""
    optimised, obj, built = work / "program.bc", work / "program.o", work / "program.so"
    _run([str(toolchain.opt), "-O3", *target, str(llvm_ir), "-o", str(optimised)], "opt")
    _run(
        [
            str(toolchain.llc),
            "-O3",
            *target,
            "-relocation-model=pic",
            "-filetype=obj",
            str(optimised),
            "-o",
            str(obj),
        ],
        "llc",
    )
    _run([toolchain.linker, "-shared", "-o", str(built), str(obj)], "linking")
    return built


def build_library(text: str, hardware: HardwareOp, toolchain: Toolchain) -> tuple[Path, bool]:
    """The shared library of an exported module and whether it came from the cache."""
    target = _target(hardware)
    library = _cached([text, toolchain.identity(), *target, *LOWER_NATIVE])
    if library.exists():
        return library, True
    library.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=library.parent) as folder:
        work = Path(folder)
        source, lowered, llvm_ir = work / "program.mlir", work / "lowered.mlir", work / "program.ll"
        source.write_text(text)
        _run([str(toolchain.mlir_opt), str(source), *LOWER_NATIVE, "-o", str(lowered)], "mlir-opt")
        _run(
            [str(toolchain.mlir_translate), "--mlir-to-llvmir", str(lowered), "-o", str(llvm_ir)],
            "mlir-translate",
        )
        os.replace(_compile_llvm(llvm_ir, work, target, toolchain), library)
    return library, False


def build_llvm_library(
    llvm_ir: str, hardware: HardwareOp, toolchain: Toolchain
) -> tuple[Path, bool]:
    """The shared library of an LLVM IR module for the description's CPU (as
    `build_library` compiles the programs), and whether it came from the cache."""
    target = _target(hardware)
    library = _cached([llvm_ir, toolchain.identity(), *target, "llvm-ir"])
    if library.exists():
        return library, True
    library.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=library.parent) as folder:
        work = Path(folder)
        source = work / "module.ll"
        source.write_text(llvm_ir)
        os.replace(_compile_llvm(source, work, target, toolchain), library)
    return library, False
