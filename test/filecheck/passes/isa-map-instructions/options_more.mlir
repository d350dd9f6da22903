// A hardware without instructions.
// RUN: xdsl-opt %project/examples/gemm_nn.mlir -p 'isa-map-instructions{hardware-file="%S/inputs/empty_hardware.mlir"}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=BARE
// BARE: isa-map-instructions: @bare has no isa.instruction to map onto

// A hardware file without any hardware.
// RUN: xdsl-opt %project/examples/gemm_nn.mlir -p 'isa-map-instructions{hardware-file="%S/inputs/no_hardware.mlir"}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=NOHW
// NOHW: isa-map-instructions: {{.*}}/inputs/no_hardware.mlir has no isa.hardware

// The module already has a different @nnp than the hardware file's.
// RUN: xdsl-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"}' --verify-diagnostics | filecheck %s --match-full-lines --check-prefix=CLASH
// CLASH: isa-map-instructions: the module already has an isa.hardware @nnp that differs from the one in {{.*}}/hardware/nnp.mlir

// isamapper-opt locates a failing statement in the second chunk of a split
// input by its line in the whole file.
// RUN: not isamapper-opt %S/inputs/two_chunks.mlir --split-input-file -p isa-map-instructions 2>&1 | filecheck %s --check-prefix=SPLIT
// SPLIT: isamapper-opt: {{.*}}two_chunks.mlir:21:3: error: isa-map-instructions: the statement has no mapping on @vec:

isa.hardware @nnp {
  isa.memory @hbm capacity 1048576 bandwidth 16 latency 100
}
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  isa.compute %B[i] = %A[i] for i < 4
}
