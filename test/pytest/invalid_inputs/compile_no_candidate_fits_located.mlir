// TOOL: isamapper-compile --hardware {self}
// ERROR: compile_no_candidate_fits_located.mlir:14:3: error: isa-schedule: no candidate fits the hardware: @vadd: the buffers need 384 bytes of @loc, which holds 128
isa.hardware @h {
  isa.memory @main capacity 1048576 bandwidth 64 latency 1
  isa.memory @loc capacity 128 bandwidth 64 latency 1
  isa.transfer @in from @main to @loc bandwidth 16 latency 4 dims 2
  isa.transfer @out from @loc to @main bandwidth 16 latency 4 dims 2
  isa.unit @vu count 1
  isa.instruction @vadd on @vu latency 4 interval 1 (%X : memref<16xf32> in @loc, %Y : memref<16xf32> in @loc, %O : memref<16xf32> in @loc) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
}
isa.kernel @k(%A : memref<64xf32>, %B : memref<64xf32>, %C : memref<64xf32>, %D : memref<64xf32>) {
  isa.compute %C[i] = %A[i] + %B[i] for i < 64
  isa.compute %D[i] = %C[i] + %B[i] for i < 64
}
