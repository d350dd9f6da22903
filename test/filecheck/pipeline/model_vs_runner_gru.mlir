// The GRU cell example (matrix units, vector adds, sigmoid and tanh) on nnp and
// on the systolic target: mlir-runner prints what the model computes (to the
// 6 significant digits of %g). For this kernel and input pattern the two agree
// in every printed digit; in general libm's sigmoid, tanh and exp may differ
// from numpy's in the 6th (test_accel_export.py compares those with rtol 1e-5).
// REQUIRES: mlir-tools
// RUN: isamapper-compile %project/examples/gru_cell.mlir --hardware %project/hardware/nnp.mlir -o %t.nnp.mlir
// RUN: isamapper-run %t.nnp.mlir --pattern-inputs --print-values | sed -e '1s/^/CHECK: /' -e '2,$s/^/CHECK-NEXT: /' > %t.nnp.check
// RUN: isamapper-opt %t.nnp.mlir -p 'convert-accel-to-mlir{harness=true}' | %mlir-opt %lower-to-llvm | %mlir-runner -e main -entry-point-result=void -shared-libs=%mlir-runtime | filecheck --match-full-lines %t.nnp.check
// RUN: isamapper-compile %project/examples/gru_cell.mlir --hardware %project/hardware/systolic.mlir -o %t.sys.mlir
// RUN: isamapper-run %t.sys.mlir --pattern-inputs --print-values | sed -e '1s/^/CHECK: /' -e '2,$s/^/CHECK-NEXT: /' > %t.sys.check
// RUN: isamapper-opt %t.sys.mlir -p 'convert-accel-to-mlir{harness=true}' | %mlir-opt %lower-to-llvm | %mlir-runner -e main -entry-point-result=void -shared-libs=%mlir-runtime | filecheck --match-full-lines %t.sys.check
