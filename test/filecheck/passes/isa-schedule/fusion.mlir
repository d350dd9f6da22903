// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{fuse=false}' | filecheck %s --check-prefix=UNFUSED

// Cross-statement fusion on the NNP-like target: the depthwise convolution's
// output %T stays in the SRAM, where the vector FMA (an SRAM instruction)
// accumulates into it in place and the ReLU reads it in place; %T never goes
// to the HBM. Neither does %U, the ReLU's output: it stays in the SRAM too,
// allocated with padded rows (32 for 28, see scheduling/padding.py), so the
// matrix unit reads its 28-row tiles in place, the 4 extra lanes on padding.
// Each lives from its first user to its last.
isa.kernel @dwsep(%I : memref<1x30x30x32xf32>, %Fd : memref<3x3x32xf32>, %Wp : memref<32x64xf32>, %O : memref<1x28x28x64xf32>) {
  %T = isa.buffer : memref<1x28x28x32xf32>
  %U = isa.buffer : memref<1x28x28x32xf32>
  isa.compute %T[n, h, w, c] += %I[n, h + r, w + s, c] * %Fd[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3
  isa.compute %U[n, h, w, c] = relu(%T[n, h, w, c]) for n < 1, h < 28, w < 28, c < 32
  isa.compute %O[n, h, w, k] += %U[n, h, w, c] * %Wp[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32
}

// CHECK-LABEL: accel.program @dwsep on @nnp(
// CHECK-NEXT:    %T = accel.alloc @sram : memref<1x28x28x32xf32>
// CHECK-NOT:     accel.copy {{.*}} %T[
// CHECK:         accel.exec @vfma32(%{{.*}}, %{{.*}}, %T[%{{.*}}]) strides {{\[}}[1], [1], [1]]
// CHECK-NOT:     accel.copy {{.*}} %T[
// CHECK:         %U = accel.alloc @sram : memref<1x32x32x32xf32>
// CHECK:         accel.exec @vrelu32(%T[%{{.*}}], %U[%{{.*}}]) strides {{\[}}[1], [1]]
// CHECK:         accel.free %T : memref<1x28x28x32xf32>
// CHECK-NOT:     accel.copy {{.*}} %U[
// CHECK:         accel.exec @mm32(%U[%{{.*}}], %{{.*}}, %{{.*}}) strides {{\[}}[1024, 1], [32, 1], [32, 1]]
// CHECK:         accel.copy @sram_to_hbm %{{.*}} -> %O[
// CHECK-NOT:     @hbm
// CHECK:         accel.free %U : memref<1x32x32x32xf32>
// CHECK-NEXT:  }

// With fuse=false both intermediates live in the HBM and every statement goes
// through it.
// UNFUSED-LABEL: accel.program @dwsep on @nnp(
// UNFUSED-NEXT:    %T = accel.alloc @hbm : memref<1x28x28x32xf32>
// UNFUSED-NEXT:    %U = accel.alloc @hbm : memref<1x28x28x32xf32>
// UNFUSED:         accel.copy @sram_to_hbm %{{.*}} -> %T[
// UNFUSED:         accel.copy @hbm_to_sram %T[
// UNFUSED:         accel.copy @sram_to_hbm %{{.*}} -> %U[
// UNFUSED:         accel.copy @hbm_to_sram %U[
