// TOOL: isamapper-opt -p 'isa-map-instructions{hardware-file=""}'
// ERROR: isa-map-instructions: hardware-file="" names no file; give the path of a hardware description, or leave the option out to use the module's isa.hardware
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
