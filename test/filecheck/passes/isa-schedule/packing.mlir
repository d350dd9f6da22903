// Packing is chosen by cost: on cpu_avx512, A's level-3 blocks (32 rows of 16
// floats, 2 KiB apart in the tensor) would crowd two of @l1d's sets past its
// 12 ways, so as views they could not stay cached and each would be packed
// into @l1d, 256 times, every row a demand miss. The schedule packs A's 64x64
// level-2 block into a buffer of its own in @l2 instead, 8 times (by
// @l3_to_l2, from the view of the tensor in @l3), and the level-3 blocks are
// views of that buffer, whose rows are 256 bytes apart; B's blocks stay views
// of the tensor. The model runs the program (timing-only: the functional
// check of packed stations is tlb_packing.mlir's).
// RUN: isamapper-compile %s --hardware %project/hardware/cpu_avx512.mlir -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --timing-only | filecheck %s --check-prefix=MODEL

isa.kernel @gemm(%A : memref<64x512xf32>, %B : memref<512x512xf32>, %C : memref<64x512xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 512, k < 512
}

// CHECK:      %[[C:.*]] = accel.alloc @zmm : memref<4x32xf32>
// CHECK-NEXT: %[[AP:.*]] = accel.alloc @l2 {slots = 2 : i64} : memref<2x64x64x1xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x4x1xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x32xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.touch @dram_to_l3 %A[%{{.*}}] box [64:512, 64:1]
// CHECK:      accel.copy @l3_to_l2 %A[%{{.*}}] -> %[[AP]][%{{.*}}] box [64:512:64, 64:1:1]
// CHECK:      accel.touch @l3_to_l2 %B[%{{.*}}] box [64:512, 512:1]
// CHECK:      accel.touch @l2_to_l1 %[[AP]][%{{.*}}] box [32:64, 16:1]
// CHECK:      accel.touch @l2_to_l1 %B[%{{.*}}] box [16:512, 128:1]
// CHECK:      accel.copy @vload %[[AP]][%{{.*}}] -> %[[X]][%{{.*}}] box [4:64:4, 4:1:1]
// CHECK:      accel.copy @vload %B[%{{.*}}] -> %[[W]][%{{.*}}] box [4:512:32, 32:1:1]
// CHECK:      accel.copy @vstore %[[C]][%{{.*}}] -> %C[%{{.*}}] box [4:32:512, 32:1:1] {{.*}}accumulate

// MODEL:      cycles: 1028678
// MODEL:      engine @l3_to_l2: 107241 busy cycles
