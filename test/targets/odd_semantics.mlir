// A new user's instruction set with unusual semantics (issue 13): a transposed
// matrix product, a rank-1 update, a matrix-vector product, and shifted,
// reversed and strided element-wise instructions (which the mapper declines,
// with a reason). Invented figures.
isa.hardware @odd {
  isa.memory @dram capacity 1073741824 bandwidth 32 latency 100
  isa.memory @buf capacity 131072 bandwidth 256 latency 2
  isa.transfer @in from @dram to @buf bandwidth 32 latency 80 dims 2
  isa.transfer @out from @buf to @dram bandwidth 32 latency 80 dims 2
  isa.unit @mu count 1
  isa.unit @vu count 1
  isa.instruction @mmt8 on @mu latency 10 interval 8 (%X : memref<8x8xf32> in @buf, %W : memref<8x8xf32> in @buf, %O : memref<8x8xf32> in @buf) {
    isa.compute %O[i, j] += %X[k, i] * %W[k, j] for i < 8, j < 8, k < 8
  }
  isa.instruction @rank1 on @mu latency 4 interval 2 (%X : memref<8xf32> in @buf, %W : memref<8xf32> in @buf, %O : memref<8x8xf32> in @buf) {
    isa.compute %O[i, j] += %X[i] * %W[j] for i < 8, j < 8
  }
  isa.instruction @gemv on @mu latency 6 interval 4 (%X : memref<8x8xf32> in @buf, %W : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] += %X[i, k] * %W[k] for i < 8, k < 8
  }
  isa.instruction @vshift on @vu latency 2 interval 1 (%X : memref<9xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = %X[i + 1] for i < 8
  }
  isa.instruction @vreverse on @vu latency 2 interval 1 (%X : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = %X[7 - i] for i < 8
  }
  isa.instruction @vstrided on @vu latency 2 interval 1 (%X : memref<16xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = %X[2*i] for i < 8
  }
  isa.instruction @vadd8 on @vu latency 2 interval 1 (%X : memref<8xf32> in @buf, %Y : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 8
  }
  isa.instruction @vexp8 on @vu latency 8 interval 2 (%X : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = exp(%X[i]) for i < 8
  }
  isa.instruction @vsigmoid8 on @vu latency 8 interval 2 (%X : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 8
  }
  isa.instruction @vtanh8 on @vu latency 8 interval 2 (%X : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = tanh(%X[i]) for i < 8
  }
  isa.instruction @vmul8 on @vu latency 2 interval 1 (%X : memref<8xf32> in @buf, %Y : memref<8xf32> in @buf, %O : memref<8xf32> in @buf) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 8
  }
}
