// RUN: xdsl-opt %s | filecheck %s
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

// Every statement form, strided and offset accesses, constants, local buffers.
isa.kernel @statements(%A : memref<8x16xf32>, %B : memref<16x4xf32>, %C : memref<8x4xf32>, %I : memref<1x9x9x2xf32>, %F : memref<3x3x2xf32>, %O : memref<1x4x4x2xf32>, %v : memref<4xf32>, %Y : memref<8x4xf32>) {
  %T = isa.buffer : memref<8x4xf32>
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 8, j < 4, k < 16
  isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for n < 1, h < 4, w < 4, c < 2, r < 3, s < 3
  isa.compute %T[i, j] = %C[i, j] for i < 8, j < 4
  isa.compute %Y[i, j] = %T[i, j] + %v[j] for i < 8, j < 4
  isa.compute %Y[i, j] = %T[i, j] - %C[7 - i, 3] for i < 8, j < 4
  isa.compute %Y[i, j] = %T[i, j] * %A[i, j + 12] for i < 8, j < 4
  isa.compute %Y[i, j] = sigmoid(%T[i, j]) for i < 8, j < 4
  isa.compute %Y[i, j] = tanh(%T[i, j]) for i < 8, j < 4
  isa.compute %Y[i, j] = exp(%T[i, j]) for i < 8, j < 4
  isa.compute %Y[i, j] = relu(%T[i, j]) for i < 8, j < 4
  isa.compute %Y[i, j] = neg(%T[i, j]) for i < 8, j < 4 {note = "kept"}
  isa.compute %v[j] += %A[2*j, k] for j < 4, k < 16
}

// CHECK:      builtin.module {
// CHECK-NEXT:   isa.kernel @statements(%A: memref<8x16xf32>, %B: memref<16x4xf32>, %C: memref<8x4xf32>, %I: memref<1x9x9x2xf32>, %F: memref<3x3x2xf32>, %O: memref<1x4x4x2xf32>, %v: memref<4xf32>, %Y: memref<8x4xf32>) {
// CHECK-NEXT:     %T = isa.buffer : memref<8x4xf32>
// CHECK-NEXT:     isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 8, j < 4, k < 16
// CHECK-NEXT:     isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for n < 1, h < 4, w < 4, c < 2, r < 3, s < 3
// CHECK-NEXT:     isa.compute %T[i, j] = %C[i, j] for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = %T[i, j] + %v[j] for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = %T[i, j] - %C[-i + 7, 3] for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = %T[i, j] * %A[i, j + 12] for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = sigmoid(%T[i, j]) for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = tanh(%T[i, j]) for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = exp(%T[i, j]) for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = relu(%T[i, j]) for i < 8, j < 4
// CHECK-NEXT:     isa.compute %Y[i, j] = neg(%T[i, j]) for i < 8, j < 4 {note = "kept"}
// CHECK-NEXT:     isa.compute %v[j] += %A[2*j, k] for j < 4, k < 16
// CHECK-NEXT:   }

// GENERIC:      "isa.kernel"() <{sym_name = "statements"}> ({
// GENERIC-NEXT: ^bb0(%A: memref<8x16xf32>, %B: memref<16x4xf32>, %C: memref<8x4xf32>, %I: memref<1x9x9x2xf32>, %F: memref<3x3x2xf32>, %O: memref<1x4x4x2xf32>, %v: memref<4xf32>, %Y: memref<8x4xf32>):
// GENERIC-NEXT:   %T = "isa.buffer"() : () -> memref<8x4xf32>
// GENERIC-NEXT:   "isa.compute"(%C, %A, %B) <{kind = #isa<kind mac>, indices = ["i", "j", "k"], bounds = array<i64: 8, 4, 16>, accesses = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>]}> : (memref<8x4xf32>, memref<8x16xf32>, memref<16x4xf32>) -> ()
// GENERIC-NEXT:   "isa.compute"(%O, %I, %F) <{kind = #isa<kind mac>, indices = ["n", "h", "w", "c", "r", "s"], bounds = array<i64: 1, 4, 4, 2, 3, 3>, accesses = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, ((d1 * 2) + d4), ((d2 * 2) + d5), d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>]}> : (memref<1x4x4x2xf32>, memref<1x9x9x2xf32>, memref<3x3x2xf32>) -> ()
// GENERIC-NEXT:   "isa.compute"(%T, %C) <{kind = #isa<kind copy>
// GENERIC-NEXT:   "isa.compute"(%Y, %T, %v) <{kind = #isa<kind add>
// GENERIC-NEXT:   "isa.compute"(%Y, %T, %C) <{kind = #isa<kind sub>, indices = ["i", "j"], bounds = array<i64: 8, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (((d0 * -1) + 7), 3)>]}>
// GENERIC-NEXT:   "isa.compute"(%Y, %T, %A) <{kind = #isa<kind mul>
// GENERIC-NEXT:   "isa.compute"(%Y, %T) <{kind = #isa<kind sigmoid>
// GENERIC-NEXT:   "isa.compute"(%Y, %T) <{kind = #isa<kind tanh>
// GENERIC-NEXT:   "isa.compute"(%Y, %T) <{kind = #isa<kind exp>
// GENERIC-NEXT:   "isa.compute"(%Y, %T) <{kind = #isa<kind relu>
// GENERIC-NEXT:   "isa.compute"(%Y, %T) <{kind = #isa<kind neg>, {{.*}}}> {note = "kept"}
// GENERIC-NEXT:   "isa.compute"(%v, %A) <{kind = #isa<kind sum>, {{.*}}}> : (memref<4xf32>, memref<8x16xf32>) -> ()

// A hardware description with every node kind, a clock (MHz) and a native target.
isa.hardware @tiny clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] attributes {vendor = "test"} {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
  isa.transfer @store from @sram to @dram bandwidth 8 latency 50 dims 1 granule 32
  isa.unit @mxu count 2
  isa.instruction @mm4 on @mxu latency 8 interval 4 (%X : memref<4x4xf32> in @sram, %W : memref<4x4xf32> in @sram, %Z : memref<4x4xf32> in @sram) {
    isa.compute %Z[i, j] += %X[i, k] * %W[k, j] for i < 4, j < 4, k < 4
  }
  isa.instruction @vsig4 on @mxu latency 8 interval 2 (%X : memref<4xf32> in @sram, %Z : memref<4xf32> in @sram) {
    isa.compute %Z[i] = sigmoid(%X[i]) for i < 4
  }
}

// CHECK:      isa.hardware @tiny clock 1000 cpu "x86-64-v3" features ["avx2", "fma"] attributes {vendor = "test"} {
// CHECK-NEXT:   isa.memory @dram capacity 1048576 bandwidth 16 latency 100
// CHECK-NEXT:   isa.memory @sram capacity 65536 bandwidth 64 latency 2
// CHECK-NEXT:   isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
// CHECK-NEXT:   isa.transfer @store from @sram to @dram bandwidth 8 latency 50 dims 1 granule 32
// CHECK-NEXT:   isa.unit @mxu count 2
// CHECK-NEXT:   isa.instruction @mm4 on @mxu latency 8 interval 4 (%X: memref<4x4xf32> in @sram, %W: memref<4x4xf32> in @sram, %Z: memref<4x4xf32> in @sram) {
// CHECK-NEXT:     isa.compute %Z[i, j] += %X[i, k] * %W[k, j] for i < 4, j < 4, k < 4
// CHECK-NEXT:   }
// CHECK-NEXT:   isa.instruction @vsig4 on @mxu latency 8 interval 2 (%X: memref<4xf32> in @sram, %Z: memref<4xf32> in @sram) {
// CHECK-NEXT:     isa.compute %Z[i] = sigmoid(%X[i]) for i < 4
// CHECK-NEXT:   }
// CHECK-NEXT: }

// A cache with its geometry (8 ways of 64-byte lines), the TLB that translates
// its accesses, and an engine filling it whose prefetching follows rows up to
// 2048 bytes apart.
isa.hardware @cached {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache ways 8 line 64
  isa.tlb @dtlb for @l1 entries 64 page 4096
  isa.transfer @fill from @dram to @l1 bandwidth 16 latency 100 dims 4 granule 64 prefetch 2048
}

// CHECK:      isa.hardware @cached {
// CHECK-NEXT:   isa.memory @dram capacity 1048576 bandwidth 16 latency 100
// CHECK-NEXT:   isa.memory @l1 capacity 32768 bandwidth 64 latency 4 cache ways 8 line 64
// CHECK-NEXT:   isa.tlb @dtlb for @l1 entries 64 page 4096
// CHECK-NEXT:   isa.transfer @fill from @dram to @l1 bandwidth 16 latency 100 dims 4 granule 64 prefetch 2048
// CHECK-NEXT: }

// GENERIC:      "isa.hardware"() <{sym_name = "tiny", clock = 1000 : i64, cpu = "x86-64-v3", features = ["avx2", "fma"]}> ({
// GENERIC-NEXT:   "isa.memory"() <{sym_name = "dram", capacity = 1048576 : i64, bandwidth = 16 : i64, latency = 100 : i64}> : () -> ()
// GENERIC-NEXT:   "isa.memory"() <{sym_name = "sram", capacity = 65536 : i64, bandwidth = 64 : i64, latency = 2 : i64}> : () -> ()
// GENERIC-NEXT:   "isa.transfer"() <{sym_name = "load", source = @dram, target = @sram, bandwidth = 16 : i64, latency = 50 : i64, dims = 2 : i64}> : () -> ()
// GENERIC-NEXT:   "isa.transfer"() <{sym_name = "store", source = @sram, target = @dram, bandwidth = 8 : i64, latency = 50 : i64, dims = 1 : i64, granule = 32 : i64}> : () -> ()
// GENERIC-NEXT:   "isa.unit"() <{sym_name = "mxu", count = 2 : i64}> : () -> ()
// GENERIC-NEXT:   "isa.instruction"() <{sym_name = "mm4", unit = @mxu, memories = [@sram, @sram, @sram], latency = 8 : i64, interval = 4 : i64}> ({
// GENERIC-NEXT:   ^bb0(%X: memref<4x4xf32>, %W: memref<4x4xf32>, %Z: memref<4x4xf32>):
// GENERIC-NEXT:     "isa.compute"(%Z, %X, %W) <{kind = #isa<kind mac>
// GENERIC-NEXT:   }) : () -> ()
// GENERIC:      }) {vendor = "test"} : () -> ()

// GENERIC:      "isa.hardware"() <{sym_name = "cached"}> ({
// GENERIC:        "isa.memory"() <{sym_name = "l1", capacity = 32768 : i64, bandwidth = 64 : i64, latency = 4 : i64, cache, ways = 8 : i64, line = 64 : i64}> : () -> ()
// GENERIC:        "isa.tlb"() <{sym_name = "dtlb", memory = @l1, entries = 64 : i64, page = 4096 : i64}> : () -> ()
// GENERIC:        "isa.transfer"() <{sym_name = "fill", source = @dram, target = @l1, bandwidth = 16 : i64, latency = 100 : i64, dims = 4 : i64, granule = 64 : i64, prefetch = 2048 : i64}> : () -> ()
