// cpu_avx2.mlir: one core of an AVX2/FMA x86 CPU, Skylake client class
// (for example a Core i7-6700K), running at ~3 GHz. Where Haswell differs, a
// comment says so.
// Sources: the Intel 64 and IA-32 Architectures Optimization Reference Manual
// (cache sizes, latencies, bytes/cycle), Agner Fog's instruction tables and
// uops.info (instruction latency, throughput, ports), and 7-cpu.com
// measurements.
//
// Units in this file: capacity in bytes, bandwidth in bytes per cycle, latency
// and interval in core cycles. Per-second figures assume 3 GHz.
//
// The 16 architectural ymm registers are modelled as a tiny memory @ymm
// (16 x 32 B). Instruction operands live there. Loads and stores are the
// transfers between @ymm and @l1d. The caches are memories marked `cache`,
// with transfers between adjacent levels: a schedule's block there is a view
// of the tensor (no buffer, no copy), whose line traffic the model times on
// those transfers.
//
// Clock: 3000 MHz, the figure the per-second rates assume. Native code
// (isamapper-run --native) is compiled for LLVM's x86-64-v3 (the AVX2 level of
// the x86-64 psABI) and needs the CPU flags listed.
//
// Element type: f32, which is what AVX2 vectors hold here (8 x f32 per ymm).
//
// Peak rates implied by the numbers below:
//   * FMA: 2 @fma x 8 lanes / interval 1 = 16 MAC/cycle = 32 FLOP/cycle
//     = 96 GFLOP/s single precision at 3 GHz.
//   * L1 -> registers: 64 B/cycle = 16 f32/cycle, one float per MAC. So a GEMM
//     micro-kernel needs register blocking (reuse inside @ymm) to reach the
//     peak.
//   * DRAM: 7 B/cycle. Staying compute bound from DRAM needs at least
//     16 / 7 = 2.3 MAC per byte (9 MAC per f32 element).
isa.hardware @cpu_avx2 clock 3000 cpu "x86-64-v3" features ["avx2", "fma"] {
  // ---- Memories ------------------------------------------------------------

  // Register file: 16 ymm registers x 32 B = 512 bytes (architectural, public).
  // Bandwidth: 352 B/cycle = two FMAs each reading 3 and writing 1 register
  // (2 x 4 x 32 = 256), plus two loads writing (64), plus one store reading
  // (32). Derived from the port counts.
  // Latency: 1 cycle, a nominal register-read/bypass cost. The real timing is
  // in the instruction latencies.
  isa.memory @ymm capacity 512 bandwidth 352 latency 1

  // L1 data cache: 32 KiB = 32768 bytes, 8-way (public).
  // Bandwidth: two 32 B loads + one 32 B store per cycle = 96 B/cycle (public:
  // ports 2 and 3 load, port 4 stores).
  // Latency: 4 cycles, the best-case load-to-use for integer registers (5 with
  // complex addressing). Public (Intel manual).
  // Geometry: 8 ways of 64 B lines, 64 sets (public). Rows 4 KiB apart share
  // a set: past 8 of them a block cannot stay cached as a view.
  isa.memory @l1d capacity 32768 bandwidth 96 latency 4 cache ways 8 line 64

  // L2 cache: 256 KiB = 262144 bytes per core (public, Skylake client and
  // Haswell).
  // Bandwidth: 64 B/cycle, one cache line per cycle to L1 (public peak;
  // sustained is lower, ~30-48 B/cycle).
  // Latency: 12 cycles (public; ~11-12 on Haswell).
  // Geometry: 4 ways of 64 B lines, 1024 sets (Skylake client; Haswell: 8).
  isa.memory @l2 capacity 262144 bandwidth 64 latency 12 cache ways 4 line 64

  // L3 cache: 8 MiB = 8388608 bytes, shared (i7-6700K and i7-4790K: 8 MiB,
  // public). The model gives this one core all of it.
  // Bandwidth: 32 B/cycle, the ring's data path per stop (public peak).
  // Latency: 42 cycles (7-cpu.com for Skylake; ~36 on Haswell).
  isa.memory @l3 capacity 8388608 bandwidth 32 latency 42 cache

  // Main memory. Capacity: 16 GiB = 17179869184 bytes. MODELLING CHOICE, a
  // typical desktop.
  // Bandwidth: 7 B/cycle. Dual-channel DDR4-2133 peaks at 34.1 GB/s
  // (11.4 B/cycle). One core typically sustains ~20 GB/s: 20e9 / 3e9 = 6.7,
  // rounded to 7. ESTIMATE from typical single-thread STREAM results.
  // Latency: 250 cycles (~83 ns = 42 cycles of L3 plus ~70 ns of DRAM).
  // ESTIMATE from 7-cpu.com-style measurements.
  isa.memory @dram capacity 17179869184 bandwidth 7 latency 250

  // ---- Address translation -------------------------------------------------
  // As in cpu_avx512.mlir: a cache holds a strided block as a view only while
  // the pages it spans fit the TLB translating its accesses.
  // L1 data TLB: 64 entries of 4 KiB pages (Intel manual, Skylake client).
  isa.tlb @dtlb for @l1d entries 64 page 4096
  // Second-level TLB: 1536 entries of 4 KiB or 2 MiB pages (Intel manual,
  // Skylake client).
  isa.tlb @stlb for @l2 entries 1536 page 4096

  // ---- Transfer engines ----------------------------------------------------

  // Vector loads, L1 -> registers: vmovups / vbroadcastss on load ports 2 and
  // 3, 2 x 32 B = 64 B/cycle (public).
  // Latency: 7 cycles, the load-to-use latency into a ymm register (integer
  // loads take 4-5; vector loads take a couple of cycles more). Measured
  // values; APPROXIMATE.
  // Dims: 2. One load is one contiguous vector, but a register tile is loaded
  // by an unrolled run of loads with a constant row stride, which we count as
  // one 2-D transfer. MODELLING CHOICE.
  // Granule: 32 B. A load or store moves at most one ymm register, so each
  // contiguous run of a tile costs whole accesses: a broadcast scalar costs a
  // load slot, a strided column of 16 floats 16 of them (strided_box.py).
  isa.transfer @vload from @l1d to @ymm bandwidth 64 latency 7 dims 2 granule 32

  // Vector stores, registers -> L1: one 32 B store per cycle on port 4
  // (public).
  // Latency: 5 cycles, roughly the store-to-load forwarding delay.
  // APPROXIMATE.
  isa.transfer @vstore from @ymm to @l1d bandwidth 32 latency 5 dims 2 granule 32

  // Cache-line fills and write-backs between adjacent levels. Each transfer's
  // latency is the hit latency of the level it reads from. The bandwidths are
  // the public peak figures above.
  // Dims: 4. MODELLING CHOICE: cache traffic follows whatever loop nest the
  // code runs (with hardware prefetchers following strides). There is no
  // descriptor format limiting it, so we allow as many strided dimensions as
  // the accelerators' DMA engines.
  // Granule: 64 B, the cache line: a block's rows cost whole lines.
  isa.transfer @l2_to_l1 from @l2 to @l1d bandwidth 64 latency 12 dims 4 granule 64
  isa.transfer @l1_to_l2 from @l1d to @l2 bandwidth 64 latency 12 dims 4 granule 64
  isa.transfer @l3_to_l2 from @l3 to @l2 bandwidth 32 latency 42 dims 4 granule 64
  isa.transfer @l2_to_l3 from @l2 to @l3 bandwidth 32 latency 42 dims 4 granule 64
  isa.transfer @dram_to_l3 from @dram to @l3 bandwidth 7 latency 250 dims 4 granule 64
  isa.transfer @l3_to_dram from @l3 to @dram bandwidth 7 latency 250 dims 4 granule 64

  // ---- Compute units -------------------------------------------------------

  // The two 256-bit FMA pipes on ports 0 and 1 (public). On Skylake these same
  // two pipes also do vaddps, vmulps and vmaxps (all 4 cycles). So adds and
  // multiplies compete with FMAs for the same units, as on the real chip.
  // (Haswell runs vaddps only on port 1, with 3 cycles latency.)
  isa.unit @fma count 2
  // Port 5, the vector shuffle/logic port, for register moves and sign
  // flips. MODELLING CHOICE: vxorps and vmovaps can also use ports 0 and 1,
  // and register moves are often eliminated at rename. Giving them their own
  // unit keeps them from stealing FMA slots, which is what usually happens.
  isa.unit @valu count 1

  // ---- Instructions ----------------------------------------------------------
  // All operands are ymm registers (8 x f32 = 32 B), or a single f32 for the
  // broadcast operand.

  // vfmadd231ps ymm: O[i] += X[i] * W[i], 8 lanes.
  // Latency 4, throughput 2 per cycle on ports 0 and 1, so interval 1 per unit
  // (public, Skylake; Haswell has latency 5).
  isa.instruction @vfmadd8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @ymm, %W : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 8
  }

  // Broadcast FMA, the inner step of a GEMM micro-kernel:
  // O[j] += X[0] * W[j], 8 lanes.
  // AVX2 has no embedded-broadcast operand (that is AVX-512). The broadcast is
  // a vbroadcastss ymm, m32, which runs entirely on a load port and uses no
  // FMA slot. Here it is the 4-byte @vload of X, and the FMA itself costs the
  // same as @vfmadd8.
  // MODELLING SIMPLIFICATION: the broadcast scalar really takes a whole 32 B
  // ymm register, but the model charges 4 bytes of @ymm for it.
  isa.instruction @vfmadd8_bcast on @fma latency 4 interval 1 (%X : memref<1xf32> in @ymm, %W : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[j] += %X[0] * %W[j] for j < 8
  }

  // Horizontal sum into a scalar: O[0] += X[0] + ... + X[7]. No single
  // instruction; ESTIMATE from counting the usual sequence (uops.info for
  // each): vextractf128 + vaddps (4 lanes left), vshufps + vaddps (2),
  // vshufps + vaddps (1), vaddss into the accumulator: 3 shuffles (3 or 1
  // cycles) and 4 adds (4 cycles) in a chain, latency ~24; the shuffles all
  // on port 5, so interval 3. A reduction split over the lanes (a dot
  // product's partial sums, kept one per lane) ends with one of these per
  // output element. The native export asks LLVM for this tree (`reassoc`).
  isa.instruction @vreduce8 on @fma latency 24 interval 3 (%X : memref<8xf32> in @ymm, %O : memref<1xf32> in @ymm) {
    isa.compute %O[0] += %X[i] for i < 8
  }

  // vaddps / vsubps / vmulps ymm: latency 4, 2 per cycle on ports 0 and 1
  // (public, Skylake).
  isa.instruction @vadd8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @ymm, %Y : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 8
  }

  isa.instruction @vsub8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @ymm, %Y : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 8
  }

  isa.instruction @vmul8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @ymm, %Y : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 8
  }

  // vmovaps ymm, ymm: latency 1 (0 when move-eliminated), 1 per cycle here
  // on @valu.
  isa.instruction @vcopy8 on @valu latency 1 interval 1 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = %X[i] for i < 8
  }

  // Negation: vxorps with a sign-bit mask (-0.0f in every lane). The mask is
  // loaded once into a register outside the loop and not modelled. Latency 1.
  isa.instruction @vneg8 on @valu latency 1 interval 1 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = neg(%X[i]) for i < 8
  }

  // ReLU: vmaxps against a zeroed register (set once by vxorps, outside the
  // loop). Latency 4, ports 0 and 1 on Skylake (public).
  isa.instruction @vrelu8 on @fma latency 4 interval 1 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = relu(%X[i]) for i < 8
  }

  // Transcendentals: AVX2 has no instruction for exp, sigmoid or tanh. Each of
  // these stands for the ~10-20 instruction sequence a vector math library
  // uses (SLEEF, SVML, Eigen, avx_mathfun). The numbers are ESTIMATES from
  // counting such sequences. Most of their uops are on ports 0 and 1, so they
  // run on @fma and occupy it for a long interval.
  //   exp: x*log2(e), vroundps, two FMAs of range reduction (Cody-Waite), a
  //     degree-5/6 Horner polynomial (5-6 FMAs), and exponent construction
  //     (vcvtps2dq, vpaddd, vpslld) plus a scale. About 12 uops on ports 0
  //     and 1: interval 12 per unit (one vector every 6 cycles on the core).
  //     The dependency chain is about 4+8+4+4+5*4+4 = 44 cycles; we use 40.
  //   sigmoid: 1 / (1 + exp(-x)) = exp plus vaddps plus vdivps. vdivps ymm has
  //     latency 11 and one issue per 5 cycles on Skylake's single divider.
  //     About 16 uops: interval 16, latency 40 + 4 + 11 = 55, rounded to 56.
  //   tanh: 1 - 2 / (exp(2x) + 1), or a rational polynomial with a divide
  //     (Eigen). About 20 uops: interval 20, latency 60.
  isa.instruction @vexp8 on @fma latency 40 interval 12 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = exp(%X[i]) for i < 8
  }

  isa.instruction @vsigmoid8 on @fma latency 56 interval 16 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 8
  }

  isa.instruction @vtanh8 on @fma latency 60 interval 20 (%X : memref<8xf32> in @ymm, %O : memref<8xf32> in @ymm) {
    isa.compute %O[i] = tanh(%X[i]) for i < 8
  }
}
