// A MobileNet v1 depthwise-separable block (scaled down): 3x3 depthwise convolution
// (stride 1, padded input), ReLU, then a 1x1 pointwise convolution 32 -> 64 channels.
// %T and %U are kernel-local intermediates (isa.buffer), never seen by the caller.
isa.kernel @mobilenet_dwsep_block(%I : memref<1x30x30x32xf32>, %Fd : memref<3x3x32xf32>, %Wp : memref<32x64xf32>, %O : memref<1x28x28x64xf32>) {
  %T = isa.buffer : memref<1x28x28x32xf32>
  %U = isa.buffer : memref<1x28x28x32xf32>
  isa.compute %T[n, h, w, c] += %I[n, h + r, w + s, c] * %Fd[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3
  isa.compute %U[n, h, w, c] = relu(%T[n, h, w, c]) for n < 1, h < 28, w < 28, c < 32
  isa.compute %O[n, h, w, k] += %U[n, h, w, c] * %Wp[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32
}
