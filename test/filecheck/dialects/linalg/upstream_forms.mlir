// RUN: isamapper-opt %s | filecheck %s
// RUN: isamapper-opt %s | isamapper-opt | filecheck %s
// RUN: isamapper-opt %s --print-op-generic | isamapper-opt | filecheck %s

// isamapper-opt reads the forms upstream mlir-opt (LLVM 22) prints for the ops
// convert-linalg-to-isa imports and xDSL 0.74 does not (see
// isamapper_dialect/upstream_dialects.py), and prints them back the same way.

// The depthwise convolution (not in xDSL), with and without strides and dilations
// (upstream's default is 1).
func.func @depthwise(%I: memref<1x10x10x8xf32>, %F: memref<3x3x8xf32>, %O: memref<1x8x8x8xf32>, %J: memref<1x13x13x8xf32>, %P: memref<1x4x4x8xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%J, %F : memref<1x13x13x8xf32>, memref<3x3x8xf32>) outs(%P : memref<1x4x4x8xf32>)
  return
}
// CHECK-LABEL: func.func @depthwise
// CHECK-NEXT:    linalg.depthwise_conv_2d_nhwc_hwc {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%I, %F : memref<1x10x10x8xf32>, memref<3x3x8xf32>) outs(%O : memref<1x8x8x8xf32>)
// CHECK-NEXT:    linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%J, %F : memref<1x13x13x8xf32>, memref<3x3x8xf32>) outs(%P : memref<1x4x4x8xf32>)

// A convolution without strides and dilations.
func.func @conv(%I: memref<1x9x9x8xf32>, %F: memref<3x3x8x16xf32>, %O: memref<1x7x7x16xf32>) {
  linalg.conv_2d_nhwc_hwcf ins(%I, %F : memref<1x9x9x8xf32>, memref<3x3x8x16xf32>) outs(%O : memref<1x7x7x16xf32>)
  return
}
// CHECK-LABEL: func.func @conv
// CHECK-NEXT:    linalg.conv_2d_nhwc_hwcf {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%I, %F : memref<1x9x9x8xf32>, memref<3x3x8x16xf32>) outs(%O : memref<1x7x7x16xf32>)

// A transposed matmul: upstream writes its maps in front of `ins`; the default maps
// are not printed.
func.func @matmul(%A: memref<32x64xf32>, %B: memref<32x16xf32>, %C: memref<64x16xf32>, %D: memref<64x64xf32>, %E: memref<16x64xf32>) {
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%A, %B : memref<32x64xf32>, memref<32x16xf32>) outs(%C : memref<64x16xf32>)
  linalg.matmul ins(%C, %E : memref<64x16xf32>, memref<16x64xf32>) outs(%D : memref<64x64xf32>)
  return
}
// CHECK-LABEL: func.func @matmul
// CHECK-NEXT:    linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%A, %B : memref<32x64xf32>, memref<32x16xf32>) outs(%C : memref<64x16xf32>)
// CHECK-NEXT:    linalg.matmul ins(%C, %E : memref<64x16xf32>, memref<16x64xf32>) outs(%D : memref<64x64xf32>)

// memref.copy in upstream's syntax.
func.func @copy(%A: memref<4x8xf32>, %B: memref<4x8xf32>) {
  memref.copy %A, %B : memref<4x8xf32> to memref<4x8xf32>
  return
}
// CHECK-LABEL: func.func @copy
// CHECK-NEXT:    memref.copy %A, %B : memref<4x8xf32> to memref<4x8xf32>
