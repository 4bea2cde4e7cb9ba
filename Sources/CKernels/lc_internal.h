#ifndef LC_INTERNAL_H
#define LC_INTERNAL_H
/* Private interface between the llama.cpp-exact dispatcher (llamacpp_exact.c), its AVX-512
   VNNI row kernels (llamacpp_exact_vnni.c) and its batched f16 dot products
   (llamacpp_exact_f16rows.c). */
#include <stdint.h>
#include <immintrin.h>

/* 1 when the exact functions take their AVX-512 paths (the CPU has them and the tests have not
   forced the portable ones). */
int lc_exact_avx512(void);

/* _mm512_reduce_add_ps as GCC expands it in ggml: halves of 8, 4, 2, 1. */
__attribute__((target("avx512f,avx2,fma,f16c"))) static inline float lc_reduce16_avx512(__m512 v) {
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    const __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    const __m128 p = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(p, _mm_movehdup_ps(p)));
}

/* Bytes of the expanded activation of `blocks` blocks (see llamacpp_exact_vnni.c). */
int64_t lc_vnni_expanded_bytes(int64_t blocks);
/* Lays out one prepared activation vector `a` (Q8_1 for Q4_1 weights, Q8_0 for Q8_0) for the
   kernels below; `x` is 64-byte aligned. */
void lc_vnni_expand(int wtype, const uint8_t *a, int64_t blocks, uint8_t *x);
/* y[r] for rows r0, r0 + 1, ... (Q4_1 four then two at a time, Q8_0 two at a time),
   bit-identical to the portable path; returns the first row not done (r1, or r1 - 1 when the
   range is odd). Need AVX-512 F/BW/VL/VNNI. */
int64_t lc_vnni_rows_q4_1(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                          float *y, int64_t r0, int64_t r1);
int64_t lc_vnni_rows_q8_0(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                          float *y, int64_t r0, int64_t r1);

#endif
