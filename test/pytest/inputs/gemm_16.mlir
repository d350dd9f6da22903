// A 16x16x16 GEMM for the slow-to-simulate hardware descriptions.
isa.kernel @gemm_16(%A : memref<16x16xf32>, %B : memref<16x16xf32>, %C : memref<16x16xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 16, j < 16, k < 16
}
