// nnp.mlir: an NNP-like deep-learning training accelerator, modelled on the
// public figures of the Intel Nervana NNP-T 1000, code name "Spring Crest".
// Sources: Hot Chips 31 (2019), talk by A. Yang, and write-ups of it (WikiChip,
// Linley Group, ascii.jp).
//
// Units in this file: capacity in bytes, bandwidth in bytes per cycle, latency
// and interval in cycles. One cycle is one core clock at 1.1 GHz, the chip's
// top frequency. Every per-cycle figure below is a public per-second figure
// divided by 1.1e9.
//
// Public figures we use:
//   * 24 tensor processing clusters (TPCs), up to 1.1 GHz, TSMC 16 nm.
//   * Each TPC has two MAC processing units (MPUs). Each MPU is a 32x32
//     multiplier array (bfloat16 multiplies, fp32 accumulation).
//     24 x 2 x 32 x 32 = 49152 MAC/cycle (WikiChip: "98,304 FLOPs each cycle").
//   * 2.5 MiB of scratchpad SRAM per TPC, 60 MiB on the die.
//   * 4 stacks of 8 GiB HBM2-2400 = 32 GiB. Peak bandwidth is
//     4 x 1024 bit x 2.4 GT/s / 8 = 1228.8 GB/s (the "~1.22 TB/s" figure).
//
// DATA TYPE: the real chip multiplies bfloat16 (2 bytes). This model does
// everything in f32 (4 bytes), because the isa dialect's kernels are f32.
// So each tile here is twice as many bytes as on the chip, the SRAM holds half
// as many elements as it would in bf16, and each element costs twice the HBM
// traffic. The byte capacities and bandwidths below are the chip's real ones;
// only the element size differs.
//
// Peak rates implied by the numbers below:
//   * Matrix: 48 @mxu x (32*32*32 MAC / interval 32) = 49152 MAC/cycle
//     = 98304 FLOP/cycle = 108.1 TFLOP/s at 1.1 GHz. Intel quotes "up to 119
//     TOPS". The 48 arrays at 1.1 GHz give 108; Intel has not said publicly
//     where the rest comes from (ascii.jp guesses the TPC's separate
//     convolution engine). This model counts only the 48 arrays.
//   * Vector: 24 @vpu x 32 lanes / interval 1 = 768 element ops/cycle.
//     With @vfma32 that is 768 MAC/cycle, 1/64 of the matrix peak.
//   * HBM: 1117 B/cycle (= 1.229 TB/s). A matrix multiply must do at least
//     49152 / 1117 = 44 MAC per HBM byte (176 MAC per f32 element) to keep
//     the matrix units busy.
//   * SRAM: 30720 B/cycle in total (1280 B/cycle per TPC).
//
// ENERGY AND AREA (optional fields; pJ per byte, per execution, per cycle;
// mm² per unit and per KiB). Sources, at 45 nm and 0.9 V: M. Horowitz,
// "Computing's energy problem", ISSCC 2014 (16-bit float multiply 1.1 pJ,
// 32-bit float add 0.9 pJ, 32-bit float multiply 3.7 pJ; a 64-bit read of a
// 32 KB SRAM 20 pJ; areas: 16-bit float multiplier 1640 um², 32-bit float
// adder 4184 um², 32-bit float multiplier 7700 um²). HBM2: 3.9 pJ per bit
// (O'Connor et al., "Fine-Grained DRAM", MICRO 2017), which needs no scaling.
// SCALING to Spring Crest's TSMC 16 nm at ~0.8 V (a MODELLING CHOICE: energy
// as C V², C with the feature size): energies x (16/45) x (0.8/0.9)² = 0.281,
// areas x (16/45)² = 0.126. SRAM area from TSMC's 16 nm high-density bit cell,
// 0.074 um² (IEDM 2014), over an array efficiency of 0.7 (ESTIMATE): 8192 bits
// x 0.074 / 0.7 = 866 um² = 0.00087 mm² per KiB. The area counts units and
// memories only (no network-on-chip, HBM PHYs or host interface: the real die
// is ~680 mm²). Energies are per byte of the real memories: the model's f32
// tiles are twice the chip's bf16 bytes, so its traffic energy is twice the
// chip's, like its traffic.
isa.hardware @nnp {
  // ---- Memories ------------------------------------------------------------

  // HBM2: 4 stacks x 8 GiB = 32 GiB = 34359738368 bytes (public).
  // Bandwidth: 1228.8 GB/s / 1.1 GHz = 1117.1 B/cycle, rounded to 1117 (public
  // peak, converted).
  // Latency: 150 cycles (~136 ns) for the DRAM access itself. ESTIMATE: typical
  // HBM2 device plus controller latency; Intel has not published one.
  // Energy: 3.9 pJ/bit x 8 = 31.2 pJ per byte read or written (O'Connor et al.).
  // Off-chip: no area.
  isa.memory @hbm capacity 34359738368 bandwidth 1117 latency 150 read_energy 31.2 write_energy 31.2

  // On-die scratchpad SRAM: 24 TPCs x 2.5 MiB = 60 MiB = 62914560 bytes
  // (public).
  // Bandwidth: 24 x 1280 = 30720 B/cycle. ESTIMATE. WikiChip reports "1.4 Tbps"
  // between the compute blocks and the scratchpad banks. Read as bits per
  // second for the whole chip, that is 160 B/cycle, far too little to feed the
  // arrays. We read it as ~1.4 TB/s per TPC instead: 1.4e12 / 1.1e9 = 1273
  // B/cycle, rounded to 1280 per TPC.
  // Check against demand: the arrays read X and W (2 x 4096 B per 32 cycles
  // = 256 B/cycle per MXU, 12288 in total). The vector units read 2 and write 1
  // 128 B vectors per cycle (384 B/cycle per VPU, 9216 in total). Add the DMA
  // (1117) and the SRAM<->accumulator moves (6144). All together that is
  // 28765 B/cycle, which is under 30720.
  // Latency: 8 cycles. ESTIMATE for a large, heavily banked SRAM.
  // Energy: a heavily banked SRAM, read in 32 KB banks (ESTIMATE of the bank
  // size): 20 pJ / 8 B x 0.281 = 0.70 pJ per byte, writes as reads (ESTIMATE).
  isa.memory @sram capacity 62914560 bandwidth 30720 latency 8 read_energy 0.7 write_energy 0.7 area 0.00087

  // Accumulator store next to each matrix unit. MODELLING CHOICE: Intel has
  // not published how partial sums are held. We give each of the 48 MXUs
  // 64 KiB, which is 16 output tiles of 32x32 f32 (4 KiB each):
  // 48 x 65536 = 3145728 bytes.
  // Bandwidth: each MXU reads and writes one 32 x f32 row per cycle (128 B
  // each way) while accumulating: 256 B/cycle x 48 = 12288. Add one 128 B port
  // per MXU for moves to and from the SRAM: 48 x 128 = 6144. Total 18432
  // B/cycle. ESTIMATE.
  // Latency: 2 cycles (small register-file-like SRAM). ESTIMATE.
  // Energy and area: as the SRAM (64 KiB per MXU, 32 KB banks: ESTIMATE).
  isa.memory @acc capacity 3145728 bandwidth 18432 latency 2 read_energy 0.7 write_energy 0.7 area 0.00087

  // ---- Transfer engines ----------------------------------------------------

  // DMA between HBM and the scratchpads. Spring Crest's memory ports move
  // tensors, including native transposes (public), so we let one transfer
  // address 4 strided dimensions.
  // Bandwidth: the full HBM peak, 1117 B/cycle.
  // Latency: 300 cycles (~270 ns): the HBM access (150) plus crossing the 2-D
  // mesh network-on-chip and setting up the descriptor. ESTIMATE.
  // Energy of the DMA and the mesh it crosses, besides the HBM and SRAM
  // accesses: 0.5 pJ per byte. ESTIMATE (a few mm of on-chip wire).
  isa.transfer @hbm_to_sram from @hbm to @sram bandwidth 1117 latency 300 dims 4 energy 0.5
  isa.transfer @sram_to_hbm from @sram to @hbm bandwidth 1117 latency 300 dims 4 energy 0.5

  // Moves between the scratchpad and the accumulators: loading a bias or
  // partial sum before accumulating, and draining results after.
  // Bandwidth: one 32 x f32 row (128 B) per MXU per cycle, 48 x 128 = 6144
  // B/cycle each way. ESTIMATE.
  // Latency: 12 cycles = SRAM latency (8) plus ~4 cycles of routing inside the
  // TPC. ESTIMATE.
  // Dims: 2 (a 2-D tile: rows, with one row stride). MODELLING CHOICE.
  // Energy of the move inside a TPC: 0.1 pJ per byte. ESTIMATE.
  isa.transfer @sram_to_acc from @sram to @acc bandwidth 6144 latency 12 dims 2 energy 0.1
  isa.transfer @acc_to_sram from @acc to @sram bandwidth 6144 latency 12 dims 2 energy 0.1

  // ---- Compute units -------------------------------------------------------

  // 24 TPCs x 2 MPUs (32x32 MAC arrays) = 48 (public).
  // Static energy: ESTIMATE of leakage as 10% of the 150 W card's power,
  // 15 W / 1.1 GHz = 13636 pJ per cycle, 90% on the MXUs: 256 pJ per cycle
  // each (the rest on the VPUs: 57 each).
  // Area: 1024 MACs x (1640 + 4184) um² x 0.126 = 0.75 mm² (the multipliers and
  // adders only).
  isa.unit @mxu count 48 static_energy 256.0 area 0.75
  // One vector unit per TPC for element-wise work: 24. MODELLING CHOICE: each
  // TPC has vector/element-wise hardware next to its MPUs, but its width is not
  // public. We assume 32 lanes, matching one array row.
  // Area: 32 lanes x (7700 + 4184) um² x 0.126 = 0.048 mm².
  isa.unit @vpu count 24 static_energy 57.0 area 0.048

  // ---- Instructions ----------------------------------------------------------

  // 32x32x32 matrix multiply-accumulate on one 32x32 array:
  // O (32x32) += X (32x32) * W (32x32).
  // Interval 32: a 32x32 array does 1024 MAC/cycle, and 32768 MAC / 1024 = 32.
  // Latency 64: 32 cycles to stream the rows in, plus ~32 cycles for the last
  // row to cross the 32-deep array and reach the accumulator. This is the
  // usual fill/drain estimate for a systolic array. ESTIMATE.
  // Tiles: X and W are 4096 B each in @sram, O is 4096 B in @acc.
  // Energy: 32768 MAC x (1.1 + 0.9) pJ x 0.281 = 18411 pJ, plus reading X and
  // W (8192 B x 0.70) and O (4096 B read and 4096 written x 0.70): 29880 pJ.
  isa.instruction @mm32 on @mxu latency 64 interval 32 energy 29880.0 (%X : memref<32x32xf32> in @sram, %W : memref<32x32xf32> in @sram, %O : memref<32x32xf32> in @acc) {
    isa.compute %O[i, j] += %X[i, k] * %W[k, j] for i < 32, j < 32, k < 32
  }

  // The vector instructions below all work on 32 lanes (one 128 B f32 vector),
  // with every operand in @sram. Latencies are ESTIMATES for a pipelined
  // floating-point unit: 4 cycles for add/sub/mul, 6 for a fused
  // multiply-add, 2 for copy/sign/compare. Plain operations issue every cycle
  // (interval 1).

  // Energies: per lane the operation at 0.281 x Horowitz's (an FMA as a
  // 32-bit multiply and add: 4.6 pJ; add 0.9; multiply 3.7; copy, sign and
  // select ~0; exp the interval's 4 FMAs, sigmoid and tanh 8: ESTIMATES),
  // plus 0.70 pJ per operand byte read or written in @sram.
  // Vector fused multiply-add: O[i] += X[i] * W[i]. 32 MAC per cycle per VPU.
  // 32 x 1.292 + 512 B x 0.70 = 399.8 pJ.
  isa.instruction @vfma32 on @vpu latency 6 interval 1 energy 399.8 (%X : memref<32xf32> in @sram, %W : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] += %X[i] * %W[i] for i < 32
  }

  isa.instruction @vadd32 on @vpu latency 4 interval 1 energy 276.9 (%X : memref<32xf32> in @sram, %Y : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = %X[i] + %Y[i] for i < 32
  }

  isa.instruction @vsub32 on @vpu latency 4 interval 1 energy 276.9 (%X : memref<32xf32> in @sram, %Y : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = %X[i] - %Y[i] for i < 32
  }

  isa.instruction @vmul32 on @vpu latency 4 interval 1 energy 302.1 (%X : memref<32xf32> in @sram, %Y : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = %X[i] * %Y[i] for i < 32
  }

  isa.instruction @vcopy32 on @vpu latency 2 interval 1 energy 179.2 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = %X[i] for i < 32
  }

  // Negation flips the sign bit.
  isa.instruction @vneg32 on @vpu latency 2 interval 1 energy 179.2 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = neg(%X[i]) for i < 32
  }

  // ReLU is max(x, 0), a compare and select.
  isa.instruction @vrelu32 on @vpu latency 2 interval 1 energy 179.2 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = relu(%X[i]) for i < 32
  }

  // Transcendental functions. ESTIMATES: we assume a shared special-function
  // block, as in most DL accelerators, that uses a range reduction plus a
  // table/polynomial step and does not accept a new vector every cycle.
  //   exp:     interval 4, latency 16.
  //   sigmoid: 1 / (1 + exp(-x)), an exp plus a reciprocal: interval 8,
  //            latency 24.
  //   tanh:    2 * sigmoid(2x) - 1, the same cost as sigmoid: interval 8,
  //            latency 24.
  isa.instruction @vexp32 on @vpu latency 16 interval 4 energy 344.6 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = exp(%X[i]) for i < 32
  }

  isa.instruction @vsigmoid32 on @vpu latency 24 interval 8 energy 510.0 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = sigmoid(%X[i]) for i < 32
  }

  isa.instruction @vtanh32 on @vpu latency 24 interval 8 energy 510.0 (%X : memref<32xf32> in @sram, %O : memref<32xf32> in @sram) {
    isa.compute %O[i] = tanh(%X[i]) for i < 32
  }
}
