// RUN: xdsl-opt %project/examples/depthwise_conv.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=DW
// RUN: xdsl-opt %project/examples/depthwise_conv.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=DW-STATS
// RUN: xdsl-opt %project/examples/pointwise_conv.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=PW
// RUN: xdsl-opt %project/examples/pointwise_conv.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=PW-STATS
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=MB
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" check-soundness=true}' | filecheck %s --match-full-lines --check-prefix=MB
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=MB-STATS
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=BATCH
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=BATCH-STATS

// Depthwise-separable convolutions on the NNP-like hardware: the depthwise and
// pointwise examples, the MobileNet block that chains them, and a pointwise
// convolution with batch 2 (below).

// ===== Depthwise (examples/depthwise_conv.mlir, stride 2) =====
//
//   %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c]
//
// The channel index c is in all three operands, so on @mm32 it can only be an
// outer loop: each channel is a matrix-vector product, %I's window (h or w on
// the 28 of 32 rows, the 3x3 taps on k) times the 9 taps of %F (one column,
// j = []). Outer n, w, c (or n, h, c): 28*32 = 896 executions of 32^3 lanes
// for 28*28*32*9 = 225792 real points. With only one tap index on k the
// other one is outer too: 3 times as many executions. With the inputs swapped
// (operands = [2, 1, 0]) the filter is the row vector (i = []) and the window
// goes on j. %I's window tile has three strided dimensions (h or w, r, s);
// %F's 3x3 taps of one channel are one run of stride 32 (s steps 32, r 96).
//
// @vfma32 runs along c (all operands use it: 28*28*9 = 7056 executions, no
// padding), or along h or w with %F broadcast (28*32*9 = 8064 executions of 32
// lanes, 28 used).
//
// DW-STATS: isa-map-instructions: @depthwise_conv statement 0: 15 candidates (@mm32: 12, @vfma32: 3) in {{[0-9.]+}} ms
// DW:      isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3 mappings [
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [], k = [r:3, s:3], outer = [n, w, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [3, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [], k = [r:3, s:3], outer = [n, h, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [3, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [h:28], k = [r:3, s:3], outer = [n, w, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [1, 3, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [w:28], k = [r:3, s:3], outer = [n, h, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [1, 3, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [], k = [r:3], outer = [n, w, c, s], executions = 2688, utilisation = 225792/88080384, transfer_dims = [2, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [], k = [s:3], outer = [n, w, c, r], executions = 2688, utilisation = 225792/88080384, transfer_dims = [2, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [], k = [r:3], outer = [n, h, c, s], executions = 2688, utilisation = 225792/88080384, transfer_dims = [2, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [], k = [s:3], outer = [n, h, c, r], executions = 2688, utilisation = 225792/88080384, transfer_dims = [2, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [h:28], k = [r:3], outer = [n, w, c, s], executions = 2688, utilisation = 225792/88080384, transfer_dims = [1, 2, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [h:28], k = [s:3], outer = [n, w, c, r], executions = 2688, utilisation = 225792/88080384, transfer_dims = [1, 2, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [w:28], k = [r:3], outer = [n, h, c, s], executions = 2688, utilisation = 225792/88080384, transfer_dims = [1, 2, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [], j = [w:28], k = [s:3], outer = [n, h, c, r], executions = 2688, utilisation = 225792/88080384, transfer_dims = [1, 2, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [c:32], outer = [n, h, w, r, s], executions = 7056, utilisation = 225792/225792, transfer_dims = [1, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [h:28], outer = [n, w, c, r, s], executions = 8064, utilisation = 225792/258048, transfer_dims = [1, 1, 1]>,
// DW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [w:28], outer = [n, h, c, r, s], executions = 8064, utilisation = 225792/258048, transfer_dims = [1, 1, 1]>
// DW-NEXT:   ]

// ===== Pointwise (examples/pointwise_conv.mlir) =====
//
//   %O[n, h, w, k] += %I[n, h, w, c] * %W[c, k]
//
// A GEMM with M = N*H*W: h and w fuse into @mm32's i (h*28 + w is the address
// step of %I times 32 and of %O times 64), 784 points in ceil(784/32) = 25
// tiles, times 64/32 = 2 tiles of k: 50 executions, 784*64*32 = 1605632 real
// points of 50 * 32768 issued. Without fusion, h or w alone fills 28 of 32
// rows: 28 * 2 = 56 executions.
//
// With the inputs swapped and j covering w (j = fused(h, w), j = [w:28]), the
// W tile is W[c][w...] (c outer) while %I holds c innermost: a transposed,
// 2-D strided tile.
//
// PW-STATS: isa-map-instructions: @pointwise_conv statement 0: 10 candidates (@mm32: 6, @vfma32: 4) in {{[0-9.]+}} ms
// PW:      isa.compute %O[n, h, w, k] += %I[n, h, w, c] * %W[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32 mappings [
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = fused(h, w), j = [k:32], k = [c:32], outer = [n], executions = 50, utilisation = 1605632/1638400, transfer_dims = [1, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [k:32], j = fused(h, w), k = [c:32], outer = [n], executions = 50, utilisation = 1605632/1638400, transfer_dims = [2, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [k:32], k = [c:32], outer = [n, w], executions = 56, utilisation = 1605632/1835008, transfer_dims = [2, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [k:32], k = [c:32], outer = [n, h], executions = 56, utilisation = 1605632/1835008, transfer_dims = [1, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [k:32], j = [h:28], k = [c:32], outer = [n, w], executions = 56, utilisation = 1605632/1835008, transfer_dims = [2, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [k:32], j = [w:28], k = [c:32], outer = [n, h], executions = 56, utilisation = 1605632/1835008, transfer_dims = [2, 2, 2]>,
// PW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [k:32], outer = [n, h, w, c], executions = 50176, utilisation = 1605632/1605632, transfer_dims = [1, 1, 1]>,
// PW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = fused(h, w), outer = [n, k, c], executions = 51200, utilisation = 1605632/1638400, transfer_dims = [1, 1, 1]>,
// PW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [h:28], outer = [n, w, k, c], executions = 57344, utilisation = 1605632/1835008, transfer_dims = [1, 1, 1]>,
// PW-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [w:28], outer = [n, h, k, c], executions = 57344, utilisation = 1605632/1835008, transfer_dims = [1, 1, 1]>
// PW-NEXT:   ]

// ===== MobileNet block (examples/mobilenet_dwsep_block.mlir) =====
//
// Three statements: the depthwise convolution (stride 1 here) maps like the
// one above, the ReLU onto @vrelu32, the pointwise convolution like the one
// above (fused h, w on @mm32 first).
//
// MB-STATS:      isa-map-instructions: @mobilenet_dwsep_block statement 0: 15 candidates (@mm32: 12, @vfma32: 3) in {{[0-9.]+}} ms
// MB-STATS-NEXT: isa-map-instructions: @mobilenet_dwsep_block statement 1: 6 candidates (@vrelu32: 6) in {{[0-9.]+}} ms
// MB-STATS-NEXT: isa-map-instructions: @mobilenet_dwsep_block statement 2: 10 candidates (@mm32: 6, @vfma32: 4) in {{[0-9.]+}} ms

// MB:      isa.compute %T[n, h, w, c] += %I[n, h + r, w + s, c] * %Fd[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3 mappings [
// MB-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [], k = [r:3, s:3], outer = [n, w, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [3, 1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [], k = [r:3, s:3], outer = [n, h, c], executions = 896, utilisation = 225792/29360128, transfer_dims = [3, 1, 1]>,
// MB:          #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [c:32], outer = [n, h, w, r, s], executions = 7056, utilisation = 225792/225792, transfer_dims = [1, 1, 1]>,

// The ReLU (28*28*32 = 25088 points): along c, or fused over (h, w, c) or
// (w, c), all 784 executions without padding; fused (h, w) with c outer pads
// 784 to 25 tiles (800 executions); h or w alone fills 28 of 32 lanes.
// MB:      isa.compute %U[n, h, w, c] = relu(%T[n, h, w, c]) for n < 1, h < 28, w < 28, c < 32 mappings [
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = [c:32], outer = [n, h, w], executions = 784, utilisation = 25088/25088, transfer_dims = [1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = fused(h, w, c), outer = [n], executions = 784, utilisation = 25088/25088, transfer_dims = [1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = fused(w, c), outer = [n, h], executions = 784, utilisation = 25088/25088, transfer_dims = [1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = fused(h, w), outer = [n, c], executions = 800, utilisation = 25088/25600, transfer_dims = [1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = [h:28], outer = [n, w, c], executions = 896, utilisation = 25088/28672, transfer_dims = [1, 1]>,
// MB-NEXT:     #isa.mapping<@nnp::@vrelu32, operands = [1, 0], i = [w:28], outer = [n, h, c], executions = 896, utilisation = 25088/28672, transfer_dims = [1, 1]>
// MB-NEXT:   ]

// MB-NEXT: isa.compute %O[n, h, w, k] += %U[n, h, w, c] * %Wp[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32 mappings [
// MB-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = fused(h, w), j = [k:32], k = [c:32], outer = [n], executions = 50, utilisation = 1605632/1638400, transfer_dims = [1, 2, 2]>,

// ===== Pointwise with batch 2 (inline) =====
//
// With n = 2, n, h and w all fuse into @mm32's i: 2*14*14 = 392 points in
// ceil(392/32) = 13 tiles, times 2 tiles of k: 26 executions, 392*64*32 =
// 802816 real points of 26 * 32768 = 851968 issued. (n and h alone are only
// 28 points, which fit one tile as the box [n:2, h:14].) @vfma32 takes the
// same fused group with %W broadcast: 13 tiles times 64*32 outer points.

isa.kernel @pointwise_batch2(%I : memref<2x14x14x32xf32>, %W : memref<32x64xf32>, %O : memref<2x14x14x64xf32>) {
  isa.compute %O[n, h, w, k] += %I[n, h, w, c] * %W[c, k] for n < 2, h < 14, w < 14, k < 64, c < 32
}

// BATCH-STATS: isa-map-instructions: @pointwise_batch2 statement 0: 31 candidates (@mm32: 18, @vfma32: 13) in {{[0-9.]+}} ms
// BATCH:      isa.compute %O[n, h, w, k] += %I[n, h, w, c] * %W[c, k] for n < 2, h < 14, w < 14, k < 64, c < 32 mappings [
// BATCH-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = fused(n, h, w), j = [k:32], k = [c:32], outer = [], executions = 26, utilisation = 802816/851968, transfer_dims = [1, 2, 2]>,
// BATCH-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [k:32], j = fused(n, h, w), k = [c:32], outer = [], executions = 26, utilisation = 802816/851968, transfer_dims = [2, 2, 2]>,
// BATCH:          #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [n:2, h:14], j = [k:32], k = [c:32], outer = [w], executions = 28, utilisation = 802816/917504, transfer_dims = [2, 2, 2]>,
// BATCH:          #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [k:32], outer = [n, h, w, c], executions = 25088, utilisation = 802816/802816, transfer_dims = [1, 1, 1]>,
// BATCH-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [n:2, k:16], outer = [h, w, c], executions = 25088, utilisation = 802816/802816, transfer_dims = [2, 2, 2]>,
// BATCH-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = fused(n, h, w), outer = [k, c], executions = 26624, utilisation = 802816/851968, transfer_dims = [1, 1, 1]>,
