// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"}' | filecheck %s --match-full-lines --check-prefix=SYS
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=SYS-STATS
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/cpu_avx2.mlir"}' | filecheck %s --match-full-lines --check-prefix=AVX
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/cpu_avx2.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=AVX-STATS

// A GEMM and a sigmoid gate on the two other shipped hardware descriptions.

isa.kernel @gemm(%A : memref<64x64xf32>, %B : memref<64x64xf32>, %C : memref<64x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64
}
isa.kernel @gate(%X : memref<4x64xf32>, %Y : memref<4x64xf32>) {
  isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 64
}

// ===== systolic.mlir: 16x16x16 array plus scalar host instructions =====
//
// The GEMM maps onto @mm16 in both operand orders (4*4*4 = 64 executions) and
// onto the host's scalar @sfma. The host instructions have one lane (`i < 1`),
// so no kernel index can go onto `i` (`i = []`) and every index is an outer
// loop: one execution per point. The sigmoid has no array instruction, only
// the host's @ssigmoid.
// SYS-STATS:      isa-map-instructions: @gemm statement 0: 3 candidates (@mm16: 2, @sfma: 1) in {{[0-9.]+}} ms
// SYS-STATS-NEXT: isa-map-instructions: @gate statement 0: 1 candidate (@ssigmoid: 1) in {{[0-9.]+}} ms

// SYS:      isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64 mappings [
// SYS-NEXT:     #isa.mapping<@systolic::@mm16, operands = [1, 2, 0], i = [i:16], j = [j:16], k = [k:16], outer = [], executions = 64, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// SYS-NEXT:     #isa.mapping<@systolic::@mm16, operands = [2, 1, 0], i = [j:16], j = [i:16], k = [k:16], outer = [], executions = 64, utilisation = 262144/262144, transfer_dims = [2, 2, 2]>,
// SYS-NEXT:     #isa.mapping<@systolic::@sfma, operands = [1, 2, 0], i = [], outer = [i, j, k], executions = 262144, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// SYS-NEXT:   ]
// SYS:      isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 64 mappings [
// SYS-NEXT:     #isa.mapping<@systolic::@ssigmoid, operands = [1, 0], i = [], outer = [b, u], executions = 256, utilisation = 256/256, transfer_dims = [1, 1]>
// SYS-NEXT:   ]
// SYS:      isa.hardware @systolic {

// ===== cpu_avx2.mlir: 8-lane AVX2 vectors =====
//
// The GEMM runs on @vfmadd8 along i (B's element broadcast) or along j (A's
// element broadcast), and on the broadcast FMA @vfmadd8_bcast,
// O[j] += X[0] * W[j]: either with A[i, k] as the scalar X and a row of B
// and C as W and O (operands = [1, 2, 0], j = [j:8]), the usual micro-kernel
// step, or with B[k, j] as the scalar and a column of A and C (the inputs
// swapped, j = [i:8]). Each takes 64*64 * 64/8 = 32768 executions.
// The sigmoid: a [b:4, u:2] box, a row piece [u:8] or the fused (b, u) run
// fill all 8 lanes (32 executions); b alone fills 4 of them.
// AVX-STATS:      isa-map-instructions: @gemm statement 0: 4 candidates (@vfmadd8: 2, @vfmadd8_bcast: 2) in {{[0-9.]+}} ms
// AVX-STATS-NEXT: isa-map-instructions: @gate statement 0: 4 candidates (@vsigmoid8: 4) in {{[0-9.]+}} ms

// AVX:      isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 64, k < 64 mappings [
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vfmadd8, operands = [1, 2, 0], i = [i:8], outer = [j, k], executions = 32768, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vfmadd8, operands = [1, 2, 0], i = [j:8], outer = [i, k], executions = 32768, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vfmadd8_bcast, operands = [1, 2, 0], j = [j:8], outer = [i, k], executions = 32768, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vfmadd8_bcast, operands = [2, 1, 0], j = [i:8], outer = [j, k], executions = 32768, utilisation = 262144/262144, transfer_dims = [1, 1, 1]>
// AVX-NEXT:   ]
// AVX:      isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 64 mappings [
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vsigmoid8, operands = [1, 0], i = [b:4, u:2], outer = [], executions = 32, utilisation = 256/256, transfer_dims = [2, 2]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vsigmoid8, operands = [1, 0], i = [u:8], outer = [b], executions = 32, utilisation = 256/256, transfer_dims = [1, 1]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vsigmoid8, operands = [1, 0], i = fused(b, u), outer = [], executions = 32, utilisation = 256/256, transfer_dims = [1, 1]>,
// AVX-NEXT:     #isa.mapping<@cpu_avx2::@vsigmoid8, operands = [1, 0], i = [b:4], outer = [u], executions = 64, utilisation = 256/512, transfer_dims = [1, 1]>
// AVX-NEXT:   ]
// AVX:      isa.hardware @cpu_avx2 clock 3000 cpu "x86-64-v3" features ["avx2", "fma"] {
