// A file without any isa.hardware (input of options_more.mlir).
isa.kernel @k(%A : memref<4xf32>, %B : memref<4xf32>) {
  isa.compute %B[i] = %A[i] for i < 4
}
