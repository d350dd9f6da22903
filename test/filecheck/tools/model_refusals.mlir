// The model and the accel verifiers refuse programs that cannot run.
// RUN: not isamapper-run %S/inputs/overflow.mlir 2>&1 | filecheck %s --check-prefix=OVERFLOW
// OVERFLOW: isamapper-run: {{.*}}overflow.mlir: the model refuses the program: accel.alloc overflows @sram: 2048 bytes live, capacity 1024

// RUN: not isamapper-run %S/inputs/bad_engine.mlir 2>&1 | filecheck %s --check-prefix=ENGINE
// ENGINE: isamapper-run: {{.*}}bad_engine.mlir:12:3: error: Transfer engine @teleport is not declared by @tiny.

// RUN: not isamapper-run %S/inputs/wrong_direction.mlir 2>&1 | filecheck %s --check-prefix=DIRECTION
// DIRECTION: isamapper-run: {{.*}}wrong_direction.mlir:12:3: error: Engine @load reads @dram, but the copy's source lives in @sram.

// RUN: not isamapper-run %S/inputs/main_overflow.mlir --kernel arguments 2>&1 | filecheck %s --check-prefix=MAIN
// MAIN: isamapper-run: {{.*}}main_overflow.mlir: the model refuses the program: the program's arguments need 3072 bytes of the main memory @dram, capacity 2048
// RUN: not isamapper-run %S/inputs/main_overflow.mlir --kernel buffer 2>&1 | filecheck %s --check-prefix=MAIN-BUFFER
// MAIN-BUFFER: isamapper-run: {{.*}}main_overflow.mlir: the model refuses the program: accel.alloc overflows @dram: 3072 bytes live, capacity 2048
