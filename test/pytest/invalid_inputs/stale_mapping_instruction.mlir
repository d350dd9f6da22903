// TOOL: isamapper-opt -p isa-schedule
// ERROR: stale_mapping_instruction.mlir:8:5: error: isa-schedule: the candidate #isa.mapping<@h::@vadd99, operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]> names @vadd99, which @h does not declare as an isa.instruction (run isa-map-instructions again)
// A mapped file edited by hand (or mapped for an older description): the second
// candidate names an instruction the hardware does not have. Every candidate is
// checked, not only the first, and the error points at the statement.
builtin.module {
  isa.kernel @k(%A: memref<8xf32>, %B: memref<8xf32>, %C: memref<8xf32>) {
    isa.compute %C[i] = %A[i] + %B[i] for i < 8 mappings [
        #isa.mapping<@h::@vadd8, operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]>,
        #isa.mapping<@h::@vadd99, operands = [1, 2, 0], i = [i:8], outer = [], executions = 1, utilisation = 8/8, transfer_dims = [1, 1, 1]>
      ]
  }
  isa.hardware @h {
    isa.memory @main capacity 1048576 bandwidth 64 latency 1
    isa.memory @loc capacity 4096 bandwidth 64 latency 1
    isa.transfer @in from @main to @loc bandwidth 16 latency 4 dims 1
    isa.transfer @out from @loc to @main bandwidth 16 latency 4 dims 1
    isa.unit @vu count 1
    isa.instruction @vadd8 on @vu latency 2 interval 1 (%X: memref<8xf32> in @loc, %Y: memref<8xf32> in @loc, %O: memref<8xf32> in @loc) {
      isa.compute %O[i] = %X[i] + %Y[i] for i < 8
    }
  }
}
