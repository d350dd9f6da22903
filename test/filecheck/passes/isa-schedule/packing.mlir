// Packing where a view cannot stay cached: on cpu_avx512, A's level-3 block
// (all 64 rows of a 16-step slice of the reduction, rows 2 KiB apart in the
// tensor) would crowd @l1d's sets past its 12 ways as a view, so it is packed
// into a buffer of its own in @l1d (by @l2_to_l1, from the tensor, once per
// slice: the loops over C's columns inside reuse it). Cache stations have one
// slot (a second would overlap nothing on a core), so the block is 4 KiB; the
// register stations keep two. B's blocks stay views of the tensor. The model
// runs the program (timing-only: the functional check of packed stations is
// tlb_packing.mlir's).
// RUN: isamapper-compile %s --hardware %project/hardware/cpu_avx512.mlir -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --timing-only | filecheck %s --check-prefix=MODEL

isa.kernel @gemm(%A : memref<64x512xf32>, %B : memref<512x512xf32>, %C : memref<64x512xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 512, k < 512
}

// CHECK:      %[[C:.*]] = accel.alloc @zmm : memref<4x32xf32>
// CHECK-NEXT: %[[AP:.*]] = accel.alloc @l1d : memref<64x16x1xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x4x1xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x32xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.touch @dram_to_l3 %A[%{{.*}}] box [64:512, 16:1]
// CHECK:      accel.touch @l3_to_l2 %A[%{{.*}}] box [64:512, 16:1]
// CHECK:      accel.copy @l2_to_l1 %A[%{{.*}}] -> %[[AP]][%{{.*}}] box [64:512:16, 16:1:1]
// CHECK:      accel.touch @l3_to_l2 %B[%{{.*}}] box [16:512, 512:1]
// CHECK:      accel.touch @l2_to_l1 %B[%{{.*}}] box [16:512, 128:1]
// CHECK:      accel.copy @vload %[[AP]][%{{.*}}] -> %[[X]][%{{.*}}] box [4:16:4, 4:1:1]
// CHECK:      accel.copy @vload %B[%{{.*}}] -> %[[W]][%{{.*}}] box [4:512:32, 32:1:1]
// CHECK:      accel.copy @vstore %[[C]][%{{.*}}] -> %C[%{{.*}}] box [4:32:512, 32:1:1] {{.*}}accumulate

// MODEL:      cycles: 1070870
// MODEL:      engine @l2_to_l1: 24576 busy cycles
