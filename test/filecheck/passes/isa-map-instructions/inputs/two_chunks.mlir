// Two chunks for --split-input-file (input of options_more.mlir); the second fails.
isa.hardware @vec {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd8 on @alu latency 2 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @vreg, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 8
  }
}
// -----
isa.hardware @vec {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.unit @alu count 1
  isa.instruction @vneg1 on @alu latency 2 interval 1 (%P : memref<1xf32> in @dram, %R : memref<1xf32> in @dram) {
    isa.compute %R[i] = neg(%P[i]) for i < 1
  }
}
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  isa.compute %B[i] = tanh(%A[i]) for i < 4
}
