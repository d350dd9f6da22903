// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s

// An intermediate kept on chip is allocated just before its first user and
// freed after its last, which is the room the scheduler counted for it: %T1
// and %T2 never share the SRAM. An unused buffer gains nothing on chip and
// stays in the HBM for the whole program. The arguments only read are copied
// on chip in whole, each just before its first user (%Y, read by two
// statements, stays until its last), and executions read them in place.
isa.kernel @lifetimes(%X : memref<64x32xf32>, %Y : memref<64x32xf32>, %Z : memref<64x32xf32>, %A : memref<64x32xf32>, %B : memref<64x32xf32>) {
  %T1 = isa.buffer : memref<64x32xf32>
  %T2 = isa.buffer : memref<64x32xf32>
  %unused = isa.buffer : memref<64x32xf32>
  isa.compute %T1[i, j] = relu(%X[i, j]) for i < 64, j < 32
  isa.compute %A[i, j] = %T1[i, j] + %Y[i, j] for i < 64, j < 32
  isa.compute %T2[i, j] = relu(%Z[i, j]) for i < 64, j < 32
  isa.compute %B[i, j] = %T2[i, j] + %Y[i, j] for i < 64, j < 32
}

// CHECK-LABEL: accel.program @lifetimes on @nnp(
// CHECK-NEXT:    %unused = accel.alloc @hbm : memref<64x32xf32>
// CHECK-NEXT:    %T1 = accel.alloc @sram : memref<64x32xf32>
// CHECK-NEXT:    %X_sram = accel.alloc @sram : memref<64x32xf32>
// CHECK:         accel.copy @hbm_to_sram %X[%{{.*}}] -> %X_sram[%{{.*}}] box [2048:1:1]
// CHECK:         accel.exec @vrelu32(%X_sram[%{{.*}}], %T1[
// CHECK:         accel.free %X_sram : memref<64x32xf32>
// CHECK-NEXT:    %Y_sram = accel.alloc @sram : memref<64x32xf32>
// CHECK:         accel.copy @hbm_to_sram %Y[%{{.*}}] -> %Y_sram[%{{.*}}] box [2048:1:1]
// CHECK:         accel.exec @vadd32(%T1[%{{.*}}], %Y_sram[
// CHECK:         accel.free %T1 : memref<64x32xf32>
// CHECK-NEXT:    %T2 = accel.alloc @sram : memref<64x32xf32>
// CHECK-NEXT:    %Z_sram = accel.alloc @sram : memref<64x32xf32>
// CHECK:         accel.exec @vrelu32(%Z_sram[%{{.*}}], %T2[
// CHECK:         accel.exec @vadd32(%T2[%{{.*}}], %Y_sram[
// CHECK:         accel.free %T2 : memref<64x32xf32>
// CHECK-NEXT:    accel.free %Y_sram : memref<64x32xf32>
// CHECK-NEXT:    accel.free %unused : memref<64x32xf32>
// CHECK-NEXT:  }
