// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule{fuse=false}' | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"},isa-schedule{fuse=false}' | xdsl-opt | filecheck %s
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' | filecheck %s --check-prefix=NNP

// A 64x64x64 GEMM on the Gemmini-like target, without fusion (which would
// copy A into the scratchpad whole, once, before the first execution). Among
// block plans the cost model prefers a pipeline to loading everything first: B comes in blocks of 32 rows (k) and A
// in blocks of 16x32, each double-buffered so the next block's transfer is in
// flight while the instructions run on the current one. The reduction loop (k) is outside the
// output's (i): each 16-row accumulator block adds into C once per B block.
// Inside a block the 16x16x16 instructions run with the reduction position
// outside, so consecutive executions write different accumulator tiles.
isa.kernel @gemm(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64
}

// CHECK-LABEL: accel.program @gemm on @systolic(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) attributes {reference = @gemm_reference} {
// CHECK-NEXT:    %[[ACC:.*]] = accel.alloc @accum {slots = 2 : i64} : memref<2x16x64xf32>
// CHECK-NEXT:    %[[ABUF:.*]] = accel.alloc @spad {slots = 2 : i64} : memref<2x16x32xf32>
// CHECK-NEXT:    %[[BBUF:.*]] = accel.alloc @spad {slots = 2 : i64} : memref<2x32x64xf32>
// CHECK:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[B:.*]] = accel.copy @mvin %B[%{{.*}}] -> %[[BBUF]][%{{.*}}] box [32:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<2x32x64xf32>
// CHECK:           scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             %[[SLOT:.*]] = arith.remui %[[I]], %{{.*}} : index
// CHECK:             accel.fill %[[ACC]][%{{.*}}] size 1024 : i64 : memref<2x16x64xf32>
// CHECK:             %[[A:.*]] = accel.copy @mvin %A[%{{.*}}] -> %[[ABUF]][%{{.*}}] box [16:64:32, 32:1:1] limits [%{{.*}}, %{{.*}}] : memref<64x64xf32> -> memref<2x16x32xf32>
// CHECK-NEXT:        accel.wait %[[B]], %[[A]]
// CHECK:             scf.for
// CHECK:               scf.for
// CHECK:                 accel.exec @mm16(%[[ABUF]][%{{.*}}], %[[BBUF]][%{{.*}}], %[[ACC]][%{{.*}}]) strides {{\[}}[32, 1], [64, 1], [64, 1]] : memref<2x16x32xf32>, memref<2x32x64xf32>, memref<2x16x64xf32>
// CHECK:             accel.copy @mvout_acc %[[ACC]][%{{.*}}] -> %C[%{{.*}}] box [16:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate : memref<2x16x64xf32> -> memref<64x64xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    accel.free %[[ACC]] : memref<2x16x64xf32>
// CHECK-NEXT:    accel.free %[[ABUF]] : memref<2x16x32xf32>
// CHECK-NEXT:    accel.free %[[BBUF]] : memref<2x32x64xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  isa.kernel @gemm_reference(

// On the NNP-like target tiling has two levels: the SRAM (level 1) and the
// instruction's memories (level 2). The output has a station at each: the
// accumulator block (level 2) is zeroed, accumulated into by the executions
// and added into its SRAM block (level 1), which is added into C. A and B stop
// at level 1 (the SRAM is their instruction memory) and come in 32-wide slices
// of k, double-buffered; the executions address their tiles inside them.
// NNP-LABEL: accel.program @gemm on @nnp(
// NNP-NEXT:    %[[STAGE:.*]] = accel.alloc @sram : memref<64x64xf32>
// NNP-NEXT:    %[[ACC:.*]] = accel.alloc @acc : memref<64x64xf32>
// NNP-NEXT:    %[[ABUF:.*]] = accel.alloc @sram {slots = 2 : i64} : memref<2x64x32xf32>
// NNP-NEXT:    %[[BBUF:.*]] = accel.alloc @sram {slots = 2 : i64} : memref<2x32x64xf32>
// NNP:         accel.fill %[[STAGE]][%{{.*}}] size 4096
// NNP:         accel.fill %[[ACC]][%{{.*}}] size 4096
// NNP:         scf.for
// NNP:           accel.copy @hbm_to_sram %A[%{{.*}}] -> %[[ABUF]][%{{.*}}] box [64:64:32, 32:1:1]
// NNP:           accel.copy @hbm_to_sram %B[%{{.*}}] -> %[[BBUF]][%{{.*}}] box [32:64:64, 64:1:1]
// NNP:           accel.exec @mm32(%[[ABUF]][%{{.*}}], %[[BBUF]][%{{.*}}], %[[ACC]][%{{.*}}])
// NNP:         accel.copy @acc_to_sram %[[ACC]][%{{.*}}] -> %[[STAGE]][%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate
// NNP:         accel.copy @sram_to_hbm %[[STAGE]][%{{.*}}] -> %C[%{{.*}}] box [64:64:64, 64:1:1] limits [%{{.*}}, %{{.*}}] accumulate
