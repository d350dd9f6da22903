// Dilated 1-D depthwise convolution: 64 channels, 100 outputs, 5 taps, dilation 3.
isa.kernel @dw1d(%I : memref<112x64xf32>, %F : memref<5x64xf32>, %O : memref<100x64xf32>) {
  isa.compute %O[t, c] += %I[t + 3*r, c] * %F[r, c] for t < 100, c < 64, r < 5
}
