// Execution-only loop nests the model batches (hardware/model/exec_batch.py)
// and ones it runs op by op (input of test_exec_batch.py).
isa.hardware @duo {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
  isa.memory @sram capacity 65536 bandwidth 64 latency 2
  isa.transfer @load from @dram to @sram bandwidth 16 latency 50 dims 2
  isa.transfer @store from @sram to @dram bandwidth 16 latency 50 dims 2
  isa.unit @vpu count 3
  isa.unit @spu count 1
  isa.instruction @vadd4 on @vpu latency 5 interval 2 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram, %O : memref<4xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 4
  }
  isa.instruction @vmul4 on @spu latency 3 interval 1 (%X : memref<4xf32> in @sram, %Y : memref<4xf32> in @sram, %O : memref<4xf32> in @sram) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 4
  }
}
accel.program @nests on @duo(%A : memref<64xf32>, %C : memref<64xf32>) {
  %x = accel.alloc @sram {slots = 2 : i64} : memref<2x64xf32>
  %y = accel.alloc @sram : memref<64xf32>
  %z = accel.alloc @sram : memref<64xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %t0 = accel.copy @load %A[%c0] -> %x[%c0] box [64:1:1] limits [%c64] : memref<64xf32> -> memref<2x64xf32>
  %t1 = accel.copy @load %A[%c0] -> %x[%c64] box [64:1:1] limits [%c64] : memref<64xf32> -> memref<2x64xf32>
  accel.wait %t0
  accel.fill %y[%c0] size 64 : i64 : memref<64xf32>
  accel.fill %z[%c0] size 64 : i64 : memref<64xf32>
  // Batched: two instructions on two unit kinds at two depths and a wait
  // between them; every tile of %y is written once per outer iteration.
  scf.for %i = %c0 to %c2 step %c1 {
    %base = arith.muli %i, %c64 : index
    scf.for %j = %c0 to %c16 step %c1 {
      %o = arith.muli %j, %c4 : index
      %in = arith.addi %base, %o : index
      accel.exec @vadd4(%x[%in], %x[%in], %y[%o]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    }
    // Holds the executions after its first run until the second copy is done.
    accel.wait %t1
    scf.for %k = %c0 to %c5 step %c1 {
      %o = arith.muli %k, %c4 : index
      %in = arith.addi %base, %o : index
      accel.exec @vmul4(%x[%in], %x[%in], %z[%o]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    }
  }
  // Op by op: %y is read after the nest wrote it, so its readiness changes.
  scf.for %i = %c0 to %c16 step %c1 {
    accel.exec @vadd4(%x[%c0], %x[%c0], %y[%c0]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    accel.exec @vadd4(%y[%c0], %x[%c0], %z[%c0]) strides [[1], [1], [1]] : memref<64xf32>, memref<2x64xf32>, memref<64xf32>
  }
  // The outer loop op by op (the inner bound changes within it), the inner
  // batched (its bounds are not constants, so however few its executions).
  scf.for %i = %c1 to %c5 step %c1 {
    scf.for %j = %c0 to %i step %c1 {
      %o = arith.muli %j, %c4 : index
      accel.exec @vadd4(%x[%o], %x[%o], %z[%o]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    }
  }
  // Batched: the inner loop runs no iteration, so its instruction never runs
  // (and is not counted).
  scf.for %i = %c0 to %c64 step %c1 {
    accel.exec @vadd4(%x[%c0], %x[%c0], %z[%c4]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    scf.for %j = %c0 to %c0 step %c1 {
      accel.exec @vmul4(%x[%c0], %x[%c0], %z[%c0]) strides [[1], [1], [1]] : memref<2x64xf32>, memref<2x64xf32>, memref<64xf32>
    }
  }
  %s = accel.copy @store %z[%c0] -> %C[%c0] box [64:1:1] limits [%c64] : memref<64xf32> -> memref<64xf32>
  accel.wait %s, %t1
  accel.free %x : memref<2x64xf32>
  accel.free %y : memref<64xf32>
  accel.free %z : memref<64xf32>
}
