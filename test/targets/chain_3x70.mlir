// Eight element-wise statements on 3x70 tensors (70 is not a multiple of a
// 16-lane vector).
isa.kernel @chain70(%x : memref<3x70xf32>, %y : memref<3x70xf32>, %out : memref<3x70xf32>) {
  %t0 = isa.buffer : memref<3x70xf32>
  %t1 = isa.buffer : memref<3x70xf32>
  %t2 = isa.buffer : memref<3x70xf32>
  %t3 = isa.buffer : memref<3x70xf32>
  %t4 = isa.buffer : memref<3x70xf32>
  %t5 = isa.buffer : memref<3x70xf32>
  %t6 = isa.buffer : memref<3x70xf32>
  isa.compute %t0[b, u] = %x[b, u] + %y[b, u] for b < 3, u < 70
  isa.compute %t1[b, u] = sigmoid(%t0[b, u]) for b < 3, u < 70
  isa.compute %t2[b, u] = %t1[b, u] * %y[b, u] for b < 3, u < 70
  isa.compute %t3[b, u] = tanh(%t2[b, u]) for b < 3, u < 70
  isa.compute %t4[b, u] = %t3[b, u] - %y[b, u] for b < 3, u < 70
  isa.compute %t5[b, u] = exp(%t4[b, u]) for b < 3, u < 70
  isa.compute %t6[b, u] = %t5[b, u] + %x[b, u] for b < 3, u < 70
  isa.compute %out[b, u] = %t6[b, u] * %x[b, u] for b < 3, u < 70
}
