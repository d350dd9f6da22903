// TOOL: isamapper-opt
// ERROR: duplicate_symbol_located.mlir:6:3: error: Redefinition of symbol "loc"; it is first defined at line 5
isa.hardware @h {
  isa.memory @main capacity 1048576 bandwidth 64 latency 1
  isa.memory @loc capacity 4096 bandwidth 64 latency 1
  isa.memory @loc capacity 1024 bandwidth 64 latency 1
}
