// The vector-only DSP of dsp_1d.mlir with a 2-D DMA instead (one strided box
// of rows per transfer): the comparison for 1-D transfers (issue 13).
isa.hardware @dsp2d {
  isa.memory @dram capacity 67108864 bandwidth 16 latency 100
  isa.memory @sram capacity 262144 bandwidth 128 latency 2
  isa.transfer @dma_in from @dram to @sram bandwidth 16 latency 60 dims 2
  isa.transfer @dma_out from @sram to @dram bandwidth 16 latency 60 dims 2
  isa.unit @vu count 1
  isa.instruction @vfma on @vu latency 4 interval 1 (%X : memref<16xf32> in @sram, %W : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 16
  }
  isa.instruction @vmacs on @vu latency 4 interval 1 (%X : memref<16xf32> in @sram, %W : memref<1xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] += %X[i] * %W[j] for i < 16, j < 1
  }
  isa.instruction @vadd on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram, %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
  isa.instruction @vsub on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram, %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 16
  }
  isa.instruction @vmul on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram, %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 16
  }
  isa.instruction @vsig on @vu latency 8 interval 2 (%X : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 16
  }
  isa.instruction @vtanh on @vu latency 8 interval 2 (%X : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = tanh(%X[i]) for i < 16
  }
  isa.instruction @vexp on @vu latency 8 interval 2 (%X : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = exp(%X[i]) for i < 16
  }
  isa.instruction @vcopy on @vu latency 1 interval 1 (%X : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] for i < 16
  }
}
