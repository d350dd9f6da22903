// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{strategy=library fuse=false keep-reference=false}' | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{keep-reference=false}' | filecheck %s --check-prefix=GREEDY

// The bench's library-style baseline (docs/baseline.md): textbook mappings
// (each instruction index along one kernel index), one of a few fixed tilings,
// no fusion. The 128x64 GEMM fits one block of the "large" tiling; the
// depthwise convolution runs on the vector unit along the channels and its
// result goes through the main memory before the ReLU reads it back.
isa.kernel @gemm(%A : memref<128x96xf32>, %B : memref<96x64xf32>, %C : memref<128x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 128, j < 64, k < 96
}
isa.kernel @dw(%I : memref<1x10x10x64xf32>, %F : memref<3x3x64xf32>, %O : memref<1x8x8x64xf32>) {
  %T = isa.buffer : memref<1x8x8x64xf32>
  isa.compute %T[n, h, w, c] += %I[n, h + r, w + s, c] * %F[r, s, c] for n < 1, h < 8, w < 8, c < 64, r < 3, s < 3
  isa.compute %O[n, h, w, c] = relu(%T[n, h, w, c]) for n < 1, h < 8, w < 8, c < 64
}

// CHECK-LABEL: accel.program @gemm on @nnp
// CHECK-NEXT:    %0 = accel.alloc @sram : memref<128x64xf32>
// CHECK-NEXT:    %1 = accel.alloc @acc : memref<128x64xf32>
// CHECK-NEXT:    %2 = accel.alloc @sram : memref<128x96xf32>
// CHECK-NEXT:    %3 = accel.alloc @sram : memref<96x64xf32>
// CHECK:         accel.exec @mm32(%2[%{{.*}}], %3[%{{.*}}], %1[%{{.*}}]) strides {{\[}}[96, 1], [64, 1], [64, 1]]

// CHECK-LABEL: accel.program @dw on @nnp
// CHECK-NEXT:    %T = accel.alloc @hbm : memref<1x8x8x64xf32>
// CHECK:         accel.exec @vfma32({{.*}}) strides {{\[}}[1], [1], [1]] : memref<8x8x3x3x64xf32>, memref<3x3x64xf32>, memref<8x8x64xf32>
// CHECK:         accel.exec @vrelu32({{.*}}) strides {{\[}}[1], [1]] : memref<8x8x64xf32>, memref<8x8x64xf32>
// CHECK:         accel.free %T

// GREEDY-LABEL: accel.program @dw on @nnp
// GREEDY-NEXT:    %T = accel.alloc @sram : memref<1x8x8x64xf32>
// GREEDY:         accel.exec @vrelu32(%T[%{{.*}}], %{{.*}}) strides {{\[}}[64], [1]]
