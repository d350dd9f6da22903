// The whole flow on examples/linalg/dwsep_block.mlir, a MobileNet-style
// depthwise-separable block written as an upstream frontend writes it (linalg on
// tensors):
//   upstream bufferization (mlir-opt) -> convert-linalg-to-isa ->
//   isa-map-instructions -> isa-schedule (nnp) -> convert-accel-to-mlir ->
//   upstream lowering to LLVM (mlir-opt) -> mlir-runner,
// whose printed results must be exactly the accelerator model's for the same
// inputs (the harness's pattern; small integers, so every sum is exact).
// REQUIRES: mlir-tools

// RUN: %mlir-opt %project/examples/linalg/dwsep_block.mlir --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params="modify-public-functions" -o %t.memref.mlir
// RUN: isamapper-opt %t.memref.mlir -p 'convert-linalg-to-isa,isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule' -o %t.accel.mlir
// RUN: isamapper-run %t.accel.mlir --pattern-inputs --check | filecheck %s --check-prefix=MODEL
// MODEL: accel.program @dwsep_block on @nnp
// MODEL: check against the reference kernel: passed (max |error| 0.00e+00)
// RUN: isamapper-run %t.accel.mlir --pattern-inputs --print-values | sed -e '1s/^/CHECK: /' -e '2,$s/^/CHECK-NEXT: /' > %t.check
// RUN: isamapper-opt %t.accel.mlir -p 'convert-accel-to-mlir{harness=true}' -o %t.exported.mlir
// RUN: %mlir-opt %t.exported.mlir %lower-to-llvm | %mlir-runner -e main -entry-point-result=void -shared-libs=%mlir-runtime | filecheck --match-full-lines %t.check
// The same with stock xdsl-opt driving our passes (the forms it reads):
// RUN: xdsl-opt %t.accel.mlir -p 'convert-accel-to-mlir{harness=true}' | %mlir-opt %lower-to-llvm | %mlir-runner -e main -entry-point-result=void -shared-libs=%mlir-runtime | filecheck --match-full-lines %t.check
