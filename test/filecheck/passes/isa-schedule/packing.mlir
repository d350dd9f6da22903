// Packing is chosen by cost: on cpu_avx512 the register loads of B's rows (2 KiB
// apart in the tensor) would each be a demand miss (@vload's prefetch reach is
// 2 KiB), so the schedule packs B's level-1 block into a buffer of its own in
// @l3, whose rows the loads below read 128 bytes apart; A's rows, 256 bytes
// apart, stay a view. The program computes what the reference does on the model.
// RUN: isamapper-compile %s --hardware %project/hardware/cpu_avx512.mlir -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --check | filecheck %s --check-prefix=MODEL

isa.kernel @gemm(%A : memref<16x64xf32>, %B : memref<64x512xf32>, %C : memref<16x512xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 16, j < 512, k < 64
}

// CHECK:      %[[C:.*]] = accel.alloc @zmm : memref<16x16xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x16x4x1xf32>
// CHECK-NEXT: %[[BP:.*]] = accel.alloc @l3 {slots = 2 : i64} : memref<2x64x32xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x16xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.touch @l2_to_l1 %A[%{{.*}}] box [16:64, 64:1]
// CHECK:      accel.copy @dram_to_l3 %B[%{{.*}}] -> %[[BP]][%{{.*}}] box [64:512:32, 32:1:1]
// CHECK:      accel.touch @l2_to_l1 %[[BP]][%{{.*}}] box [64:32, 32:1]
// CHECK:      accel.copy @vload %A[%{{.*}}] -> %[[X]][%{{.*}}] box [16:64:4, 4:1:1]
// CHECK:      accel.copy @vload %[[BP]][%{{.*}}] -> %[[W]][%{{.*}}] box [4:32:16, 16:1:1]
// CHECK:      accel.copy @vstore %[[C]][%{{.*}}] -> %C[%{{.*}}] box [16:16:512, 16:1:1] {{.*}}accumulate

// MODEL:      check against the reference kernel: passed
