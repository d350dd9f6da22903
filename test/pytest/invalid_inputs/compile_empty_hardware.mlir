// TOOL: isamapper-compile --hardware ''
// ERROR: --hardware is empty; give the path of a hardware description
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
