// How the native export moves register stations, on a hand-written program
// (C += A B for a 2x20 C, in two 16-column blocks, the second clipped at
// column 20): copies into a register buffer move vectors as wide as the
// executions read (8 lanes here, not one 16-element row), so LLVM keeps each
// in a register of that shape; a buffer read only as broadcasts (A's X[0]) is
// copied element by element, so each broadcast is one load, not a shuffle of
// a vector loaded whole; a row of a register buffer the tensor's edge may
// clip is a masked load stored whole, without a branch (one would split the
// block, and the broadcasts' loads before it would not fold into the FMAs
// after it); and a row of another buffer moves unmasked unless it is clipped
// (scf.if), so the next load of a row just stored is forwarded from its
// store. test_native.py runs the program natively.
// RUN: isamapper-opt %s -p 'convert-accel-to-mlir{native=true}' | filecheck %s
// RUN: isamapper-opt %s -p 'convert-accel-to-mlir{native=true}' | filecheck %s --check-prefix=WIDTH

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
isa.kernel @gemm_reference(%A : memref<2x4xf32>, %B : memref<4x20xf32>, %C : memref<2x20xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 2, j < 20, k < 4
}
accel.program @gemm on @tiny_cpu(%A : memref<2x4xf32>, %B : memref<4x20xf32>, %C : memref<2x20xf32>) attributes {reference = @gemm_reference} {
  %acc = accel.alloc @regs : memref<2x16xf32>
  %x = accel.alloc @regs : memref<2x4xf32>
  %w = accel.alloc @regs : memref<4x16xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c20 = arith.constant 20 : index
  scf.for %jb = %c0 to %c2 step %c1 {
    %j0 = arith.muli %jb, %c16 : index
    %left = arith.subi %c20, %j0 : index
    accel.fill %acc[%c0] size 32 : i64 : memref<2x16xf32>
    %ta = accel.copy @load %A[%c0] -> %x[%c0] box [2:4:4, 4:1:1] limits [%c2, %c4] : memref<2x4xf32> -> memref<2x4xf32>
    %tb = accel.copy @load %B[%j0] -> %w[%c0] box [4:20:16, 16:1:1] limits [%c4, %left] : memref<4x20xf32> -> memref<4x16xf32>
    accel.wait %ta, %tb
    scf.for %i = %c0 to %c2 step %c1 {
      scf.for %k = %c0 to %c4 step %c1 {
        scf.for %jt = %c0 to %c2 step %c1 {
          %xi = arith.muli %i, %c4 : index
          %xo = arith.addi %xi, %k : index
          %wk = arith.muli %k, %c16 : index
          %wj = arith.muli %jt, %c8 : index
          %wo = arith.addi %wk, %wj : index
          %oi = arith.muli %i, %c16 : index
          %oo = arith.addi %oi, %wj : index
          accel.exec @vfma8_bcast(%x[%xo], %w[%wo], %acc[%oo]) strides [[1], [1], [1]] : memref<2x4xf32>, memref<4x16xf32>, memref<2x16xf32>
        }
      }
    }
    %tc = accel.copy @store %acc[%c0] -> %C[%j0] box [2:16:20, 16:1:1] limits [%c2, %left] accumulate : memref<2x16xf32> -> memref<2x20xf32>
    accel.wait %tc
  }
  accel.free %acc : memref<2x16xf32>
  accel.free %x : memref<2x4xf32>
  accel.free %w : memref<4x16xf32>
}

// CHECK:      func.func @gemm(
// CHECK:      %[[C:.*]] = memref.reinterpret_cast %C to {{.*}} to memref<40xf32>
// CHECK-NEXT: %[[B:.*]] = memref.reinterpret_cast %B to {{.*}} to memref<80xf32>
// CHECK-NEXT: %[[A:.*]] = memref.reinterpret_cast %A to {{.*}} to memref<8xf32>
// CHECK:      %[[ACC:.*]] = memref.reinterpret_cast %acc to {{.*}} to memref<32xf32>
// CHECK:      %[[X:.*]] = memref.reinterpret_cast %x to {{.*}} to memref<8xf32>
// CHECK:      %[[W:.*]] = memref.reinterpret_cast %w to {{.*}} to memref<64xf32>
// The accumulators are zeroed 8 lanes at a time:
// CHECK:      scf.for %jb =
// CHECK:      vector.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<32xf32>, vector<8xf32>
// A's block, read as broadcasts, is copied element by element:
// CHECK:      %[[E:.*]] = memref.load %[[A]][%{{.*}}] : memref<8xf32>
// CHECK-NEXT: memref.store %[[E]], %[[X]][%{{.*}}] : memref<8xf32>
// B's rows in 8-lane pieces, each a masked load (the edge at column 20 may
// clip it) stored whole, with no branch before the executions:
// CHECK:      %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK-NEXT: %[[PART:.*]] = vector.maskedload %[[B]][%{{.*}}], %[[MASK]], %{{.*}} : memref<80xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK-NEXT: vector.store %[[PART]], %[[W]][%{{.*}}] : memref<64xf32>, vector<8xf32>
// CHECK-NOT:  scf.if
// One execution: a broadcast of one loaded element.
// CHECK:      %[[XE:.*]] = memref.load %[[X]][%xo] : memref<8xf32>
// CHECK-NEXT: vector.broadcast %[[XE]] : f32 to vector<8xf32>
// The accumulators added into C the same way:
// CHECK:      scf.if %{{.*}} {
// CHECK-NEXT:   %[[SUM:.*]] = vector.load %[[ACC]][%{{.*}}] : memref<32xf32>, vector<8xf32>
// CHECK-NEXT:   %[[OLD:.*]] = vector.load %[[C]][%[[AT:.*]]] : memref<40xf32>, vector<8xf32>
// CHECK-NEXT:   %[[NEW:.*]] = arith.addf %[[OLD]], %[[SUM]] : vector<8xf32>
// CHECK-NEXT:   vector.store %[[NEW]], %[[C]][%[[AT]]] : memref<40xf32>, vector<8xf32>
// CHECK-NEXT: } else {
// CHECK:        vector.maskedstore %[[C]][%{{.*}}], %{{.*}}, %{{.*}} : memref<40xf32>, vector<8xi1>, vector<8xf32>
// CHECK-NEXT: }
// No vector is wider than the executions' 8 lanes:
// WIDTH-NOT: vector<{{16|32|64}}xf32>
