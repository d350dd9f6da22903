// What the export refuses, with one message and exit status 1.
// RUN: not isamapper-opt %s -p convert-accel-to-mlir 2>&1 | filecheck %s --check-prefix=NOPROGRAM
// NOPROGRAM: isamapper-opt: convert-accel-to-mlir: the module has no accel.program (schedule the kernels first with isa-schedule).

// Two programs export (without the driver), but the driver needs one:
// RUN: isamapper-compile %s --hardware %project/hardware/nnp.mlir -o %t.pair.mlir
// RUN: isamapper-opt %t.pair.mlir -p convert-accel-to-mlir | filecheck %s --check-prefix=PAIR
// PAIR-DAG: func.func @a(
// PAIR-DAG: func.func @b(
// RUN: not isamapper-opt %t.pair.mlir -p 'convert-accel-to-mlir{harness=true}' 2>&1 | filecheck %s --check-prefix=TWO
// TWO: isamapper-opt: convert-accel-to-mlir: harness=true needs exactly one accel.program, the module has 2.

isa.kernel @a(%X : memref<32xf32>, %Y : memref<32xf32>) {
  isa.compute %Y[i] = tanh(%X[i]) for i < 32
}
isa.kernel @b(%X : memref<32xf32>, %Y : memref<32xf32>) {
  isa.compute %Y[i] = relu(%X[i]) for i < 32
}
