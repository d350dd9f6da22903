// TOOL: isamapper-run
// ERROR: @k's tensors need 74.5 GiB, more than the --max-memory bound of 8 GiB
isa.kernel @k(%X : memref<100000x100000xf32>, %Y : memref<100000x100000xf32>) {
  isa.compute %Y[i, j] = tanh(%X[i, j]) for i < 100000, j < 100000
}
