// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s

// linalg.depthwise_conv_2d_nhwc_hwc (isamapper-opt reads its pretty form; stock
// xdsl-opt only its generic form as an unregistered op, see generic_form.mlir):
// loops (n, h, w, c, r, s), one 3x3 filter per channel.
func.func @depthwise(%I: memref<1x10x10x8xf32>, %F: memref<3x3x8xf32>, %O: memref<1x8x8x8xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
  return
}
// CHECK:       isa.kernel @depthwise(%[[I:[^:]+]]: memref<1x10x10x8xf32>, %[[F:[^:]+]]: memref<3x3x8xf32>, %[[O:[^:]+]]: memref<1x8x8x8xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, d1 + d4, d2 + d5, d3] * %[[F]][d4, d5, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 8, d4 < 3, d5 < 3
// CHECK-NEXT:  }

// Stride 2 (as MobileNet's downsampling blocks): (17 - 3) / 2 + 1 = 8 rows.
func.func @depthwise_stride2(%I: memref<1x17x17x8xf32>, %F: memref<3x3x8xf32>, %O: memref<1x8x8x8xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%I, %F : memref<1x17x17x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
  return
}
// CHECK:       isa.kernel @depthwise_stride2(%[[I:[^:]+]]: memref<1x17x17x8xf32>, %[[F:[^:]+]]: memref<3x3x8xf32>, %[[O:[^:]+]]: memref<1x8x8x8xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, 2*d1 + d4, 2*d2 + d5, d3] * %[[F]][d4, d5, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 8, d4 < 3, d5 < 3
// CHECK-NEXT:  }

// Dilation 2 in the rows, 3 in the columns, no strides given (1).
func.func @depthwise_dilated(%I: memref<1x12x14x4xf32>, %F: memref<3x3x4xf32>, %O: memref<1x8x8x4xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<[2, 3]> : tensor<2xi64>} ins(%I, %F : memref<1x12x14x4xf32>, memref<3x3x4xf32>) outs(%O : memref<1x8x8x4xf32>)
  return
}
// CHECK:       isa.kernel @depthwise_dilated(%[[I:[^:]+]]: memref<1x12x14x4xf32>, %[[F:[^:]+]]: memref<3x3x4xf32>, %[[O:[^:]+]]: memref<1x8x8x4xf32>) {
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] += %[[I]][d0, d1 + 2*d4, d2 + 3*d5, d3] * %[[F]][d4, d5, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 4, d4 < 3, d5 < 3
// CHECK-NEXT:  }
