"""The upstream `mlir-opt` passes that lower what `convert-accel-to-mlir` emits
(func, scf, memref, arith, math, and with `native=true` vector) to the LLVM
dialect, for `mlir-runner` and for native builds.

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

LOWER_NATIVE: tuple[str, ...] = (
    "--convert-scf-to-cf",
    "--convert-vector-to-llvm",
    "--convert-math-to-llvm",
    "--expand-strided-metadata",
    "--finalize-memref-to-llvm",
    "--convert-arith-to-llvm",
    "--convert-func-to-llvm=use-bare-ptr-memref-call-conv=1",
    "--convert-cf-to-llvm",
    "--reconcile-unrealized-casts",
)
"""The same for `convert-accel-to-mlir{native=true}`: vector ops too, and each
program takes one pointer per memref argument (its arguments have static
shapes), as `isamapper-run --native` calls it."""
