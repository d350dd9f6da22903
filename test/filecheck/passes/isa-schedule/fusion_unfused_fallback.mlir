// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule' 2>&1 >/dev/null | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule' 2>/dev/null > %t.mlir
// RUN: isamapper-run %t.mlir --check | filecheck %s --check-prefix=MODEL

// Fusion keeps %t (8 KiB) in the 20 KiB SRAM: it fits half of it, and both its
// users run with it there. The matrix multiply between them, live while %t is,
// then has 12 KiB left and needs more, so isa-schedule plans the kernel unfused
// and says so on stderr.
isa.hardware @squeezed {
  isa.memory @dram capacity 1073741824 bandwidth 64 latency 100
  isa.memory @sram capacity 20480 bandwidth 256 latency 4
  isa.memory @acc capacity 16384 bandwidth 256 latency 1
  isa.transfer @in from @dram to @sram bandwidth 64 latency 10 dims 2
  isa.transfer @out from @sram to @dram bandwidth 64 latency 10 dims 2
  isa.transfer @down from @sram to @acc bandwidth 128 latency 2 dims 2
  isa.transfer @up from @acc to @sram bandwidth 128 latency 2 dims 2
  isa.unit @vu count 1
  isa.unit @mu count 1
  isa.instruction @vadd on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram, %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
  isa.instruction @mm on @mu latency 32 interval 32 (%X : memref<32x32xf32> in @sram, %W : memref<32x32xf32> in @sram, %O : memref<32x32xf32> in @acc) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 32, k < 32
  }
}
isa.kernel @k(%a : memref<32x64xf32>, %b : memref<32x64xf32>, %d : memref<32x64xf32>, %c : memref<32x64xf32>, %f : memref<64x64xf32>, %g : memref<64x64xf32>, %e : memref<64x64xf32>) {
  %t = isa.buffer : memref<32x64xf32>
  isa.compute %t[i, j] = %a[i, j] + %b[i, j] for i < 32, j < 64
  isa.compute %e[i, j] += %f[i, k] * %g[k, j] for i < 64, j < 64, k < 64
  isa.compute %c[i, j] = %t[i, j] + %d[i, j] for i < 32, j < 64
}

// CHECK: isa-schedule: @k: fusion: %t planned on chip, but then statement #1 has no plan (no candidate fits the hardware: @mm: {{.*}}); the kernel is scheduled unfused, every tensor in @dram
// MODEL: check against the reference kernel: passed
