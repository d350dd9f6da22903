// RUN: isamapper-opt %s -p convert-linalg-to-isa | filecheck %s
// RUN: isamapper-opt %s -p convert-linalg-to-isa | isamapper-opt | filecheck %s

// Matrix products: each linalg op becomes one `+=` statement whose indices d0, d1,
// ... are the op's loops in order, the output's access first. Without a fill the
// statement accumulates into what the output argument holds, as linalg does.
// (generic_form.mlir runs the same functions in upstream's generic form.)

func.func @matmul(%A: memref<64x32xf32>, %B: memref<32x16xf32>, %C: memref<64x16xf32>) {
  linalg.matmul ins(%A, %B : memref<64x32xf32>, memref<32x16xf32>) outs(%C : memref<64x16xf32>)
  return
}
// CHECK:       isa.kernel @matmul(%[[A:[^:]+]]: memref<64x32xf32>, %[[B:[^:]+]]: memref<32x16xf32>, %[[C:[^:]+]]: memref<64x16xf32>) {
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 64, d1 < 16, d2 < 32
// CHECK-NEXT:  }

// A transposed A through LLVM 22's `indexing_maps` on linalg.matmul.
func.func @matmul_transpose_a(%A: memref<32x64xf32>, %B: memref<32x16xf32>, %C: memref<64x16xf32>) {
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%A, %B : memref<32x64xf32>, memref<32x16xf32>) outs(%C : memref<64x16xf32>)
  return
}
// CHECK:       isa.kernel @matmul_transpose_a(%[[A:[^:]+]]: memref<32x64xf32>, %[[B:[^:]+]]: memref<32x16xf32>, %[[C:[^:]+]]: memref<64x16xf32>) {
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] += %[[A]][d2, d0] * %[[B]][d2, d1] for d0 < 64, d1 < 16, d2 < 32
// CHECK-NEXT:  }

// A transposed B through linalg.generic; the body adds the product to the output
// in the other order (out + a*b and a*b + out are both the multiply-accumulate).
func.func @matmul_transpose_b(%A: memref<64x32xf32>, %B: memref<16x32xf32>, %C: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (j, k)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%A, %B : memref<64x32xf32>, memref<16x32xf32>) outs(%C : memref<64x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %p, %c : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:       isa.kernel @matmul_transpose_b(%[[A:[^:]+]]: memref<64x32xf32>, %[[B:[^:]+]]: memref<16x32xf32>, %[[C:[^:]+]]: memref<64x16xf32>) {
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] += %[[A]][d0, d2] * %[[B]][d1, d2] for d0 < 64, d1 < 16, d2 < 32
// CHECK-NEXT:  }

// Integers: muli / addi are the multiply-accumulate too.
func.func @matmul_i32(%A: memref<8x4xi32>, %B: memref<4x8xi32>, %C: memref<8x8xi32>) {
  linalg.matmul ins(%A, %B : memref<8x4xi32>, memref<4x8xi32>) outs(%C : memref<8x8xi32>)
  return
}
// CHECK:       isa.kernel @matmul_i32(%[[A:[^:]+]]: memref<8x4xi32>, %[[B:[^:]+]]: memref<4x8xi32>, %[[C:[^:]+]]: memref<8x8xi32>) {
// CHECK-NEXT:    isa.compute %[[C]][d0, d1] += %[[A]][d0, d2] * %[[B]][d2, d1] for d0 < 8, d1 < 8, d2 < 4
// CHECK-NEXT:  }
