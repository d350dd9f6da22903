// RUN: isamapper-run %s --seed 0 --outputs %t.npz | filecheck %s
// RUN: not isamapper-run %s --kernel missing 2>&1 | filecheck %s --check-prefix=ERR

isa.kernel @scale(%A : memref<2x3xf32>, %B : memref<3x3xf32>) {
  isa.compute %B[i, j] = relu(%A[2 * i - i, j]) for i < 2, j < 3
}

// CHECK:      isa.kernel @scale from {{.*}}isamapper_run.mlir: 1 statement(s), 0 multiply-accumulates, 6 element-wise operations
// CHECK-NEXT:   %A  memref<2x3xf32>   {{ *}}input   min {{.*}}
// CHECK-NEXT:   %B  memref<3x3xf32>   {{ *}}output  min 0 {{.*}}
// CHECK-NEXT: inputs: random, seed 0; reference semantics ran in {{.*}} ms
// CHECK-NEXT: wrote {{.*}}.npz (2 arrays)

// ERR: isamapper-run: no kernel @missing in the file (it has @scale)
