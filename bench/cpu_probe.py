"""Measure the numbers a CPU description needs on the machine it runs on: the
peak rate of a 16-lane f32 FMA loop (zmm) and of an 8-lane one (ymm), and the
single-core read bandwidth of buffers sized for L1, L2, L3 and DRAM.

    python -m isamapper_bench.cpu_probe

It compiles a small C program with the system `gcc -O3 -march=native` (the
numbers in hardware/cpu_avx512.mlir were measured with it) and prints one line
per figure, the best of several repetitions (medians of 7 FMA runs).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = r"""
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y);
}
#define FMA_LOOP(NAME, VEC, SET, FMA, ADD, LANES)                                   \
  static double NAME(long n) {                                                      \
    VEC a[12], x = SET(1.0000001f), y = SET(0.999999f);                             \
    for (int i = 0; i < 12; i++) a[i] = SET((float)i);                              \
    double t = now();                                                               \
    for (long r = 0; r < n; r++)                                                    \
      for (int i = 0; i < 12; i++) a[i] = FMA(a[i], x, y);                          \
    t = now() - t;                                                                  \
    VEC s = a[0]; for (int i = 1; i < 12; i++) s = ADD(s, a[i]);                    \
    float out[LANES]; memcpy(out, &s, sizeof out); volatile float sink = out[0];    \
    (void)sink; return 12.0 * n * 2 * LANES / t / 1e9;                              \
  }
#include <string.h>
FMA_LOOP(fma_zmm, __m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, 16)
FMA_LOOP(fma_ymm, __m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, 8)
static double read_bandwidth(size_t bytes, int repetitions) {
  float *p = aligned_alloc(64, bytes);
  for (size_t i = 0; i < bytes / 4; i++) p[i] = 1.0f;
  __m512 s[8]; for (int k = 0; k < 8; k++) s[k] = _mm512_setzero_ps();
  double best = 1e30;
  for (int r = 0; r < repetitions; r++) {
    double t = now();
    for (size_t i = 0; i < bytes / 4; i += 128)
      for (int k = 0; k < 8; k++) s[k] = _mm512_add_ps(s[k], _mm512_load_ps(p + i + 16 * k));
    t = now() - t; if (t < best) best = t;
  }
  for (int k = 1; k < 8; k++) s[0] = _mm512_add_ps(s[0], s[k]);
  volatile float sink = _mm512_reduce_add_ps(s[0]); (void)sink;
  free(p); return bytes / best / 1e9;
}
int main(void) {
  double z[7], y[7];
  for (int i = 0; i < 7; i++) { z[i] = fma_zmm(20000000); y[i] = fma_ymm(20000000); }
  qsort(z, 7, sizeof *z, cmp); qsort(y, 7, sizeof *y, cmp);
  printf("fma zmm: %.1f GFLOP/s (median of 7, %.1f-%.1f)\n", z[3], z[0], z[6]);
  printf("fma ymm: %.1f GFLOP/s (median of 7, %.1f-%.1f)\n", y[3], y[0], y[6]);
  size_t sizes[] = {16 << 10, 512 << 10, 8 << 20, 256 << 20};
  const char *names[] = {"L1", "L2", "L3", "DRAM"};
  int repetitions[] = {20000, 1000, 50, 5};
  for (int i = 0; i < 4; i++)
    printf("read %-4s (%zu KiB): %.1f GB/s\n", names[i], sizes[i] >> 10,
           read_bandwidth(sizes[i], repetitions[i]));
  return 0;
}
"""


def main() -> int:
    """Compile and run the probe; its output on stdout."""
    with tempfile.TemporaryDirectory() as folder:
        source, binary = Path(folder) / "probe.c", Path(folder) / "probe"
        source.write_text(PROBE)
        build = subprocess.run(
            ["gcc", "-O3", "-march=native", "-o", str(binary), str(source)],
            capture_output=True,
            text=True,
        )
        if build.returncode != 0:
            print(f"cpu_probe: gcc failed (AVX-512 needed):\n{build.stderr}", file=sys.stderr)
            return 1
        return subprocess.run([str(binary)]).returncode


if __name__ == "__main__":
    sys.exit(main())
