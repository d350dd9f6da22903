// One time step of a GRU cell (cuDNN / DeepBench formulation), batch 4, input 64,
// hidden 128. The three gates are stacked in the weights: columns [0, 128) are the
// reset gate r, [128, 256) the update gate z, [256, 384) the candidate n.
//   r = sigmoid(x Wr + bxr + h Ur + bhr)
//   z = sigmoid(x Wz + bxz + h Uz + bhz)
//   n = tanh(x Wn + bxn + r * (h Un + bhn))
//   h' = (1 - z) * n + z * h  =  n + z * (h - n)
isa.kernel @gru_cell(%x : memref<4x64xf32>, %h : memref<4x128xf32>, %W : memref<64x384xf32>, %U : memref<128x384xf32>, %bx : memref<384xf32>, %bh : memref<384xf32>, %h_next : memref<4x128xf32>) {
  %XW = isa.buffer : memref<4x384xf32>
  %HU = isa.buffer : memref<4x384xf32>
  %XB = isa.buffer : memref<4x384xf32>
  %HB = isa.buffer : memref<4x384xf32>
  %S = isa.buffer : memref<4x256xf32>
  %RZ = isa.buffer : memref<4x256xf32>
  %RN = isa.buffer : memref<4x128xf32>
  %NP = isa.buffer : memref<4x128xf32>
  %N = isa.buffer : memref<4x128xf32>
  %D = isa.buffer : memref<4x128xf32>
  %E = isa.buffer : memref<4x128xf32>
  isa.compute %XW[b, g] += %x[b, i] * %W[i, g] for b < 4, g < 384, i < 64
  isa.compute %HU[b, g] += %h[b, j] * %U[j, g] for b < 4, g < 384, j < 128
  isa.compute %XB[b, g] = %XW[b, g] + %bx[g] for b < 4, g < 384
  isa.compute %HB[b, g] = %HU[b, g] + %bh[g] for b < 4, g < 384
  isa.compute %S[b, u] = %XB[b, u] + %HB[b, u] for b < 4, u < 256
  isa.compute %RZ[b, u] = sigmoid(%S[b, u]) for b < 4, u < 256
  isa.compute %RN[b, u] = %RZ[b, u] * %HB[b, u + 256] for b < 4, u < 128
  isa.compute %NP[b, u] = %XB[b, u + 256] + %RN[b, u] for b < 4, u < 128
  isa.compute %N[b, u] = tanh(%NP[b, u]) for b < 4, u < 128
  isa.compute %D[b, u] = %h[b, u] - %N[b, u] for b < 4, u < 128
  isa.compute %E[b, u] = %RZ[b, u + 128] * %D[b, u] for b < 4, u < 128
  isa.compute %h_next[b, u] = %N[b, u] + %E[b, u] for b < 4, u < 128
}
