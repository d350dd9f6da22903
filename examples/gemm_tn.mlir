// GEMM with A transposed (DeepBench a_trans=1): C = A^T * B, A stored KxM.
isa.kernel @gemm_tn(%A : memref<256x128xf32>, %B : memref<256x64xf32>, %C : memref<128x64xf32>) {
  isa.compute %C[i, j] += %A[k, i] * %B[k, j] for i < 128, j < 64, k < 256
}
