// TOOL: isamapper-opt
// ERROR: parse error at capacity_out_of_range.mlir:5:29
isa.hardware @h {
  // 2^70 bytes: more than a 64-bit field holds.
  isa.memory @main capacity 1180591620717411303424 bandwidth 64 latency 1
}
