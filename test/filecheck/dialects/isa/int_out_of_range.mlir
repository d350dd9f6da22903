// RUN: not isamapper-opt %s 2>&1 | filecheck %s --match-full-lines

// Every integer the IR stores is an i64: a statement bound past 64 bits is a
// located parse error, not a Python ValueError (coefficients and offsets:
// test/pytest/invalid_inputs/compile_bound_out_of_range.mlir).

isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  isa.compute %B[i] = %A[i] for i < 99999999999999999999999
}
// CHECK:      isamapper-opt: parse error at {{.*}}int_out_of_range.mlir:8:37
// CHECK-NEXT:   isa.compute %B[i] = %A[i] for i < 99999999999999999999999
// CHECK-NEXT:                                     ^^^^^^^^^^^^^^^^^^^^^^^
// CHECK-NEXT:                                     The bound of `i` 99999999999999999999999 does not fit in a signed 64-bit integer (from -9223372036854775808 to 9223372036854775807)

