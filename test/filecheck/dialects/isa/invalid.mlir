// RUN: xdsl-opt %s --split-input-file --parsing-diagnostics --verify-diagnostics | filecheck %s

// Error messages of the isa dialect's parser and verifiers, one case per chunk.
// `--parsing-diagnostics` is needed for the parse-error cases: without it
// xdsl-opt re-raises a ParseError instead of printing it.
// Each case after the first starts by matching the chunk separator that
// xdsl-opt prints between chunks (written as a regex: the literal separator
// text anywhere in this file, even in a comment, would split it). With one
// such check per separator, each message is checked inside its own chunk.

// ===== isa.compute =====

// Unknown index in an access (parse error).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i, q] for i < 4, j < 4
}
// CHECK: Index `q` is used in an access but not declared in the domain (`for i, j`).

// -----
// CHECK: {{^// -{5}$}}

// Index declared twice in the domain (parse error).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i, j] for i < 4, j < 4, i < 4
}
// CHECK: Index `i` is declared twice in the domain.

// -----
// CHECK: {{^// -{5}$}}

// Index declared twice in the domain (generic form, caught by the verifier).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "i"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: Index `i` is declared twice in the domain.

// -----
// CHECK: {{^// -{5}$}}

// Bound 0.
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i, j] for i < 4, j < 0
}
// CHECK: Operation does not verify: Index `j` has bound 0; a bound must be positive.

// -----
// CHECK: {{^// -{5}$}}

// Negative bound.
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i, j] for i < -2, j < 4
}
// CHECK: Operation does not verify: Index `i` has bound -2; a bound must be positive.

// -----
// CHECK: {{^// -{5}$}}

// Empty domain (generic form).
isa.kernel @k(%A : memref<1xf32>, %B : memref<1xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = [], bounds = array<i64>, accesses = [affine_map<() -> (0)>, affine_map<() -> (0)>]}> : (memref<1xf32>, memref<1xf32>) -> ()
}
// CHECK: Operation does not verify: A statement needs at least one index in its domain.

// -----
// CHECK: {{^// -{5}$}}

// Index name that is not an identifier (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "2j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: Index name `2j` is not an identifier.

// -----
// CHECK: {{^// -{5}$}}

// Fewer bounds than indices (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: The domain has 2 indices but 1 bounds.

// -----
// CHECK: {{^// -{5}$}}

// Wrong number of inputs for the kind: `mac` with one input (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind mac>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: A `mac` statement takes 2 inputs, not 1.

// -----
// CHECK: {{^// -{5}$}}

// Wrong number of inputs for the kind: `sum` with two inputs (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>, %C : memref<4xf32>) {
  "isa.compute"(%C, %A, %B) <{kind = #isa<kind sum>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4xf32>, memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: A `sum` statement takes 1 input, not 2.

// -----
// CHECK: {{^// -{5}$}}

// Fewer accesses than operands (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: The statement has 2 operands but 1 accesses.

// -----
// CHECK: {{^// -{5}$}}

// Access map with a different number of dimensions than the domain (generic form).
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: The access of %A has 3 dimensions but the domain has 2 indices.

// -----
// CHECK: {{^// -{5}$}}

// Non-affine access: floordiv (generic form).
isa.kernel @k(%A : memref<2x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0 floordiv 2, d1)>]}> : (memref<4x4xf32>, memref<2x4xf32>) -> ()
}
// CHECK: Operation does not verify: The access of %A is not affine: `(d0 floordiv 2)` uses floordiv, which is not allowed in an access (only integer multiples of indices and constants).

// -----
// CHECK: {{^// -{5}$}}

// Non-affine access: mod (generic form).
isa.kernel @k(%A : memref<2x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0 mod 2, d1)>]}> : (memref<4x4xf32>, memref<2x4xf32>) -> ()
}
// CHECK: Operation does not verify: The access of %A is not affine: `(d0 mod 2)` uses mod, which is not allowed in an access (only integer multiples of indices and constants).

// -----
// CHECK: {{^// -{5}$}}

// Access map with a symbol (generic form). (A product of two indices,
// `d0 * d1`, cannot be tested here: xDSL's affine-map parser crashes on it.)
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  "isa.compute"(%B, %A) <{kind = #isa<kind copy>, indices = ["i", "j"], bounds = array<i64: 4, 4>, accesses = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1)[s0] -> (d0, d1 + s0)>]}> : (memref<4x4xf32>, memref<4x4xf32>) -> ()
}
// CHECK: Operation does not verify: The access of %A is not affine: an access map must not have symbols.

// -----
// CHECK: {{^// -{5}$}}

// Operand with a dynamic shape (the statement is verified before its kernel).
isa.kernel @k(%Y : memref<4xf32>, %D : memref<?xf32>) {
  isa.compute %Y[i] = %D[i] for i < 4
}
// CHECK: Operation does not verify: %D must have a static shape, not memref<?xf32>.

// -----
// CHECK: {{^// -{5}$}}

// Access rank different from the memref rank.
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i] for i < 4, j < 4
}
// CHECK: Operation does not verify: The access %A[i] has rank 1 but %A has rank 2 (memref<4x4xf32>).

// -----
// CHECK: {{^// -{5}$}}

// Out of bounds: plain index.
isa.kernel @gemm(%A : memref<64x256xf32>, %B : memref<256x128xf32>, %C : memref<64x128xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 64, j < 128, k < 257
}
// CHECK: Operation does not verify: The access %A[i, k] is out of bounds: dimension 1 (`k`) ranges over [0, 256] but its extent is 256.

// -----
// CHECK: {{^// -{5}$}}

// Out of bounds: strided window (stride 2, 3x3 filter on a 16x16 input gives
// at most 2*7 + 2 = 16, one past the end).
isa.kernel @conv(%I : memref<1x16x16x8xf32>, %F : memref<3x3x8xf32>, %O : memref<1x8x8x8xf32>) {
  isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for n < 1, h < 8, w < 8, c < 8, r < 3, s < 3
}
// CHECK: Operation does not verify: The access %I[n, 2*h + r, 2*w + s, c] is out of bounds: dimension 1 (`2*h + r`) ranges over [0, 16] but its extent is 16.

// -----
// CHECK: {{^// -{5}$}}

// Negative access.
isa.kernel @k(%X : memref<8xf32>, %Y : memref<8xf32>) {
  isa.compute %Y[h] = %X[h - 1] for h < 8
}
// CHECK: Operation does not verify: The access %X[h - 1] is out of bounds: dimension 0 (`h - 1`) ranges over [-1, 6] but its extent is 8.

// -----
// CHECK: {{^// -{5}$}}

// Element types that disagree.
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>, %C : memref<4x4xf16>) {
  isa.compute %C[i, j] = %A[i, j] + %B[i, j] for i < 4, j < 4
}
// CHECK: Operation does not verify: Element types disagree: %C has f16 but %A has f32.

// -----
// CHECK: {{^// -{5}$}}

// Output also read, in an assignment.
isa.kernel @k(%A : memref<4x4xf32>, %B : memref<4x4xf32>) {
  isa.compute %B[i, j] = %A[i, j] + %B[i, j] for i < 4, j < 4
}
// CHECK: Operation does not verify: The output %B is also read as input #2; write the result to another buffer.

// -----
// CHECK: {{^// -{5}$}}

// Output also read, in an accumulation.
isa.kernel @k(%A : memref<4x4xf32>, %C : memref<4x4xf32>) {
  isa.compute %C[i, j] += %C[i, k] * %A[k, j] for i < 4, j < 4, k < 4
}
// CHECK: Operation does not verify: The output %C is also read as input #1; write the result to another buffer.

// -----
// CHECK: {{^// -{5}$}}

// Assignment whose output does not use an index.
isa.kernel @k(%X : memref<4x4xf32>, %Y : memref<4xf32>) {
  isa.compute %Y[i] = %X[i, j] for i < 4, j < 4
}
// CHECK: Operation does not verify: Index `j` does not appear in the output %Y of an assignment, so several iterations would write the same element; use `+=` to accumulate or drop the index.

// -----
// CHECK: {{^// -{5}$}}

// Assignment whose output writes an element twice (every index is used).
isa.kernel @k(%X : memref<4x4xf32>, %Y : memref<7xf32>) {
  isa.compute %Y[i + j] = %X[i, j] for i < 4, j < 4
}
// CHECK: Operation does not verify: The output %Y[i + j] writes some element more than once over the domain; an assignment must write each element once.

// -----
// CHECK: {{^// -{5}$}}

// Same, on a domain too large to enumerate (4096 * 4096 points).
isa.kernel @k(%X : memref<4096x4096xf32>, %Y : memref<8191xf32>) {
  isa.compute %Y[i + j] = %X[i, j] for i < 4096, j < 4096
}
// CHECK: Operation does not verify: Cannot prove that the output %Y[i + j] writes each element once: its map is not one-to-one on all integers, its indices do not form a mixed-radix layout, and the domain's 16777216 points are too many to check one by one.

// -----
// CHECK: {{^// -{5}$}}

// Unknown function name (parse error).
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>) {
  isa.compute %Y[i] = softmax(%X[i]) for i < 4
}
// CHECK: Unknown function `softmax`; expected one of exp, neg, relu, sigmoid, tanh.

// -----
// CHECK: {{^// -{5}$}}

// A sum of two inputs after `+=` (parse error).
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>, %C : memref<4xf32>) {
  isa.compute %C[i] += %A[i] + %B[i] for i < 4
}
// CHECK: `+` after `+=`: an accumulation is `%O[...] += %A[...] * %B[...]` or `%O[...] += %X[...]`

// -----
// CHECK: {{^// -{5}$}}

// Undefined SSA value (parse error).
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>) {
  isa.compute %Y[i] = %Z[i] for i < 4
}
// CHECK: Operand %Z is used before it is defined.

// -----
// CHECK: {{^// -{5}$}}

// isa.compute outside an isa.kernel or isa.instruction.
func.func @f(%X : memref<4xf32>, %Y : memref<4xf32>) {
  isa.compute %Y[i] = %X[i] for i < 4
  func.return
}
// CHECK: Operation does not verify: An isa.compute statement must be directly inside an isa.kernel or an isa.instruction, not inside func.func.

// ===== isa.kernel and isa.buffer =====

// -----
// CHECK: {{^// -{5}$}}

// Kernel argument that is not a memref.
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>, %n : i32) {
  isa.compute %Y[i] = %X[i] for i < 4
}
// CHECK: Operation does not verify: Kernel argument %n must be a memref, not i32.

// -----
// CHECK: {{^// -{5}$}}

// Kernel argument with a dynamic shape (not used by the statement, so the
// kernel's own check fires).
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>, %D : memref<?x4xf32>) {
  isa.compute %Y[i] = %X[i] for i < 4
}
// CHECK: Operation does not verify: Kernel argument %D must have a static shape, not memref<?x4xf32>.

// -----
// CHECK: {{^// -{5}$}}

// Kernel with no statement.
isa.kernel @k(%X : memref<4xf32>) {
  %T = isa.buffer : memref<4xf32>
}
// CHECK: Operation does not verify: Kernel @k has no isa.compute statement.

// -----
// CHECK: {{^// -{5}$}}

// Kernel with a foreign op in its body.
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>) {
  %c = arith.constant 0 : index
  isa.compute %Y[i] = %X[i] for i < 4
}
// CHECK: Operation does not verify: An isa.kernel body may only hold isa.compute and isa.buffer operations, not arith.constant.

// -----
// CHECK: {{^// -{5}$}}

// Buffer with a dynamic shape.
isa.kernel @k(%X : memref<4xf32>, %Y : memref<4xf32>) {
  %T = isa.buffer : memref<?xf32>
  isa.compute %Y[i] = %X[i] for i < 4
}
// CHECK: Operation does not verify: An isa.buffer must have a static shape, not memref<?xf32>.

// -----
// CHECK: {{^// -{5}$}}

// Buffer outside a kernel.
%T = isa.buffer : memref<4xf32>
// CHECK: Operation does not verify: 'isa.buffer' expects parent op 'isa.kernel'

// ===== isa.hardware, isa.memory, isa.transfer, isa.unit =====

// -----
// CHECK: {{^// -{5}$}}

// A clock of 0 MHz.
isa.hardware @hw clock 0 {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
}
// CHECK: Operation does not verify: Hardware @hw has clock 0; a clock must be a positive number of MHz.

// -----
// CHECK: {{^// -{5}$}}

// A transfer whose granule is 0 bytes.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2 granule 0
}
// CHECK: Operation does not verify: Transfer @load has granule 0; a granule must be at least 1 byte.

// -----
// CHECK: {{^// -{5}$}}

// CPU features without a CPU to compile for.
isa.hardware @hw features ["avx2"] {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
}
// CHECK: Operation does not verify: Hardware @hw lists CPU features but no `cpu` to compile for.

// -----
// CHECK: {{^// -{5}$}}

// Memory with capacity 0.
isa.hardware @hw {
  isa.memory @sram capacity 0 bandwidth 64 latency 2
}
// CHECK: Operation does not verify: Memory @sram has capacity 0; a capacity must be a positive number of bytes.

// -----
// CHECK: {{^// -{5}$}}

// Memory with bandwidth 0.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 0 latency 2
}
// CHECK: Operation does not verify: Memory @sram has bandwidth 0; a bandwidth must be a positive number of bytes per cycle.

// -----
// CHECK: {{^// -{5}$}}

// Memory with a negative latency.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency -1
}
// CHECK: Operation does not verify: Memory @sram has latency -1; a latency cannot be negative.

// -----
// CHECK: {{^// -{5}$}}

// Transfer from an unknown memory.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @dma from @dram to @sram bandwidth 16 latency 50 dims 2
}
// CHECK: Operation does not verify: Source memory @dram is not defined in the enclosing isa.hardware.

// -----
// CHECK: {{^// -{5}$}}

// Transfer to a symbol that is a unit, not a memory.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.unit @vpu count 1
  isa.transfer @dma from @dram to @vpu bandwidth 16 latency 50 dims 2
}
// CHECK: Operation does not verify: Target memory @vpu names an isa.unit, not an isa.memory.

// -----
// CHECK: {{^// -{5}$}}

// Transfer from a memory to itself.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.transfer @dma from @dram to @dram bandwidth 16 latency 50 dims 2
}
// CHECK: Operation does not verify: Transfer @dma goes from @dram to itself; a transfer must connect two different memories.

// -----
// CHECK: {{^// -{5}$}}

// Transfer with dims 0.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @dma from @dram to @sram bandwidth 16 latency 50 dims 0
}
// CHECK: Operation does not verify: Transfer @dma addresses 0 strided dimensions; it must address at least 1.

// -----
// CHECK: {{^// -{5}$}}

// Transfer with bandwidth 0.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @dma from @dram to @sram bandwidth 0 latency 50 dims 2
}
// CHECK: Operation does not verify: Transfer @dma has bandwidth 0; a bandwidth must be a positive number of bytes per cycle.

// -----
// CHECK: {{^// -{5}$}}

// Transfer with a negative latency.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @dma from @dram to @sram bandwidth 16 latency -5 dims 2
}
// CHECK: Operation does not verify: Transfer @dma has latency -5; a latency cannot be negative.

// -----
// CHECK: {{^// -{5}$}}

// Unit with count 0.
isa.hardware @hw {
  isa.unit @vpu count 0
}
// CHECK: Operation does not verify: Unit @vpu has count 0; there must be at least one.

// -----
// CHECK: {{^// -{5}$}}

// A foreign op in the hardware body.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  %c = arith.constant 0 : index
}
// CHECK: Operation does not verify: An isa.hardware body may only hold isa.memory, isa.transfer, isa.tlb, isa.unit and isa.instruction operations, not arith.constant.

// -----
// CHECK: {{^// -{5}$}}

// The same symbol name twice in one hardware (xDSL's SymbolTable check).
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @sram count 1
}
// CHECK: Operation does not verify: Redefinition of symbol "sram"

// -----
// CHECK: {{^// -{5}$}}

// isa.memory outside isa.hardware.
isa.memory @sram capacity 65536 bandwidth 64 latency 2
// CHECK: Operation does not verify: 'isa.memory' expects parent op 'isa.hardware'

// ===== isa.instruction =====

// -----
// CHECK: {{^// -{5}$}}

// Instruction on an unknown unit.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.instruction @cp on @mxu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Unit @mxu is not defined in the enclosing isa.hardware.

// -----
// CHECK: {{^// -{5}$}}

// Instruction whose operand memory is undefined.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @acc) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Operand memory @acc is not defined in the enclosing isa.hardware.

// -----
// CHECK: {{^// -{5}$}}

// Instruction whose operand "memory" is a unit.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @vpu) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Operand memory @vpu names an isa.unit, not an isa.memory.

// -----
// CHECK: {{^// -{5}$}}

// Instruction whose operand tile cannot fit its memory (32*32*4 > 1024 bytes).
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.memory @acc capacity 1024 bandwidth 64 latency 1
  isa.unit @mxu count 1
  isa.instruction @mm on @mxu latency 64 interval 32 (%X : memref<32x32xf32> in @sram, %W : memref<32x32xf32> in @sram, %O : memref<32x32xf32> in @acc) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 32, k < 32
  }
}
// CHECK: Operation does not verify: Operand %O of instruction @mm is a tile of 4096 bytes, which cannot fit memory @acc of 1024 bytes.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with latency 0.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 0 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Instruction @cp has latency 0 and interval 1; both must be at least 1 cycle.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with interval 0.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 0 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Instruction @cp has latency 1 and interval 0; both must be at least 1 cycle.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with two statements.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
    isa.compute %Y[i] = relu(%X[i]) for i < 4
  }
}
// CHECK: Operation does not verify: Instruction @cp must have exactly one isa.compute statement as its body, not isa.compute, isa.compute.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with no statement.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
  }
}
// CHECK: Operation does not verify: Instruction @cp must have exactly one isa.compute statement as its body, not an empty body.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with a foreign op next to its statement.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    %c = arith.constant 0 : index
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Instruction @cp must have exactly one isa.compute statement as its body, not arith.constant, isa.compute.

// -----
// CHECK: {{^// -{5}$}}

// Instruction whose statement does not use an operand.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %S : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Operand %S of instruction @cp must appear exactly once in its statement, not 0 times.

// -----
// CHECK: {{^// -{5}$}}

// Instruction whose statement uses an operand twice.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] + %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Operand %X of instruction @cp must appear exactly once in its statement, not 2 times.

// -----
// CHECK: {{^// -{5}$}}

// Instruction operand that is not a memref.
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  isa.instruction @cp on @vpu latency 1 interval 1 (%n : i32 in @sram, %X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
    isa.compute %Y[i] = %X[i] for i < 4
  }
}
// CHECK: Operation does not verify: Operand %n of instruction @cp must be a memref, not i32.

// -----
// CHECK: {{^// -{5}$}}

// Instruction with more operands than memories (generic form).
isa.hardware @hw {
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.unit @vpu count 1
  "isa.instruction"() <{sym_name = "cp", unit = @vpu, memories = [@sram], latency = 1 : i64, interval = 1 : i64}> ({
  ^bb0(%X: memref<4xf32>, %Y: memref<4xf32>):
    isa.compute %Y[i] = %X[i] for i < 4
  }) : () -> ()
}
// CHECK: Operation does not verify: Instruction @cp has 2 operands but places 1 in memories.

// -----
// CHECK: {{^// -{5}$}}

// isa.instruction outside isa.hardware.
isa.instruction @cp on @vpu latency 1 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram) {
  isa.compute %Y[i] = %X[i] for i < 4
}
// CHECK: Operation does not verify: 'isa.instruction' expects parent op 'isa.hardware'

// -----
// CHECK: {{^// -{5}$}}

// ===== cache geometry =====

// Ways on a memory that is not a cache.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  "isa.memory"() <{sym_name = "sram", capacity = 65536 : i64, bandwidth = 64 : i64, latency = 2 : i64, ways = 8 : i64, line = 64 : i64}> : () -> ()
}
// CHECK: Operation does not verify: Memory @sram gives `ways` and `line` without being a cache with both; write `cache ways N line B`.

// -----
// CHECK: {{^// -{5}$}}

// Lines that are not a power of two bytes.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 61440 bandwidth 64 latency 2 cache ways 8 line 60
}
// CHECK: Operation does not verify: Memory @l1 has 8 ways of 60-byte lines; it needs at least one way and lines of a power of two bytes.

// -----
// CHECK: {{^// -{5}$}}

// A capacity that is not a whole number of sets.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 65536 bandwidth 64 latency 2 cache ways 12 line 64
}
// CHECK: Operation does not verify: Memory @l1 holds 65536 bytes, not a whole number of sets of 12 x 64 bytes.

// -----
// CHECK: {{^// -{5}$}}

// Ways without a line size.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 65536 bandwidth 64 latency 2 cache ways 8
}
// CHECK: expected the field `line <integer>`

// -----
// CHECK: {{^// -{5}$}}

// ===== isa.tlb =====

// A TLB for a memory that is not a cache.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.tlb @tlb for @sram entries 64 page 4096
}
// CHECK: Operation does not verify: TLB @tlb is for @sram, which is not a cache: only a hardware-managed memory's blocks are views that a TLB translates.

// -----
// CHECK: {{^// -{5}$}}

// A page that is not a power of two.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 65536 bandwidth 64 latency 2 cache
  isa.tlb @tlb for @l1 entries 64 page 3000
}
// CHECK: Operation does not verify: TLB @tlb has pages of 3000 bytes; a page is a power of two bytes.

// -----
// CHECK: {{^// -{5}$}}

// A TLB without entries.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @l1 capacity 65536 bandwidth 64 latency 2 cache
  isa.tlb @tlb for @l1 entries 0 page 4096
}
// CHECK: Operation does not verify: TLB @tlb has 0 entries; it needs at least one.

// -----
// CHECK: {{^// -{5}$}}

// A TLB for a memory the hardware does not declare.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.tlb @tlb for @l2 entries 64 page 4096
}
// CHECK: Operation does not verify: TLB memory @l2 is not defined in the enclosing isa.hardware.

// -----
// CHECK: {{^// -{5}$}}

// A transfer whose prefetch distance is not positive.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2 prefetch 0
}
// CHECK: Operation does not verify: Transfer @load has prefetch 0; a prefetch distance must be at least 1 byte.

// -----
// CHECK: {{^// -{5}$}}

// A negative energy.
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100 read_energy -2.5
}
// CHECK: Operation does not verify: Memory @dram has read_energy -2.5; an energy or area cannot be negative.

// -----
// CHECK: {{^// -{5}$}}

// A negative area of a unit.
isa.hardware @hw {
  isa.unit @vpu count 1 static_energy 1.0 area -1
}
// CHECK: Operation does not verify: Unit @vpu has area -1.0; an energy or area cannot be negative.

// -----
// CHECK: {{^// -{5}$}}

// An energy that is not a number (parse error).
isa.hardware @hw {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2 energy high
}
// CHECK: integer or float literal expected
