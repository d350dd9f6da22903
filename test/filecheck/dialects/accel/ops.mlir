// Every accel op round-trips in custom and generic form, and a copy may read a
// tensor through a cache (its engine's source is a cache holding a view of it).
// RUN: xdsl-opt %s | filecheck %s
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | filecheck %s

isa.hardware @cpu {
  isa.memory @regs capacity 1024 bandwidth 256 latency 1
  isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 4
  isa.transfer @evict from @l1 to @dram bandwidth 8 latency 100 dims 4
  isa.transfer @load from @l1 to @regs bandwidth 64 latency 4 dims 2
  isa.transfer @store from @regs to @l1 bandwidth 32 latency 4 dims 2
  isa.unit @fma count 1
  isa.instruction @vadd4 on @fma latency 4 interval 1 (%X : memref<4xf32> in @regs, %Y : memref<4xf32> in @regs, %O : memref<4xf32> in @regs) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 4
  }
}
accel.program @p on @cpu(%A : memref<8x4xf32>, %C : memref<8x4xf32>) {
  %r = accel.alloc @regs {slots = 2 : i64} : memref<2x4xf32>
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %t = accel.touch @fill %A[%c0] box [8:4, 4:1] limits [%c8, %c4] : memref<8x4xf32>
  %l = accel.copy @load %A[%c0] -> %r[%c0] box [4:1:1] limits [%c4] : memref<8x4xf32> -> memref<2x4xf32>
  accel.wait %l
  accel.fill %r[%c4] size 4 : i64 : memref<2x4xf32>
  accel.exec @vadd4(%r[%c0], %r[%c0], %r[%c4]) strides [[1], [1], [1]] : memref<2x4xf32>, memref<2x4xf32>, memref<2x4xf32>
  %s = accel.copy @store %r[%c4] -> %C[%c0] box [4:1:1] limits [%c4] accumulate : memref<2x4xf32> -> memref<8x4xf32>
  accel.wait %s, %t
  accel.free %r : memref<2x4xf32>
}

// CHECK:      isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache
// CHECK:      accel.program @p on @cpu(%A: memref<8x4xf32>, %C: memref<8x4xf32>) {
// CHECK-NEXT:   %r = accel.alloc @regs {slots = 2 : i64} : memref<2x4xf32>
// CHECK:        %t = accel.touch @fill %A[%c0] box [8:4, 4:1] limits [%c8, %c4] : memref<8x4xf32>
// CHECK-NEXT:   %l = accel.copy @load %A[%c0] -> %r[%c0] box [4:1:1] limits [%c4] : memref<8x4xf32> -> memref<2x4xf32>
// CHECK-NEXT:   accel.wait %l
// CHECK-NEXT:   accel.fill %r[%c4] size 4 : i64 : memref<2x4xf32>
// CHECK-NEXT:   accel.exec @vadd4(%r[%c0], %r[%c0], %r[%c4]) strides {{\[}}[1], [1], [1]] : memref<2x4xf32>, memref<2x4xf32>, memref<2x4xf32>
// CHECK-NEXT:   %s = accel.copy @store %r[%c4] -> %C[%c0] box [4:1:1] limits [%c4] accumulate : memref<2x4xf32> -> memref<8x4xf32>
// CHECK-NEXT:   accel.wait %s, %t
// CHECK-NEXT:   accel.free %r : memref<2x4xf32>
// CHECK-NEXT: }
