// RUN: xdsl-opt %project/examples/conv2d_nhwc.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines
// RUN: xdsl-opt %project/examples/conv2d_nhwc.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" statistics=true}' 2>&1 >/dev/null | filecheck %s --match-full-lines --check-prefix=STATS

// The 3x3 NHWC convolution of examples/conv2d_nhwc.mlir (16 -> 32 channels on
// 28x28, input stored padded to 30x30) on the NNP-like hardware.
//
//   %O[n, h, w, f] += %I[n, h + r, w + s, c] * %F[r, s, c, f]
//
// 43 candidates: 40 on @mm32 and 3 on @vfma32.
// STATS: isa-map-instructions: @conv2d_nhwc statement 0: 43 candidates (@mm32: 40, @vfma32: 3) in {{[0-9.]+}} ms

// The best @mm32 mappings put a spatial index (h or w, 28 of 32 lanes) on `i`,
// the output channels f on `j` and 32 lanes' worth of the reduction (r, s, c)
// on `k`: as boxes [r:2, c:16] / [r:3, c:10] / [s:2, c:16] / [s:3, c:10] /
// [r:3, s:3, c:3], or fused(s, c) (s*16 + c is the address step of both %I
// and %F, 48 points in two tiles of 32). Each takes 168 executions (28*3
// outer points times 2 tiles of k, or 28 outer points times ceil(16/3) = 6
// tiles for [r:3, s:3, c:3]) of 32768 lanes, for 28*28*32*3*3*16 = 3612672
// real points.
// Ties are ordered by their text, so the [1, 2, 0] operand order comes first.
//
// transfer_dims follow each tile's own order: the X tile (w, r, c) of
// `i = [w:28], ..., k = [r:2, c:16]` has address steps 16, 480 and 1 in %I,
// no two neighbours continue each other, so it needs a 3-D transfer; with the
// inputs swapped, X = %F's tile (f, r, c) has steps 1, 1536, 32: also 3.
// CHECK:      isa.compute %O[n, h, w, f] += %I[n, h + r, w + s, c] * %F[r, s, c, f] for n < 1, h < 28, w < 28, f < 32, r < 3, s < 3, c < 16 mappings [
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = [r:2, c:16], outer = [n, w, s], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = [r:3, c:10], outer = [n, w, s], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = [r:3, s:3, c:3], outer = [n, w], executions = 168, utilisation = 3612672/5505024, transfer_dims = [4, 2, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = [s:2, c:16], outer = [n, w, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [2, 1, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = [s:3, c:10], outer = [n, w, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [h:28], j = [f:32], k = fused(s, c), outer = [n, w, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [2, 1, 2]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = [r:2, c:16], outer = [n, h, s], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = [r:3, c:10], outer = [n, h, s], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = [r:3, s:3, c:3], outer = [n, h], executions = 168, utilisation = 3612672/5505024, transfer_dims = [4, 2, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = [s:2, c:16], outer = [n, h, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [2, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = [s:3, c:10], outer = [n, h, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 2, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [1, 2, 0], i = [w:28], j = [f:32], k = fused(s, c), outer = [n, h, r], executions = 168, utilisation = 3612672/5505024, transfer_dims = [2, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@mm32, operands = [2, 1, 0], i = [f:32], j = [h:28], k = [r:2, c:16], outer = [n, w, s], executions = 168, utilisation = 3612672/5505024, transfer_dims = [3, 3, 2]>,

// h and w cannot fuse: in the padded input a row is 30 pixels, so h + r moves
// %I by 30*16 = 480 elements, not 28 * 16; r and c cannot fuse either (r moves
// %I by 480, not 16).
// CHECK-NOT:  {{.*}}fused(h, w){{.*}}
// CHECK-NOT:  {{.*}}fused(r{{.*}}

// @vfma32 along f (%I broadcast), h or w (%F broadcast); every other index is
// outer: 28*28*3*3*16 = 112896 executions along f, 28*32*3*3*16 * 1 tile =
// 129024 along h or w (28 of 32 lanes used).
// CHECK:          #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [f:32], outer = [n, h, w, r, s, c], executions = 112896, utilisation = 3612672/3612672, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [h:28], outer = [n, w, f, r, s, c], executions = 129024, utilisation = 3612672/4128768, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@nnp::@vfma32, operands = [1, 2, 0], i = [w:28], outer = [n, h, f, r, s, c], executions = 129024, utilisation = 3612672/4128768, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:   ]
