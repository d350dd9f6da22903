// RUN: xdsl-opt %s -p 'isa-map-instructions,isa-schedule' 2>&1 >/dev/null | filecheck %s

// When fusion leaves an intermediate in the main memory for want of room or of
// a plan, isa-schedule says so on stderr, with the reason for each memory.
isa.hardware @small {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 1024 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 20 dims 2
  isa.transfer @store from @sram to @dram bandwidth 16 latency 20 dims 2
  isa.unit @vu count 1
  isa.instruction @vadd on @vu latency 2 interval 1 (%X : memref<16xf32> in @sram, %Y : memref<16xf32> in @sram, %O : memref<16xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }
}
isa.kernel @k(%x : memref<512xf32>, %y : memref<512xf32>, %z : memref<512xf32>) {
  %t = isa.buffer : memref<512xf32>
  isa.compute %t[i] = %x[i] + %y[i] for i < 512
  isa.compute %z[i] = %t[i] + %y[i] for i < 512
}

// CHECK: isa-schedule: @k: fusion: %t stays in @dram: in @sram: it takes 2048 bytes, more than half of 1024
