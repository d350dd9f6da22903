// 5x5 convolution, stride 2, NHWC: 8 -> 16 channels, 12x12 output.
isa.kernel @conv5(%I : memref<1x27x27x8xf32>, %F : memref<5x5x8x16xf32>, %O : memref<1x12x12x16xf32>) {
  isa.compute %O[n, h, w, f] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c, f] for n < 1, h < 12, w < 12, f < 16, r < 5, s < 5, c < 8
}
