// GEMM, no transposes: C = A * B with A: MxK, B: KxN (M=128, N=64, K=256).
// Run it: isamapper-run examples/gemm_nn.mlir --seed 0 --outputs out.npz
isa.kernel @gemm_nn(%A : memref<128x256xf32>, %B : memref<256x64xf32>, %C : memref<128x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 128, j < 64, k < 256
}
