// A view the cache's TLB cannot cover is packed: with a TLB of 2 pages of
// 256 bytes for @l1, A's level-1 block (20 rows of 24 floats, contiguous: 8
// pages) and B's (24 rows of 8 floats, 144 bytes apart: 14 pages) each get a
// buffer in @l1 (one slot, as every station in a cache), filled by @fill from
// the tensor and read by the register loads. The program computes what the
// reference does on the model, where @fill moves the packed blocks.
// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule' -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --check | filecheck %s --check-prefix=MODEL

isa.hardware @tiny_cpu clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] {
  isa.memory @regs capacity 512 bandwidth 256 latency 1
  isa.memory @l1 capacity 4096 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.tlb @dtlb for @l1 entries 2 page 256
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 4
  isa.transfer @evict from @l1 to @dram bandwidth 8 latency 100 dims 4
  isa.transfer @load from @l1 to @regs bandwidth 64 latency 4 dims 2
  isa.transfer @store from @regs to @l1 bandwidth 32 latency 4 dims 2
  isa.unit @fma count 2
  isa.instruction @vfma8_bcast on @fma latency 4 interval 1 (%X : memref<1xf32> in @regs, %W : memref<8xf32> in @regs, %O : memref<8xf32> in @regs) {
    isa.compute %O[j] += %X[0] * %W[j] for j < 8
  }
}
isa.kernel @gemm(%A : memref<20x24xf32>, %B : memref<24x36xf32>, %C : memref<20x36xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 20, j < 36, k < 24
}

// CHECK:      %[[ACC:.*]] = accel.alloc @regs {slots = 2 : i64} : memref<2x5x8xf32>
// CHECK-NEXT: %[[AP:.*]] = accel.alloc @l1 : memref<20x24x1xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @regs {slots = 2 : i64} : memref<2x5x1xf32>
// CHECK-NEXT: %[[BP:.*]] = accel.alloc @l1 : memref<24x8xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @regs {slots = 2 : i64} : memref<2x8xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.copy @fill %A[%{{.*}}] -> %[[AP]][%{{.*}}] box [20:24:24, 24:1:1] limits [%{{.*}}, %{{.*}}] : memref<20x24xf32> -> memref<20x24x1xf32>
// CHECK:      accel.copy @fill %B[%{{.*}}] -> %[[BP]][%{{.*}}] box [24:36:8, 8:1:1] limits [%{{.*}}, %{{.*}}] : memref<24x36xf32> -> memref<24x8xf32>
// CHECK:      accel.copy @load %[[AP]][%{{.*}}] -> %[[X]][%{{.*}}] box [5:24:1] limits [%{{.*}}] : memref<20x24x1xf32> -> memref<2x5x1xf32>
// CHECK:      accel.copy @load %[[BP]][%{{.*}}] -> %[[W]][%{{.*}}] box [8:1:1] limits [%{{.*}}] : memref<24x8xf32> -> memref<2x8xf32>
// CHECK:      accel.exec @vfma8_bcast
// CHECK:      accel.copy @store %[[ACC]][%{{.*}}] -> %C[%{{.*}}] box [5:8:36, 8:1:1] limits [%{{.*}}, %{{.*}}] accumulate : memref<2x5x8xf32> -> memref<20x36xf32>
// CHECK:      accel.touch @evict %C[%{{.*}}] box [20:36, 8:1] limits [%{{.*}}, %{{.*}}] : memref<20x36xf32>

// C's level-1 block (20 rows of 8 floats, 144 bytes apart: 11 pages) would
// not fit the TLB either, but the rule packs inputs only (an output block is
// added back every time it leaves): it stays a view, timed by @evict's touch.

// MODEL:      engine @evict: 360 busy cycles
// MODEL-NEXT: engine @fill: 672 busy cycles
// MODEL:      check against the reference kernel: passed
