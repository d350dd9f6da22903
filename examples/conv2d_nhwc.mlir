// 3x3 convolution, stride 1, NHWC input, HWCF filter: 16 -> 32 channels on 28x28.
// The input is stored already padded (30x30 = 28 + 2 halo), so every access is in bounds.
isa.kernel @conv2d_nhwc(%I : memref<1x30x30x16xf32>, %F : memref<3x3x16x32xf32>, %O : memref<1x28x28x32xf32>) {
  isa.compute %O[n, h, w, f] += %I[n, h + r, w + s, c] * %F[r, s, c, f] for n < 1, h < 28, w < 28, f < 32, r < 3, s < 3, c < 16
}
