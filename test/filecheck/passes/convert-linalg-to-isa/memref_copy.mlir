// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s

// memref.copy becomes a copy statement over the target's shape; memref.alloc an
// isa.buffer; memref.dealloc is dropped. (This is the shape of bufferized code:
// see bufferize.mlir.)
func.func @staged(%X: memref<8x4xf32>, %Y: memref<8x4xf32>) {
  %T = memref.alloc() {alignment = 64 : i64} : memref<8x4xf32>
  memref.copy %X, %T : memref<8x4xf32> to memref<8x4xf32>
  linalg.exp ins(%T : memref<8x4xf32>) outs(%Y : memref<8x4xf32>)
  memref.copy %Y, %T : memref<8x4xf32> to memref<8x4xf32>
  linalg.add ins(%T, %X : memref<8x4xf32>, memref<8x4xf32>) outs(%Y : memref<8x4xf32>)
  memref.dealloc %T : memref<8x4xf32>
  return
}
// CHECK:       isa.kernel @staged(%[[X:[^:]+]]: memref<8x4xf32>, %[[Y:[^:]+]]: memref<8x4xf32>) {
// CHECK-NEXT:    %[[T:[^ ]+]] = isa.buffer : memref<8x4xf32>
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] = %[[X]][d0, d1] for d0 < 8, d1 < 4
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = exp(%[[T]][d0, d1]) for d0 < 8, d1 < 4
// CHECK-NEXT:    isa.compute %[[T]][d0, d1] = %[[Y]][d0, d1] for d0 < 8, d1 < 4
// CHECK-NEXT:    isa.compute %[[Y]][d0, d1] = %[[T]][d0, d1] + %[[X]][d0, d1] for d0 < 8, d1 < 4
// CHECK-NEXT:  }

// A copy of a memref onto itself does nothing and is dropped.
func.func @self_copy(%X: memref<8xf32>, %Y: memref<8xf32>) {
  memref.copy %X, %X : memref<8xf32> to memref<8xf32>
  memref.copy %X, %Y : memref<8xf32> to memref<8xf32>
  return
}
// CHECK:       isa.kernel @self_copy(%[[X:[^:]+]]: memref<8xf32>, %[[Y:[^:]+]]: memref<8xf32>) {
// CHECK-NEXT:    isa.compute %[[Y]][d0] = %[[X]][d0] for d0 < 8
// CHECK-NEXT:  }
