// RUN: xdsl-opt %s | filecheck %s
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// xDSL 0.74 prints a non-ASCII string property in generic form with byte escapes
// it does not read back (a func.func named @"dräm" fails the same way), so the
// generic round trip renames the one unicode name:
// RUN: sed 's/dräm/dram-0/g' %s | xdsl-opt --print-op-generic | xdsl-opt | filecheck %s --check-prefix=GENERIC

// Names that need quotes (a hyphen, a space, unicode; a dot needs none) in every printed
// form: hardware nodes, mapping attributes and accel programs.

isa.hardware @"hw-1" {
  isa.memory @"dräm" capacity 1048576 bandwidth 16 latency 10
  isa.memory @"s ram" capacity 65536 bandwidth 64 latency 2
  isa.transfer @"dma-in" from @"dräm" to @"s ram" bandwidth 16 latency 20 dims 2
  isa.transfer @dma.out from @"s ram" to @"dräm" bandwidth 16 latency 20 dims 2
  isa.unit @"v-u" count 1
  isa.instruction @"add-8" on @"v-u" latency 4 interval 2 (%X : memref<8xf32> in @"s ram", %Y : memref<8xf32> in @"s ram", %O : memref<8xf32> in @"s ram") {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 8
  }
}

isa.kernel @add(%a : memref<8xf32>, %b : memref<8xf32>, %c : memref<8xf32>) {
  isa.compute %c[i] = %a[i] + %b[i] for i < 8 mappings [#isa.mapping<@"hw-1"::@"add-8", operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]>]
}

accel.program @"add-prog" on @"hw-1"(%a : memref<8xf32>, %b : memref<8xf32>, %c : memref<8xf32>) {
  %zero = arith.constant 0 : index
  %eight = arith.constant 8 : index
  %x = accel.alloc @"s ram" : memref<8xf32>
  %t = accel.copy @"dma-in" %a[%zero] -> %x[%zero] box [8:1:1] limits [%eight] : memref<8xf32> -> memref<8xf32>
  accel.wait %t
  accel.exec @"add-8"(%x[%zero], %x[%zero], %x[%zero]) strides [[1], [1], [1]] : memref<8xf32>, memref<8xf32>, memref<8xf32>
  %u = accel.copy @dma.out %x[%zero] -> %c[%zero] box [8:1:1] limits [%eight] : memref<8xf32> -> memref<8xf32>
  accel.free %x : memref<8xf32>
}

// CHECK:      isa.hardware @"hw-1" {
// CHECK-NEXT:   isa.memory @"dr\C3\A4m" capacity 1048576 bandwidth 16 latency 10
// CHECK-NEXT:   isa.memory @"s ram" capacity 65536 bandwidth 64 latency 2
// CHECK-NEXT:   isa.transfer @"dma-in" from @"dr\C3\A4m" to @"s ram" bandwidth 16 latency 20 dims 2
// CHECK-NEXT:   isa.transfer @dma.out from @"s ram" to @"dr\C3\A4m" bandwidth 16 latency 20 dims 2
// CHECK-NEXT:   isa.unit @"v-u" count 1
// CHECK-NEXT:   isa.instruction @"add-8" on @"v-u" latency 4 interval 2 (%X: memref<8xf32> in @"s ram", %Y: memref<8xf32> in @"s ram", %O: memref<8xf32> in @"s ram") {
// CHECK:      #isa.mapping<@"hw-1"::@"add-8", operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]>
// CHECK:      accel.program @"add-prog" on @"hw-1"(%a: memref<8xf32>, %b: memref<8xf32>, %c: memref<8xf32>) {
// CHECK:        accel.alloc @"s ram" : memref<8xf32>
// CHECK:        accel.copy @"dma-in" %a[
// CHECK:        accel.exec @"add-8"(
// CHECK:        accel.copy @dma.out %{{.*}} -> %c[

// GENERIC:    isa.hardware @"hw-1" {
// GENERIC:      isa.transfer @"dma-in" from @"dram-0" to @"s ram" bandwidth 16 latency 20 dims 2
// GENERIC:    #isa.mapping<@"hw-1"::@"add-8", operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]>
// GENERIC:    accel.program @"add-prog" on @"hw-1"(
// GENERIC:      accel.exec @"add-8"(
