// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s
// RUN: xdsl-opt %s -p convert-linalg-to-isa | filecheck %s
// (Stock xdsl-opt reads this file too; isamapper-opt also reads upstream forms
// xDSL does not, see matmul.mlir, conv.mlir, depthwise.mlir, memref_copy.mlir.)

// An element-wise op that writes a memref it also reads, element for element (as
// bufferization makes of `outs` tied to an input): an isa statement cannot read
// its output, so the op writes a new buffer that stands for the memref from there
// on, copied back at the end when the memref is an argument.

func.func @add_in_place(%X: memref<4x8xf32>, %Z: memref<4x8xf32>) {
  linalg.add ins(%X, %Z : memref<4x8xf32>, memref<4x8xf32>) outs(%X : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @add_in_place(%[[X:[^:]+]]: memref<4x8xf32>, %[[Z:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    %[[N:[^ ]+]] = isa.buffer : memref<4x8xf32>
// CHECK-NEXT:    isa.compute %[[N]][d0, d1] = %[[X]][d0, d1] + %[[Z]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:    isa.compute %[[X]][d0, d1] = %[[N]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:  }

// A ReLU in place on an allocation, read afterwards: no copy back.
func.func @relu_in_place(%X: memref<4x8xf32>, %W: memref<8x2xf32>, %Y: memref<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %T = memref.alloc() : memref<4x8xf32>
  linalg.copy ins(%X : memref<4x8xf32>) outs(%T : memref<4x8xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%T : memref<4x8xf32>) outs(%T : memref<4x8xf32>) {
  ^bb0(%t: f32, %o: f32):
    %r = arith.maximumf %t, %zero : f32
    linalg.yield %r : f32
  }
  linalg.matmul ins(%T, %W : memref<4x8xf32>, memref<8x2xf32>) outs(%Y : memref<4x2xf32>)
  return
}
// CHECK:       isa.kernel @relu_in_place(%[[X:[^:]+]]: memref<4x8xf32>, %[[W:[^:]+]]: memref<8x2xf32>, %[[Y:[^:]+]]: memref<4x2xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<4x8xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] = %[[X]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:    %[[R:[^ ]+]] = isa.buffer : memref<4x8xf32>
// CHECK-NEXT:    isa.compute %[[R]][d0, d1] = relu(%[[T]][d0, d1]) for d0 < 4, d1 < 8
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] += %[[R]][d0, d2] * %[[W]][d2, d1] for d0 < 4, d1 < 2, d2 < 8
// CHECK-NEXT:  }
