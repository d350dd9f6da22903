// TOOL: isamapper-run --max-operations 3
// ERROR: run_operation_bound.mlir: the model refuses the program: the simulation passed 3 copies and executions without finishing; the program is too long to simulate within the bound (isamapper-run --max-operations N raises it)
builtin.module {
  isa.hardware @h {
    isa.memory @main capacity 1048576 bandwidth 64 latency 1
    isa.memory @loc capacity 4096 bandwidth 64 latency 1
    isa.transfer @in from @main to @loc bandwidth 8 latency 1 dims 2
    isa.transfer @out from @loc to @main bandwidth 8 latency 1 dims 2
    isa.unit @u count 1
    isa.instruction @v on @u latency 1 interval 1 (%X: memref<4xf32> in @loc, %O: memref<4xf32> in @loc) {
      isa.compute %O[i] = tanh(%X[i]) for i < 4
    }
  }
  accel.program @k on @h(%X: memref<8xf32>, %Y: memref<8xf32>) attributes {reference = @k_reference} {
    %0 = accel.alloc @loc {slots = 2 : i64} : memref<2x4xf32>
    %1 = accel.alloc @loc {slots = 2 : i64} : memref<2x4xf32>
    %2 = arith.constant 0 : index
    %3 = arith.constant 2 : index
    %4 = arith.constant 1 : index
    scf.for %5 = %2 to %3 step %4 {
      %6 = arith.constant 2 : index
      %7 = arith.remui %5, %6 : index
      %8 = arith.constant 4 : index
      %9 = arith.muli %7, %8 : index
      %10 = arith.constant 0 : index
      %11 = arith.constant 4 : index
      %12 = arith.muli %5, %11 : index
      %13 = arith.addi %10, %12 : index
      %14 = arith.constant 0 : index
      %15 = arith.constant 4 : index
      %16 = arith.muli %5, %15 : index
      %17 = arith.addi %14, %16 : index
      %18 = arith.constant 8 : index
      %19 = arith.subi %18, %17 : index
      %20 = accel.copy @in %X[%13] -> %1[%9] box [4:1:1] limits [%19] : memref<8xf32> -> memref<2x4xf32>
      accel.wait %20
      %21 = arith.constant 2 : index
      %22 = arith.remui %5, %21 : index
      %23 = arith.constant 4 : index
      %24 = arith.muli %22, %23 : index
      %25 = arith.constant 2 : index
      %26 = arith.remui %5, %25 : index
      %27 = arith.constant 4 : index
      %28 = arith.muli %26, %27 : index
      accel.exec @v(%1[%24], %0[%28]) strides [[1], [1]] : memref<2x4xf32>, memref<2x4xf32>
      %29 = arith.constant 2 : index
      %30 = arith.remui %5, %29 : index
      %31 = arith.constant 4 : index
      %32 = arith.muli %30, %31 : index
      %33 = arith.constant 0 : index
      %34 = arith.constant 4 : index
      %35 = arith.muli %5, %34 : index
      %36 = arith.addi %33, %35 : index
      %37 = arith.constant 0 : index
      %38 = arith.constant 4 : index
      %39 = arith.muli %5, %38 : index
      %40 = arith.addi %37, %39 : index
      %41 = arith.constant 8 : index
      %42 = arith.subi %41, %40 : index
      %43 = accel.copy @out %0[%32] -> %Y[%36] box [4:1:1] limits [%42] : memref<2x4xf32> -> memref<8xf32>
    }
    accel.free %0 : memref<2x4xf32>
    accel.free %1 : memref<2x4xf32>
  }
  isa.kernel @k_reference(%X: memref<8xf32>, %Y: memref<8xf32>) {
    isa.compute %Y[i] = tanh(%X[i]) for i < 8 mappings [
        #isa.mapping<@h::@v, operands = [1, 0], i = [i:4], outer = [], executions = 2, utilisation = 8/8, transfer_dims = [1, 1]>
      ]
  }
}

