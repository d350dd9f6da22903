// Batched matrix multiply: 6 independent 24x40 by 40x20 products.
isa.kernel @bmm(%A : memref<6x24x40xf32>, %B : memref<6x40x20xf32>, %C : memref<6x24x20xf32>) {
  isa.compute %C[b, i, j] += %A[b, i, k] * %B[b, k, j] for b < 6, i < 24, j < 20, k < 40
}
