// Packing is chosen by cost: on cpu_avx512 the register loads of B's rows (2 KiB
// apart in the tensor) would each be a demand miss (@vload's prefetch reach is
// 2 KiB), so the schedule packs B's 32x64 level-3 blocks into a buffer of their
// own in @l1d, filled by @l2_to_l1, whose rows the loads below read 256 bytes
// apart; A's rows, 256 bytes apart in the tensor, stay a view. The model runs
// the program (timing-only: the functional check of packed stations is
// tlb_packing.mlir's).
// RUN: isamapper-compile %s --hardware %project/hardware/cpu_avx512.mlir -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --timing-only | filecheck %s --check-prefix=MODEL

isa.kernel @gemm(%A : memref<128x64xf32>, %B : memref<64x512xf32>, %C : memref<128x512xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 128, j < 512, k < 64
}

// CHECK:      %[[C:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x16xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x8x1xf32>
// CHECK-NEXT: %[[BP:.*]] = accel.alloc @l1d {slots = 2 : i64} : memref<2x32x64xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x8x16xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.copy @l2_to_l1 %B[%{{.*}}] -> %[[BP]][%{{.*}}] box [32:512:64, 64:1:1]
// CHECK:      accel.touch @l2_to_l1 %A[%{{.*}}] box [8:64, 32:1]
// CHECK:      accel.copy @vload %A[%{{.*}}] -> %[[X]][%{{.*}}] box [4:64:8, 8:1:1]
// CHECK:      accel.copy @vload %[[BP]][%{{.*}}] -> %[[W]][%{{.*}}] box [8:64:16, 16:1:1]
// CHECK:      accel.copy @vstore %[[C]][%{{.*}}] -> %C[%{{.*}}] box [4:16:512, 16:1:1] {{.*}}accumulate

// MODEL:      cycles: 262998
// MODEL:      engine @l2_to_l1:
