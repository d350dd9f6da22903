// Every shipped hardware description and example round-trips through stock
// xdsl-opt, in custom and in generic form.
// RUN: xdsl-opt %project/hardware/nnp.mlir > %t.nnp.mlir && xdsl-opt %t.nnp.mlir | diff %t.nnp.mlir -
// RUN: xdsl-opt %project/hardware/nnp.mlir --print-op-generic | xdsl-opt | diff %t.nnp.mlir -
// RUN: xdsl-opt %project/hardware/systolic.mlir > %t.sys.mlir && xdsl-opt %t.sys.mlir | diff %t.sys.mlir -
// RUN: xdsl-opt %project/hardware/systolic.mlir --print-op-generic | xdsl-opt | diff %t.sys.mlir -
// RUN: xdsl-opt %project/hardware/cpu_avx2.mlir > %t.cpu.mlir && xdsl-opt %t.cpu.mlir | diff %t.cpu.mlir -
// RUN: xdsl-opt %project/hardware/cpu_avx2.mlir --print-op-generic | xdsl-opt | diff %t.cpu.mlir -
// RUN: xdsl-opt %project/hardware/cpu_avx512.mlir > %t.cpu512.mlir && xdsl-opt %t.cpu512.mlir | diff %t.cpu512.mlir -
// RUN: xdsl-opt %project/hardware/cpu_avx512.mlir --print-op-generic | xdsl-opt | diff %t.cpu512.mlir -
// RUN: xdsl-opt %project/examples/gemm_nn.mlir > %t.1.mlir && xdsl-opt %t.1.mlir | diff %t.1.mlir -
// RUN: xdsl-opt %project/examples/gemm_tn.mlir > %t.2.mlir && xdsl-opt %t.2.mlir | diff %t.2.mlir -
// RUN: xdsl-opt %project/examples/gemm_nt.mlir > %t.3.mlir && xdsl-opt %t.3.mlir | diff %t.3.mlir -
// RUN: xdsl-opt %project/examples/conv2d_nhwc.mlir > %t.4.mlir && xdsl-opt %t.4.mlir | diff %t.4.mlir -
// RUN: xdsl-opt %project/examples/depthwise_conv.mlir > %t.5.mlir && xdsl-opt %t.5.mlir | diff %t.5.mlir -
// RUN: xdsl-opt %project/examples/pointwise_conv.mlir > %t.6.mlir && xdsl-opt %t.6.mlir | diff %t.6.mlir -
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir > %t.7.mlir && xdsl-opt %t.7.mlir | diff %t.7.mlir -
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir --print-op-generic | xdsl-opt | diff %t.7.mlir -
// RUN: xdsl-opt %project/examples/gru_cell.mlir > %t.8.mlir && xdsl-opt %t.8.mlir | diff %t.8.mlir -
// RUN: xdsl-opt %project/examples/gru_cell.mlir --print-op-generic | xdsl-opt | diff %t.8.mlir -
// RUN: xdsl-opt %project/examples/mobilenet_dwsep_block.mlir | filecheck %s

// CHECK:      isa.kernel @mobilenet_dwsep_block(%I: memref<1x30x30x32xf32>, %Fd: memref<3x3x32xf32>, %Wp: memref<32x64xf32>, %O: memref<1x28x28x64xf32>) {
// CHECK-NEXT:   %T = isa.buffer : memref<1x28x28x32xf32>
// CHECK-NEXT:   %U = isa.buffer : memref<1x28x28x32xf32>
// CHECK-NEXT:   isa.compute %T[n, h, w, c] += %I[n, h + r, w + s, c] * %Fd[r, s, c] for n < 1, h < 28, w < 28, c < 32, r < 3, s < 3
// CHECK-NEXT:   isa.compute %U[n, h, w, c] = relu(%T[n, h, w, c]) for n < 1, h < 28, w < 28, c < 32
// CHECK-NEXT:   isa.compute %O[n, h, w, k] += %U[n, h, w, c] * %Wp[c, k] for n < 1, h < 28, w < 28, k < 64, c < 32
// CHECK-NEXT: }
