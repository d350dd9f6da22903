// Each accel op's upstream form, on a hand-written program for a tiny target.
// RUN: isamapper-opt %s -p convert-accel-to-mlir | filecheck %s

isa.hardware @tiny {
  isa.memory @main capacity 1048576 bandwidth 64 latency 10
  isa.memory @local capacity 4096 bandwidth 256 latency 1
  isa.transfer @load from @main to @local bandwidth 64 latency 10 dims 2
  isa.transfer @store from @local to @main bandwidth 64 latency 10 dims 2
  isa.unit @vec count 1
  isa.instruction @vtanh4 on @vec latency 4 interval 1 (%X : memref<4xf32> in @local, %O : memref<4xf32> in @local) {
    isa.compute %O[i] = tanh(%X[i]) for i < 4
  }
}
isa.kernel @k_reference(%X : memref<3x4xf32>, %Y : memref<3x4xf32>) {
  isa.compute %Y[i, j] = tanh(%X[i, j]) for i < 3, j < 4
}
accel.program @k on @tiny(%X : memref<3x4xf32>, %Y : memref<3x4xf32>) attributes {reference = @k_reference} {
  %buf = accel.alloc @local : memref<8xf32>
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  accel.fill %buf[%c4] size 4 : i64 : memref<8xf32>
  %t = accel.copy @load %X[%c0] -> %buf[%c0] box [2:4:1, 2:1:2] limits [%c3, %c4] : memref<3x4xf32> -> memref<8xf32>
  accel.wait %t
  accel.exec @vtanh4(%buf[%c0], %buf[%c4]) strides [[1], [1]] : memref<8xf32>, memref<8xf32>
  %s = accel.copy @store %buf[%c4] -> %Y[%c0] box [4:1:1] limits [%c3] accumulate : memref<8xf32> -> memref<3x4xf32>
  accel.wait %s
  accel.free %buf : memref<8xf32>
}

// The instruction's microkernel, on tiles of any strides and offset:
// CHECK:      func.func private @tiny_vtanh4(%X: memref<4xf32, strided<[?], offset: ?>>, %O: memref<4xf32, strided<[?], offset: ?>>) {
// CHECK-NEXT:   %0 = arith.constant 4 : index
// CHECK-NEXT:   %1 = arith.constant 0 : index
// CHECK-NEXT:   %2 = arith.constant 1 : index
// CHECK-NEXT:   scf.for %3 = %1 to %0 step %2 {
// CHECK-NEXT:     %4 = memref.load %X[%3] : memref<4xf32, strided<[?], offset: ?>>
// CHECK-NEXT:     %5 = math.tanh %4 : f32
// CHECK-NEXT:     memref.store %5, %O[%3] : memref<4xf32, strided<[?], offset: ?>>
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return
// CHECK-NEXT: }

// The program as a function of the same name; every buffer gets a flat view.
// CHECK-NEXT: func.func @k(%X: memref<3x4xf32>, %Y: memref<3x4xf32>) {
// CHECK-NEXT:   %{{.*}} = memref.reinterpret_cast %Y to offset: [0], sizes: [12], strides: [1] : memref<3x4xf32> to memref<12xf32>
// CHECK-NEXT:   %{{.*}} = memref.reinterpret_cast %X to offset: [0], sizes: [12], strides: [1] : memref<3x4xf32> to memref<12xf32>

// accel.alloc: a zeroed memref.alloc.
// CHECK-NEXT:   %[[BUF:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT:   %[[FLAT:.*]] = memref.reinterpret_cast %[[BUF]] to offset: [0], sizes: [8], strides: [1] : memref<8xf32> to memref<8xf32>
// CHECK:        scf.for
// CHECK-NEXT:     memref.store %{{.*}}, %[[FLAT]][%{{.*}}] : memref<8xf32>
// CHECK-NEXT:   }

// accel.fill: zeros from the offset.
// CHECK:        scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:     %[[AT:.*]] = arith.addi %{{.*}}, %[[I]] : index
// CHECK-NEXT:     memref.store %{{.*}}, %[[FLAT]][%[[AT]]] : memref<8xf32>
// CHECK-NEXT:   }

// accel.copy into a local buffer: zero the box, then copy the part inside the
// limits (min(max(limit, 0), size) per dimension).
// CHECK:        scf.for
// CHECK-NEXT:     scf.for
// CHECK:            memref.store %{{.*}}, %[[FLAT]][%{{.*}}] : memref<8xf32>
// CHECK:        arith.maxsi
// CHECK-NEXT:   arith.constant 2 : index
// CHECK-NEXT:   arith.minsi
// CHECK:        scf.for
// CHECK-NEXT:     scf.for
// CHECK:            memref.load
// CHECK:            memref.store %{{.*}}, %[[FLAT]][%{{.*}}] : memref<8xf32>

// accel.wait: gone. accel.exec: strided views and a call.
// CHECK-NOT:    accel.wait
// CHECK:        %[[V0:.*]] = memref.reinterpret_cast %[[BUF]] to offset: [%c0], sizes: [4], strides: [%{{.*}}] : memref<8xf32> to memref<4xf32, strided<[?], offset: ?>>
// CHECK:        %[[V1:.*]] = memref.reinterpret_cast %[[BUF]] to offset: [%c4], sizes: [4], strides: [%{{.*}}] : memref<8xf32> to memref<4xf32, strided<[?], offset: ?>>
// CHECK-NEXT:   func.call @tiny_vtanh4(%[[V0]], %[[V1]]) : (memref<4xf32, strided<[?], offset: ?>>, memref<4xf32, strided<[?], offset: ?>>) -> ()

// An accumulating copy into the main memory: no zeroing, load + add + store.
// CHECK-NOT:    memref.store
// CHECK:        scf.for
// CHECK:          memref.load %[[FLAT]]
// CHECK:          memref.load
// CHECK-NEXT:     arith.addf
// CHECK-NEXT:     memref.store

// accel.free: memref.dealloc; no isa or accel op is left.
// CHECK:        memref.dealloc %[[BUF]] : memref<8xf32>
// CHECK-NEXT:   func.return
// CHECK-NEXT: }
// CHECK-NOT:  isa.
// CHECK-NOT:  accel.
