// A matrix-vector product on a CPU: with the lanes along `i`, every register
// tile of A would be a column (16 loads of one float), so isa-schedule also
// tries the kernel with its reduction split across the lanes (partial sums
// T[i, l] += A[i, 16*k' + l] * x[16*k' + l], then y[i] += T[i, l]) and keeps
// it, the cost model rating it cheaper. The partial sums live in %y_lanes; the
// lanes are summed by @vreduce16. The program computes what the reference does
// on the model. A square GEMM is not split: its schedule is close to its
// roofline bound, so the split is not tried.
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/cpu_avx512.mlir"},isa-schedule' -o %t.mlir 2> %t.err
// RUN: filecheck %s < %t.mlir
// RUN: filecheck %s --check-prefix=NOTE < %t.err
// RUN: isamapper-run %t.mlir --kernel gemv --check | filecheck %s --check-prefix=MODEL

isa.kernel @gemv(%A : memref<64x256xf32>, %x : memref<256xf32>, %y : memref<64xf32>) {
  isa.compute %y[i] += %A[i, k] * %x[k] for i < 64, k < 256
}

isa.kernel @gemm(%P : memref<64x64xf32>, %Q : memref<64x64xf32>, %R : memref<64x64xf32>) {
  isa.compute %R[i, j] += %P[i, k] * %Q[k, j] for i < 64, j < 64, k < 64
}

// CHECK:      accel.program @gemv on @cpu_avx512(%A: memref<64x256xf32>, %x: memref<256xf32>, %y: memref<64xf32>) attributes {reference = @gemv_reference} {
// CHECK-NEXT:   %y_lanes = accel.alloc @dram : memref<64x16xf32>
// CHECK:        accel.exec @vfmadd16(
// CHECK:        accel.exec @vreduce16(
// CHECK:      isa.kernel @gemv_reference(%A: memref<64x256xf32>, %x: memref<256xf32>, %y: memref<64xf32>) {
// CHECK-NEXT:   isa.compute %y[i] += %A[i, k] * %x[k] for i < 64, k < 256
// CHECK:      accel.program @gemm
// CHECK-NOT:    accel.alloc @dram
// CHECK-NOT:    @vreduce16(
// CHECK:      isa.kernel @gemm_reference

// NOTE: isa-schedule: @gemv: reductions split across vector lanes (partial sums, then their sum): {{.*}} estimated cycles against {{.*}}
// NOTE-NOT: @gemm: reductions split

// MODEL: accel.program @gemv
// MODEL: check against the reference kernel: passed
