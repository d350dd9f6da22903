// RUN: isamapper-opt %s -p 'convert-linalg-to-isa,isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s

// The downstream use: imported kernels map and schedule on the NNP-like target
// (each program is followed by its reference kernel).
// (test_linalg_import.py maps, schedules and runs every imported f32 kernel of
// this directory on the accelerator model and compares it with numpy.)

// A matmul into a zeroed output argument: a buffer takes the products, then is
// copied into %C.
func.func @matmul(%A: memref<64x32xf32>, %B: memref<32x64xf32>, %C: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%C : memref<64x64xf32>)
  linalg.matmul ins(%A, %B : memref<64x32xf32>, memref<32x64xf32>) outs(%C : memref<64x64xf32>)
  return
}
// CHECK:       accel.program @matmul on @nnp(%{{[^:]+}}: memref<64x32xf32>, %{{[^:]+}}: memref<32x64xf32>, %{{[^:]+}}: memref<64x64xf32>) attributes {reference = @matmul_reference} {
// CHECK:         accel.exec
// CHECK:         accel.exec @vcopy32
// CHECK:       isa.kernel @matmul_reference(

// A strided, dilated convolution.
func.func @conv(%I: memref<1x17x17x8xf32>, %F: memref<3x3x8x16xf32>, %O: memref<1x7x7x16xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%I, %F : memref<1x17x17x8xf32>, memref<3x3x8x16xf32>) outs(%O : memref<1x7x7x16xf32>)
  return
}
// CHECK:       accel.program @conv on @nnp(%{{[^:]+}}: memref<1x17x17x8xf32>, %{{[^:]+}}: memref<3x3x8x16xf32>, %{{[^:]+}}: memref<1x7x7x16xf32>) attributes {reference = @conv_reference} {
// CHECK:         accel.exec
// CHECK:       isa.kernel @conv_reference(

// The depthwise-separable block.
func.func @dwsep_block(%I: memref<1x16x16x32xf32>, %Fd: memref<3x3x32xf32>, %Wp: memref<32x64xf32>, %O: memref<1x14x14x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %T = memref.alloc() : memref<1x14x14x32xf32>
  linalg.fill ins(%zero : f32) outs(%T : memref<1x14x14x32xf32>)
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%I, %Fd : memref<1x16x16x32xf32>, memref<3x3x32xf32>) outs(%T : memref<1x14x14x32xf32>)
  %U = memref.alloc() : memref<1x14x14x32xf32>
  linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%T : memref<1x14x14x32xf32>) outs(%U : memref<1x14x14x32xf32>) {
  ^bb0(%t: f32, %u: f32):
    %r = arith.maximumf %t, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, h, w, k, c) -> (n, h, w, c)>, affine_map<(n, h, w, k, c) -> (c, k)>, affine_map<(n, h, w, k, c) -> (n, h, w, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%U, %Wp : memref<1x14x14x32xf32>, memref<32x64xf32>) outs(%O : memref<1x14x14x64xf32>) {
  ^bb0(%u: f32, %wp: f32, %o: f32):
    %p = arith.mulf %u, %wp : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:       accel.program @dwsep_block on @nnp(%{{[^:]+}}: memref<1x16x16x32xf32>, %{{[^:]+}}: memref<3x3x32xf32>, %{{[^:]+}}: memref<32x64xf32>, %{{[^:]+}}: memref<1x14x14x64xf32>) attributes {reference = @dwsep_block_reference} {
// CHECK:         accel.exec
// CHECK:         accel.exec @vrelu32
// CHECK:         accel.exec
// CHECK:       isa.kernel @dwsep_block_reference(
