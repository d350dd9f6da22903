// The LSTM cell with hidden 48.
isa.kernel @lstm48(%x : memref<4x32xf32>, %h : memref<4x48xf32>, %c : memref<4x48xf32>, %W : memref<32x192xf32>, %U : memref<48x192xf32>, %b : memref<192xf32>, %h_next : memref<4x48xf32>, %c_next : memref<4x48xf32>) {
  %XW = isa.buffer : memref<4x192xf32>
  %HU = isa.buffer : memref<4x192xf32>
  %S = isa.buffer : memref<4x192xf32>
  %P = isa.buffer : memref<4x192xf32>
  %I = isa.buffer : memref<4x48xf32>
  %F = isa.buffer : memref<4x48xf32>
  %Gt = isa.buffer : memref<4x48xf32>
  %O = isa.buffer : memref<4x48xf32>
  %FC = isa.buffer : memref<4x48xf32>
  %IG = isa.buffer : memref<4x48xf32>
  %T = isa.buffer : memref<4x48xf32>
  isa.compute %XW[n, g] += %x[n, k] * %W[k, g] for n < 4, g < 192, k < 32
  isa.compute %HU[n, g] += %h[n, k] * %U[k, g] for n < 4, g < 192, k < 48
  isa.compute %S[n, g] = %XW[n, g] + %HU[n, g] for n < 4, g < 192
  isa.compute %P[n, g] = %S[n, g] + %b[g] for n < 4, g < 192
  isa.compute %I[n, u] = sigmoid(%P[n, u]) for n < 4, u < 48
  isa.compute %F[n, u] = sigmoid(%P[n, u + 48]) for n < 4, u < 48
  isa.compute %Gt[n, u] = tanh(%P[n, u + 96]) for n < 4, u < 48
  isa.compute %O[n, u] = sigmoid(%P[n, u + 144]) for n < 4, u < 48
  isa.compute %FC[n, u] = %F[n, u] * %c[n, u] for n < 4, u < 48
  isa.compute %IG[n, u] = %I[n, u] * %Gt[n, u] for n < 4, u < 48
  isa.compute %c_next[n, u] = %FC[n, u] + %IG[n, u] for n < 4, u < 48
  isa.compute %T[n, u] = tanh(%c_next[n, u]) for n < 4, u < 48
  isa.compute %h_next[n, u] = %O[n, u] * %T[n, u] for n < 4, u < 48
}
