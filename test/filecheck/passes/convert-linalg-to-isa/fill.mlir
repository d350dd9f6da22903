// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s
// RUN: xdsl-opt %s -p convert-linalg-to-isa | filecheck %s
// (Stock xdsl-opt reads this file too; isamapper-opt also reads upstream forms
// xDSL does not, see matmul.mlir, conv.mlir, depthwise.mlir, memref_copy.mlir.)

// linalg.fill with zero. isa has no fill statement: an isa.buffer starts at zero
// and a `+=` statement adds into what its output holds. A fill is dropped where its
// zeros are already there or are never read; otherwise its memref is renamed, from
// the fill on, to a new buffer, copied back at the end if it is an argument.

// On a fresh allocation (nothing wrote it yet): dropped; the allocation becomes an
// isa.buffer, which starts at zero.
func.func @fill_fresh_alloc(%A: memref<16x8xf32>, %B: memref<8x4xf32>, %C: memref<16x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %T = memref.alloc() : memref<16x4xf32>
  linalg.fill ins(%zero : f32) outs(%T : memref<16x4xf32>)
  linalg.matmul ins(%A, %B : memref<16x8xf32>, memref<8x4xf32>) outs(%T : memref<16x4xf32>)
  linalg.copy ins(%T : memref<16x4xf32>) outs(%C : memref<16x4xf32>)
  memref.dealloc %T : memref<16x4xf32>
  return
}
// CHECK:       isa.kernel @fill_fresh_alloc(%[[A:[^:]+]]: memref<16x8xf32>, %[[B:[^:]+]]: memref<8x4xf32>, %[[C:[^:]+]]: memref<16x4xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<16x4xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 16, d1 < 4, d2 < 8
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] = %[[T]][d0, d1] for d0 < 16, d1 < 4
// CHECK-NEXT:  }

// On an argument before a matmul: the argument holds the caller's data, and the
// matmul must add to zeros, so it writes a new buffer, copied into %C at the end.
func.func @fill_argument(%A: memref<16x8xf32>, %B: memref<8x4xf32>, %C: memref<16x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%C : memref<16x4xf32>)
  linalg.matmul ins(%A, %B : memref<16x8xf32>, memref<8x4xf32>) outs(%C : memref<16x4xf32>)
  return
}
// CHECK:       isa.kernel @fill_argument(%[[A:[^:]+]]: memref<16x8xf32>, %[[B:[^:]+]]: memref<8x4xf32>, %[[C:[^:]+]]: memref<16x4xf32>) {
// CHECK-NEXT:    %[[Z:[^ ]+]] = isa.buffer : memref<16x4xf32>
// CHECK-NEXT:    isa.compute %[[Z]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 16, d1 < 4, d2 < 8
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] = %[[Z]][d0, d1] for d0 < 16, d1 < 4
// CHECK-NEXT:  }

// On an argument that the next op assigns whole (ReLU writes every element of %Y
// without reading it): dropped.
func.func @fill_then_assign(%X: memref<16x4xf32>, %Y: memref<16x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%Y : memref<16x4xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%X : memref<16x4xf32>) outs(%Y : memref<16x4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:       isa.kernel @fill_then_assign(%[[X:[^:]+]]: memref<16x4xf32>, %[[Y:[^:]+]]: memref<16x4xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = relu(%[[X]][d0, d1]) for d0 < 16, d1 < 4
// CHECK-NEXT:  }

// On an allocation already written, before an accumulation: a new buffer from
// there on (local, so nothing is copied back). Integer zero.
func.func @fill_written_alloc(%A: memref<4x4xi32>, %B: memref<4x4xi32>, %C: memref<4x4xi32>, %D: memref<4x4xi32>) {
  %zero = arith.constant 0 : i32
  %T = memref.alloc() : memref<4x4xi32>
  linalg.matmul ins(%A, %B : memref<4x4xi32>, memref<4x4xi32>) outs(%T : memref<4x4xi32>)
  linalg.copy ins(%T : memref<4x4xi32>) outs(%C : memref<4x4xi32>)
  linalg.fill ins(%zero : i32) outs(%T : memref<4x4xi32>)
  linalg.matmul ins(%B, %A : memref<4x4xi32>, memref<4x4xi32>) outs(%T : memref<4x4xi32>)
  linalg.copy ins(%T : memref<4x4xi32>) outs(%D : memref<4x4xi32>)
  return
}
// CHECK:       isa.kernel @fill_written_alloc(%[[A:[^:]+]]: memref<4x4xi32>, %[[B:[^:]+]]: memref<4x4xi32>, %[[C:[^:]+]]: memref<4x4xi32>, %[[D:[^:]+]]: memref<4x4xi32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<4x4xi32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 4, d1 < 4, d2 < 4
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] = %[[T]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:    %[[T2:[^ ]+]] = isa.buffer : memref<4x4xi32>
// CHECK-NEXT:    isa.compute %[[T2]][d0, d1] += %[[B]][d0, d2] * %[[A]][d2, d1] for d0 < 4, d1 < 4, d2 < 4
// CHECK-NEXT:    isa.compute %[[D]][d0, d1] = %[[T2]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:  }

// Two fills of one argument, each before an accumulation: two buffers; the last
// one is what the caller gets.
func.func @fill_twice(%A: memref<4x4xf32>, %B: memref<4x4xf32>, %C: memref<4x4xf32>, %D: memref<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%C : memref<4x4xf32>)
  linalg.matmul ins(%A, %B : memref<4x4xf32>, memref<4x4xf32>) outs(%C : memref<4x4xf32>)
  linalg.copy ins(%C : memref<4x4xf32>) outs(%D : memref<4x4xf32>)
  linalg.fill ins(%zero : f32) outs(%C : memref<4x4xf32>)
  linalg.matmul ins(%D, %B : memref<4x4xf32>, memref<4x4xf32>) outs(%C : memref<4x4xf32>)
  return
}
// CHECK:       isa.kernel @fill_twice(%[[A:[^:]+]]: memref<4x4xf32>, %[[B:[^:]+]]: memref<4x4xf32>, %[[C:[^:]+]]: memref<4x4xf32>, %[[D:[^:]+]]: memref<4x4xf32>) {
// CHECK-NEXT:    %[[Z1:[^ ]+]] = isa.buffer : memref<4x4xf32>
// CHECK-NEXT:    isa.compute %[[Z1]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 4, d1 < 4, d2 < 4
// CHECK-NEXT:    isa.compute %[[D]][d0, d1] = %[[Z1]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:    %[[Z2:[^ ]+]] = isa.buffer : memref<4x4xf32>
// CHECK-NEXT:    isa.compute %[[Z2]][d0, d1] += %[[D]][d0, d2] * %[[B]][d2, d1] for d0 < 4, d1 < 4, d2 < 4
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] = %[[Z2]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:  }

// A fill of an argument that nothing reads afterwards still reaches the caller:
// the argument ends as a copy of a zero buffer.
func.func @fill_only(%X: memref<4x4xf32>, %Y: memref<4x4xf32>, %Z: memref<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.copy ins(%X : memref<4x4xf32>) outs(%Y : memref<4x4xf32>)
  linalg.fill ins(%zero : f32) outs(%Z : memref<4x4xf32>)
  return
}
// CHECK:       isa.kernel @fill_only(%[[X:[^:]+]]: memref<4x4xf32>, %[[Y:[^:]+]]: memref<4x4xf32>, %[[Z:[^:]+]]: memref<4x4xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[X]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:    %[[B:[^ ]+]] = isa.buffer : memref<4x4xf32>
// CHECK-NEXT:    isa.compute %[[Z]][d0, d1] = %[[B]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:  }

// A fill of an allocation that is freed next, or never used again: dropped, and
// so is the unused buffer.
func.func @fill_dead(%X: memref<4x4xf32>, %Y: memref<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %T = memref.alloc() : memref<4x4xf32>
  %U = memref.alloca() : memref<4x4xf32>
  linalg.copy ins(%X : memref<4x4xf32>) outs(%T : memref<4x4xf32>)
  linalg.copy ins(%X : memref<4x4xf32>) outs(%U : memref<4x4xf32>)
  linalg.copy ins(%T : memref<4x4xf32>) outs(%Y : memref<4x4xf32>)
  linalg.fill ins(%zero : f32) outs(%T : memref<4x4xf32>)
  linalg.fill ins(%zero : f32) outs(%U : memref<4x4xf32>)
  memref.dealloc %T : memref<4x4xf32>
  return
}
// CHECK:       isa.kernel @fill_dead(%[[X:[^:]+]]: memref<4x4xf32>, %[[Y:[^:]+]]: memref<4x4xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<4x4xf32>
// CHECK-NEXT:    %[[U:[^ ]+]] = isa.buffer : memref<4x4xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] = %[[X]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:    isa.compute %[[U]][d0, d1] = %[[X]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[T]][d0, d1] for d0 < 4, d1 < 4
// CHECK-NEXT:  }
