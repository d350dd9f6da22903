// A MobileNet-style depthwise-separable block as an upstream frontend writes it:
// linalg on tensors (depthwise 3x3 convolution, ReLU, pointwise 1x1 convolution
// 32 -> 64 channels on a 16x16 image). README, "The whole pipeline": bufferize
// it with upstream mlir-opt, import, map, schedule, export and run it.
#id = affine_map<(n, h, w, c) -> (n, h, w, c)>
func.func @dwsep_block(%I: tensor<1x18x18x32xf32>, %Fd: tensor<3x3x32xf32>, %Wp: tensor<1x1x32x64xf32>) -> tensor<1x16x16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x16x16x32xf32>
  %z0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %dw = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%I, %Fd : tensor<1x18x18x32xf32>, tensor<3x3x32xf32>) outs(%z0 : tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32>
  %e1 = tensor.empty() : tensor<1x16x16x32xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%dw : tensor<1x16x16x32xf32>) outs(%e1 : tensor<1x16x16x32xf32>) {
  ^bb0(%x: f32, %unused: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x16x16x32xf32>
  %e2 = tensor.empty() : tensor<1x16x16x64xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xf32>
  %pw = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%relu, %Wp : tensor<1x16x16x32xf32>, tensor<1x1x32x64xf32>) outs(%z2 : tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xf32>
  return %pw : tensor<1x16x16x64xf32>
}
