isa.kernel @vadd(%a : memref<64xf32>, %b : memref<64xf32>, %c : memref<64xf32>) {
  isa.compute %c[i] = %a[i] + %b[i] for i < 64
}
