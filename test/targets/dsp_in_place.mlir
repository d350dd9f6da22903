// A DSP whose vector instruction reads and writes the DRAM in place; a slow DMA
// to an SRAM exists but no instruction needs it (issue 13: the roofline bound
// must not charge traffic over engines an in-place program never uses).
isa.hardware @dsp {
  isa.memory @dram capacity 1048576 bandwidth 64 latency 10
  isa.memory @sram capacity 4096 bandwidth 64 latency 2
  isa.transfer @dma_in from @dram to @sram bandwidth 1 latency 100 dims 1
  isa.transfer @dma_out from @sram to @dram bandwidth 1 latency 100 dims 1
  isa.unit @vec count 1
  isa.instruction @vadd16 on @vec latency 4 interval 1 (%X : memref<16xf32> in @dram, %Y : memref<16xf32> in @dram, %O : memref<16xf32> in @dram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
}
