// A GEMM whose rows of A (2 KiB) do not fit the two_paths L1 beside the others.
isa.kernel @gemm_64x64x512(%A : memref<64x512xf32>, %B : memref<512x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 512
}
