// The native export of a program on a CPU-like target whose @l1 is a cache:
// the program takes non-aliasing arguments, register stations are stack
// allocations, the instruction's statement becomes vector ops (a broadcast of
// X[0], a load of W, vector.fma into O), contiguous rows move as (masked)
// vector loads and stores, every slot of a double-buffered register station
// is addressed as its first (test_export_slots.py), and nothing is
// left of the cache's touches. The
// upstream lowering for native builds accepts it.
// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule,convert-accel-to-mlir{native=true}' -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: %if mlir-tools %{ %mlir-opt %t.mlir %lower-native | filecheck %s --check-prefix=LLVM %}

isa.hardware @tiny_cpu clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] {
  isa.memory @regs capacity 512 bandwidth 256 latency 1
  isa.memory @l1 capacity 4096 bandwidth 64 latency 4 cache
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
isa.kernel @gemm(%A : memref<20x24xf32>, %B : memref<24x36xf32>, %C : memref<20x36xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 20, j < 36, k < 24
}

// CHECK:      func.func @gemm(%A: memref<20x24xf32> {llvm.noalias}, %B: memref<24x36xf32> {llvm.noalias}, %C: memref<20x36xf32> {llvm.noalias}) {
// CHECK-NOT:  memref.alloc()
// CHECK:      memref.alloca() : memref<10x8xf32>
// CHECK:      memref.alloca() : memref<2x10x1xf32>
// CHECK:      memref.alloca() : memref<2x8xf32>
// CHECK-NOT:  memref.alloc()
// The B tile's row, clipped at column 36, stored whole into its padded slot:
// CHECK:      %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK-NEXT: %[[ROW:.*]] = vector.maskedload %{{.*}}[%{{.*}}], %[[MASK]], %{{.*}} : memref<864xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK-NEXT: vector.store %[[ROW]], %{{.*}}[%{{.*}}] : memref<16xf32>, vector<8xf32>
// One execution of @vfma8_bcast:
// CHECK:      %[[X:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<20xf32>
// CHECK-NEXT: %[[XS:.*]] = vector.broadcast %[[X]] : f32 to vector<8xf32>
// CHECK-NEXT: %[[W:.*]] = vector.load %{{.*}}[%{{.*}}] : memref<16xf32>, vector<8xf32>
// CHECK-NEXT: %[[O:.*]] = vector.load %[[ACC:.*]][%[[AT:.*]]] : memref<80xf32>, vector<8xf32>
// CHECK-NEXT: %[[SUM:.*]] = vector.fma %[[XS]], %[[W]], %[[O]] : vector<8xf32>
// CHECK-NEXT: vector.store %[[SUM]], %[[ACC]][%[[AT]]] : memref<80xf32>, vector<8xf32>
// The accumulators added into C, row by row, clipped at column 36:
// CHECK:      vector.maskedload %{{.*}} : memref<80xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK-NEXT: vector.maskedload %{{.*}} : memref<720xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-NEXT: vector.maskedstore %{{.*}} : memref<720xf32>, vector<8xi1>, vector<8xf32>
// CHECK-NOT:  accel.
// CHECK-NOT:  isa.

// LLVM: llvm.func @gemm(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias})
// LLVM: llvm.intr.fmuladd
