isa.kernel @gemm(%A : memref<20x16xf32>, %B : memref<16x12xf32>, %C : memref<20x12xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 20, j < 12, k < 16
}
