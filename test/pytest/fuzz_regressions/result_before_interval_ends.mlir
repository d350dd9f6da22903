// The fuzzer found 1 cycle against a roofline bound of 2: one execution of an
// instruction of latency 1 and interval 2 is done after 1 cycle, before its
// unit's interval ends (the bound now subtracts interval - latency).
isa.hardware @"fuzz-hw" {
  isa.memory @"m-0" capacity 1073741824 bandwidth 64 latency 100
  isa.unit @"v-x" count 1
  isa.instruction @"v-relu" on @"v-x" latency 1 interval 2 (%X : memref<1xf32> in @"m-0", %O : memref<1xf32> in @"m-0") {
    isa.compute %O[i] = relu(%X[i]) for i < 1
  }
}
isa.kernel @fuzz(%X : memref<1xf32>, %Y : memref<1xf32>, %Z : memref<1xf32>) {
  isa.compute %Z[a] = relu(%X[a]) for a < 1
}
