// A hardware called @nnp that is not the shipped one (input of options_more.mlir).
isa.hardware @nnp {
  isa.memory @hbm capacity 1048576 bandwidth 16 latency 100
}
