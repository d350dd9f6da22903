// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | xdsl-opt -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=TWICE
// RUN: xdsl-opt %project/examples/gemm_nn.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=EXAMPLE

// GEMM in the three DeepBench layouts (NN, TN: A stored KxM, NT: B stored NxK),
// 64x64x64, on the NNP-like hardware loaded from a file.
//
// Every layout gets the same four mappings:
// - @mm32 with A as X and B as W (operands = [1, 2, 0]): C = A * B, tiles of 32
//   on each index, 2*2*2 = 8 executions, no padding (64^3 = 262144 points,
//   8 * 32^3 issued);
// - @mm32 with the inputs swapped (operands = [2, 1, 0]): the instruction
//   computes C^T = B^T * A^T, so its `i` runs over the kernel's `j` and its `j`
//   over `i`; every tile is read or written transposed, which is still one 2-D
//   strided box per operand (32 of 64 rows/columns, nothing merges);
// - @vfma32 along `i` or along `j` (the input without that index is broadcast),
//   the other two indices outer: 64*64 * 64/32 = 8192 executions, 1-D tiles.
// @vfma32's two inputs are interchangeable, so it is tried in one order only.

isa.kernel @gemm_nn(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64
}
isa.kernel @gemm_tn(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[k, i] * %B[k, j] for i < 64, j < 64, k < 64
}
isa.kernel @gemm_nt(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[j, k] for i < 64, j < 64, k < 64
}

// CHECK:      builtin.module {
// CHECK-NEXT:   isa.kernel @gemm_nn(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) {
// CHECK-NEXT:     isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:   }
// CHECK-NEXT:   isa.kernel @gemm_tn(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) {
// CHECK-NEXT:     isa.compute %C[i, j] += %A[k, i] * %B[k, j] for i < 64, j < 64, k < 64 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:   }
// CHECK-NEXT:   isa.kernel @gemm_nt(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>) {
// CHECK-NEXT:     isa.compute %C[i, j] += %A[i, k] * %B[j, k] for i < 64, j < 64, k < 64 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:   }

// The hardware from the file is copied into the module, after the kernels.
// CHECK-NEXT:   isa.hardware @nnp {
// CHECK-NEXT:     isa.memory @hbm capacity 34359738368 bandwidth 1117 latency 150 read_energy 31.2 write_energy 31.2
// CHECK-NEXT:     isa.memory @sram capacity 62914560 bandwidth 30720 latency 8 read_energy 0.7 write_energy 0.7 area 0.00087
// CHECK-NEXT:     isa.memory @acc capacity 3145728 bandwidth 18432 latency 2 read_energy 0.7 write_energy 0.7 area 0.00087
// CHECK-NEXT:     isa.transfer @hbm_to_sram from @hbm to @sram bandwidth 1117 latency 300 dims 4 energy 0.5
// CHECK-NEXT:     isa.transfer @sram_to_hbm from @sram to @hbm bandwidth 1117 latency 300 dims 4 energy 0.5
// CHECK-NEXT:     isa.transfer @sram_to_acc from @sram to @acc bandwidth 6144 latency 12 dims 2 energy 0.1
// CHECK-NEXT:     isa.transfer @acc_to_sram from @acc to @sram bandwidth 6144 latency 12 dims 2 energy 0.1
// CHECK-NEXT:     isa.unit @mxu count 48 static_energy 256.0 area 0.75
// CHECK-NEXT:     isa.unit @vpu count 24 static_energy 57.0 area 0.048
// CHECK-NEXT:     isa.instruction @mm32 on @mxu latency 64 interval 32 energy 29880.0 (%X: memref<32x32xf32> in @sram, %W: memref<32x32xf32> in @sram, %O: memref<32x32xf32> in @acc) {
// CHECK-NEXT:       isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 32, k < 32
// CHECK-NEXT:     }
// CHECK-NEXT:     isa.instruction @vfma32 on @vpu latency 6 interval 1 energy 399.8 (%X: memref<32xf32> in @sram, %W: memref<32xf32> in @sram, %O: memref<32xf32> in @sram) {
// CHECK-NEXT:       isa.compute %O[i] += %X[i] * %W[i] for i < 32
// CHECK-NEXT:     }
// CHECK-NEXT:     isa.instruction @vadd32 on @vpu latency 4 interval 1 energy 276.9 (%X: memref<32xf32> in @sram, %Y: memref<32xf32> in @sram, %O: memref<32xf32> in @sram) {
// CHECK:          isa.instruction @vtanh32 on @vpu latency 24 interval 8 energy 510.0 (%X: memref<32xf32> in @sram, %O: memref<32xf32> in @sram) {
// CHECK-NEXT:       isa.compute %O[i] = tanh(%X[i]) for i < 32
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }

// Running the pass again with the same hardware file keeps the one copy already
// in the module (and the same mappings).
// TWICE:      isa.kernel @gemm_nn({{.*}}) {
// TWICE-NEXT:     isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64 mappings [
// TWICE-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// TWICE-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 8, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// TWICE-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// TWICE-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 8192, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// TWICE-NEXT:       ]
// TWICE:        isa.hardware @nnp {
// TWICE-NOT:    isa.hardware{{.*}}

// The shipped example (M=128, N=64, K=256): 4*2*8 = 64 executions of @mm32;
// @vfma32 runs 65536 times either way (along `i`: 64*256 outer points times
// 128/32 = 4 tiles; along `j`: 128*256 outer points times 64/32 = 2 tiles).
// EXAMPLE:      isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 128, j < 64, k < 256 mappings [
// EXAMPLE-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 64, utilisation = 2097152/2097152, transfer_dims = [2, 2, 2]>,
// EXAMPLE-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 64, utilisation = 2097152/2097152, transfer_dims = [2, 2, 2]>,
// EXAMPLE-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 65536, utilisation = 2097152/2097152, transfer_dims = [1, 1, 1]>,
// EXAMPLE-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 65536, utilisation = 2097152/2097152, transfer_dims = [1, 1, 1]>
// EXAMPLE-NEXT:   ]
