// 3x3 depthwise convolution, stride 2 (as MobileNet v1's Conv2d_2_depthwise, scaled
// down to 32 channels and a 28x28 output). The input is stored padded: 2*27 + 2 < 57.
isa.kernel @depthwise_conv(%I : memref<1x57x57x32xf32>, %F : memref<3x3x32xf32>, %O : memref<1x28x28x32xf32>) {
  isa.compute %O[n, h, w, c] += %I[n, 2*h + r, 2*w + s, c] * %F[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3
}
