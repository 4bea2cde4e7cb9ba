/* AVX-512 VNNI row kernels for the llama.cpp-exact decode path (see include/ck_llamacpp.h and
   lc_internal.h).

   Each weight row keeps ggml's own float arithmetic: eight accumulator lanes, lane l of block b
   adding fma(d_w * d_y, (float)lane_sum_l, acc_l) block after block, then ggml's horizontal sum
   (and, for Q4_1, its fma chain of m_w * s_y). What changes is how many rows share a register:
   one 512-bit register carries the eight lanes of two rows side by side, so the per-lane order
   of every row is untouched and the results are bit-identical to lc_dot_row_generic. The
   integer lane sums (four products each) are exact, so computing them with vpdpbusd instead of
   vpmaddubsw + vpmaddwd changes nothing.

   The activation block is first laid out to match the weight registers ("expanded", once per
   call into per-thread scratch), so the inner loop reads it with plain 512-bit loads:
     Q4_1: the weight register of rows A, B holds the 128-bit chunks [A low nibbles, B low
           nibbles, A high nibbles, B high nibbles], i.e. elements [A 0-15, B 0-15, A 16-31,
           B 16-31]; the activation is expanded to [y 0-15, y 0-15, y 16-31, y 16-31]. Dword
           lanes 0-3 and 8-11 are row A's ggml lanes 0-3 and 4-7, lanes 4-7 and 12-15 row B's.
     Q8_0: the register holds [A 0-31, B 0-31] (lanes 0-7 row A, 8-15 row B) and the
           activation [y 0-31, y 0-31]. vpdpbusd multiplies unsigned by signed bytes, so the
           weights go in as x + 128 (x ^ 0x80) and the accumulator starts at -128 * (the sum of
           the lane's four y), precomputed per block: (x + 128)·y - 128·Σy = x·y exactly. */
#define _GNU_SOURCE 1
#include "lc_internal.h"
#include "ck_internal.h"
#include <immintrin.h>

#pragma clang fp contract(off)

#ifdef CK_X86
#define LC_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

/* Bytes of expanded activation per block: 64 of int8 y, 64 of Q8_0 corrections, 8 of scales. */
#define LC_X_BLOCK 136

/* Software prefetch distance in bytes ahead of the first row of the pair being read. Two rows
   read side by side defeat the hardware prefetcher on long rows: without this the 576 x 1536
   Q4_1 matrix streamed at ~6 GB/s and the Q8_0 output head at ~7 GB/s, with it at 16-19 and
   24-28 GB/s (scripts/lc_kernel_bench.c; 1024 and 4096 measured worse than 2048). */
#ifndef LC_PREFETCH
#define LC_PREFETCH 2048
#endif

int64_t lc_vnni_expanded_bytes(int64_t blocks) { return blocks * LC_X_BLOCK + 64; }

/* Block b's parts inside the expanded buffer (64-byte aligned base): all y first, then the
   corrections, then the scales. */
static inline const int8_t *x_y(const uint8_t *x, int64_t b) { return (const int8_t *)(x + 64 * b); }
static inline const int32_t *x_corr(const uint8_t *x, int64_t blocks, int64_t b) {
    return (const int32_t *)(x + 64 * blocks + 64 * b);
}
static inline const float *x_scales(const uint8_t *x, int64_t blocks, int64_t b) {
    return (const float *)(x + 128 * blocks + 8 * b);
}

void lc_vnni_expand(int wtype, const uint8_t *a, int64_t blocks, uint8_t *x) {
    for (int64_t b = 0; b < blocks; b++) {
        int8_t *y = (int8_t *)(x + 64 * b);
        float *scales = (float *)(x + 128 * blocks + 8 * b);
        if (wtype == CK_TYPE_Q4_1) {
            const uint8_t *ab = a + b * CK_Q8_1_BYTES;
            const int8_t *qs = (const int8_t *)(ab + 4);
            memcpy(y, qs, 16); memcpy(y + 16, qs, 16);
            memcpy(y + 32, qs + 16, 16); memcpy(y + 48, qs + 16, 16);
            scales[0] = ck_h2f(ck_rd16(ab));
            scales[1] = ck_h2f(ck_rd16(ab + 2));
        } else {
            const uint8_t *ab = a + b * CK_Q8_0_BYTES;
            const int8_t *qs = (const int8_t *)(ab + 2);
            memcpy(y, qs, 32); memcpy(y + 32, qs, 32);
            int32_t *corr = (int32_t *)(x + 64 * blocks + 64 * b);
            for (int l = 0; l < 8; l++) {
                const int32_t s = qs[4 * l] + qs[4 * l + 1] + qs[4 * l + 2] + qs[4 * l + 3];
                corr[l] = corr[l + 8] = -128 * s;
            }
            scales[0] = ck_h2f(ck_rd16(ab));
            scales[1] = 0.0f;
        }
    }
}

/* ggml's hsum_float_8 of lanes a[0..7]: (a4+a0, a5+a1, a6+a2, a7+a3), then pairs, then one. */
static inline float lc_hsum8_lanes(const float *lo, const float *hi) {
    const float r0 = hi[0] + lo[0], r1 = hi[1] + lo[1], r2 = hi[2] + lo[2], r3 = hi[3] + lo[3];
    const float t0 = r0 + r2, t1 = r1 + r3;
    return t0 + t1;
}

LC_VNNI int64_t lc_vnni_rows_q4_1(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                                  float *y, int64_t r0, int64_t r1) {
    const __m512i low = _mm512_set1_epi8(0x0f);
    /* Lanes 0-3 and 8-11 take row A's d (element 0 of [dA, mA, dB, mB]), the others row B's. */
    const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2);
    int64_t r = r0;
    /* Four rows per pass (two registers of two rows): the activation block and its scales are
       loaded once for four rows, the four headers converted together (8-10% faster than pairs
       alone in scripts/lc_kernel_bench.c, cached or streamed). Pairs finish the range. */
    const __m512i spread_cd = _mm512_setr_epi32(4, 4, 4, 4, 6, 6, 6, 6, 4, 4, 4, 4, 6, 6, 6, 6);
    for (; r + 4 <= r1; r += 4) {
        const uint8_t *ra = w + r * row_bytes;
        __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0;
        __m256 summs = _mm256_setzero_ps(); /* lanes 1, 3, 5, 7: rows A to D */
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ba = ra + b * CK_Q4_1_BYTES, *bb = ba + row_bytes, *bc = bb + row_bytes, *bd = bc + row_bytes;
            _mm_prefetch((const char *)(ra + 2 * LC_PREFETCH + 4 * b * CK_Q4_1_BYTES), _MM_HINT_T0);
            const float *s = x_scales(x, blocks, b);
            __m128i hh = _mm_cvtsi32_si128((int)ck_rd32(ba));
            hh = _mm_insert_epi32(hh, (int)ck_rd32(bb), 1);
            hh = _mm_insert_epi32(hh, (int)ck_rd32(bc), 2);
            hh = _mm_insert_epi32(hh, (int)ck_rd32(bd), 3);
            const __m256 h = _mm256_cvtph_ps(hh);
            const __m256 d = _mm256_mul_ps(h, _mm256_set1_ps(s[0]));
            summs = _mm256_fmadd_ps(h, _mm256_set1_ps(s[1]), summs);
            const __m512i ya = _mm512_load_si512(x_y(x, b));
            const __m256i q0 = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(ba + 4))),
                                                       _mm_loadu_si128((const __m128i *)(bb + 4)), 1);
            const __m256i q1 = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(bc + 4))),
                                                       _mm_loadu_si128((const __m128i *)(bd + 4)), 1);
            const __m512i qx0 = _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(q0), _mm256_srli_epi16(q0, 4), 1), low);
            const __m512i qx1 = _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(q1), _mm256_srli_epi16(q1, 4), 1), low);
            const __m512i dot0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), qx0, ya);
            const __m512i dot1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), qx1, ya);
            const __m512 dz = _mm512_castps256_ps512(d);
            acc0 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread, dz), _mm512_cvtepi32_ps(dot0), acc0);
            acc1 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread_cd, dz), _mm512_cvtepi32_ps(dot1), acc1);
        }
        float l0[16], l1[16], m[8];
        _mm512_storeu_ps(l0, acc0);
        _mm512_storeu_ps(l1, acc1);
        _mm256_storeu_ps(m, summs);
        y[r] = lc_hsum8_lanes(l0, l0 + 8) + m[1];
        y[r + 1] = lc_hsum8_lanes(l0 + 4, l0 + 12) + m[3];
        y[r + 2] = lc_hsum8_lanes(l1, l1 + 8) + m[5];
        y[r + 3] = lc_hsum8_lanes(l1 + 4, l1 + 12) + m[7];
    }
    for (; r + 2 <= r1; r += 2) {
        const uint8_t *ra = w + r * row_bytes, *rb = ra + row_bytes;
        __m512 acc = _mm512_setzero_ps();
        __m128 summs = _mm_setzero_ps(); /* lanes 1 and 3: rows A and B */
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ba = ra + b * CK_Q4_1_BYTES, *bb = rb + b * CK_Q4_1_BYTES;
            _mm_prefetch((const char *)(ra + LC_PREFETCH + 2 * b * CK_Q4_1_BYTES), _MM_HINT_T0);
            const float *s = x_scales(x, blocks, b);
            const __m128 h = _mm_cvtph_ps(_mm_insert_epi32(_mm_cvtsi32_si128((int)ck_rd32(ba)), (int)ck_rd32(bb), 1));
            const __m128 d = _mm_mul_ps(h, _mm_set1_ps(s[0]));          /* [dA*dy, -, dB*dy, -] */
            summs = _mm_fmadd_ps(h, _mm_set1_ps(s[1]), summs);          /* m * s, fused, as ggml */
            const __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(ba + 4))),
                                                      _mm_loadu_si128((const __m128i *)(bb + 4)), 1);
            const __m512i qx = _mm512_and_si512(
                _mm512_inserti64x4(_mm512_castsi256_si512(q), _mm256_srli_epi16(q, 4), 1), low);
            const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), qx, _mm512_load_si512(x_y(x, b)));
            acc = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread, _mm512_castps128_ps512(d)), _mm512_cvtepi32_ps(dot), acc);
        }
        float lanes[16], m[4];
        _mm512_storeu_ps(lanes, acc);
        _mm_storeu_ps(m, summs);
        y[r] = lc_hsum8_lanes(lanes, lanes + 8) + m[1];
        y[r + 1] = lc_hsum8_lanes(lanes + 4, lanes + 12) + m[3];
    }
    return r;
}

LC_VNNI int64_t lc_vnni_rows_q8_0(const uint8_t *w, int64_t row_bytes, const uint8_t *x, int64_t blocks,
                                  float *y, int64_t r0, int64_t r1) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    int64_t r = r0;
    for (; r + 2 <= r1; r += 2) {
        const uint8_t *ra = w + r * row_bytes, *rb = ra + row_bytes;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ba = ra + b * CK_Q8_0_BYTES, *bb = rb + b * CK_Q8_0_BYTES;
            _mm_prefetch((const char *)(ra + LC_PREFETCH + 2 * b * CK_Q8_0_BYTES), _MM_HINT_T0);
            const __m128 h = _mm_cvtph_ps(_mm_insert_epi16(_mm_cvtsi32_si128(ck_rd16(ba)), ck_rd16(bb), 1));
            const __m128 d = _mm_mul_ps(h, _mm_set1_ps(x_scales(x, blocks, b)[0])); /* [dA*dy, dB*dy] */
            const __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(ba + 2))),
                                                 _mm256_loadu_si256((const __m256i *)(bb + 2)), 1);
            const __m512i dot = _mm512_dpbusd_epi32(_mm512_load_si512(x_corr(x, blocks, b)),
                                                    _mm512_xor_si512(q, flip), _mm512_load_si512(x_y(x, b)));
            acc = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread, _mm512_castps128_ps512(d)), _mm512_cvtepi32_ps(dot), acc);
        }
        float lanes[16];
        _mm512_storeu_ps(lanes, acc);
        y[r] = lc_hsum8_lanes(lanes, lanes + 4);
        y[r + 1] = lc_hsum8_lanes(lanes + 8, lanes + 12);
    }
    return r;
}
#endif
