// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/test/targets/dsp_1d.mlir"},isa-schedule{keep-reference=false}' | filecheck %s
// RUN: isamapper-compile %s --hardware %project/test/targets/dsp_1d.mlir -o %t.1d.mlir && isamapper-run %t.1d.mlir --check | filecheck %s --check-prefix=MODEL
// RUN: isamapper-compile %s --hardware %project/test/targets/dsp_2d.mlir -o %t.2d.mlir && isamapper-run %t.2d.mlir --check | filecheck %s --check-prefix=MODEL

// On a 1-D DMA (one contiguous run per transfer) a block whose rows are not
// contiguous moves as one transfer per row, not as an infeasible block: the 6
// rows of %A's block (row stride 8, 4 columns) are 6 copies, each keeping its
// row's padding limit; %B's block of whole rows is contiguous, so one copy.
// The 2-D twin of the DSP runs the same plan in the same cycles.
isa.kernel @gemm(%A : memref<6x8xf32>, %B : memref<8x16xf32>, %C : memref<6x16xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 6, j < 16, k < 8
}

// CHECK-LABEL: accel.program @gemm on @dsp
// CHECK:         %[[B:.*]] = accel.copy @dma_in %B[%{{.*}}] -> %1[%{{.*}}] box [4:16:16, 16:1:1] limits
// CHECK:         %[[A0:.*]] = accel.copy @dma_in %A[%[[A:.*]]] -> %2[%[[S:.*]]] box [1:8:4, 4:1:1, 1:0:1] limits [%[[ROWS:.*]], %{{.*}}, %{{.*}}]
// CHECK:         %[[A1ROWS:.*]] = arith.subi %[[ROWS]], %{{.*}} : index
// CHECK-NEXT:    %[[A1:.*]] = accel.copy @dma_in %A[%{{.*}}] -> %2[%{{.*}}] box [1:8:4, 4:1:1, 1:0:1] limits [%[[A1ROWS]], %{{.*}}, %{{.*}}]
// CHECK-COUNT-4: accel.copy @dma_in %A[%{{.*}}] -> %2[%{{.*}}] box [1:8:4, 4:1:1, 1:0:1]
// CHECK:         accel.wait %[[B]], %[[A0]], %[[A1]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
// CHECK-NOT:     accel.copy @dma_in %A
// CHECK:         accel.exec @vmacs(

// MODEL:    cycles: 217
// MODEL:    check against the reference kernel: passed
