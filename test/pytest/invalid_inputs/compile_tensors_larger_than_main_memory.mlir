// TOOL: isamapper-compile --hardware {self}
// ERROR: compile_tensors_larger_than_main_memory.mlir:14:1: error: isa-schedule: @k's arguments need 36864 bytes of the main memory @dram, which holds 4096
isa.hardware @h {
  isa.memory @dram capacity 4096 bandwidth 64 latency 1
  isa.memory @loc capacity 2048 bandwidth 64 latency 1
  isa.transfer @in from @dram to @loc bandwidth 16 latency 4 dims 2
  isa.transfer @out from @loc to @dram bandwidth 16 latency 4 dims 2
  isa.unit @vu count 1
  isa.instruction @vadd on @vu latency 4 interval 1 (%X : memref<16xf32> in @loc, %Y : memref<16xf32> in @loc, %O : memref<16xf32> in @loc) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
}
// 3 x 12 KiB of tensors in a 4 KiB main memory.
isa.kernel @k(%A : memref<3072xf32>, %B : memref<3072xf32>, %C : memref<3072xf32>) {
  isa.compute %C[i] = %A[i] + %B[i] for i < 3072
}
