// RUN: xdsl-opt %s | filecheck %s
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s --print-op-generic | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

// The optional energy and area fields of memories, engines, units and
// instructions (integers read as numbers, printed with their point).
isa.hardware @costed {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100 read_energy 31.2 write_energy 31.2
  isa.memory @sram capacity 65536 bandwidth 64 latency 2 read_energy 0.7 write_energy 1 area 0.00087
  isa.memory @plain capacity 4096 bandwidth 64 latency 1
  isa.transfer @in from @dram to @sram bandwidth 16 latency 50 dims 2 energy 1.0e-05
  isa.transfer @out from @sram to @dram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 2 static_energy 3.5 area 0.048
  isa.instruction @vfma on @vpu latency 4 interval 1 energy 17.9 (%X : memref<4xf32> in @sram, %W : memref<4xf32> in @sram, %O : memref<4xf32> in @sram) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 4
  }
}

// CHECK:      isa.memory @dram capacity 1048576 bandwidth 16 latency 100 read_energy 31.2 write_energy 31.2{{$}}
// CHECK-NEXT: isa.memory @sram capacity 65536 bandwidth 64 latency 2 read_energy 0.7 write_energy 1.0 area 0.00087{{$}}
// CHECK-NEXT: isa.memory @plain capacity 4096 bandwidth 64 latency 1{{$}}
// CHECK-NEXT: isa.transfer @in from @dram to @sram bandwidth 16 latency 50 dims 2 energy 1.0e-05{{$}}
// CHECK-NEXT: isa.transfer @out from @sram to @dram bandwidth 16 latency 50 dims 2{{$}}
// CHECK-NEXT: isa.unit @vpu count 2 static_energy 3.5 area 0.048{{$}}
// CHECK-NEXT: isa.instruction @vfma on @vpu latency 4 interval 1 energy 17.9 (%X: memref<4xf32> in @sram, %W: memref<4xf32> in @sram, %O: memref<4xf32> in @sram) {

// GENERIC: "isa.memory"() <{sym_name = "sram", capacity = 65536 : i64, bandwidth = 64 : i64, latency = 2 : i64, read_energy = 7.000000e-01 : f64, write_energy = 1.000000e+00 : f64, area = 8.700000e-04 : f64}> : () -> ()
// GENERIC: "isa.unit"() <{sym_name = "vpu", count = 2 : i64, static_energy = 3.500000e+00 : f64, area = 4.800000e-02 : f64}> : () -> ()
