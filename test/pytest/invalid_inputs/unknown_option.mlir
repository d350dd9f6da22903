// TOOL: isamapper-opt -p isa-schedule{nosuch=1}
// ERROR: bad pass pipeline: Provided arguments ["nosuch"] not found in expected arguments ["strategy", "cost_model", "budget", "seed", "keep_reference", "fuse", "split_reductions"]
isa.hardware @h {
  isa.memory @main capacity 1048576 bandwidth 64 latency 1
  isa.memory @loc capacity 4096 bandwidth 64 latency 1
  isa.transfer @in from @main to @loc bandwidth 8 latency 1 dims 2
  isa.transfer @out from @loc to @main bandwidth 8 latency 1 dims 2
  isa.unit @u count 1
  isa.instruction @v on @u latency 1 interval 1 (%X : memref<4xf32> in @loc, %O : memref<4xf32> in @loc) {
    isa.compute %O[i] = tanh(%X[i]) for i < 4
  }
}
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 8
}
