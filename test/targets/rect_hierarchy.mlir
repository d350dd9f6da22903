// A new user's accelerator (issue 13): a non-square 8x16x4 matrix instruction
// over a DRAM -> L2 -> L1 -> register-file hierarchy, and a 16-lane vector
// unit for element-wise work. Plausible invented figures, not a real chip.
isa.hardware @rect {
  isa.memory @dram capacity 1073741824 bandwidth 32 latency 200
  isa.memory @l2 capacity 1048576 bandwidth 128 latency 20
  isa.memory @l1 capacity 65536 bandwidth 256 latency 4
  isa.memory @rf capacity 4096 bandwidth 1024 latency 1
  isa.transfer @dram_l2 from @dram to @l2 bandwidth 32 latency 200 dims 3
  isa.transfer @l2_dram from @l2 to @dram bandwidth 32 latency 200 dims 3
  isa.transfer @l2_l1 from @l2 to @l1 bandwidth 128 latency 20 dims 2
  isa.transfer @l1_l2 from @l1 to @l2 bandwidth 128 latency 20 dims 2
  isa.transfer @l1_rf from @l1 to @rf bandwidth 256 latency 4 dims 2
  isa.transfer @rf_l1 from @rf to @l1 bandwidth 256 latency 4 dims 2
  isa.unit @mxu count 1
  isa.unit @vpu count 1
  isa.instruction @mm8x16x4 on @mxu latency 8 interval 4 (%X : memref<8x4xf32> in @rf, %W : memref<4x16xf32> in @rf, %O : memref<8x16xf32> in @rf) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 8, j < 16, k < 4
  }
  isa.instruction @vadd16 on @vpu latency 2 interval 1 (%X : memref<16xf32> in @l1, %Y : memref<16xf32> in @l1, %O : memref<16xf32> in @l1) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
  isa.instruction @vmul16 on @vpu latency 2 interval 1 (%X : memref<16xf32> in @l1, %Y : memref<16xf32> in @l1, %O : memref<16xf32> in @l1) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 16
  }
  isa.instruction @vsigmoid16 on @vpu latency 8 interval 2 (%X : memref<16xf32> in @l1, %O : memref<16xf32> in @l1) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 16
  }
  isa.instruction @vtanh16 on @vpu latency 8 interval 2 (%X : memref<16xf32> in @l1, %O : memref<16xf32> in @l1) {
    isa.compute %O[i] = tanh(%X[i]) for i < 16
  }
  isa.instruction @vexp16 on @vpu latency 8 interval 2 (%X : memref<16xf32> in @l1, %O : memref<16xf32> in @l1) {
    isa.compute %O[i] = exp(%X[i]) for i < 16
  }
}
