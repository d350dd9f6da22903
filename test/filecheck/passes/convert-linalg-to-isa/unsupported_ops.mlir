// RUN: isamapper-opt %s --split-input-file -p convert-linalg-to-isa --verify-diagnostics | filecheck %s
// RUN: not isamapper-opt %s --split-input-file -p convert-linalg-to-isa 2>&1 | filecheck %s --check-prefix=OPT --match-full-lines

// Operations and functions the import does not support: the pass fails with a
// message naming the operation and why. The first RUN line prints every chunk's
// message; the second shows how isamapper-opt reports the first one: located at
// the operation, exit status 1. (test_linalg_import.py runs isamapper-opt on every
// chunk alone and checks each message is located the same way.)

// Max pooling: its body is a maximum of two inputs, which no isa kind computes.
func.func @pooling(%I: memref<1x4x8x8xf32>, %K: memref<2x2xf32>, %O: memref<1x4x4x4xf32>) {
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%I, %K : memref<1x4x8x8xf32>, memref<2x2xf32>) outs(%O : memref<1x4x4x4xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.pooling_nchw_max`: the body computes `arith.maximumf(in0, in1)`, which is none of the isa statement kinds (out + a*b, a, a + b, a - b, a * b, tanh(a), exp(a), -a, max(a, 0) (relu), 1/(1 + exp(-a)) (sigmoid))
// OPT:      isamapper-opt: {{.*}}unsupported_ops.mlir:[[# @LINE - 4]]:3: error: convert-linalg-to-isa: `linalg.pooling_nchw_max`: the body computes `arith.maximumf(in0, in1)`, which is none of the isa statement kinds (out + a*b, a, a + b, a - b, a * b, tanh(a), exp(a), -a, max(a, 0) (relu), 1/(1 + exp(-a)) (sigmoid))
// OPT-NEXT:     linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%I, %K : memref<1x4x8x8xf32>, memref<2x2xf32>) outs(%O : memref<1x4x4x4xf32>)
// OPT-NEXT:     ^
// OPT-NOT:  {{.*}}

// -----
// CHECK: {{^// -{5}$}}

// A loop.
func.func @loop(%X: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
  }
  linalg.copy ins(%X : memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `scf.for` is not supported (isa kernels hold only linalg computations on memrefs; supported: linalg.generic, linalg.matmul, linalg.conv_2d_nhwc_hwcf, linalg.depthwise_conv_2d_nhwc_hwc, linalg.add/sub/mul/exp/copy/transpose, linalg.fill with zero, memref.alloc/alloca/copy/dealloc, arith.constant, func.return)

// -----
// CHECK: {{^// -{5}$}}

// A linalg op that is not a structured op the import reads.
func.func @broadcast(%X: memref<8xf32>, %Y: memref<4x8xf32>) {
  linalg.broadcast ins(%X : memref<8xf32>) outs(%Y : memref<4x8xf32>) dimensions = [0]
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.broadcast` is not supported (it is not a linalg op the import knows; supported: {{.*}})

// -----
// CHECK: {{^// -{5}$}}

// A call.
func.func private @callee(memref<4xf32>)
func.func @caller(%X: memref<4xf32>) {
  func.call @callee(%X) : (memref<4xf32>) -> ()
  return
}
// CHECK:      convert-linalg-to-isa: `func.call` is not supported (isa kernels hold only linalg computations on memrefs; supported: {{.*}})

// -----
// CHECK: {{^// -{5}$}}

// A function with a result (memref form, but not out-parameters).
func.func @result(%X: memref<4xf32>) -> memref<4xf32> {
  %Y = memref.alloc() : memref<4xf32>
  linalg.copy ins(%X : memref<4xf32>) outs(%Y : memref<4xf32>)
  return %Y : memref<4xf32>
}
// CHECK:      convert-linalg-to-isa: @result returns results; an isa kernel writes its results into arguments (bufferize with mlir-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions")

// -----
// CHECK: {{^// -{5}$}}

// Tensor form.
func.func @tensors(%A: tensor<4x4xf32>, %B: tensor<4x4xf32>, %C: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %R = linalg.matmul ins(%A, %B : tensor<4x4xf32>, tensor<4x4xf32>) outs(%C : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %R : tensor<4x4xf32>
}
// CHECK:      convert-linalg-to-isa: @tensors is in tensor form; bufferize it first, e.g. with mlir-opt --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions"

// -----
// CHECK: {{^// -{5}$}}

// A tensor op inside a function on memrefs.
func.func @to_tensor(%X: memref<4xf32>, %Y: memref<4xf32>) {
  %t = tensor.empty() : tensor<4xf32>
  linalg.copy ins(%X : memref<4xf32>) outs(%Y : memref<4xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `tensor.empty` is in tensor form; bufferize it first, e.g. with {{.*}}

// -----
// CHECK: {{^// -{5}$}}

// A dynamic shape.
func.func @dynamic(%X: memref<?x8xf32>, %Y: memref<?x8xf32>) {
  linalg.copy ins(%X : memref<?x8xf32>) outs(%Y : memref<?x8xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: the argument %X has a dynamic shape (memref<?x8xf32>); isa kernels need static shapes

// -----
// CHECK: {{^// -{5}$}}

// A dynamic allocation.
func.func @dynamic_alloc(%X: memref<4xf32>) {
  %n = arith.constant 4 : index
  %T = memref.alloc(%n) : memref<?xf32>
  linalg.copy ins(%X : memref<4xf32>) outs(%X : memref<4xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `memref.alloc` has a dynamic shape (memref<?xf32>); isa kernels need static shapes

// -----
// CHECK: {{^// -{5}$}}

// A strided layout (bufferization without identity-layout-map).
func.func @layout(%X: memref<4x8xf32, strided<[?, ?], offset: ?>>, %Y: memref<4x8xf32>) {
  linalg.copy ins(%X : memref<4x8xf32, strided<[?, ?], offset: ?>>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: the argument %X has a layout (memref<4x8xf32, strided<[?, ?], offset: ?>>); isa kernels take identity-layout memrefs (bufferize with function-boundary-type-conversion=identity-layout-map)

// -----
// CHECK: {{^// -{5}$}}

// A scalar argument.
func.func @scalar(%X: memref<4xf32>, %s: f32) {
  return
}
// CHECK:      convert-linalg-to-isa: the argument %s has type f32; isa kernels work on memrefs only

// -----
// CHECK: {{^// -{5}$}}

// Nothing to compute.
func.func @empty(%X: memref<4xf32>) {
  %T = memref.alloc() : memref<4xf32>
  memref.dealloc %T : memref<4xf32>
  return
}
// CHECK:      convert-linalg-to-isa: @empty computes nothing to import
