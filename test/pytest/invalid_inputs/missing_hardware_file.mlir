// TOOL: isamapper-opt -p 'isa-map-instructions{hardware-file="no/such/file.mlir"}'
// ERROR: isa-map-instructions: cannot read no/such/file.mlir: No such file or directory
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
