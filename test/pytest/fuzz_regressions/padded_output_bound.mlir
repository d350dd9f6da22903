// Found by the pipeline fuzzer: the output tensor is larger than what the statement writes
// (a < 5 of 6 rows), and the roofline bound charged the whole tensor, so the program
// (260 cycles) beat the 'bound' (273). The bound now counts the elements touched.
isa.hardware @fuzzhw {
  isa.memory @m0 capacity 1073741824 bandwidth 64 latency 100
  isa.memory @m1 capacity 65536 bandwidth 1024 latency 3
  isa.transfer @t01 from @m0 to @m1 bandwidth 64 latency 6 dims 2
  isa.transfer @t10 from @m1 to @m0 bandwidth 8 latency 1 dims 1
  isa.unit @mx count 4
  isa.unit @vx count 4
  isa.instruction @mm on @mx latency 18 interval 9 (%X : memref<32x64xf32> in @m1, %W : memref<64x8xf32> in @m1, %O : memref<32x8xf32> in @m1) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 8, k < 64
  }
  isa.instruction @vfma on @vx latency 4 interval 1 (%X : memref<16xf32> in @m1, %W : memref<16xf32> in @m1, %O : memref<16xf32> in @m1) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 16
  }
  isa.instruction @vmul on @vx latency 12 interval 2 (%X : memref<16xf32> in @m1, %Y : memref<16xf32> in @m1, %O : memref<16xf32> in @m1) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 16
  }
  isa.instruction @vsigmoid on @vx latency 22 interval 3 (%X : memref<16xf32> in @m1, %O : memref<16xf32> in @m1) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 16
  }
  isa.instruction @vexp on @vx latency 1 interval 6 (%X : memref<16xf32> in @m1, %O : memref<16xf32> in @m1) {
    isa.compute %O[i] = exp(%X[i]) for i < 16
  }
  isa.instruction @vsub on @vx latency 2 interval 4 (%X : memref<16xf32> in @m1, %Y : memref<16xf32> in @m1, %O : memref<16xf32> in @m1) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 16
  }
}
isa.kernel @fuzz(%O : memref<6x13x7xf32>, %X : memref<14xf32>, %W : memref<15xf32>) {
  isa.compute %O[a, b, c] += %X[2*c + 1] * %W[2*c + 1] for a < 5, b < 13, c < 7
}

