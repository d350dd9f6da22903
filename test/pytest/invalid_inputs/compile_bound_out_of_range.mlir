// TOOL: isamapper-compile --hardware hardware/nnp.mlir
// ERROR: parse error at compile_bound_out_of_range.mlir:5:26
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  // A coefficient past 64 bits, as isamapper-compile reads it.
  isa.compute %B[i] = %A[99999999999999999999 * i] for i < 4
}
