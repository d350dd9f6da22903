// Attention scores and their exponentials: S = Q K^T, E = exp(S) (4 heads,
// 20 queries, 24 keys, head dimension 16).
isa.kernel @attention(%Q : memref<4x20x16xf32>, %K : memref<4x24x16xf32>, %E : memref<4x20x24xf32>) {
  %S = isa.buffer : memref<4x20x24xf32>
  isa.compute %S[h, q, t] += %Q[h, q, d] * %K[h, t, d] for h < 4, q < 20, t < 24, d < 16
  isa.compute %E[h, q, t] = exp(%S[h, q, t]) for h < 4, q < 20, t < 24
}
