// GEMM with B transposed (DeepBench b_trans=1): C = A * B^T, B stored NxK.
isa.kernel @gemm_nt(%A : memref<128x256xf32>, %B : memref<64x256xf32>, %C : memref<128x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[j, k] for i < 128, j < 64, k < 256
}
