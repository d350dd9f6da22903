// Names that need quotes in MLIR's syntax: a hyphen, a dot, a space, unicode
// (issue 13: every printed form must parse again).
isa.hardware @"hw-1" {
  isa.memory @"dräm" capacity 1048576 bandwidth 16 latency 10
  isa.memory @"s ram" capacity 65536 bandwidth 64 latency 2
  isa.transfer @"dma-in" from @"dräm" to @"s ram" bandwidth 16 latency 20 dims 2
  isa.transfer @"dma.out" from @"s ram" to @"dräm" bandwidth 16 latency 20 dims 2
  isa.unit @"v-u" count 1
  isa.instruction @"mm-8" on @"v-u" latency 4 interval 2 (%X : memref<8x8xf32> in @"s ram", %W : memref<8x8xf32> in @"s ram", %O : memref<8x8xf32> in @"s ram") {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 8, j < 8, k < 8
  }
}
