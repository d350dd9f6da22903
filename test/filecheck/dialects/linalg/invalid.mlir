// RUN: not isamapper-opt %s --split-input-file 2>&1 | filecheck %s --match-full-lines
// RUN: isamapper-opt %s --split-input-file --verify-diagnostics | filecheck %s --check-prefix=ALL

// Strides and dilations must be two positive integers each: isamapper-opt reports
// other values located, instead of the Python error xDSL's verifier would raise
// when it computes the indexing maps.

func.func @depthwise(%I: memref<1x10x10x8xf32>, %F: memref<3x3x8xf32>, %O: memref<1x8x8x8xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {strides = dense<[1, 1, 1]> : tensor<3xi64>} ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
  return
}
// CHECK:      isamapper-opt: {{.*}}invalid.mlir:[[# @LINE - 3]]:3: error: `strides` must hold two positive integers, not dense<1> : tensor<3xi64>
// CHECK-NEXT:     linalg.depthwise_conv_2d_nhwc_hwc {strides = dense<[1, 1, 1]> : tensor<3xi64>} ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
// CHECK-NEXT:     ^
// ALL:        `strides` must hold two positive integers, not dense<1> : tensor<3xi64>

// -----

func.func @conv(%I: memref<1x10x10x8xf32>, %F: memref<3x3x8x8xf32>, %O: memref<1x8x8x8xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<0> : tensor<2xi64>} ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8x8xf32>) outs(%O : memref<1x8x8x8xf32>)
  return
}
// ALL:        `dilations` must hold two positive integers, not dense<0> : tensor<2xi64>
