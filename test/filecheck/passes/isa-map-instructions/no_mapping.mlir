// RUN: xdsl-opt %s --split-input-file -p isa-map-instructions --verify-diagnostics | filecheck %s --match-full-lines
// RUN: not isamapper-opt %s --split-input-file -p isa-map-instructions 2>&1 | filecheck %s --check-prefix=OPT --match-full-lines --strict-whitespace

// Statements that must not map, each on a small hardware written in its chunk
// (the module's only isa.hardware, so no option is needed). The pass fails
// with, per instruction of the hardware, why that instruction cannot run the
// statement. Each case after the first starts by matching the chunk separator
// xdsl-opt prints between chunks (see dialects/isa/invalid.mlir).
//
// The second RUN line shows how isamapper-opt reports the first failure:
// file:line:col of the statement, its source line, a caret, then the reasons.
// (It stops at the first chunk, whose line numbers are the file's.)

// ===== (a) An index used by all three operands cannot use a matrix unit =====
// c is in %O, %X and %F: on @mm4's i, %F would need W to use i; on j, %X would
// need X to use j; k is a reduction index.
isa.hardware @mx {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @spad capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @spad bandwidth 16 latency 10 dims 2
  isa.transfer @store from @spad to @dram bandwidth 16 latency 10 dims 2
  isa.unit @array count 1
  isa.instruction @mm4 on @array latency 8 interval 4 (%X : memref<4x4xf32> in @spad, %W : memref<4x4xf32> in @spad, %O : memref<4x4xf32> in @spad) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 4, j < 4, k < 4
  }
}
isa.kernel @elementwise_product(%X : memref<64xf32>, %F : memref<64xf32>, %O : memref<64xf32>) {
  isa.compute %O[c] += %X[c] * %F[c] for c < 64
}
// CHECK:      isa-map-instructions: the statement has no mapping on @mx:
// CHECK-NEXT:   @mm4: no index of the statement fits an index of @mm4 (used by `i`: O, X; `j`: O, W; `k`: X, W): `c`, used by %O, %X, %F, cannot go to `i` (%F uses `c` but W does not use `i`); nor to `j` (%X uses `c` but X does not use `j`); nor to `k` (`c` is parallel but `k` is a reduction index)

// OPT:isamapper-opt: {{.*}}no_mapping.mlir:[[# @LINE - 5]]:3: error: isa-map-instructions: the statement has no mapping on @mx:
// OPT-NEXT:    isa.compute %O[c] += %X[c] * %F[c] for c < 64
// OPT-NEXT:    ^
// OPT-NEXT:  @mm4: no index of the statement fits an index of @mm4 (used by `i`: O, X; `j`: O, W; `k`: X, W): `c`, used by %O, %X, %F, cannot go to `i` (%F uses `c` but W does not use `i`); nor to `j` (%X uses `c` but X does not use `j`); nor to `k` (`c` is parallel but `k` is a reduction index)
// OPT-NOT:{{.*}}

// -----
// CHECK: {{^// -{5}$}}

// ===== (b) An operation the hardware does not have =====
// One reason per instruction, in the hardware's order.
isa.hardware @arith {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd8 on @alu latency 2 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @vreg, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 8
  }
  isa.instruction @vmul8 on @alu latency 3 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @vreg, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] * %Q[i] for i < 8
  }
}
isa.kernel @activation(%A : memref<4x64xf32>, %B : memref<4x64xf32>) {
  isa.compute %B[b, u] = tanh(%A[b, u]) for b < 4, u < 64
}
// CHECK:      isa-map-instructions: the statement has no mapping on @arith:
// CHECK-NEXT:   @vadd8: computes `add`, not `tanh`
// CHECK-NEXT:   @vmul8: computes `mul`, not `tanh`

// -----
// CHECK: {{^// -{5}$}}

// ===== (c) Element types that differ: an f16 kernel on f32 instructions =====
isa.hardware @arith32 {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd8 on @alu latency 2 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @vreg, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 8
  }
}
isa.kernel @half(%A : memref<64xf16>, %B : memref<64xf16>, %C : memref<64xf16>) {
  isa.compute %C[u] = %A[u] + %B[u] for u < 64
}
// CHECK:      isa-map-instructions: the statement has no mapping on @arith32:
// CHECK-NEXT:   @vadd8: works on f32 elements, not f16

// -----
// CHECK: {{^// -{5}$}}

// ===== (d) A transposed operand needs a 2-D strided transfer =====
// The engines here address one strided dimension only. The 4x4 matrix of
// @mv4 (y[i] += M[i, k] * v[k]) is one contiguous run of an 8x4 matrix stored
// row by row, so y = A x maps with the whole 4x4 tile (2 executions). Stored
// transposed (4x8, A[r, m]), the same tile has m with step 1 and r with step
// 8: a 2-D strided transfer, so that mapping is rejected and only mappings
// with one index on the instruction remain (each tile a single strided run).
// The statement still maps: a mapping that puts one kernel index on the
// instruction moves 1-D tiles only, which any engine can do, so transfer
// dimensions alone never leave a statement without any mapping.
isa.hardware @mv {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @spad capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @spad bandwidth 16 latency 10 dims 1
  isa.transfer @store from @spad to @dram bandwidth 16 latency 10 dims 1
  isa.unit @array count 1
  isa.instruction @mv4 on @array latency 8 interval 4 (%M : memref<4x4xf32> in @spad, %V : memref<4xf32> in @spad, %Y : memref<4xf32> in @spad) {
    isa.compute %Y[i] += %M[i, k] * %V[k] for i < 4, k < 4
  }
}
isa.kernel @gemv_n(%A : memref<8x4xf32>, %x : memref<4xf32>, %y : memref<8xf32>) {
  isa.compute %y[m] += %A[m, r] * %x[r] for m < 8, r < 4
}
isa.kernel @gemv_t(%A : memref<4x8xf32>, %x : memref<4xf32>, %y : memref<8xf32>) {
  isa.compute %y[m] += %A[r, m] * %x[r] for m < 8, r < 4
}
// CHECK:      isa.compute %y[m] += %A[m, r] * %x[r] for m < 8, r < 4 mappings [
// CHECK-NEXT:     #isa.mapping<@mv::@mv4, operands = [1, 2, 0], i = [m:4], k = [r:4], outer = [], executions = 2, utilisation = 32/32, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@mv::@mv4, operands = [2, 1, 0], i = [], k = [r:4], outer = [m], executions = 8, utilisation = 32/128, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:   ]
// CHECK:      isa.compute %y[m] += %A[r, m] * %x[r] for m < 8, r < 4 mappings [
// CHECK-NOT:  {{.*}}i = [m:4], k = [r:4]{{.*}}
// CHECK-NEXT:     #isa.mapping<@mv::@mv4, operands = [1, 2, 0], i = [], k = [r:4], outer = [m], executions = 8, utilisation = 32/128, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@mv::@mv4, operands = [1, 2, 0], i = [m:4], k = [], outer = [r], executions = 8, utilisation = 32/128, transfer_dims = [1, 1, 1]>,
// CHECK-NEXT:     #isa.mapping<@mv::@mv4, operands = [2, 1, 0], i = [], k = [r:4], outer = [m], executions = 8, utilisation = 32/128, transfer_dims = [1, 1, 1]>
// CHECK-NEXT:   ]

// -----
// CHECK: {{^// -{5}$}}

// ===== (e) An instruction operand in a memory the kernel's data cannot reach =====
// Q lives in @side, which no transfer engine connects to @dram, the largest
// memory, where kernel tensors live.
isa.hardware @island {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.memory @side capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vmul8 on @alu latency 2 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @side, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] * %Q[i] for i < 8
  }
}
isa.kernel @scale(%A : memref<64xf32>, %B : memref<64xf32>, %C : memref<64xf32>) {
  isa.compute %C[u] = %A[u] * %B[u] for u < 64
}
// CHECK:      isa-map-instructions: the statement has no mapping on @island:
// CHECK-NEXT:   @vmul8: Q lives in @side, which no transfer engine reaches from the kernel's memory

// -----
// CHECK: {{^// -{5}$}}

// ===== (e') The same for the output =====
// Kernel tensors live in @dram (the largest memory); an engine loads @vreg
// from it but none stores back, so the output tile in @vreg cannot be written
// back (the output is checked first).
isa.hardware @late {
  isa.memory @l1 capacity 32768 bandwidth 64 latency 2
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @spill from @vreg to @l1 bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd8 on @alu latency 2 interval 1 (%P : memref<8xf32> in @vreg, %Q : memref<8xf32> in @vreg, %R : memref<8xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 8
  }
}
isa.kernel @add(%A : memref<64xf32>, %B : memref<64xf32>, %C : memref<64xf32>) {
  isa.compute %C[u] = %A[u] + %B[u] for u < 64
}
// CHECK:      isa-map-instructions: the statement has no mapping on @late:
// CHECK-NEXT:   @vadd8: R lives in @vreg, from which no transfer engine leads back to the kernel's memory
