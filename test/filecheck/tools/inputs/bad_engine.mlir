// A program that names an engine the hardware does not have (input of model_refusals.mlir).
isa.hardware @tiny {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 1
}
accel.program @p on @tiny(%A : memref<16xf32>) {
  %x = accel.alloc @sram : memref<16xf32>
  %c0 = arith.constant 0 : index
  %n = arith.constant 16 : index
  %t = accel.copy @teleport %A[%c0] -> %x[%c0] box [16:1:1] limits [%n] : memref<16xf32> -> memref<16xf32>
  accel.wait %t
}
