// Programs whose tensors do not fit the main memory (input of model_refusals.mlir):
// the arguments alone, and the arguments with a buffer allocated there.
isa.hardware @tiny {
  isa.memory @dram capacity 2048 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 1
}
accel.program @arguments on @tiny(%A : memref<256xf32>, %B : memref<512xf32>) {
}
accel.program @buffer on @tiny(%A : memref<256xf32>) {
  %x = accel.alloc @dram : memref<512xf32>
}
