// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

// A touch needs one limit per dimension.
isa.hardware @cpu {
  isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 1
}
accel.program @p on @cpu(%A : memref<8x4xf32>) {
  %c0 = arith.constant 0 : index
  %t = accel.touch @fill %A[%c0] box [8:4, 4:1] limits [%c0] : memref<8x4xf32>
}
// CHECK: Operation does not verify: A touch of 2 dimensions needs 2 limits, not 1.

// -----
// CHECK: {{^// -{5}$}}

// A touch's box must fit its engine's dimensions.
isa.hardware @cpu {
  isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 1
}
accel.program @p on @cpu(%A : memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %t = accel.touch @fill %A[%c0] box [4:8, 4:1] limits [%c0, %c0] : memref<8x8xf32>
}
// CHECK: Operation does not verify: The touch needs 2 strided dimensions but engine @fill addresses 1.

// -----
// CHECK: {{^// -{5}$}}

// A copy reads through a cache only where the cache is one.
isa.hardware @acc {
  isa.memory @sram capacity 32768 bandwidth 64 latency 4
  isa.memory @regs capacity 1024 bandwidth 256 latency 1
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @sram bandwidth 8 latency 100 dims 4
  isa.transfer @load from @sram to @regs bandwidth 64 latency 4 dims 2
}
accel.program @p on @acc(%A : memref<4xf32>) {
  %r = accel.alloc @regs : memref<4xf32>
  %c0 = arith.constant 0 : index
  %l = accel.copy @load %A[%c0] -> %r[%c0] box [4:1:1] limits [%c0] : memref<4xf32> -> memref<4xf32>
}
// CHECK: Operation does not verify: Engine @load reads @sram, but the copy's source lives in @dram.

// -----
// CHECK: {{^// -{5}$}}

// The main memory, where tensors live, cannot be a cache.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100 cache
}
// CHECK: Operation does not verify: Memory @dram is the largest, where the tensors live, so it cannot be a cache.

// -----
// CHECK: {{^// -{5}$}}

// Instruction operands cannot live in a cache.
isa.hardware @hw {
  isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.unit @fma count 1
  isa.instruction @vneg4 on @fma latency 1 interval 1 (%X : memref<4xf32> in @l1, %O : memref<4xf32> in @l1) {
    isa.compute %O[i] = neg(%X[i]) for i < 4
  }
}
// CHECK: Operation does not verify: Instruction @vneg4 reads an operand in @l1, a cache; instruction operands live in memories the program manages (registers, scratchpads).
