// REQUIRES: mlir-tools
// Tensor-form linalg, bufferized by upstream mlir-opt with the command the pass's
// tensor-form diagnostic suggests, then imported (pretty and generic form):
// RUN: %mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions" | isamapper-opt -p convert-linalg-to-isa | filecheck %s
// RUN: %mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions" --mlir-print-op-generic | isamapper-opt -p convert-linalg-to-isa | filecheck %s
//
// With hoist-static-allocs the result is computed in the out-parameter itself:
// RUN: %mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions hoist-static-allocs" | isamapper-opt -p convert-linalg-to-isa | filecheck %s --check-prefix=HOIST
//
// Without bufferization the pass says what to run:
// RUN: not isamapper-opt %s -p convert-linalg-to-isa 2>&1 | filecheck %s --check-prefix=TENSOR
//
// Without its two options (LLVM 22) the bufferized function keeps its result
// (buffer-results-to-out-params leaves public functions alone unless told) and
// gets strided layouts with dynamic offsets (whose memref.cast xDSL reads only in
// generic form):
// RUN: %mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries" --buffer-results-to-out-params --mlir-print-op-generic | not isamapper-opt -p convert-linalg-to-isa 2>&1 | filecheck %s --check-prefix=OPTIONS

// A matmul into a zeroed new tensor. Bufferized: an allocation, its fill (dropped:
// a fresh buffer is zero), the matmul into it and a memref.copy into the
// out-parameter.
func.func @matmul(%A: tensor<16x8xf32>, %B: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x4xf32>) -> tensor<16x4xf32>
  %r = linalg.matmul ins(%A, %B : tensor<16x8xf32>, tensor<8x4xf32>) outs(%f : tensor<16x4xf32>) -> tensor<16x4xf32>
  return %r : tensor<16x4xf32>
}
// CHECK:       isa.kernel @matmul(%[[A:[^:]+]]: memref<16x8xf32>, %[[B:[^:]+]]: memref<8x4xf32>, %[[C:[^:]+]]: memref<16x4xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<16x4xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 16, d1 < 4, d2 < 8
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] = %[[T]][d0, d1] for d0 < 16, d1 < 4
// CHECK-NEXT:  }
// HOIST:       isa.kernel @matmul(%[[A:[^:]+]]: memref<16x8xf32>, %[[B:[^:]+]]: memref<8x4xf32>, %[[C:[^:]+]]: memref<16x4xf32>) {
// HOIST-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<16x4xf32>
// HOIST-NEXT:    isa.compute %[[T]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 16, d1 < 4, d2 < 8
// HOIST-NEXT:    isa.compute %[[C]][d0, d1] = %[[T]][d0, d1] for d0 < 16, d1 < 4
// HOIST-NEXT:  }
// TENSOR:      isamapper-opt: {{.*}}bufferize.mlir:[[# @LINE - 17]]:1: error: convert-linalg-to-isa: @matmul is in tensor form; bufferize it first, e.g. with mlir-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions"
// OPTIONS:     error: convert-linalg-to-isa: @matmul returns results; an isa kernel writes its results into arguments (bufferize with mlir-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions")

// The depthwise-separable block (dwsep.mlir) in tensor form. Bufferization runs
// the ReLU in place on the depthwise result: the import gives it a new buffer.
func.func @dwsep_block(%I: tensor<1x10x10x8xf32>, %Fd: tensor<3x3x8xf32>, %Wp: tensor<8x16xf32>) -> tensor<1x8x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %d = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%I, %Fd : tensor<1x10x10x8xf32>, tensor<3x3x8xf32>) outs(%z : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c) -> (n, h, w, c)>, affine_map<(n, h, w, c) -> (n, h, w, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%d : tensor<1x8x8x8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%t: f32, %u: f32):
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x8xf32>
  %e2 = tensor.empty() : tensor<1x8x8x16xf32>
  %z2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(n, h, w, k, c) -> (n, h, w, c)>, affine_map<(n, h, w, k, c) -> (c, k)>, affine_map<(n, h, w, k, c) -> (n, h, w, k)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%r, %Wp : tensor<1x8x8x8xf32>, tensor<8x16xf32>) outs(%z2 : tensor<1x8x8x16xf32>) {
  ^bb0(%u: f32, %wp: f32, %acc: f32):
    %p = arith.mulf %u, %wp : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x8x8x16xf32>
  return %o : tensor<1x8x8x16xf32>
}
// CHECK:       isa.kernel @dwsep_block(%[[I:[^:]+]]: memref<1x10x10x8xf32>, %[[Fd:[^:]+]]: memref<3x3x8xf32>, %[[Wp:[^:]+]]: memref<8x16xf32>, %[[O:[^:]+]]: memref<1x8x8x16xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<1x8x8x8xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1, d2, d3] += %[[I]][d0, d1 + d4, d2 + d5, d3] * %[[Fd]][d4, d5, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 8, d4 < 3, d5 < 3
// CHECK-NEXT:    %[[U:[^ ]+]] = isa.buffer : memref<1x8x8x8xf32>
// CHECK-NEXT:    isa.compute %[[U]][d0, d1, d2, d3] = relu(%[[T]][d0, d1, d2, d3]) for d0 < 1, d1 < 8, d2 < 8, d3 < 8
// CHECK-NEXT:    %[[P:[^ ]+]] = isa.buffer : memref<1x8x8x16xf32>
// CHECK-NEXT:    isa.compute %[[P]][d0, d1, d2, d3] += %[[U]][d0, d1, d2, d4] * %[[Wp]][d4, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 16, d4 < 8
// CHECK-NEXT:    isa.compute %[[O]][d0, d1, d2, d3] = %[[P]][d0, d1, d2, d3] for d0 < 1, d1 < 8, d2 < 8, d3 < 16
// CHECK-NEXT:  }
