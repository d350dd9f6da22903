// TOOL: isamapper-opt
// ERROR: parse error at bound_out_of_range.mlir:4:37
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  isa.compute %B[i] = %A[i] for i < 99999999999999999999999
}
