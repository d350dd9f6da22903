"""The upstream `mlir-opt` passes that lower what `convert-accel-to-mlir` emits
(func, scf, memref, arith, math) to the LLVM dialect, for `mlir-runner`.

The README gives the same list; the lit substitution `%lower-to-llvm` and the
pytest helpers take it from here.
"""

LOWER_TO_LLVM: tuple[str, ...] = (
    "--convert-scf-to-cf",
    "--convert-math-to-llvm",
    "--expand-strided-metadata",
    "--finalize-memref-to-llvm",
    "--convert-arith-to-llvm",
    "--convert-func-to-llvm",
    "--convert-cf-to-llvm",
    "--reconcile-unrealized-casts",
)
