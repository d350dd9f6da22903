// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=NNP
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/systolic.mlir"}' | filecheck %s --match-full-lines --check-prefix=SYS

// Sizes that do not divide the instruction: the last tile of an index is
// padded. `executions` counts every run of the instruction, padded ones
// included, and `utilisation = real/issued` is the statement's points over
// executions * the instruction's points.

// A 33x50x70 GEMM: 33 * 50 * 70 = 115500 real points.
isa.kernel @gemm_odd(%A : memref<33x70xf32>, %B : memref<70x50xf32>, %C : memref<33x50xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 33, j < 50, k < 70
}

// A 4x20 sigmoid: 80 real points.
isa.kernel @sig(%X : memref<4x20xf32>, %Y : memref<4x20xf32>) {
  isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 20
}

// ===== NNP-like: 32x32x32 @mm32, 32-lane vectors =====
//
// @mm32: ceil(33/32) * ceil(50/32) * ceil(70/32) = 2 * 2 * 3 = 12 executions,
// 12 * 32^3 = 393216 issued.
// @vfma32 along j: 33 * 70 outer points * ceil(50/32) = 2 tiles = 4620
// executions, 4620 * 32 = 147840 issued; along i: 50 * 70 * ceil(33/32) = 7000
// executions, 224000 issued. The better utilisation comes first.
// NNP:      isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 33, j < 50, k < 70 mappings [
// NNP-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [i:32], j = [j:32], k = [k:32], outer = [], executions = 12, utilisation = 115500/393216, transfer_dims = [2, 2, 2]>,
// NNP-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [j:32], j = [i:32], k = [k:32], outer = [], executions = 12, utilisation = 115500/393216, transfer_dims = [2, 2, 2]>,
// NNP-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [j:32], outer = [i, k], executions = 4620, utilisation = 115500/147840, transfer_dims = [1, 1, 1]>,
// NNP-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [i:32], outer = [j, k], executions = 7000, utilisation = 115500/224000, transfer_dims = [1, 1, 1]>
// NNP-NEXT:   ]

// @vsigmoid32 on the box [b:4, u:8]: ceil(4/4) * ceil(20/8) = 3 executions,
// 96 issued (the third tile holds u = 16..19 only). fused(b, u): the 80
// elements are one contiguous run, ceil(80/32) = 3 executions. u alone: 4 rows
// of ceil(20/32) = 1 tile, 4 executions, 128 issued. b alone: 20 executions of
// 4 used lanes, 640 issued.
// NNP:      isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 20 mappings [
// NNP-NEXT:     #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [b:4, u:8], outer = [], executions = 3, utilisation = 80/96, transfer_dims = [2, 2]>,
// NNP-NEXT:     #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = fused(b, u), outer = [], executions = 3, utilisation = 80/96, transfer_dims = [1, 1]>,
// NNP-NEXT:     #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [u:20], outer = [b], executions = 4, utilisation = 80/128, transfer_dims = [1, 1]>,
// NNP-NEXT:     #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [b:4], outer = [u], executions = 20, utilisation = 80/640, transfer_dims = [1, 1]>
// NNP-NEXT:   ]

// ===== Gemmini-like: 16x16x16 @mm16, scalar host instructions =====
//
// @mm16: ceil(33/16) * ceil(50/16) * ceil(70/16) = 3 * 4 * 5 = 60 executions,
// 60 * 16^3 = 245760 issued. The host's scalar @sfma has a single lane: every
// index is outer, 115500 executions and no padding.
// SYS:      isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 33, j < 50, k < 70 mappings [
// SYS-NEXT:     #isa.mapping<@systolic::@mm16, operands = [1, 2, 0], i = [i:16], j = [j:16], k = [k:16], outer = [], executions = 60, utilisation = 115500/245760, transfer_dims = [2, 2, 2]>,
// SYS-NEXT:     #isa.mapping<@systolic::@mm16, operands = [2, 1, 0], i = [j:16], j = [i:16], k = [k:16], outer = [], executions = 60, utilisation = 115500/245760, transfer_dims = [2, 2, 2]>,
// SYS-NEXT:     #isa.mapping<@systolic::@sfma, operands = [1, 2, 0], i = [], outer = [i, j, k], executions = 115500, utilisation = 115500/115500, transfer_dims = [1, 1, 1]>
// SYS-NEXT:   ]
// SYS:      isa.compute %Y[b, u] = sigmoid(%X[b, u]) for b < 4, u < 20 mappings [
// SYS-NEXT:     #isa.mapping<@systolic::@ssigmoid, operands = [1, 0], i = [], outer = [b, u], executions = 80, utilisation = 80/80, transfer_dims = [1, 1]>
// SYS-NEXT:   ]
