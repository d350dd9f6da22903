// A new user's accelerator with two matrix shapes (issue 13): a 16x16x16 unit
// fed from a shared SRAM by one DMA, and a 4x64x4 unit whose operands arrive in
// a separate buffer over another engine. Invented figures.
isa.hardware @twoshapes {
  isa.memory @dram capacity 1073741824 bandwidth 64 latency 150
  isa.memory @sram capacity 524288 bandwidth 512 latency 4
  isa.memory @wbuf capacity 65536 bandwidth 256 latency 2
  isa.memory @acc capacity 65536 bandwidth 256 latency 2
  isa.transfer @dma from @dram to @sram bandwidth 64 latency 150 dims 2
  isa.transfer @wdma from @dram to @wbuf bandwidth 32 latency 150 dims 2
  isa.transfer @drain from @acc to @dram bandwidth 64 latency 150 dims 2
  isa.transfer @fill from @dram to @acc bandwidth 64 latency 150 dims 2
  isa.unit @square count 1
  isa.unit @skinny count 1
  isa.instruction @mm16 on @square latency 20 interval 16 (%X : memref<16x16xf32> in @sram, %W : memref<16x16xf32> in @sram, %O : memref<16x16xf32> in @acc) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 16, j < 16, k < 16
  }
  isa.instruction @mm4x64x4 on @skinny latency 8 interval 4 (%X : memref<4x4xf32> in @wbuf, %W : memref<4x64xf32> in @wbuf, %O : memref<4x64xf32> in @acc) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 4, j < 64, k < 4
  }
}
