// Two ways from the DRAM to the L1 (issue 14, item 4): a direct engine that moves
// one contiguous run, and 3-dim engines through an SRAM. Tiles take the route
// whose widest engine addresses the most dimensions, for the mapper and the
// scheduler alike.
isa.hardware @two_paths {
  isa.memory @dram capacity 16777216 bandwidth 64 latency 100
  isa.memory @sram capacity 262144 bandwidth 256 latency 4
  isa.memory @l1 capacity 8192 bandwidth 256 latency 1
  isa.transfer @direct from @dram to @l1 bandwidth 16 latency 40 dims 1
  isa.transfer @direct_out from @l1 to @dram bandwidth 16 latency 40 dims 1
  isa.transfer @dram_sram from @dram to @sram bandwidth 64 latency 100 dims 3
  isa.transfer @sram_dram from @sram to @dram bandwidth 64 latency 100 dims 3
  isa.transfer @sram_l1 from @sram to @l1 bandwidth 128 latency 4 dims 3
  isa.transfer @l1_sram from @l1 to @sram bandwidth 128 latency 4 dims 3
  isa.unit @mu count 1
  isa.instruction @mm8 on @mu latency 8 interval 4 (%X: memref<8x8xf32> in @l1, %W: memref<8x8xf32> in @l1, %O: memref<8x8xf32> in @l1) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 8, j < 8, k < 8
  }
}
