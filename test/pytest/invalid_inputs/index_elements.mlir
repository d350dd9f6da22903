// TOOL: isamapper-compile --hardware nnp
// ERROR: index_elements.mlir:4:1: error: Kernel argument %A must have integer or floating-point elements of a fixed width, not index.
// Sizes in bytes need a fixed width: `index` elements are refused, not a traceback.
isa.kernel @k(%A : memref<8xindex>, %B : memref<8xindex>) {
  isa.compute %B[i] = %A[i] for i < 8
}
