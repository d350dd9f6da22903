// RUN: xdsl-opt %project/examples/gru_cell.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines
// RUN: xdsl-opt %project/examples/gru_cell.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=STATS

// One time step of the GRU cell of examples/gru_cell.mlir (batch 4, input 64,
// hidden 128) on the NNP-like hardware: each of the 12 statements maps onto
// the instruction of its operation only: the two GEMMs onto @mm32 and @vfma32,
// the element-wise statements onto @vadd32, @vsigmoid32, @vmul32, @vtanh32 and
// @vsub32. Element-wise statements over b < 4, u < n get three or four
// mappings: a 2-D box [b:4, u:8] (32 lanes, one execution per 8 columns), u
// alone, fused (b, u) when both operands and the output are exactly 4 x n
// (rows contiguous), and b alone (4 of 32 lanes).

// STATS:      isa-map-instructions: @gru_cell statement 0: 5 candidates (@mm32: 2, @vfma32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 1: 5 candidates (@mm32: 2, @vfma32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 2: 3 candidates (@vadd32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 3: 3 candidates (@vadd32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 4: 3 candidates (@vadd32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 5: 4 candidates (@vsigmoid32: 4) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 6: 3 candidates (@vmul32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 7: 3 candidates (@vadd32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 8: 4 candidates (@vtanh32: 4) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 9: 4 candidates (@vsub32: 4) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 10: 3 candidates (@vmul32: 3) in {{[0-9.]+}} ms
// STATS-NEXT: isa-map-instructions: @gru_cell statement 11: 4 candidates (@vadd32: 4) in {{[0-9.]+}} ms

// CHECK:      isa.kernel @gru_cell({{.*}}) {
// CHECK-NEXT:     %XW = isa.buffer : memref<4x384xf32>
// CHECK-NEXT:     %HU = isa.buffer : memref<4x384xf32>
// CHECK-NEXT:     %XB = isa.buffer : memref<4x384xf32>
// CHECK-NEXT:     %HB = isa.buffer : memref<4x384xf32>
// CHECK-NEXT:     %S = isa.buffer : memref<4x256xf32>
// CHECK-NEXT:     %RZ = isa.buffer : memref<4x256xf32>
// CHECK-NEXT:     %RN = isa.buffer : memref<4x128xf32>
// CHECK-NEXT:     %NP = isa.buffer : memref<4x128xf32>
// CHECK-NEXT:     %N = isa.buffer : memref<4x128xf32>
// CHECK-NEXT:     %D = isa.buffer : memref<4x128xf32>
// CHECK-NEXT:     %E = isa.buffer : memref<4x128xf32>

// 0, 1: the two GEMMs x*W and h*U (batch 4). @mm32 with b on 4 of 32 rows
// (1/8 used): 384/32 = 12 tiles of g times 64/32 = 2 (resp. 128/32 = 4)
// tiles of the reduction: 24 (48) executions. @vfma32 along [b:4, g:8], a 2-D
// box of 32 lanes in which %x / %h is broadcast along g and %W / %U along b
// (hence 2-D transfers for every operand), or along g alone, both without
// padding; or along b alone (4 of 32 lanes).
// CHECK-NEXT:     isa.compute %XW[b, g] += %x[b, i] * %W[i, g] for b < 4, g < 384, i < 64 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [b:4], j = [g:32], k = [i:32], outer = [], executions = 24, utilisation = 98304/786432, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [g:32], j = [b:4], k = [i:32], outer = [], executions = 24, utilisation = 98304/786432, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [b:4, g:8], outer = [i], executions = 3072, utilisation = 98304/98304, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [g:32], outer = [b, i], executions = 3072, utilisation = 98304/98304, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [b:4], outer = [g, i], executions = 24576, utilisation = 98304/786432, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:     isa.compute %HU[b, g] += %h[b, j] * %U[j, g] for b < 4, g < 384, j < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [b:4], j = [g:32], k = [j:32], outer = [], executions = 48, utilisation = 196608/1572864, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [g:32], j = [b:4], k = [j:32], outer = [], executions = 48, utilisation = 196608/1572864, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [b:4, g:8], outer = [j], executions = 6144, utilisation = 196608/196608, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [g:32], outer = [b, j], executions = 6144, utilisation = 196608/196608, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [b:4], outer = [g, j], executions = 49152, utilisation = 196608/1572864, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 2, 3: the bias adds %XB[b, g] = %XW[b, g] + %bx[g]: the bias vector is
// broadcast over the batch (b). 4*384 = 1536 points: 48 executions of
// @vadd32 over [b:4, g:8] or [g:32], 384 over [b:4]. No fused (b, g): %bx
// does not use b.
// CHECK-NEXT:     isa.compute %XB[b, g] = %XW[b, g] + %bx[g] for b < 4, g < 384 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4, g:8], outer = [], executions = 48, utilisation = 1536/1536, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [g:32], outer = [b], executions = 48, utilisation = 1536/1536, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4], outer = [g], executions = 384, utilisation = 1536/12288, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:     isa.compute %HB[b, g] = %HU[b, g] + %bh[g] for b < 4, g < 384 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4, g:8], outer = [], executions = 48, utilisation = 1536/1536, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [g:32], outer = [b], executions = 48, utilisation = 1536/1536, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4], outer = [g], executions = 384, utilisation = 1536/12288, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 4: the sum of the two (r, z) halves, both operands 4x384 buffers read over
// u < 256: rows of 384, so b and u do not fuse.
// CHECK-NEXT:     isa.compute %S[b, u] = %XB[b, u] + %HB[b, u] for b < 4, u < 256 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 32, utilisation = 1024/1024, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 32, utilisation = 1024/1024, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 256, utilisation = 1024/8192, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 5: sigmoid on @vsigmoid32; %S and %RZ are 4x256, all of it is used, so
// (b, u) fuses: one run of 1024 elements in 32 tiles.
// CHECK-NEXT:     isa.compute %RZ[b, u] = sigmoid(%S[b, u]) for b < 4, u < 256 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [b:4, u:8], outer = [], executions = 32, utilisation = 1024/1024, transfer_dims = [2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [u:32], outer = [b], executions = 32, utilisation = 1024/1024, transfer_dims = [1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = fused(b, u), outer = [], executions = 32, utilisation = 1024/1024, transfer_dims = [1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsigmoid32, operands = [1, 0], i = [b:4], outer = [u], executions = 256, utilisation = 1024/8192, transfer_dims = [1, 1]>
// CHECK-NEXT:       ]

// 6: r * (h Un + bhn) on @vmul32; the second operand is read at the
// constant offset u + 256 of a 384-wide row (no fusion).
// CHECK-NEXT:     isa.compute %RN[b, u] = %RZ[b, u] * %HB[b, u + 256] for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 7: x Wn + bxn + r * (...) on @vadd32, %XB read at offset u + 256 (no fusion).
// CHECK-NEXT:     isa.compute %NP[b, u] = %XB[b, u + 256] + %RN[b, u] for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 8: tanh on @vtanh32 (4x128 buffers, fused (b, u) allowed).
// CHECK-NEXT:     isa.compute %N[b, u] = tanh(%NP[b, u]) for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vtanh32, operands = [1, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vtanh32, operands = [1, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vtanh32, operands = [1, 0], i = fused(b, u), outer = [], executions = 16, utilisation = 512/512, transfer_dims = [1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vtanh32, operands = [1, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1]>
// CHECK-NEXT:       ]

// 9: h - n on @vsub32, operands in the statement's order (subtraction does not
// commute).
// CHECK-NEXT:     isa.compute %D[b, u] = %h[b, u] - %N[b, u] for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vsub32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsub32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsub32, operands = [1, 2, 0], i = fused(b, u), outer = [], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vsub32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 10: z * (h - n) on @vmul32, z read at offset u + 128 of %RZ.
// CHECK-NEXT:     isa.compute %E[b, u] = %RZ[b, u + 128] * %D[b, u] for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vmul32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]

// 11: h' = n + z * (h - n) on @vadd32.
// CHECK-NEXT:     isa.compute %h_next[b, u] = %N[b, u] + %E[b, u] for b < 4, u < 128 mappings [
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4, u:8], outer = [], executions = 16, utilisation = 512/512, transfer_dims = [2, 2, 2]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [u:32], outer = [b], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = fused(b, u), outer = [], executions = 16, utilisation = 512/512, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:         #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [b:4], outer = [u], executions = 128, utilisation = 512/4096, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:       ]
// CHECK-NEXT:   }
