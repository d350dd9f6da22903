// A view whose lines crowd one of the cache's sets past its ways is packed:
// @l1 has 2 ways of 64-byte lines in 32 sets, so lines 2048 bytes apart share
// a set. A's level-1 block (20 rows of 6 floats, 96 bytes apart) stays a
// view, but B's (6 rows of 32 floats, 2048 bytes apart: 6 lines in each of two
// sets) gets a buffer in @l1 (one slot, as every station in a cache), filled
// by @fill from the tensor and read by the register loads. Without `ways 2 line 64` B's block stays a view (NOWAYS). The program
// computes what the reference does on the model.
// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule' -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --check | filecheck %s --check-prefix=MODEL
// RUN: sed 's/ cache ways 2 line 64/ cache/' %s | xdsl-opt -p 'isa-map-instructions,isa-schedule' | filecheck %s --check-prefix=NOWAYS

isa.hardware @tiny_cpu clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] {
  isa.memory @regs capacity 512 bandwidth 256 latency 1
  isa.memory @l1 capacity 4096 bandwidth 64 latency 4 cache ways 2 line 64
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 4
  isa.transfer @evict from @l1 to @dram bandwidth 8 latency 100 dims 4
  isa.transfer @load from @l1 to @regs bandwidth 64 latency 4 dims 2
  isa.transfer @store from @regs to @l1 bandwidth 32 latency 4 dims 2
  isa.unit @fma count 2
  isa.instruction @vfma8_bcast on @fma latency 4 interval 1 (%X : memref<1xf32> in @regs, %W : memref<8xf32> in @regs, %O : memref<8xf32> in @regs) {
    isa.compute %O[j] += %X[0] * %W[j] for j < 8
  }
}
isa.kernel @gemm(%A : memref<20x24xf32>, %B : memref<24x512xf32>, %C : memref<20x512xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 20, j < 512, k < 24
}

// CHECK:      %[[ACC:.*]] = accel.alloc @regs : memref<10x8xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @regs {slots = 2 : i64} : memref<2x10x1xf32>
// CHECK-NEXT: %[[BP:.*]] = accel.alloc @l1 : memref<6x32xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @regs {slots = 2 : i64} : memref<2x8xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.touch @fill %A[%{{.*}}] box [20:24, 6:1] limits [%{{.*}}, %{{.*}}] : memref<20x24xf32>
// CHECK:      accel.copy @fill %B[%{{.*}}] -> %[[BP]][%{{.*}}] box [6:512:32, 32:1:1] limits [%{{.*}}, %{{.*}}] : memref<24x512xf32> -> memref<6x32xf32>
// CHECK:      accel.copy @load %A[%{{.*}}] -> %[[X]][%{{.*}}] box [10:24:1] limits [%{{.*}}] : memref<20x24xf32> -> memref<2x10x1xf32>
// CHECK:      accel.copy @load %[[BP]][%{{.*}}] -> %[[W]][%{{.*}}] box [8:1:1] limits [%{{.*}}] : memref<6x32xf32> -> memref<2x8xf32>
// CHECK:      accel.copy @store %[[ACC]][%{{.*}}] -> %C[%{{.*}}] box [10:8:512, 8:1:1] limits [%{{.*}}, %{{.*}}] accumulate : memref<10x8xf32> -> memref<20x512xf32>

// MODEL:      cycles: 39190
// MODEL:      check against the reference kernel: passed

// NOWAYS-NOT:  accel.alloc @l1
// NOWAYS:      accel.touch @fill %B[%{{.*}}] box [24:512, 16:1]
// NOWAYS:      accel.copy @load %B[%{{.*}}] -> %{{.*}}[%{{.*}}] box [8:1:1]
