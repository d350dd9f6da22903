// A program whose buffers do not fit the scratchpad (input of model_refusals.mlir).
isa.hardware @tiny {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
  isa.transfer @store from @sram to @dram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 1
  isa.instruction @vadd4 on @vpu latency 2 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram, %O : memref<4xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 4
  }
}
accel.program @big on @tiny(%A : memref<256xf32>, %B : memref<256xf32>) {
  %x = accel.alloc @sram : memref<256xf32>
  %y = accel.alloc @sram : memref<256xf32>
  %c0 = arith.constant 0 : index
  %n = arith.constant 256 : index
  %t = accel.copy @load %A[%c0] -> %x[%c0] box [256:1:1] limits [%n] : memref<256xf32> -> memref<256xf32>
  accel.wait %t
}
