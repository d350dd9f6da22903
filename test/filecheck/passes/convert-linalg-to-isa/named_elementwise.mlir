// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s
// RUN: xdsl-opt %s -p convert-linalg-to-isa | filecheck %s
// (Stock xdsl-opt reads this file too; isamapper-opt also reads upstream forms
// xDSL does not, see matmul.mlir, conv.mlir, depthwise.mlir, memref_copy.mlir.)

// xDSL's named element-wise ops go through the same path as linalg.generic: their
// indexing maps, iterator types and (hidden) body.

func.func @named_add(%X: memref<4x8xf32>, %Z: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  linalg.add ins(%X, %Z : memref<4x8xf32>, memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @named_add(%[[X:[^:]+]]: memref<4x8xf32>, %[[Z:[^:]+]]: memref<4x8xf32>, %[[Y:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] + %[[Z]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:  }

func.func @named_sub(%X: memref<4x8xf32>, %Z: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  linalg.sub ins(%X, %Z : memref<4x8xf32>, memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @named_sub(%[[X:[^:]+]]: memref<4x8xf32>, %[[Z:[^:]+]]: memref<4x8xf32>, %[[Y:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] - %[[Z]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:  }

func.func @named_mul(%X: memref<4x8xf32>, %Z: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  linalg.mul ins(%X, %Z : memref<4x8xf32>, memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @named_mul(%[[X:[^:]+]]: memref<4x8xf32>, %[[Z:[^:]+]]: memref<4x8xf32>, %[[Y:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] * %[[Z]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:  }

func.func @named_exp(%X: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  linalg.exp ins(%X : memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @named_exp(%[[X:[^:]+]]: memref<4x8xf32>, %[[Y:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = exp(%[[X]][d0, d1]) for d0 < 4, d1 < 8
// CHECK-NEXT:  }

func.func @named_copy(%X: memref<4x8xf32>, %Y: memref<4x8xf32>) {
  linalg.copy ins(%X : memref<4x8xf32>) outs(%Y : memref<4x8xf32>)
  return
}
// CHECK:       isa.kernel @named_copy(%[[X:[^:]+]]: memref<4x8xf32>, %[[Y:[^:]+]]: memref<4x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] for d0 < 4, d1 < 8
// CHECK-NEXT:  }

// Y[i, j, k] = X[j, k, i] (dim(Y, i) = dim(X, permutation[i])).
func.func @named_transpose(%X: memref<2x3x4xf32>, %Y: memref<4x2x3xf32>) {
  linalg.transpose ins(%X : memref<2x3x4xf32>) outs(%Y : memref<4x2x3xf32>) permutation = [2, 0, 1]
  return
}
// CHECK:       isa.kernel @named_transpose(%[[X:[^:]+]]: memref<2x3x4xf32>, %[[Y:[^:]+]]: memref<4x2x3xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1, d2] = %[[X]][d1, d2, d0] for d0 < 4, d1 < 2, d2 < 3
// CHECK-NEXT:  }
