// The model charges demand misses: @near and @far are the same engine but for
// @far's prefetch reach of 64 bytes, so its copy of four rows 128 bytes apart
// waits four latencies (4 x 10 = 40 cycles plus 128 bytes / 64 = 2 cycles of
// transfer) while @near's waits one (10 + 2). The two engines run side by
// side, so the program ends with @far's copy.
// RUN: isamapper-run %s --timing-only | filecheck %s

isa.hardware @cpu {
  isa.memory @regs capacity 1024 bandwidth 256 latency 1
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @near from @dram to @regs bandwidth 64 latency 10 dims 2
  isa.transfer @far from @dram to @regs bandwidth 64 latency 10 dims 2 prefetch 64
  isa.unit @fma count 1
}
accel.program @p on @cpu(%A : memref<4x32xf32>) {
  %r = accel.alloc @regs : memref<4x8xf32>
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %n = accel.copy @near %A[%c0] -> %r[%c0] box [4:32:8, 8:1:1] limits [%c4, %c8] : memref<4x32xf32> -> memref<4x8xf32>
  accel.wait %n
  %f = accel.copy @far %A[%c0] -> %r[%c0] box [4:32:8, 8:1:1] limits [%c4, %c8] : memref<4x32xf32> -> memref<4x8xf32>
  accel.wait %f
  accel.free %r : memref<4x8xf32>
}

// CHECK: cycles: 42
// CHECK: engine @far: 2 busy cycles
// CHECK: engine @near: 2 busy cycles
