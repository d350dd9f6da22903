// A copy that goes against its engine (input of model_refusals.mlir).
isa.hardware @tiny {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 1
  isa.unit @vpu count 1
}
accel.program @p on @tiny(%A : memref<4x4xf32>) {
  %x = accel.alloc @sram : memref<4x4xf32>
  %c0 = arith.constant 0 : index
  %n = arith.constant 4 : index
  %t = accel.copy @load %x[%c0] -> %A[%c0] box [4:4:4, 4:1:1] limits [%n, %n] : memref<4x4xf32> -> memref<4x4xf32>
  accel.wait %t
}
