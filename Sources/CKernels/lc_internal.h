#ifndef LC_INTERNAL_H
#define LC_INTERNAL_H
/* Private interface between the llama.cpp-exact dispatcher (llamacpp_exact.c) and its AVX-512
   VNNI row kernels (llamacpp_exact_vnni.c). */
#include <stdint.h>

/* Bytes of the expanded activation of `blocks` blocks (see llamacpp_exact_vnni.c). */
int64_t lc_vnni_expanded_bytes(int64_t blocks);
/* Lays out one prepared activation vector `a` (Q8_1 for Q4_1 weights, Q8_0 for Q8_0) for the
   kernels below; `x` is 64-byte aligned. */
void lc_vnni_expand(int wtype, const uint8_t *a, int64_t blocks, uint8_t *x);
/* y[r] for rows r0, r0 + 1, ... two at a time, bit-identical to the portable path; returns the
   first row not done (r1, or r1 - 1 when the range is odd). Need AVX-512 F/BW/VL/VNNI. */
int64_t lc_vnni_rows_q4_1(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                          float *y, int64_t r0, int64_t r1);
int64_t lc_vnni_rows_q8_0(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                          float *y, int64_t r0, int64_t r1);

#endif
