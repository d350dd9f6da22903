// The search's budget bounds the plans it evaluates per statement; when it stops
// there with plans left it says so on stderr (and still schedules the kernel).
// RUN: isamapper-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{strategy=search budget=3}' 2>&1 >/dev/null | filecheck %s --match-full-lines
// RUN: isamapper-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{strategy=search budget=3}' 2>/dev/null | filecheck %s --check-prefix=PROGRAM
// RUN: isamapper-opt %s -p 'isa-map-instructions{hardware-file="%project/hardware/nnp.mlir"},isa-schedule{strategy=search}' 2>&1 >/dev/null | filecheck %s --check-prefix=QUIET --allow-empty

// CHECK: isa-schedule: @gemm: the search stopped at budget=3 plans for statement #0; it uses the best plan found (raise budget to search further)
// PROGRAM: accel.program @gemm on @nnp
// QUIET-NOT: isa-schedule

isa.kernel @gemm(%A : memref<128x256xf32>, %B : memref<256x64xf32>, %C : memref<128x64xf32>) {
  isa.compute %C[i, j] += %A[i, k] * %B[k, j] for i < 128, j < 64, k < 256
}
