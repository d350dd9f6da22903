isa.kernel @vadd(%a : memref<4096xf32>, %b : memref<4096xf32>, %c : memref<4096xf32>) {
  isa.compute %c[i] = %a[i] + %b[i] for i < 4096
}
