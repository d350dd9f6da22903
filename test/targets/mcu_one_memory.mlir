// A microcontroller with one memory: instruction operands live in the RAM that
// holds the kernel's tensors, so executions read and write them in place and
// no transfer engine exists (issue 13: outputs written in place).
isa.hardware @mcu {
  isa.memory @ram capacity 65536 bandwidth 8 latency 2
  isa.unit @alu count 1
  isa.instruction @vadd8 on @alu latency 2 interval 1 (%X : memref<8xf32> in @ram, %Y : memref<8xf32> in @ram, %O : memref<8xf32> in @ram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 8
  }
  isa.instruction @vsub8 on @alu latency 2 interval 1 (%X : memref<8xf32> in @ram, %Y : memref<8xf32> in @ram, %O : memref<8xf32> in @ram) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 8
  }
}
