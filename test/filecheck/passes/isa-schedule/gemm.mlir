// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule' | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule' | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s --check-prefix=NNP

// A 64x64x64 GEMM fits the Gemmini-like scratchpad whole: the greedy strategy
// grows the blocks to the full matrices, loads A and B once over the 2-D DMA
// (@mvin), runs the 4x4x4 grid of 16x16x16 instructions (reduction loop outside,
// so consecutive executions write different accumulator tiles) and writes C back
// from the accumulator, adding into it.
isa.kernel @gemm(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64
}

// CHECK-LABEL: accel.program @gemm on @systolic(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) attributes {reference = @gemm_reference} {
// CHECK-NEXT:    %0 = accel.alloc @accum : memref<64x64xf32>
// CHECK-NEXT:    %1 = accel.alloc @spad : memref<64x64xf32>
// CHECK-NEXT:    %2 = accel.alloc @spad : memref<64x64xf32>
// CHECK:         %[[A:.*]] = accel.copy @mvin %A[%{{.*}}] -> %1[%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<64x64xf32>
// CHECK:         %[[B:.*]] = accel.copy @mvin %B[%{{.*}}] -> %2[%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<64x64xf32>
// CHECK:         accel.fill %0[%{{.*}}] size 4096 : i64 : memref<64x64xf32>
// CHECK-NEXT:    accel.wait %[[A]], %[[B]]
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               accel.exec @mm16(%1[%{{.*}}], %2[%{{.*}}], %0[%{{.*}}]) strides {{\[}}[64, 1], [64, 1], [64, 1]] : memref<64x64xf32>, memref<64x64xf32>, memref<64x64xf32>
// CHECK:         accel.copy @mvout_acc %0[%{{.*}}] -> %C[%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate : memref<64x64xf32> -> memref<64x64xf32>
// CHECK-NEXT:    accel.free %0 : memref<64x64xf32>
// CHECK-NEXT:    accel.free %1 : memref<64x64xf32>
// CHECK-NEXT:    accel.free %2 : memref<64x64xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  isa.kernel @gemm_reference(

// On the NNP-like target the output lives in the accumulator store and goes
// back through the SRAM: two transfers, the second adding into %C.
// NNP-LABEL: accel.program @gemm on @nnp(
// NNP:         %[[ACC:.*]] = accel.alloc @acc : memref<64x64xf32>
// NNP-NEXT:    %[[STAGE:.*]] = accel.alloc @sram : memref<64x64xf32>
// NNP:         accel.copy @hbm_to_sram %A
// NNP:         accel.copy @hbm_to_sram %B
// NNP:         accel.exec @mm32(
// NNP:         accel.copy @acc_to_sram %[[ACC]][%{{.*}}] -> %[[STAGE]][%{{.*}}] box [4096:1:1]
// NNP:         accel.copy @sram_to_hbm %[[STAGE]][%{{.*}}] -> %C[%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate
