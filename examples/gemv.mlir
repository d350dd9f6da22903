// Matrix-vector product: y = A * x with A: MxK (M=96, K=512). On a CPU, isa-schedule
// splits the reduction over k across the vector lanes (partial sums, then their
// sum): with the lanes along i, A would be read by columns.
// Run it: isamapper-run examples/gemv.mlir --seed 0 --outputs out.npz
isa.kernel @gemv(%A : memref<96x512xf32>, %x : memref<512xf32>, %y : memref<96xf32>) {
  isa.compute %y[i] += %A[i, k] * %x[k] for i < 96, k < 512
}
