// An LSTM cell, batch 4, input 32, hidden 45 (not a multiple of 16); gates i, f,
// g, o stacked in 180 columns.
isa.kernel @lstm45(%x : memref<4x32xf32>, %h : memref<4x45xf32>, %c : memref<4x45xf32>, %W : memref<32x180xf32>, %U : memref<45x180xf32>, %b : memref<180xf32>, %h_next : memref<4x45xf32>, %c_next : memref<4x45xf32>) {
  %XW = isa.buffer : memref<4x180xf32>
  %HU = isa.buffer : memref<4x180xf32>
  %S = isa.buffer : memref<4x180xf32>
  %P = isa.buffer : memref<4x180xf32>
  %I = isa.buffer : memref<4x45xf32>
  %F = isa.buffer : memref<4x45xf32>
  %Gt = isa.buffer : memref<4x45xf32>
  %O = isa.buffer : memref<4x45xf32>
  %FC = isa.buffer : memref<4x45xf32>
  %IG = isa.buffer : memref<4x45xf32>
  %T = isa.buffer : memref<4x45xf32>
  isa.compute %XW[n, g] += %x[n, k] * %W[k, g] for n < 4, g < 180, k < 32
  isa.compute %HU[n, g] += %h[n, k] * %U[k, g] for n < 4, g < 180, k < 45
  isa.compute %S[n, g] = %XW[n, g] + %HU[n, g] for n < 4, g < 180
  isa.compute %P[n, g] = %S[n, g] + %b[g] for n < 4, g < 180
  isa.compute %I[n, u] = sigmoid(%P[n, u]) for n < 4, u < 45
  isa.compute %F[n, u] = sigmoid(%P[n, u + 45]) for n < 4, u < 45
  isa.compute %Gt[n, u] = tanh(%P[n, u + 90]) for n < 4, u < 45
  isa.compute %O[n, u] = sigmoid(%P[n, u + 135]) for n < 4, u < 45
  isa.compute %FC[n, u] = %F[n, u] * %c[n, u] for n < 4, u < 45
  isa.compute %IG[n, u] = %I[n, u] * %Gt[n, u] for n < 4, u < 45
  isa.compute %c_next[n, u] = %FC[n, u] + %IG[n, u] for n < 4, u < 45
  isa.compute %T[n, u] = tanh(%c_next[n, u]) for n < 4, u < 45
  isa.compute %h_next[n, u] = %O[n, u] * %T[n, u] for n < 4, u < 45
}
