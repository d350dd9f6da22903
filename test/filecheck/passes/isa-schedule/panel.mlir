// A panel on a core (strategies._grow_and_refine): on cpu_avx512 greedy grows
// the L1 block along the reduction first, in half of @l1d (plan_growth.
// panel_room), then the outer levels along C's axes. B's 128 x 32 panel (16
// KiB, rows 2800 B apart in the tensor) is packed into @l1d once per L2 block
// and serves the 64 blocks of 8 rows of A inside it; A's 8 x 128 block is a
// view; the 4 x 2-vector register block of C adds into C once per 128 steps
// of k. Measured natively (docs/bench.md): 1024x700x512 0.71x -> 0.85x
// OpenBLAS against the plan greedy chose before panels.
// RUN: isamapper-compile %s --hardware %project/hardware/cpu_avx512.mlir -o %t.mlir
// RUN: filecheck %s < %t.mlir
// RUN: isamapper-run %t.mlir --timing-only | filecheck %s --check-prefix=MODEL

isa.kernel @gemm(%A : memref<1024x512xf32>, %B : memref<512x700xf32>, %C : memref<1024x700xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 1024, j < 700, k < 512
}

// CHECK:      %[[C:.*]] = accel.alloc @zmm : memref<4x32xf32>
// CHECK-NEXT: %[[X:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x4x1xf32>
// CHECK-NEXT: %[[P:.*]] = accel.alloc @l1d : memref<128x32xf32>
// CHECK-NEXT: %[[W:.*]] = accel.alloc @zmm {slots = 2 : i64} : memref<2x4x32xf32>
// CHECK-NOT:  accel.alloc
// CHECK:      accel.touch @l3_to_l2 %A[%{{.*}}] box [512:512, 128:1]
// CHECK:      accel.touch @l3_to_l2 %B[%{{.*}}] box [128:700, 32:1]
// CHECK:      accel.copy @l2_to_l1 %B[%{{.*}}] -> %[[P]][%{{.*}}] box [128:700:32, 32:1:1]
// CHECK:      scf.for
// CHECK:      accel.touch @l2_to_l1 %A[%{{.*}}] box [8:512, 128:1]
// CHECK:      accel.copy @vload %A[%{{.*}}] -> %[[X]][%{{.*}}] box [4:512:4, 4:1:1]
// CHECK:      accel.copy @vload %[[P]][%{{.*}}] -> %[[W]][%{{.*}}] box [4:32:32, 32:1:1]
// CHECK:      accel.exec @vfmadd16_bcast(%[[X]][%{{.*}}], %[[W]][%{{.*}}], %[[C]][%{{.*}}])
// CHECK:      accel.copy @vstore %[[C]][%{{.*}}] -> %C[%{{.*}}] box [4:32:700, 32:1:1] {{.*}}accumulate

// MODEL:      cycles: 19810632
// MODEL:      roofline bound: 11468800
