// RUN: isamapper-opt %s --split-input-file -p convert-linalg-to-isa --verify-diagnostics | filecheck %s
// RUN: not isamapper-opt %s --split-input-file -p convert-linalg-to-isa 2>&1 | filecheck %s --check-prefix=OPT --match-full-lines

// Linalg ops whose computation no isa statement expresses: bodies, fills, loops
// and aliasing. As in unsupported_ops.mlir, the first RUN line prints every
// chunk's message, the second isamapper-opt's located report of the first.

#id = affine_map<(d0) -> (d0)>

// A division alone.
func.func @divf(%X: memref<8xf32>, %Y: memref<8xf32>, %Z: memref<8xf32>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%X, %Y : memref<8xf32>, memref<8xf32>) outs(%Z : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = arith.divf %x, %y : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic`: the body computes `arith.divf(in0, in1)`, which is none of the isa statement kinds (out + a*b, a, a + b, a - b, a * b, tanh(a), exp(a), -a, max(a, 0) (relu), 1/(1 + exp(-a)) (sigmoid))
// OPT:      isamapper-opt: {{.*}}unsupported_bodies.mlir:[[# @LINE - 8]]:3: error: convert-linalg-to-isa: `linalg.generic`: the body computes `arith.divf(in0, in1)`, which is none of the isa statement kinds (out + a*b, a, a + b, a - b, a * b, tanh(a), exp(a), -a, max(a, 0) (relu), 1/(1 + exp(-a)) (sigmoid))
// OPT-NEXT:     linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%X, %Y : memref<8xf32>, memref<8xf32>) outs(%Z : memref<8xf32>) {
// OPT-NEXT:     ^
// OPT-NOT:  {{.*}}

// -----
// CHECK: {{^// -{5}$}}

// An input the body does not use.
func.func @unused_input(%X: memref<8xf32>, %Y: memref<8xf32>, %Z: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%X, %Y : memref<8xf32>, memref<8xf32>) outs(%Z : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = math.tanh %y : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic`: the body (math.tanh(in1)) does not use input #0; an isa statement reads each of its inputs

// -----
// CHECK: {{^// -{5}$}}

// The output read by a body that is not a multiply-accumulate.
func.func @reads_output(%X: memref<8xf32>, %Z: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%X : memref<8xf32>) outs(%Z : memref<8xf32>) {
  ^bb0(%x: f32, %z: f32):
    %r = arith.addf %z, %x : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic`: the body computes `arith.addf(out, in0)`: it reads the output but is not a multiply-accumulate `out + a*b` (an isa assignment does not read its output)

// -----
// CHECK: {{^// -{5}$}}

// A reduction loop on an assignment.
func.func @reduction_copy(%X: memref<4x8xf32>, %Z: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%X : memref<4x8xf32>) outs(%Z : memref<4xf32>) {
  ^bb0(%x: f32, %z: f32):
    linalg.yield %x : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic` has d1 as non-parallel loops but its body is an assignment (copy); only a multiply-accumulate (`out + a*b`) may reduce

// -----
// CHECK: {{^// -{5}$}}

// An operation the body matcher does not read (here the named linalg.log).
func.func @log(%X: memref<8xf32>, %Z: memref<8xf32>) {
  linalg.log ins(%X : memref<8xf32>) outs(%Z : memref<8xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.log`: the body uses `math.log`, which the import does not read (it reads `arith.addf`, `arith.addi`, `arith.subf`, `arith.subi`, `arith.mulf`, `arith.muli`, `arith.divf`, `arith.negf`, `arith.maximumf`, `arith.maxnumf`, `math.exp`, `math.tanh` and constants)

// -----
// CHECK: {{^// -{5}$}}

// A maximum with a non-zero constant is not a ReLU.
func.func @clamp(%X: memref<8xf32>, %Z: memref<8xf32>) {
  %c = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%X : memref<8xf32>) outs(%Z : memref<8xf32>) {
  ^bb0(%x: f32, %z: f32):
    %r = arith.maximumf %x, %c : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic`: the body computes `arith.maximumf(in0, 1)`, which is none of the isa statement kinds ({{.*}})

// -----
// CHECK: {{^// -{5}$}}

// A fill with a non-zero value.
func.func @fill_one(%Z: memref<8xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%Z : memref<8xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.fill` of %Z with 1; isa has no fill statement, only buffers that start at zero, so only a fill with zero is supported

// -----
// CHECK: {{^// -{5}$}}

// A matmul that accumulates into one of its inputs.
func.func @aliased_mac(%A: memref<4x4xf32>, %B: memref<4x4xf32>) {
  linalg.matmul ins(%A, %B : memref<4x4xf32>, memref<4x4xf32>) outs(%A : memref<4x4xf32>)
  return
}
// CHECK:      convert-linalg-to-isa: the multiply-accumulate reads its output %A; an isa statement cannot

// -----
// CHECK: {{^// -{5}$}}

// An in-place op that reads other elements than it writes (a transpose in place).
func.func @transpose_in_place(%X: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%X : memref<4x4xf32>) outs(%X : memref<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic` writes %X while reading other elements of it; an isa statement cannot

// -----
// CHECK: {{^// -{5}$}}

// A copy into a smaller output would write elements several times: the imported
// statement fails the isa verifier, reported at the linalg op.
func.func @broadcast_output(%X: memref<4x8xf32>, %Z: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "parallel"]} ins(%X : memref<4x8xf32>) outs(%Z : memref<4xf32>) {
  ^bb0(%x: f32, %z: f32):
    linalg.yield %x : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: the imported statement is not valid: Index `d1` does not appear in the output %Z of an assignment, so several iterations would write the same element; use `+=` to accumulate or drop the index.

// -----
// CHECK: {{^// -{5}$}}

// A scalar input.
func.func @scalar_input(%X: memref<8xf32>, %Z: memref<8xf32>) {
  %c = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%X, %c : memref<8xf32>, f32) outs(%Z : memref<8xf32>) {
  ^bb0(%x: f32, %s: f32, %z: f32):
    %r = arith.mulf %x, %s : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic` reads the scalar %c (f32); isa statements read memrefs only (use the constant in the body)

// -----
// CHECK: {{^// -{5}$}}

// Two outputs.
func.func @two_outputs(%X: memref<8xf32>, %Y: memref<8xf32>, %Z: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%X : memref<8xf32>) outs(%Y, %Z : memref<8xf32>, memref<8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    linalg.yield %x, %x : f32, f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic` has 2 outputs; an isa statement has one

// -----
// CHECK: {{^// -{5}$}}

// A mixed-precision multiply-accumulate (f16 inputs extended to f32).
func.func @mixed(%A: memref<4x4xf16>, %B: memref<4x4xf16>, %C: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%A, %B : memref<4x4xf16>, memref<4x4xf16>) outs(%C : memref<4x4xf32>) {
  ^bb0(%a: f16, %b: f16, %c: f32):
    %a32 = arith.extf %a : f16 to f32
    %b32 = arith.extf %b : f16 to f32
    %p = arith.mulf %a32, %b32 : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK:      convert-linalg-to-isa: `linalg.generic`: the body uses `arith.extf`, which the import does not read ({{.*}})
