"""The text of an NN GEMM kernel, for benchmarks and tests that sweep sizes."""

from __future__ import annotations


def gemm_text(m: int, n: int, k: int, name: str | None = None) -> str:
    """`C[i, j] += A[i, k] * B[k, j]` over an MxK A and a KxN B, as an `isa.kernel`
    named `name` (default `gemm_<m>x<n>x<k>`)."""
    name = name or f"gemm_{m}x{n}x{k}"
    return (
        f"isa.kernel @{name}(%A : memref<{m}x{k}xf32>, %B : memref<{k}x{n}xf32>, "
        f"%C : memref<{m}x{n}xf32>) {{\n"
        f"  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < {m}, j < {n}, k < {k}\n}}\n"
    )
