// A transposed GEMM with prime sizes: C = A^T B, A is K x M.
isa.kernel @gemm_tn_primes(%A : memref<31x37xf32>, %B : memref<31x23xf32>, %C : memref<37x23xf32>) {
  isa.compute %C[i, j] += %A[k, i] * %B[k, j] for i < 37, j < 23, k < 31
}
