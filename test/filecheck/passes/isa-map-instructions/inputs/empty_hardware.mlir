// A hardware description without any instruction (input of options_more.mlir).
isa.hardware @bare {
  isa.memory @dram capacity 1048576 bandwidth 16 latency 100
}
