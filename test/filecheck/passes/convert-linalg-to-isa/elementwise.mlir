// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s
// RUN: xdsl-opt %s -p convert-linalg-to-isa | filecheck %s
// (Stock xdsl-opt reads this file too; isamapper-opt also reads upstream forms
// xDSL does not, see matmul.mlir, conv.mlir, depthwise.mlir, memref_copy.mlir.)

// Element-wise linalg.generic ops: the body is matched against the isa kinds; the
// statement's inputs are in the order the body uses them.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// A bias broadcast over the rows.
func.func @bias_add(%X: memref<8x16xf32>, %b: memref<16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%X, %b : memref<8x16xf32>, memref<16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %c: f32, %y: f32):
    %s = arith.addf %x, %c : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:       isa.kernel @bias_add(%[[X:[^:]+]]: memref<8x16xf32>, %[[b:[^:]+]]: memref<16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] + %[[b]][d1] for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// subf(in1, in0): the statement subtracts %X from %Z.
func.func @sub_swapped(%X: memref<8x16xf32>, %Z: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%X, %Z : memref<8x16xf32>, memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %z: f32, %y: f32):
    %d = arith.subf %z, %x : f32
    linalg.yield %d : f32
  }
  return
}
// CHECK:       isa.kernel @sub_swapped(%[[X:[^:]+]]: memref<8x16xf32>, %[[Z:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[Z]][d0, d1] - %[[X]][d0, d1] for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// A product whose second input is read transposed.
func.func @mul(%X: memref<8x16xf32>, %Z: memref<16x8xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1, d0)>, #id], iterator_types = ["parallel", "parallel"]} ins(%X, %Z : memref<8x16xf32>, memref<16x8xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %z: f32, %y: f32):
    %p = arith.mulf %x, %z : f32
    linalg.yield %p : f32
  }
  return
}
// CHECK:       isa.kernel @mul(%[[X:[^:]+]]: memref<8x16xf32>, %[[Z:[^:]+]]: memref<16x8xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] * %[[Z]][d1, d0] for d0 < 8, d1 < 16
// CHECK-NEXT:  }

func.func @tanh(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  }
  return
}
// CHECK:       isa.kernel @tanh(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = tanh(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

func.func @exp(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}
// CHECK:       isa.kernel @exp(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = exp(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

func.func @neg(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  return
}
// CHECK:       isa.kernel @neg(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = neg(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// ReLU: maximumf with a zero defined above the body, constant first.
func.func @relu(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.maximumf %zero, %x : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:       isa.kernel @relu(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = relu(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// ReLU: maxnumf with a zero defined in the body, constant second.
func.func @relu_maxnumf(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maxnumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:       isa.kernel @relu_maxnumf(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = relu(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// Sigmoid, 1 / (1 + exp(-x)).
func.func @sigmoid(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %s = arith.divf %one, %d : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:       isa.kernel @sigmoid(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = sigmoid(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// Sigmoid with the addition the other way round (exp(-x) + 1).
func.func @sigmoid_swapped(%X: memref<8x16xf32>, %Y: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<8x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %x : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %s = arith.divf %one, %d : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:       isa.kernel @sigmoid_swapped(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<8x16xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = sigmoid(%[[X]][d0, d1]) for d0 < 8, d1 < 16
// CHECK-NEXT:  }

// A body that yields its input is a copy; here a transposing one.
func.func @copy(%X: memref<8x16xf32>, %Y: memref<16x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, #id], iterator_types = ["parallel", "parallel"]} ins(%X : memref<8x16xf32>) outs(%Y : memref<16x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}
// CHECK:       isa.kernel @copy(%[[X:[^:]+]]: memref<8x16xf32>, %[[Y:[^:]+]]: memref<16x8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d1, d0] for d0 < 16, d1 < 8
// CHECK-NEXT:  }
