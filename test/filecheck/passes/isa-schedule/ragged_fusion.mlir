// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/test/targets/dsp_1d.mlir"},isa-schedule{keep-reference=false}' | filecheck %s
// RUN: isamapper-compile %s --hardware %project/test/targets/dsp_1d.mlir -o %t.mlir && isamapper-run %t.mlir --check | filecheck %s --check-prefix=MODEL

// Fusion with ragged tiles (70 is not a multiple of 16 lanes): the intermediates
// stay in the SRAM, where the executions address them in place, allocated with
// padded rows (3x80) that take the last tile's extra lanes; the arguments only
// read are copied in whole into allocations with a spare row (4x70) that the
// last tile's extra lanes may read. Nothing goes back through the DRAM but the
// result.
isa.kernel @chain(%x : memref<3x70xf32>, %y : memref<3x70xf32>, %out : memref<3x70xf32>) {
  %t0 = isa.buffer : memref<3x70xf32>
  %t1 = isa.buffer : memref<3x70xf32>
  isa.compute %t0[b, u] = %x[b, u] + %y[b, u] for b < 3, u < 70
  isa.compute %t1[b, u] = sigmoid(%t0[b, u]) for b < 3, u < 70
  isa.compute %out[b, u] = %t1[b, u] * %x[b, u] for b < 3, u < 70
}

// CHECK-LABEL: accel.program @chain on @dsp
// CHECK:         %t0 = accel.alloc @sram : memref<3x80xf32>
// CHECK:         %x_sram = accel.alloc @sram : memref<4x70xf32>
// CHECK:         accel.copy @dma_in %x[%{{.*}}] -> %x_sram[%{{.*}}] box [210:1:1]
// CHECK:         %y_sram = accel.alloc @sram : memref<4x70xf32>
// CHECK:         accel.exec @vadd(%x_sram[%{{.*}}], %y_sram[%{{.*}}], %t0[%{{.*}}]) strides {{\[}}[1], [1], [1]] : memref<4x70xf32>, memref<4x70xf32>, memref<3x80xf32>
// CHECK:         %t1 = accel.alloc @sram : memref<3x80xf32>
// CHECK:         accel.exec @vsig(%t0[%{{.*}}], %t1[%{{.*}}]) strides {{\[}}[1], [1]] : memref<3x80xf32>, memref<3x80xf32>
// CHECK:         accel.exec @vmul(%t1[%{{.*}}], %x_sram[%{{.*}}], %{{.*}}[%{{.*}}])
// CHECK:         accel.copy @dma_out %{{.*}} -> %out[
// CHECK-NOT:     accel.alloc @dram

// MODEL: check against the reference kernel: passed
