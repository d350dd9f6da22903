// TOOL: isamapper-compile --hardware no/such/hw.mlir
// ERROR: compile_missing_hardware.mlir: isa-map-instructions: cannot read no/such/hw.mlir: No such file or directory
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
