// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s

// linalg.conv_2d_nhwc_hwcf: loops (n, h, w, f, r, s, c), strides and dilations in
// the input access. Output rows: (17 - 1 - 2*(3 - 1)) / 2 + 1 = 7.
func.func @conv_stride2_dilation2(%I: memref<1x17x17x8xf32>, %F: memref<3x3x8x16xf32>, %O: memref<1x7x7x16xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%I, %F : memref<1x17x17x8xf32>, memref<3x3x8x16xf32>) outs(%O : memref<1x7x7x16xf32>)
  return
}
// CHECK:       isa.kernel @conv_stride2_dilation2(%[[I:[^:]+]]: memref<1x17x17x8xf32>, %[[F:[^:]+]]: memref<3x3x8x16xf32>, %[[O:[^:]+]]: memref<1x7x7x16xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, 2*d1 + 2*d4, 2*d2 + 2*d5, d6] * %[[F]][d4, d5, d6, d3] for d0 < 1, d1 < 7, d2 < 7, d3 < 16, d4 < 3, d5 < 3, d6 < 8
// CHECK-NEXT:  }

// Different strides and dilations per dimension; batch 2.
func.func @conv_mixed(%I: memref<2x12x10x4xf32>, %F: memref<3x2x4x8xf32>, %O: memref<2x4x8x8xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[3, 1]> : tensor<2xi64>} ins(%I, %F : memref<2x12x10x4xf32>, memref<3x2x4x8xf32>) outs(%O : memref<2x4x8x8xf32>)
  return
}
// CHECK:       isa.kernel @conv_mixed(%[[I:[^:]+]]: memref<2x12x10x4xf32>, %[[F:[^:]+]]: memref<3x2x4x8xf32>, %[[O:[^:]+]]: memref<2x4x8x8xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, 3*d1 + d4, d2 + 2*d5, d6] * %[[F]][d4, d5, d6, d3] for d0 < 2, d1 < 4, d2 < 8, d3 < 8, d4 < 3, d5 < 2, d6 < 4
// CHECK-NEXT:  }

// Without strides and dilations (upstream's default, 1).
func.func @conv_default(%I: memref<1x9x9x8xf32>, %F: memref<3x3x8x16xf32>, %O: memref<1x7x7x16xf32>) {
  linalg.conv_2d_nhwc_hwcf ins(%I, %F : memref<1x9x9x8xf32>, memref<3x3x8x16xf32>) outs(%O : memref<1x7x7x16xf32>)
  return
}
// CHECK:       isa.kernel @conv_default(%[[I:[^:]+]]: memref<1x9x9x8xf32>, %[[F:[^:]+]]: memref<3x3x8x16xf32>, %[[O:[^:]+]]: memref<1x7x7x16xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, d1 + d4, d2 + d5, d6] * %[[F]][d4, d5, d6, d3] for d0 < 1, d1 < 7, d2 < 7, d3 < 16, d4 < 3, d5 < 3, d6 < 8
// CHECK-NEXT:  }
