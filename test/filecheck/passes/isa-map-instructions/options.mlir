// No isa.hardware in the module and no hardware-file.
// RUN: xdsl-opt %project/examples/gemm_nn.mlir -p isa-map-instructions --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=NONE
// NONE: isa-map-instructions: the module has no isa.hardware; give one with hardware-file=PATH or put one in the module

// Two isa.hardware in the module (below) and no target.
// RUN: xdsl-opt %s -p isa-map-instructions --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=SEVERAL
// SEVERAL: isa-map-instructions: the module has several isa.hardware (@wide, @narrow); choose one with target=NAME

// A target that names no hardware of the module, with or without the `@`.
// RUN: xdsl-opt %s -p 'isa-map-instructions{target=medium}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=MISSING
// RUN: xdsl-opt %s -p 'isa-map-instructions{target="@medium"}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=MISSING
// MISSING: isa-map-instructions: no isa.hardware @medium in the module (it has @wide, @narrow)

// A target that names no hardware of the hardware file.
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" target=wide}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=MISSING-IN-FILE
// MISSING-IN-FILE: isa-map-instructions: no isa.hardware @wide in {{.*}}/hardware/nnp.mlir (it has @nnp)

// A hardware file that does not exist.
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/no_such_file.mlir"}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=NO-FILE
// NO-FILE: isa-map-instructions: cannot read {{.*}}/hardware/no_such_file.mlir: No such file or directory

// A bound on the candidates per statement and instruction that is too small.
// RUN: xdsl-opt %project/examples/gemm_nn.mlir -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir" max-candidates=1}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=BOUND
// BOUND: isa-map-instructions: more than 1 candidate mappings of @mm32; the bound is max-candidates=1 (raise it, or split the statement)

// With a target, the statement maps onto that hardware only (16-lane adds:
// 64/16 = 4 executions; 4-lane: 16).
// RUN: xdsl-opt %s -p 'isa-map-instructions{target=wide}' | filecheck %s --match-full-lines --check-prefix=WIDE
// RUN: xdsl-opt %s -p 'isa-map-instructions{target="@narrow"}' | filecheck %s --match-full-lines --check-prefix=NARROW
// WIDE:      isa.compute %C[u] = %A[u] + %B[u] for u < 64 mappings [
// WIDE-NEXT:     #isa.mapping<@wide::@vadd16, operands = [1, 2, 0], i = [u:16], outer = [], executions = 4, utilisation = 64/64, transfer_dims = [1, 1, 1]>
// WIDE-NEXT:   ]
// NARROW:      isa.compute %C[u] = %A[u] + %B[u] for u < 64 mappings [
// NARROW-NEXT:     #isa.mapping<@narrow::@vadd4, operands = [1, 2, 0], i = [u:4], outer = [], executions = 16, utilisation = 64/64, transfer_dims = [1, 1, 1]>
// NARROW-NEXT:   ]

// A hardware file is selected from the file, not from the module: the module's
// own hardware does not make the choice ambiguous. The file's hardware is
// copied in after the kernel.
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' | filecheck %s --match-full-lines --check-prefix=FILE
// FILE:      isa.hardware @wide {
// FILE:      isa.hardware @narrow {
// FILE:      isa.compute %C[u] = %A[u] + %B[u] for u < 64 mappings [
// FILE-NEXT:     #isa.mapping<@nnp::@vadd32, operands = [1, 2, 0], i = [u:32], outer = [], executions = 2, utilisation = 64/64, transfer_dims = [1, 1, 1]>
// FILE-NEXT:   ]
// FILE-NEXT: }
// FILE-NEXT: isa.hardware @nnp {

isa.hardware @wide {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd16 on @alu latency 2 interval 1 (%P : memref<16xf32> in @vreg, %Q : memref<16xf32> in @vreg, %R : memref<16xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 16
  }
}
isa.hardware @narrow {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @vreg capacity 1024 bandwidth 64 latency 1
  isa.transfer @load from @dram to @vreg bandwidth 16 latency 10 dims 1
  isa.transfer @store from @vreg to @dram bandwidth 16 latency 10 dims 1
  isa.unit @alu count 1
  isa.instruction @vadd4 on @alu latency 2 interval 1 (%P : memref<4xf32> in @vreg, %Q : memref<4xf32> in @vreg, %R : memref<4xf32> in @vreg) {
    isa.compute %R[i] = %P[i] + %Q[i] for i < 4
  }
}
isa.kernel @add(%A : memref<64xf32>, %B : memref<64xf32>, %C : memref<64xf32>) {
  isa.compute %C[u] = %A[u] + %B[u] for u < 64
}
