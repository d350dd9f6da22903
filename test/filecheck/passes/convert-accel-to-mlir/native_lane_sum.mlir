// The native export of a matrix-vector product split across the lanes
// (isa-schedule): the partial sums are `vector.fma`s of rows of A and x, and
// @vsum8's statement (`O[0] += X[i]`, a sum of a contiguous run into one
// element) becomes one `vector.reduction <add>` seeded with the element and
// free to reassociate (so LLVM adds the halves pairwise), which the upstream
// lowering turns into LLVM's vector reduction.
// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule,convert-accel-to-mlir{native=true}' -o %t.mlir 2> /dev/null
// RUN: filecheck %s < %t.mlir
// RUN: %if mlir-tools %{ %mlir-opt %t.mlir %lower-native | filecheck %s --check-prefix=LLVM %}

isa.hardware @tiny_cpu clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] {
  isa.memory @regs capacity 512 bandwidth 256 latency 1
  isa.memory @l1 capacity 4096 bandwidth 64 latency 4 cache
  isa.memory @dram capacity 1048576 bandwidth 8 latency 100
  isa.transfer @fill from @dram to @l1 bandwidth 8 latency 100 dims 4
  isa.transfer @evict from @l1 to @dram bandwidth 8 latency 100 dims 4
  isa.transfer @load from @l1 to @regs bandwidth 64 latency 4 dims 2 granule 32
  isa.transfer @store from @regs to @l1 bandwidth 32 latency 4 dims 2 granule 32
  isa.unit @fma count 2
  isa.instruction @vfma8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @regs, %W : memref<8xf32> in @regs, %O : memref<8xf32> in @regs) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 8
  }
  isa.instruction @vsum8 on @fma latency 20 interval 2 (%X : memref<8xf32> in @regs, %O : memref<1xf32> in @regs) {
    isa.compute %O[0] += %X[i] for i < 8
  }
}
isa.kernel @gemv(%A : memref<64x128xf32>, %x : memref<128xf32>, %y : memref<64xf32>) {
  isa.compute %y[i] += %A[i, k] * %x[k] for i < 64, k < 128
}

// CHECK:      func.func @gemv(%A: memref<64x128xf32> {llvm.noalias}, %x: memref<128xf32> {llvm.noalias}, %y: memref<64xf32> {llvm.noalias}) {
// CHECK:      vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK:      %[[NOW:.*]] = memref.load %[[OUT:.*]][%[[AT:.*]]] : memref<8xf32>
// CHECK-NEXT: %[[SUM:.*]] = vector.reduction <add>, %{{.*}}, %[[NOW]] fastmath<reassoc> : vector<8xf32> into f32
// CHECK-NEXT: memref.store %[[SUM]], %[[OUT]][%[[AT]]] : memref<8xf32>
// CHECK-NOT:  accel.
// CHECK-NOT:  isa.

// LLVM: llvm.intr.vector.reduce.fadd{{.*}}reassoc
