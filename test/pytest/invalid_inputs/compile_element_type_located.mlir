// TOOL: isamapper-compile --hardware {self}
// ERROR: compile_element_type_located.mlir:14:3: error: isa-map-instructions: the statement has no mapping on @h:
isa.hardware @h {
  isa.memory @main capacity 1048576 bandwidth 64 latency 1
  isa.memory @loc capacity 4096 bandwidth 64 latency 1
  isa.transfer @in from @main to @loc bandwidth 16 latency 4 dims 2
  isa.transfer @out from @loc to @main bandwidth 16 latency 4 dims 2
  isa.unit @vu count 1
  isa.instruction @vtanh on @vu latency 4 interval 1 (%X : memref<8xf32> in @loc, %O : memref<8xf32> in @loc) {
    isa.compute %O[i] = tanh(%X[i]) for i < 8
  }
}
isa.kernel @k(%X : memref<8xf16>, %Y : memref<8xf16>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
