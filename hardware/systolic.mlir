// systolic.mlir: a small Gemmini-like edge accelerator. It is a 16x16
// systolic array attached to an in-order Rocket RISC-V core, which issues the
// array's commands and does the element-wise work itself.
// Sources: the Gemmini generator (github.com/ucb-bar/gemmini, GemminiConfigs
// defaultConfig as of 2019-2021), Rocket Chip / Chipyard configuration
// defaults, and the Gemmini paper (Genc et al., DAC 2021).
//
// Units in this file: capacity in bytes, bandwidth in bytes per cycle, latency
// and interval in cycles. There is a single clock for the core, the array and
// the system bus. Where we convert to per-second rates we assume 1 GHz, the
// clock commonly used when evaluating Gemmini SoCs (an ASSUMPTION; the cycle
// numbers do not depend on it).
//
// Public Gemmini parameters we use (that defaultConfig):
//   * meshRows = meshColumns = 16, tileRows = tileColumns = 1:
//     a 16x16 array of processing elements (PEs), 256 MAC/cycle.
//   * sp_capacity = 256 KiB in sp_banks = 4 banks.
//     acc_capacity = 64 KiB of 32-bit accumulators.
//     (Newer upstream defaults use 128 KiB + 128 KiB; we keep the classic
//     256/64 split.)
//   * dma_buswidth = 128 bit = 16 B/cycle, dma_maxbytes = 64. Gemmini SoCs set
//     the system bus to 128 bit as well (WithSystemBusWidth(128)).
//   * The weight-stationary dataflow: W is preloaded into the PEs, X streams
//     through, and results accumulate in the accumulator SRAM.
//
// DATA TYPE: the default Gemmini multiplies int8 and accumulates int32. This
// model does everything in f32 (4 bytes/element). The accumulator's 32-bit
// entries map one to one. In the scratchpad, a 16-element row is 64 B instead
// of 16 B, so 256 KiB holds 65536 f32 elements where the real chip holds
// 262144 int8 elements. The DMA likewise moves a quarter as many elements per
// byte.
//
// Peak rates implied by the numbers below:
//   * Array: 1 @array x (16*16*16 MAC / interval 16) = 256 MAC/cycle
//     (512 FLOP/cycle; 256 GMAC/s at 1 GHz).
//   * Host: one scalar FMA per 5 cycles = 0.2 MAC/cycle, 1280x below the array.
//   * DRAM/DMA: 16 B/cycle. To keep the array busy from DRAM, a GEMM needs at
//     least 256 / 16 = 16 MAC per byte moved (64 MAC per f32 element).
//   * Scratchpad: 256 B/cycle. One @mm16 reads 2 x 1024 B in 16 cycles
//     = 128 B/cycle, which leaves room for DMA writes at the same time.
//
// ENERGY AND AREA (optional fields; pJ per byte, per execution, per cycle;
// mm² per unit and per KiB). Sources, at 45 nm and 0.9 V: M. Horowitz,
// "Computing's energy problem", ISSCC 2014 (8-bit integer multiply 0.2 pJ,
// 32-bit integer add 0.1 pJ, 32-bit float add 0.9 pJ and multiply 3.7 pJ; a
// 64-bit read of a 32 KB SRAM 20 pJ, a 64-bit DRAM access 1.3-2.6 nJ; an
// instruction's fetch, decode and register-file overhead on a simple core
// ~70 pJ; areas: 8-bit multiplier 282 um², 32-bit adder 137 um²).
// SCALING to a 22 nm FinFET at ~0.8 V, the process of the Gemmini test chips
// (Genc et al.: Intel 22FFL), a MODELLING CHOICE as in nnp.mlir: energies x
// (22/45) x (0.8/0.9)² = 0.386, areas x (22/45)² = 0.239; DRAM is not scaled.
// SRAM area from Intel's 22 nm high-density bit cell, 0.092 um² (IEDM 2012),
// over an array efficiency of 0.7 (ESTIMATE): 0.00108 mm² per KiB. The array
// multiplies int8 as the chip does (its MAC energy is the int8 one); the
// model's f32 tiles are four times the chip's int8 bytes, so its traffic
// energy is four times the chip's, like its traffic.
isa.hardware @systolic {
  // ---- Memories ------------------------------------------------------------

  // Off-chip DRAM. Capacity: 4 GiB = 4294967296 bytes. MODELLING CHOICE: the
  // default external memory of Rocket Chip / Chipyard SoCs is 256 MiB
  // (0x1000_0000), but that does not hold the f32 tensors of 74 of the 248
  // DeepBench GEMMs the bench runs (the largest, 1024x16x500000 with its
  // inputs, needs 2.1 GiB), and the model refuses tensors larger than the main
  // memory; boards carrying such SoCs commonly have several GiB.
  // Bandwidth: 16 B/cycle, the 128-bit system bus.
  // Latency: 100 cycles (~100 ns at 1 GHz). ESTIMATE.
  // Energy: 1.3 nJ per 64-bit access (Horowitz, the low end) = 162.5 pJ per
  // byte. Off-chip: no area.
  isa.memory @dram capacity 4294967296 bandwidth 16 latency 100 read_energy 162.5 write_energy 162.5

  // Scratchpad for inputs and weights: 256 KiB = 262144 bytes (public
  // default).
  // Bandwidth: 4 banks x one 16-element row per cycle, where a row is 64 B in
  // f32: 256 B/cycle. (Derived from sp_banks = 4 and the row width; an f32
  // model of the int8 hardware.)
  // Latency: 4 cycles. Gemmini's spad_read_delay parameter is 1-4 depending on
  // the configuration; we take the slower end. ESTIMATE.
  // Energy: 64 KiB banks, taken at the 32 KB SRAM's 20 pJ per 8 B x 0.386 =
  // 0.97 pJ per byte (ESTIMATE); writes as reads.
  isa.memory @spad capacity 262144 bandwidth 256 latency 4 read_energy 0.97 write_energy 0.97 area 0.00108

  // Accumulator SRAM: 64 KiB = 65536 bytes of 32-bit entries (public default),
  // i.e. 16384 f32 values = 64 output tiles of 16x16.
  // Bandwidth: accumulating reads and writes one 16 x 32-bit row (64 B) per
  // cycle: 128 B/cycle. ESTIMATE derived from the row width.
  // Latency: 2 cycles (Gemmini's acc_latency parameter defaults to 2).
  // Energy and area: as the scratchpad (ESTIMATE).
  isa.memory @accum capacity 65536 bandwidth 128 latency 2 read_energy 0.97 write_energy 0.97 area 0.00108

  // The Rocket host core's L1 data cache. MODELLING CHOICE: 32 KiB = 32768
  // bytes, an 8-way configuration. Rocket's default "big core" has 16 KiB
  // (64 sets x 4 ways x 64 B).
  // Bandwidth: Rocket does at most one 64-bit load or store per cycle:
  // 8 B/cycle.
  // Latency: 2 cycles load-to-use for a hit. ESTIMATE; Rocket's data cache is
  // a short pipeline.
  // Energy: a 32 KB SRAM, 0.97 pJ per byte.
  isa.memory @l1d capacity 32768 bandwidth 8 latency 2 read_energy 0.97 write_energy 0.97 area 0.00108

  // ---- Transfer engines ----------------------------------------------------

  // Energies of the engines themselves, besides their memories' reads and
  // writes: 0.5 pJ per byte over the system bus, 0.1 inside the accelerator.
  // ESTIMATES.

  // Gemmini's DMA (mvin / mvout) between DRAM and the scratchpad: 128-bit port,
  // 16 B/cycle. One mvin/mvout moves a 2-D block (rows with one DRAM row
  // stride), so dims is 2.
  // Latency: 120 cycles = the DRAM access (100), plus the TLB lookup and the
  // trip through the system bus and L2 (~20). ESTIMATE.
  isa.transfer @mvin from @dram to @spad bandwidth 16 latency 120 dims 2 energy 0.5
  isa.transfer @mvout from @spad to @dram bandwidth 16 latency 120 dims 2 energy 0.5

  // The same DMA can target accumulator addresses: mvin of 32-bit data (e.g.
  // biases) and mvout of results (public feature). Same bus, same numbers.
  isa.transfer @mvin_acc from @dram to @accum bandwidth 16 latency 120 dims 2 energy 0.5
  isa.transfer @mvout_acc from @accum to @dram bandwidth 16 latency 120 dims 2 energy 0.5

  // Moves between the scratchpad and the accumulator inside the accelerator.
  // Gemmini has no single "copy" command for this. The execute path can
  // preload a bias (D) from the scratchpad into the accumulator, read
  // operands from the accumulator (ex_read_from_acc), and write results to the
  // scratchpad (ex_write_to_spad). We model those paths as transfers of one
  // 16-element f32 row (64 B) per cycle.
  // Latency: 20 cycles = scratchpad read (4) plus a pass through the 16-deep
  // array. ESTIMATE.
  isa.transfer @spad_to_accum from @spad to @accum bandwidth 64 latency 20 dims 2 energy 0.1
  isa.transfer @accum_to_spad from @accum to @spad bandwidth 64 latency 20 dims 2 energy 0.1

  // Host cache fills and write-backs between DRAM and the L1: cache lines over
  // the same 128-bit system bus, 16 B/cycle.
  // Latency: 100 cycles for an L1 miss served by DRAM. ESTIMATE.
  // Dims: 2. MODELLING CHOICE: the core's load/store loops generate the
  // address stream, so a strided 2-D tile is one "transfer".
  isa.transfer @host_fill from @dram to @l1d bandwidth 16 latency 100 dims 2 energy 0.5
  isa.transfer @host_evict from @l1d to @dram bandwidth 16 latency 100 dims 2 energy 0.5

  // ---- Compute units -------------------------------------------------------

  // One 16x16 systolic array (public default).
  // Static energy: 5 pJ per cycle (5 mW at 1 GHz, ESTIMATE). Area: 256 PEs x
  // (282 + 137) um² x 0.239, doubled for the pipeline registers (ESTIMATE):
  // 0.051 mm².
  isa.unit @array count 1 static_energy 5.0 area 0.051
  // One in-order, single-issue Rocket core (RV64GC with FPU) as host.
  // Static energy: 10 pJ per cycle; area 0.1 mm² without caches. ESTIMATES.
  isa.unit @host count 1 static_energy 10.0 area 0.1

  // ---- Instructions ----------------------------------------------------------

  // 16x16x16 matrix multiply-accumulate, weight stationary:
  // O (16x16, in @accum) += X (16x16, @spad) * W (16x16, @spad).
  // Interval 16: 4096 MAC / 256 MAC/cycle. The PEs double-buffer weights, so
  // the next W can be preloaded while this block computes.
  // Latency 48: ~16 cycles to preload W, 16 to stream the rows of X, and ~16
  // for the skewed last row to leave the array (fill + stream + drain).
  // ESTIMATE.
  // Energy: 4096 int8 MAC x (0.2 + 0.1) pJ x 0.386 = 474.7 pJ, plus reading X and
  // W (2048 B) and O (1024 B read and 1024 written) at 0.97: 4447.8 pJ.
  isa.instruction @mm16 on @array latency 48 interval 16 energy 4447.8 (%X : memref<16x16xf32> in @spad, %W : memref<16x16xf32> in @spad, %O : memref<16x16xf32> in @accum) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 16, j < 16, k < 16
  }

  // Scalar element-wise instructions on the host, with operands in its L1.
  // Each one stands for the RISC-V sequence that loads the inputs (flw), does
  // the operation, and stores the result (fsw).
  //   Interval: the number of instructions in the sequence, since Rocket issues
  //   one per cycle.
  //   Latency: load-to-use (2) + operation + store (1). Rocket's FPU does
  //   fadd.s / fmul.s / fmadd.s in 3 cycles (FPUParams sfmaLatency = 3).
  //   Sign-injection and min/max take ~2 cycles. (Derived; ESTIMATE for the
  //   small ones.)
  //   Energy: each of the `interval` instructions at Horowitz's ~70 pJ of
  //   overhead x 0.386 = 27.0 pJ, plus the operation (an add 0.35 pJ, a
  //   multiply 1.43, an FMA 1.78; exp, sigmoid and tanh a polynomial of
  //   interval / 5 FMAs: ESTIMATE) and the L1 bytes read and written at 0.97
  //   pJ (sadd: 4 x 27.0 + 0.35 + 12 B x 0.97 = 120.0 pJ).

  // flw, flw, fadd.s, fsw: 4 instructions; 2 + 3 + 1 = 6 cycles.
  isa.instruction @sadd on @host latency 6 interval 4 energy 120.0 (%X : memref<1xf32> in @l1d, %Y : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 1
  }

  // flw, flw, fsub.s, fsw.
  isa.instruction @ssub on @host latency 6 interval 4 energy 120.0 (%X : memref<1xf32> in @l1d, %Y : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 1
  }

  // flw, flw, fmul.s, fsw.
  isa.instruction @smul on @host latency 6 interval 4 energy 121.1 (%X : memref<1xf32> in @l1d, %Y : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 1
  }

  // lw, sw: 2 instructions; 2 + 1 = 3 cycles.
  isa.instruction @scopy on @host latency 3 interval 2 energy 61.8 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = %X[i] for i < 1
  }

  // flw, fneg.s (fsgnjn.s), fsw: 3 instructions; 2 + 2 + 1 = 5 cycles.
  isa.instruction @sneg on @host latency 5 interval 3 energy 88.8 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = neg(%X[i]) for i < 1
  }

  // flw, fmax.s against a register holding 0.0 (set once, outside the loop),
  // fsw: 3 instructions; 5 cycles.
  isa.instruction @srelu on @host latency 5 interval 3 energy 88.8 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = relu(%X[i]) for i < 1
  }

  // flw x, flw w, flw o, fmadd.s, fsw o: 5 instructions; 2 + 3 + 1 = 6 cycles.
  isa.instruction @sfma on @host latency 6 interval 5 energy 152.3 (%X : memref<1xf32> in @l1d, %W : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 1
  }

  // Transcendentals have no RISC-V instruction; they are libm calls. ESTIMATES:
  //   expf: range reduction, a short polynomial and exponent scaling, ~20-25
  //     instructions forming one dependency chain. About 40 cycles on a
  //     single-issue core with 3-cycle FP latency.
  //   sigmoid: 1 / (1 + expf(-x)) = expf plus fadd.s plus fdiv.s. Rocket's
  //     divider is iterative (~20+ cycles for single precision). ~70 cycles.
  //   tanhf: exp-based, with a division, plus argument checks. ~80 cycles.
  // An in-order core cannot overlap these chains, so interval = latency.
  isa.instruction @sexp on @host latency 40 interval 40 energy 1102.0 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = exp(%X[i]) for i < 1
  }

  isa.instruction @ssigmoid on @host latency 70 interval 70 energy 1922.7 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 1
  }

  isa.instruction @stanh on @host latency 80 interval 80 energy 2196.2 (%X : memref<1xf32> in @l1d, %O : memref<1xf32> in @l1d) {
    isa.compute %O[i] = tanh(%X[i]) for i < 1
  }
}
