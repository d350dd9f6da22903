// cpu_avx512.mlir: one core of an AVX-512 Xeon, Ice Lake-SP class (family 6,
// model 106; the machine isamapper is developed on: a KVM guest, "Intel Xeon
// Processor @ 2.80GHz"). Where Sapphire/Emerald Rapids (models 143/207)
// differ, a comment says so.
// Sources: `lscpu` on that machine (cache sizes, flags), the Intel 64 and
// IA-32 Architectures Optimization Reference Manual (latencies, ports,
// bytes/cycle), and Agner Fog's instruction tables / uops.info (instruction
// latency and throughput).
// MEASURED figures come from `python -m isamapper_bench.cpu_probe` on that
// machine (bench/cpu_probe.py: an FMA loop and reads of buffers sized for
// each level).
//
// Units in this file: capacity in bytes, bandwidth in bytes per cycle, latency
// and interval in core cycles, clock in MHz.
//
// Clock: 2600 MHz. MEASURED: a 12-accumulator zmm FMA loop reaches 155-174
// GFLOP/s (medians 160-165 over runs) = 64 FLOP/cycle at 2.5-2.7 GHz, under
// the nominal 2.8 GHz (the AVX-512 frequency licence; the machine is shared).
// Beside a native run the model does not use this figure: isamapper-run and
// isamapper-bench --native measure the clock of the machine they run on just
// before (tools/native_clock.py; --model-clock description uses this one).
//
// The 32 architectural zmm registers are modelled as a tiny memory @zmm
// (32 x 64 B); instruction operands live there. The caches are memories
// marked `cache`, with transfers between adjacent levels: a schedule's block
// there is a view of the tensor (no buffer, no copy), whose line traffic the
// model times on those transfers.
//
// Native code (isamapper-run --native) is compiled for LLVM's x86-64-v4 (the
// AVX-512 level of the x86-64 psABI) and needs the CPU flags listed.
//
// Element type: f32, 16 lanes per zmm.
//
// Peak rates implied by the numbers below:
//   * FMA: 2 @fma x 16 lanes / interval 1 = 32 MAC/cycle = 64 FLOP/cycle
//     = 166 GFLOP/s at 2.6 GHz.
//   * L1 -> registers: 128 B/cycle = 32 f32/cycle, one float per MAC: a GEMM
//     micro-kernel needs register blocking to reach the peak.
//   * DRAM: 4 B/cycle. Staying compute bound from DRAM needs 32 / 4 = 8 MAC
//     per byte (32 MAC per f32 element).
isa.hardware @cpu_avx512 clock 2600 cpu "x86-64-v4" features ["avx512f", "avx512vl", "avx512bw", "avx512dq", "fma"] {
  // ---- Memories ------------------------------------------------------------

  // Register file: 32 zmm registers x 64 B = 2048 bytes (architectural).
  // Bandwidth: 704 B/cycle = two FMAs each reading 3 and writing 1 register
  // (2 x 4 x 64 = 512), two loads writing (128), one store reading (64).
  // Derived from the port counts.
  // Latency: 1 cycle, nominal; the real timing is in the instruction latencies.
  isa.memory @zmm capacity 2048 bandwidth 704 latency 1

  // L1 data cache: 48 KiB = 49152 bytes, 12-way (lscpu: 96 KiB over 2 cores;
  // Sapphire/Emerald Rapids: the same).
  // Bandwidth: two 64 B loads per cycle = 128 B/cycle (Intel manual, Ice
  // Lake: ports 2 and 3 load 64 B each; ports 4 and 9 store, 64 B/cycle).
  // Latency: 5 cycles load-to-use (Intel manual, Ice Lake).
  // Geometry: 12 ways of 64 B lines, 64 sets (Intel manual, Ice Lake). Rows
  // 4 KiB apart share a set: past 12 of them a block cannot stay cached as a
  // view, so the scheduler packs it (as BLIS packs its panels).
  isa.memory @l1d capacity 49152 bandwidth 128 latency 5 cache ways 12 line 64

  // L2 cache: 1.25 MiB = 1310720 bytes per core (lscpu: 2.5 MiB over 2 cores;
  // Sapphire/Emerald Rapids: 2 MiB).
  // Bandwidth: 48 B/cycle. MEASURED: one core reads a 512 KiB buffer at
  // 128 GB/s = 49 B/cycle (the peak is one 64 B line per cycle).
  // Latency: 14 cycles (Intel manual, Ice Lake server; 16 on SPR).
  // Geometry: 20 ways of 64 B lines, 1024 sets (Intel manual, Ice Lake
  // server; Sapphire/Emerald Rapids: 16 ways of 2 MiB).
  isa.memory @l2 capacity 1310720 bandwidth 48 latency 14 cache ways 20 line 64

  // L3 cache: 48 MiB = 50331648 bytes, shared (lscpu). The model gives this one
  // core all of it.
  // Bandwidth: 11 B/cycle. MEASURED: one core reads an 8 MiB buffer at
  // 28.5-32 GB/s = 11-12 B/cycle (the mesh limits one core's share).
  // Latency: 80 cycles. ESTIMATE: published Ice Lake-SP mesh L3 hit latencies
  // are ~70-90 cycles.
  isa.memory @l3 capacity 50331648 bandwidth 11 latency 80 cache

  // Main memory. Capacity: 24 GiB = 25769803776 bytes (the machine's RAM).
  // Bandwidth: 4 B/cycle. MEASURED: one core reads a 256 MiB buffer at
  // 10-11.5 GB/s = 3.8-4.4 B/cycle.
  // Latency: 300 cycles (~110 ns). ESTIMATE for a virtualised server.
  isa.memory @dram capacity 25769803776 bandwidth 4 latency 300

  // ---- Address translation -------------------------------------------------
  // A cache holds a strided block as a view only while the pages the block
  // spans fit the TLB that translates its accesses: past that every row misses
  // the TLB and the prefetchers, which stop at page boundaries, cannot stream
  // it, so the scheduler packs the block into a buffer of its own.
  // L1 data TLB: 64 entries of 4 KiB pages for loads (Intel manual, Ice Lake
  // / Sunny Cove).
  isa.tlb @dtlb for @l1d entries 64 page 4096
  // Second-level TLB: 2048 entries of 4 KiB or 2 MiB pages (Intel manual,
  // Sunny Cove); L2 misses of the L1 TLB land there. The L3 is left without a
  // TLB: its latency hides a page walk, and packing whole matrices would not pay.
  isa.tlb @stlb for @l2 entries 2048 page 4096

  // ---- Transfer engines ----------------------------------------------------

  // Vector loads, L1 -> registers: vmovups / vbroadcastss on ports 2 and 3,
  // 2 x 64 B = 128 B/cycle (Intel manual).
  // Latency: 8 cycles, the load-to-use latency into a zmm register (5 for
  // integer registers plus the vector bypass). APPROXIMATE.
  // Dims: 2, as in cpu_avx2.mlir: a register tile is loaded by an unrolled
  // run of loads with a constant row stride. MODELLING CHOICE.
  // Granule: 64 B. A load or store moves at most one zmm register, so each
  // contiguous run of a tile costs whole accesses: a broadcast scalar costs a
  // load slot, a strided column of 16 floats 16 of them (strided_box.py).
  // Prefetch: 2048 B. The L1's IP-based stride prefetcher follows strides up
  // to 2 KB (Intel manual, "Data Prefetching"); rows farther apart are demand
  // misses, each waiting the latency (strided_box.demand_misses).
  isa.transfer @vload from @l1d to @zmm bandwidth 128 latency 8 dims 2 granule 64 prefetch 2048

  // Vector stores, registers -> L1: one 64 B zmm store per cycle (Intel
  // manual). Latency: 5 cycles, about the store-to-load forwarding delay.
  // APPROXIMATE.
  // Prefetch: 2048 B, as for @vload: adding a register block into C reads C's
  // rows, and rows farther apart each wait the latency. MEASURED natively
  // (1024x1500x2560, C's rows 6000 B apart, interleaved runs of L1 blocks 20,
  // 40 and 160 deep along k): each add of a 16-vector register block into C
  // cost about 28 ns at 8 rows x 2 vectors and 49 ns at 16 rows x 1 (90 and
  // 157 cycles at the 3.2 GHz the machine ran), about 10 cycles per row, where
  // one latency for the whole block would say 21; with a latency per row the
  // model says 56 and 96.
  isa.transfer @vstore from @zmm to @l1d bandwidth 64 latency 5 dims 2 granule 64 prefetch 2048

  // Line fills and write-backs between adjacent levels. Each transfer's
  // latency is the hit latency of the level it reads from; the bandwidths are
  // the figures above. Dims: 4, as in cpu_avx2.mlir (hardware prefetchers
  // follow strides). MODELLING CHOICE.
  // Granule: 64 B, the cache line: a block's rows cost whole lines.
  // Prefetch: 2048 B on every engine that brings data in, as for @vload: the
  // L2 streamer does not cross 4 KiB pages, so rows farther apart than the L1's
  // stride reach are fetched on demand at every level. MEASURED: packing a
  // 2560x32 block of a 2560x3000 tensor (rows 12000 B apart) took ~170k cycles,
  // about 2560 rows x the L3's 80 (bandwidth alone would say 30k).
  isa.transfer @l2_to_l1 from @l2 to @l1d bandwidth 48 latency 14 dims 4 granule 64 prefetch 2048
  isa.transfer @l1_to_l2 from @l1d to @l2 bandwidth 48 latency 14 dims 4 granule 64
  isa.transfer @l3_to_l2 from @l3 to @l2 bandwidth 11 latency 80 dims 4 granule 64 prefetch 2048
  isa.transfer @l2_to_l3 from @l2 to @l3 bandwidth 11 latency 80 dims 4 granule 64
  isa.transfer @dram_to_l3 from @dram to @l3 bandwidth 4 latency 300 dims 4 granule 64 prefetch 2048
  isa.transfer @l3_to_dram from @l3 to @dram bandwidth 4 latency 300 dims 4 granule 64

  // ---- Compute units -------------------------------------------------------

  // Two 512-bit FMA pipes: ports 0+1 fused and port 5 (Xeon parts with two
  // FMA units; MEASURED: 64 FLOP/cycle above). They also run vaddps, vmulps
  // and vmaxps (4 cycles), so those compete with FMAs for the same units.
  isa.unit @fma count 2
  // The shuffle/logic work of register moves and sign flips. MODELLING
  // CHOICE, as in cpu_avx2.mlir: its own unit, so it does not steal FMA slots
  // (moves are often eliminated at rename).
  isa.unit @valu count 1

  // ---- Instructions ----------------------------------------------------------
  // All operands are zmm registers (16 x f32 = 64 B), or a single f32 for the
  // broadcast operand.

  // vfmadd231ps zmm: O[i] += X[i] * W[i], 16 lanes. Latency 4, two per cycle
  // (uops.info, Ice Lake-SP), so interval 1 per unit.
  isa.instruction @vfmadd16 on @fma latency 4 interval 1 (%X : memref<16xf32> in @zmm, %W : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 16
  }

  // Broadcast FMA, the inner step of a GEMM micro-kernel:
  // O[j] += X[0] * W[j], 16 lanes. AVX-512 folds the broadcast into the FMA
  // (vfmadd231ps zmm, zmm, m32{1to16}); its load still takes a load port,
  // which is the 4-byte @vload of X. MODELLING SIMPLIFICATION, as in
  // cpu_avx2.mlir: the model charges 4 bytes of @zmm for the scalar.
  isa.instruction @vfmadd16_bcast on @fma latency 4 interval 1 (%X : memref<1xf32> in @zmm, %W : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[j] += %X[0] * %W[j] for j < 16
  }

  // Horizontal sum into a scalar: O[0] += X[0] + ... + X[15]. No single
  // instruction; ESTIMATE from counting the usual sequence (uops.info for
  // each): vextractf64x4 + vaddps (8 lanes left), vextractf128 + vaddps (4),
  // vshufps + vaddps (2), vshufps + vaddps (1), vaddss into the accumulator:
  // 4 shuffles (3 or 1 cycles) and 5 adds (4 cycles) in a chain, latency ~28;
  // the shuffles all on port 5 (which also runs the second FMA pipe), so
  // interval 4. A reduction split over the lanes (a dot product's
  // partial sums, kept one per lane) ends with one of these per output
  // element. The native export asks LLVM for this tree (`reassoc`).
  isa.instruction @vreduce16 on @fma latency 28 interval 4 (%X : memref<16xf32> in @zmm, %O : memref<1xf32> in @zmm) {
    isa.compute %O[0] += %X[i] for i < 16
  }

  // vaddps / vsubps / vmulps zmm: latency 4, two per cycle (uops.info).
  isa.instruction @vadd16 on @fma latency 4 interval 1 (%X : memref<16xf32> in @zmm, %Y : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 16
  }

  isa.instruction @vsub16 on @fma latency 4 interval 1 (%X : memref<16xf32> in @zmm, %Y : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 16
  }

  isa.instruction @vmul16 on @fma latency 4 interval 1 (%X : memref<16xf32> in @zmm, %Y : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 16
  }

  // vmovaps zmm, zmm: latency 1 (0 when move-eliminated).
  isa.instruction @vcopy16 on @valu latency 1 interval 1 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = %X[i] for i < 16
  }

  // Negation: vxorps with a sign mask held in a register. Latency 1.
  isa.instruction @vneg16 on @valu latency 1 interval 1 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = neg(%X[i]) for i < 16
  }

  // ReLU: vmaxps against a zeroed register. Latency 4, on the FMA ports.
  isa.instruction @vrelu16 on @fma latency 4 interval 1 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = relu(%X[i]) for i < 16
  }

  // Transcendentals: no single instruction. Each stands for a vector math
  // library's sequence; ESTIMATES from counting them, as in cpu_avx2.mlir,
  // with AVX-512's vscalefps (exponent construction in one uop) and
  // vrcp14ps + one Newton step (instead of vdivps) saving a few uops:
  //   exp: ~10 uops on the FMA ports: interval 10, latency 36.
  //   sigmoid: exp, an add and a reciprocal: ~14 uops, latency 52.
  //   tanh: ~18 uops, latency 56.
  isa.instruction @vexp16 on @fma latency 36 interval 10 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = exp(%X[i]) for i < 16
  }

  isa.instruction @vsigmoid16 on @fma latency 52 interval 14 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 16
  }

  isa.instruction @vtanh16 on @fma latency 56 interval 18 (%X : memref<16xf32> in @zmm, %O : memref<16xf32> in @zmm) {
    isa.compute %O[i] = tanh(%X[i]) for i < 16
  }
}
