"""Choosing a kernel in a module and preparing the arrays it runs on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from zipfile import BadZipFile, is_zipfile

import numpy as np
from xdsl.dialects.builtin import MemRefType, ModuleOp

from isamapper_dialect.accel import ProgramOp
from isamapper_dialect.kernel_op import BufferOp, KernelOp
from isamapper_dialect.parsing import InputError
from isamapper_hardware.model.isa_interpreter import UnsupportedTypeError, numpy_dtype, run_kernel
from isamapper_passes.interop.export_harness import pattern_values

Runnable = KernelOp | ProgramOp


def find_runnable(module: ModuleOp, name: str | None) -> Runnable:
    """The program or kernel called `name`; by default the module's only program,
    or its only kernel when it has no program."""
    programs = [op for op in module.walk() if isinstance(op, ProgramOp)]
    if name is not None:
        for program in programs:
            if program.sym_name.data == name.removeprefix("@"):
                return program
        return find_kernel(module, name)
    if len(programs) == 1:
        return programs[0]
    if len(programs) > 1:
        names = ", ".join(f"@{p.sym_name.data}" for p in programs)
        raise InputError(f"the file has several programs ({names}); choose one with --kernel")
    return find_kernel(module, None)


def find_kernel(module: ModuleOp, name: str | None) -> KernelOp:
    """The kernel called `name`, or the module's only kernel when `name` is None."""
    kernels = [op for op in module.walk() if isinstance(op, KernelOp)]
    names = ", ".join(f"@{k.sym_name.data}" for k in kernels)
    if name is not None:
        for kernel in kernels:
            if kernel.sym_name.data == name.removeprefix("@"):
                return kernel
        raise InputError(
            f"no kernel @{name.removeprefix('@')} in the file"
            + (f" (it has {names})" if kernels else " (it has no isa.kernel)")
        )
    if not kernels:
        raise InputError("the file has no isa.kernel to run")
    if len(kernels) > 1:
        raise InputError(f"the file has several kernels ({names}); choose one with --kernel")
    return kernels[0]


def check_element_types(kernel: Runnable) -> None:
    """Raise InputError when an argument or buffer has no numpy element type."""
    for position, name in enumerate(argument_names(kernel)):
        _dtype(_memref(kernel, position), f"argument %{name}")
    for op in kernel.walk():
        if isinstance(op, BufferOp):
            assert isinstance(op.result.type, MemRefType)
            _dtype(op.result.type, f"buffer %{op.result.name_hint or '?'}")


def argument_names(kernel: Runnable) -> list[str]:
    """Argument names as arrays are keyed: the SSA name, or `argN` without one."""
    return [a.name_hint or f"arg{i}" for i, a in enumerate(kernel.arguments)]


def written_arguments(kernel: Runnable) -> set[str]:
    """Names of the arguments some statement (or program transfer) writes."""
    names = dict(zip(kernel.arguments, argument_names(kernel), strict=True))
    if isinstance(kernel, ProgramOp):
        return {names[a] for a in kernel.written_arguments()}
    return {names[s.output] for s in kernel.statements if s.output in names}


def checked_outputs(program: ProgramOp, reference: KernelOp) -> list[str]:
    """The arguments `--check` compares, in signature order: those the program
    writes and those the reference writes (a program that misses one of the
    reference's outputs leaves it unchanged, which the comparison catches).
    InputError when the program writes none: nothing could be checked."""
    written = written_arguments(program)
    if not written:
        raise InputError(
            f"--check: @{program.sym_name.data} writes none of its arguments, so it has no "
            "output to compare with the reference"
        )
    written |= written_arguments(reference)
    return [name for name in argument_names(program) if name in written]


def _memref(kernel: Runnable, position: int) -> MemRefType:
    memref = kernel.arguments[position].type
    assert isinstance(memref, MemRefType)
    return memref


def _inputs(
    kernel: Runnable, values: Callable[[Sequence[int], int, np.dtype], np.ndarray]
) -> dict[str, np.ndarray]:
    """`values(shape, position, dtype)` for the arguments the kernel only reads,
    zeros for the ones it writes."""
    outputs = written_arguments(kernel)
    arrays: dict[str, np.ndarray] = {}
    for position, name in enumerate(argument_names(kernel)):
        memref = _memref(kernel, position)
        dtype = _dtype(memref, f"argument %{name}")
        shape = memref.get_shape()
        if name in outputs:
            arrays[name] = np.zeros(shape, dtype)
        else:
            arrays[name] = values(shape, position, dtype)
    return arrays


def random_inputs(kernel: Runnable, seed: int) -> dict[str, np.ndarray]:
    """Uniform random values in [-1, 1) (integers in [-8, 8)) for arguments that are
    only read; zeros for the arguments the kernel writes."""
    rng = np.random.default_rng(seed)

    def values(shape: Sequence[int], position: int, dtype: np.dtype) -> np.ndarray:
        if dtype.kind == "f":
            return rng.uniform(-1, 1, shape).astype(dtype)
        return rng.integers(-8, 8, shape).astype(dtype)

    return _inputs(kernel, values)


def zero_inputs(kernel: Runnable) -> dict[str, np.ndarray]:
    """Zeros for every argument: what a timing-only run needs (it reads no
    values), at no cost for the largest tensors."""
    return _inputs(kernel, lambda shape, position, dtype: np.zeros(shape, dtype))


def pattern_inputs(kernel: Runnable) -> dict[str, np.ndarray]:
    """The export harness's inputs (see `isamapper_passes.interop.export_harness`): its
    pattern for arguments that are only read, zeros for the written ones."""
    return _inputs(kernel, pattern_values)


def _dtype(memref: MemRefType, label: str) -> np.dtype:
    try:
        return numpy_dtype(memref.element_type)
    except UnsupportedTypeError as error:
        raise InputError(f"{label}: {error}") from None


def load_inputs(kernel: Runnable, path: str | Path) -> dict[str, np.ndarray]:
    """Arrays from an `.npz` named after the kernel's arguments, checked and cast.

    Arguments the kernel writes may be left out: they start at zero.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"cannot read inputs {path}: no such file")
    if not is_zipfile(path):
        raise InputError(
            f"cannot read inputs {path}: it is not an .npz archive "
            "(write one with numpy.savez(path, A=..., B=...))"
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            given = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, BadZipFile) as error:
        raise InputError(f"cannot read inputs {path}: {error}") from None
    return check_inputs(kernel, given, str(path))


def check_inputs(
    kernel: Runnable, given: Mapping[str, np.ndarray], source: str
) -> dict[str, np.ndarray]:
    """Check names, shapes and dtypes of `given` against the kernel's arguments."""
    names = argument_names(kernel)
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise InputError(
            f"{source}: array '{unknown[0]}' matches no argument of "
            f"@{kernel.sym_name.data} (arguments: {', '.join(names)})"
        )
    outputs = written_arguments(kernel)
    arrays: dict[str, np.ndarray] = {}
    for position, name in enumerate(names):
        memref = _memref(kernel, position)
        dtype = _dtype(memref, f"argument %{name}")
        shape = tuple(memref.get_shape())
        if name not in given:
            if name not in outputs:
                raise InputError(
                    f"{source}: no array '{name}' for input argument %{name} ({memref})"
                )
            arrays[name] = np.zeros(shape, dtype)
            continue
        array = given[name]
        if array.shape != shape:
            raise InputError(
                f"{source}: array '{name}' has shape {array.shape} but %{name} is "
                f"{memref} (shape {shape})"
            )
        if not np.can_cast(array.dtype, dtype, casting="same_kind"):
            raise InputError(
                f"{source}: array '{name}' has dtype {array.dtype}, which cannot be "
                f"converted to {dtype} for %{name}"
            )
        arrays[name] = array.astype(dtype)
    return arrays


def compare_outputs(
    actual: Mapping[str, np.ndarray], expected: Mapping[str, np.ndarray], names: Iterable[str]
) -> tuple[float, str | None]:
    """Compare the named outputs with the reference's (rtol and atol 1e-4), in
    order: the largest absolute difference seen, and the first name that is not
    close (None when all are; the difference then covers every name)."""
    worst = 0.0
    for name in names:
        difference = float(np.max(np.abs(actual[name] - expected[name]), initial=0.0))
        # `max` would drop a NaN: report it.
        worst = difference if np.isnan(difference) else max(worst, difference)
        if not np.allclose(actual[name], expected[name], rtol=1e-4, atol=1e-4):
            return worst, name
    return worst, None


def check_program(
    module: ModuleOp,
    program: ProgramOp,
    reference: KernelOp | None,
    arrays: Mapping[str, np.ndarray],
    results: Mapping[str, np.ndarray],
    path: str,
    run: str = "",
) -> float:
    """`--check`: compare what a run of `program` on `arrays` wrote (`results`)
    with the reference kernel's semantics; the largest absolute difference, or an
    InputError naming the first output that differs (`run` says which run)."""
    if reference is None:
        raise InputError(f"{path}: --check needs the program's reference kernel")
    expected = run_kernel(module, reference, dict(arrays))
    worst, wrong = compare_outputs(results, expected, checked_outputs(program, reference))
    if wrong is not None:
        raise InputError(
            f"check failed: %{wrong}{run} differs from the reference semantics by up to {worst:.3g}"
        )
    return worst
