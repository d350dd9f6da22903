// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule' | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule' | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s --check-prefix=NNP

// A 64x64x64 GEMM on the Gemmini-like target. The cost model prefers a
// pipeline to loading everything first: B is loaded once whole over the 2-D DMA
// (@mvin); A comes in 16-row blocks, double-buffered (the copy of block n+1
// overlaps the executions on block n), each block's 4x4 grid of 16x16x16
// instructions (reduction loop outside, so consecutive executions write
// different accumulator tiles) accumulates into a double-buffered accumulator
// block that goes back to C, adding into it.
isa.kernel @gemm(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64
}

// CHECK-LABEL: accel.program @gemm on @systolic(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) attributes {reference = @gemm_reference} {
// CHECK-NEXT:    %[[ACC:.*]] = accel.alloc @accum {slots = 2 : i64} : memref<2x16x64xf32>
// CHECK-NEXT:    %[[ABUF:.*]] = accel.alloc @spad {slots = 2 : i64} : memref<2x16x64xf32>
// CHECK-NEXT:    %[[BBUF:.*]] = accel.alloc @spad : memref<64x64xf32>
// CHECK:         %[[B:.*]] = accel.copy @mvin %B[%{{.*}}] -> %[[BBUF]][%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<64x64xf32>
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[SLOT:.*]] = arith.remui %[[I]], %{{.*}} : index
// CHECK:           accel.fill %[[ACC]][%{{.*}}] size 1024 : i64 : memref<2x16x64xf32>
// CHECK:           %[[A:.*]] = accel.copy @mvin %A[%{{.*}}] -> %[[ABUF]][%{{.*}}] box [16:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<2x16x64xf32>
// CHECK-NEXT:      accel.wait %[[B]], %[[A]]
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               accel.exec @mm16(%[[ABUF]][%{{.*}}], %[[BBUF]][%{{.*}}], %[[ACC]][%{{.*}}]) strides {{\[}}[64, 1], [64, 1], [64, 1]] : memref<2x16x64xf32>, memref<64x64xf32>, memref<2x16x64xf32>
// CHECK:           accel.copy @mvout_acc %[[ACC]][%{{.*}}] -> %C[%{{.*}}] box [16:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate : memref<2x16x64xf32> -> memref<64x64xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    accel.free %[[ACC]] : memref<2x16x64xf32>
// CHECK-NEXT:    accel.free %[[ABUF]] : memref<2x16x64xf32>
// CHECK-NEXT:    accel.free %[[BBUF]] : memref<64x64xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  isa.kernel @gemm_reference(

// On the NNP-like target tiling has two levels: the SRAM (level 1) and the
// instruction's memories (level 2). The output has a station at each: the
// accumulator block (level 2) is zeroed, accumulated into by the executions
// and added into its SRAM block (level 1), which is added into C. A and B stop
// at level 1 (the SRAM is their instruction memory): the executions address
// their tiles inside the level-1 blocks.
// NNP-LABEL: accel.program @gemm on @nnp(
// NNP-NEXT:    %[[STAGE:.*]] = accel.alloc @sram {slots = 2 : i64} : memref<2x32x64xf32>
// NNP-NEXT:    %[[ACC:.*]] = accel.alloc @acc {slots = 2 : i64} : memref<2x32x64xf32>
// NNP-NEXT:    %[[ABUF:.*]] = accel.alloc @sram {slots = 2 : i64} : memref<2x32x64xf32>
// NNP-NEXT:    %[[BBUF:.*]] = accel.alloc @sram : memref<64x64xf32>
// NNP:         accel.copy @hbm_to_sram %B
// NNP:         scf.for
// NNP:           accel.fill %[[STAGE]][%{{.*}}] size 2048
// NNP:           accel.fill %[[ACC]][%{{.*}}] size 2048
// NNP:           accel.copy @hbm_to_sram %A
// NNP:           accel.exec @mm32(%[[ABUF]][%{{.*}}], %[[BBUF]][%{{.*}}], %[[ACC]][%{{.*}}])
// NNP:           accel.copy @acc_to_sram %[[ACC]][%{{.*}}] -> %[[STAGE]][%{{.*}}] box [32:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate
// NNP:           accel.copy @sram_to_hbm %[[STAGE]][%{{.*}}] -> %C[%{{.*}}] box [32:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate
