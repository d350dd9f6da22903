// The real mlir-opt accepts what the export emits for a GEMM, a convolution and
// the depthwise-separable block on nnp, and prints IR that reparses identically
// (--verify-roundtrip checks both the custom and the generic form).
// REQUIRES: mlir-tools

// RUN: isamapper-compile %project/examples/gemm_nn.mlir --hardware %project/hardware/nnp.mlir -o %t.gemm.mlir
// RUN: isamapper-opt %t.gemm.mlir -p convert-accel-to-mlir | %mlir-opt --verify-roundtrip | filecheck %s --check-prefix=GEMM
// GEMM:      func.func private @nnp_mm32(%arg0: memref<32x32xf32, strided<[?, ?], offset: ?>>, %arg1: memref<32x32xf32, strided<[?, ?], offset: ?>>, %arg2: memref<32x32xf32, strided<[?, ?], offset: ?>>)
// GEMM:      func.func @gemm_nn(%arg0: memref<128x256xf32>, %arg1: memref<256x64xf32>, %arg2: memref<128x64xf32>)
// GEMM:        call @nnp_mm32
// GEMM-NOT:  accel.
// GEMM-NOT:  isa.

// RUN: isamapper-compile %project/examples/conv2d_nhwc.mlir --hardware %project/hardware/nnp.mlir -o %t.conv.mlir
// RUN: isamapper-opt %t.conv.mlir -p convert-accel-to-mlir | %mlir-opt --verify-roundtrip | filecheck %s --check-prefix=CONV
// CONV:      func.func private @nnp_mm32(
// CONV:      func.func @conv2d_nhwc(%arg0: memref<1x30x30x16xf32>, %arg1: memref<3x3x16x32xf32>, %arg2: memref<1x28x28x32xf32>)
// CONV:        call @nnp_mm32

// RUN: isamapper-compile %project/examples/mobilenet_dwsep_block.mlir --hardware %project/hardware/nnp.mlir -o %t.dwsep.mlir
// RUN: isamapper-opt %t.dwsep.mlir -p convert-accel-to-mlir | %mlir-opt --verify-roundtrip | filecheck %s --check-prefix=DWSEP
// DWSEP-DAG: func.func private @nnp_mm32(
// DWSEP-DAG: func.func private @nnp_vfma32(
// DWSEP-DAG: func.func private @nnp_vrelu32(
// DWSEP:     func.func @mobilenet_dwsep_block(%arg0: memref<1x30x30x32xf32>, %arg1: memref<3x3x32xf32>, %arg2: memref<32x64xf32>, %arg3: memref<1x28x28x64xf32>)
// DWSEP-DAG:   call @nnp_vfma32
// DWSEP-DAG:   call @nnp_vrelu32
// DWSEP-DAG:   call @nnp_mm32
