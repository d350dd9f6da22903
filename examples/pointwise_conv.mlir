// 1x1 (pointwise) convolution: 32 -> 64 channels on 28x28, a GEMM over N*H*W.
isa.kernel @pointwise_conv(%I : memref<1x28x28x32xf32>, %W : memref<32x64xf32>, %O : memref<1x28x28x64xf32>) {
  isa.compute %O[n, h, w, k] += %I[n, h, w, c] * %W[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32
}
