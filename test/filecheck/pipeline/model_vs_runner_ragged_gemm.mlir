// A GEMM whose sizes do not divide the 32x32x32 instruction (edge blocks are
// padded by the copies' limits), scheduled for nnp, exported and run by
// mlir-runner: it prints exactly what the accelerator model computes for the
// same inputs (the harness's pattern; every value is an exact small integer).
// REQUIRES: mlir-tools
// RUN: isamapper-compile %s --hardware %project/hardware/nnp.mlir -o %t.accel.mlir
// RUN: isamapper-run %t.accel.mlir --pattern-inputs --print-values | sed -e '1s/^/CHECK: /' -e '2,$s/^/CHECK-NEXT: /' > %t.check
// RUN: isamapper-opt %t.accel.mlir -p 'convert-accel-to-mlir{harness=true}' | %mlir-opt %lower-to-llvm | %mlir-runner -e main -entry-point-result=void -shared-libs=%mlir-runtime | filecheck --match-full-lines %t.check
// The model's output is not all zeros (the check would be weak otherwise):
// RUN: isamapper-run %t.accel.mlir --pattern-inputs --print-values | sort -u | wc -l | filecheck %s --check-prefix=DISTINCT
// DISTINCT: {{[1-9][0-9]+}}

isa.kernel @gemm_ragged(%A : memref<50x70xf32>, %B : memref<70x33xf32>, %C : memref<50x33xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 50, j < 33, k < 70
}
