// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s

// A MobileNet v1 depthwise-separable block (scaled down), as linalg on memrefs:
// 3x3 depthwise convolution into a zeroed allocation, ReLU into another, then
// the 1x1 pointwise convolution (a matmul over the channels) into the zeroed
// output argument. The allocations become isa.buffers (their fills are dropped:
// buffers start at zero); the output's fill renames it to a buffer that is
// copied into %O at the end. (pipeline.mlir maps and schedules this kernel.)
func.func @dwsep_block(%I: memref<1x30x30x32xf32>, %Fd: memref<3x3x32xf32>, %Wp: memref<32x64xf32>, %O: memref<1x28x28x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %T = memref.alloc() : memref<1x28x28x32xf32>
  linalg.fill ins(%zero : f32) outs(%T : memref<1x28x28x32xf32>)
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%I, %Fd : memref<1x30x30x32xf32>, memref<3x3x32xf32>) outs(%T : memref<1x28x28x32xf32>)
  %U = memref.alloc() : memref<1x28x28x32xf32>
  linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%T : memref<1x28x28x32xf32>) outs(%U : memref<1x28x28x32xf32>) {
  ^bb0(%t: f32, %u: f32):
    %r = arith.maximumf %t, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %T : memref<1x28x28x32xf32>
  linalg.fill ins(%zero : f32) outs(%O : memref<1x28x28x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, h, w, k, c) -> (n, h, w, c)>, affine_map<(n, h, w, k, c) -> (c, k)>, affine_map<(n, h, w, k, c) -> (n, h, w, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%U, %Wp : memref<1x28x28x32xf32>, memref<32x64xf32>) outs(%O : memref<1x28x28x64xf32>) {
  ^bb0(%u: f32, %wp: f32, %o: f32):
    %p = arith.mulf %u, %wp : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  }
  memref.dealloc %U : memref<1x28x28x32xf32>
  return
}
// CHECK:       isa.kernel @dwsep_block(%[[I:[^:]+]]: memref<1x30x30x32xf32>, %[[Fd:[^:]+]]: memref<3x3x32xf32>, %[[Wp:[^:]+]]: memref<32x64xf32>, %[[O:[^:]+]]: memref<1x28x28x64xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<1x28x28x32xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1, d2, d3] += %[[I]][d0, d1 + d4, d2 + d5, d3] * %[[Fd]][d4, d5, d3] for d0 < 1, d1 < 28, d2 < 28, d3 < 32, d4 < 3, d5 < 3
// CHECK-NEXT:    %[[U:[^ ]+]] = isa.buffer : memref<1x28x28x32xf32>
// CHECK-NEXT:    isa.compute %[[U]][d0, d1, d2, d3] = relu(%[[T]][d0, d1, d2, d3]) for d0 < 1, d1 < 28, d2 < 28, d3 < 32
// CHECK-NEXT:    %[[Z:[^ ]+]] = isa.buffer : memref<1x28x28x64xf32>
// CHECK-NEXT:    isa.compute %[[Z]][d0, d1, d2, d3] += %[[U]][d0, d1, d2, d4] * %[[Wp]][d4, d3] for d0 < 1, d1 < 28, d2 < 28, d3 < 64, d4 < 32
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] = %[[Z]][d0, d1, d2, d3] for d0 < 1, d1 < 28, d2 < 28, d3 < 64
// CHECK-NEXT:  }
