/* Batched f16 dot products for attention, bit-identical to one ck_lc_dot_f16 call per pair.

   Decoding one token computes, per KV head, the dot product of every cached key with each query
   head of the group (64 elements each) and of every transposed value row with each head's
   probabilities (as long as the cells in use). One call per pair re-converted the shared vector
   every time and re-read each key and value row once per query head; here each row is loaded
   and converted once for all heads of the group (up to four at a time).

   Each result keeps ggml_vec_dot_f16's arithmetic exactly (see lc_dot_f16_avx512 in
   llamacpp_exact.c): four 16-lane fma chains over the whole 64-element chunks, (s0 + s2) +
   (s1 + s3), the 8-4-2-1 reduction, then the leftover elements one product at a time added to a
   double. That last part is a chain of dependent adds (32 long when the cells are an odd
   multiple of 32), so eight rows go together and their chains interleave; each row's additions
   stay in their own order. */
#define _GNU_SOURCE 1
#include "ck_llamacpp.h"
#include "ck_internal.h"
#include "lc_internal.h"

#pragma clang fp contract(off)

/* Query heads handled per pass; more are done in passes of this many. */
#define LC_HEADS_MAX 4
/* Rows whose tail chains interleave. */
#define LC_F16_GROUP 8
/* Software prefetch distances in rows: the cache was pushed out of L2 and L3 by the weights
   streamed since the previous token. Keys are 128-byte rows of a few nanoseconds each, values
   rows of up to a few KB. (8/1, 32/2 and 16/4 measured the same as 16/2 within the noise.) */
#define LC_KEY_AHEAD 16
#define LC_VALUE_AHEAD 2

#ifdef CK_X86
#define LC_F16 __attribute__((target("avx512f,avx2,fma,f16c")))
#define LC_INLINE static inline __attribute__((always_inline))

LC_F16 static inline __m512 lc_load_f16x16(const uint16_t *p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
}

/* 64-element rows (keys): the heads' vectors converted once, each row once per pass. */
LC_F16 LC_INLINE void lc_heads64(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t y_stride,
                                 const int heads, int64_t count, float *out, int64_t out_stride) {
    __m512 q[LC_HEADS_MAX][4];
    for (int h = 0; h < heads; h++)
        for (int j = 0; j < 4; j++) q[h][j] = lc_load_f16x16(y + h * y_stride + 16 * j);
    const __m512 zero = _mm512_setzero_ps();
    for (int64_t r = 0; r < count; r++) {
        const uint16_t *row = x + r * stride;
        _mm_prefetch((const char *)(row + LC_KEY_AHEAD * stride), _MM_HINT_T0);
        _mm_prefetch((const char *)(row + LC_KEY_AHEAD * stride + 32), _MM_HINT_T0);
        _mm_prefetch((const char *)(row + LC_KEY_AHEAD * stride + 63), _MM_HINT_T0);
        const __m512 k0 = lc_load_f16x16(row), k1 = lc_load_f16x16(row + 16);
        const __m512 k2 = lc_load_f16x16(row + 32), k3 = lc_load_f16x16(row + 48);
        for (int h = 0; h < heads; h++) {
            /* An fma into zero, not a multiply: a -0 product plus +0 is +0, as in the chain. */
            const __m512 s0 = _mm512_fmadd_ps(k0, q[h][0], zero), s1 = _mm512_fmadd_ps(k1, q[h][1], zero);
            const __m512 s2 = _mm512_fmadd_ps(k2, q[h][2], zero), s3 = _mm512_fmadd_ps(k3, q[h][3], zero);
            out[h * out_stride + r] = lc_reduce16_avx512(_mm512_add_ps(_mm512_add_ps(s0, s2), _mm512_add_ps(s1, s3)));
        }
    }
}

/* Rows of any length (values). */
LC_F16 LC_INLINE void lc_heads_long(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t y_stride,
                                    const int heads, int64_t n, int64_t count, float *out, int64_t out_stride) {
    const int64_t whole = n & ~(int64_t)63, tail = n - whole;
    double products[LC_F16_GROUP][LC_HEADS_MAX][64];
    for (int64_t g = 0; g < count; g += LC_F16_GROUP) {
        const int rows = count - g < LC_F16_GROUP ? (int)(count - g) : LC_F16_GROUP;
        double sums[LC_F16_GROUP][LC_HEADS_MAX];
        for (int k = 0; k < rows; k++) {
            const uint16_t *row = x + (g + k) * stride;
            if (g + k + LC_VALUE_AHEAD < count)
                for (int64_t i = 0; i < n; i += 32) _mm_prefetch((const char *)(row + LC_VALUE_AHEAD * stride + i), _MM_HINT_T0);
            __m512 s[LC_HEADS_MAX][4];
            for (int h = 0; h < heads; h++)
                for (int j = 0; j < 4; j++) s[h][j] = _mm512_setzero_ps();
            for (int64_t i = 0; i < whole; i += 64)
                for (int j = 0; j < 4; j++) {
                    const __m512 v = lc_load_f16x16(row + i + 16 * j);
                    for (int h = 0; h < heads; h++)
                        s[h][j] = _mm512_fmadd_ps(v, lc_load_f16x16(y + h * y_stride + i + 16 * j), s[h][j]);
                }
            for (int h = 0; h < heads; h++) {
                sums[k][h] = (double)lc_reduce16_avx512(
                    _mm512_add_ps(_mm512_add_ps(s[h][0], s[h][2]), _mm512_add_ps(s[h][1], s[h][3])));
                /* The tail's products: f32 products widened exactly, sixteen at a time. */
                const uint16_t *yh = y + h * y_stride + whole, *xt = row + whole;
                double *p = products[k][h];
                int64_t i = 0;
                for (; i + 16 <= tail; i += 16) {
                    const __m512 m = _mm512_mul_ps(lc_load_f16x16(xt + i), lc_load_f16x16(yh + i));
                    _mm512_storeu_pd(p + i, _mm512_cvtps_pd(_mm512_castps512_ps256(m)));
                    _mm512_storeu_pd(p + i + 8, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(m), 1))));
                }
                for (; i < tail; i++) {
                    const float m = _cvtsh_ss(xt[i]) * _cvtsh_ss(yh[i]);
                    p[i] = (double)m;
                }
            }
        }
        for (int64_t i = 0; i < tail; i++)
            for (int k = 0; k < rows; k++)
                for (int h = 0; h < heads; h++) sums[k][h] += products[k][h][i];
        for (int k = 0; k < rows; k++)
            for (int h = 0; h < heads; h++) out[h * out_stride + g + k] = (float)sums[k][h];
    }
}

/* One pass for 1 to LC_HEADS_MAX heads, specialised on the count so the loops unroll. */
#define LC_PASS(H)                                                                                   \
    LC_F16 static void lc_pass_##H(const uint16_t *x, int64_t stride, const uint16_t *y,            \
                                   int64_t y_stride, int64_t n, int64_t count, float *out,          \
                                   int64_t out_stride) {                                            \
        if (n == 64) lc_heads64(x, stride, y, y_stride, H, count, out, out_stride);                 \
        else lc_heads_long(x, stride, y, y_stride, H, n, count, out, out_stride);                   \
    }
LC_PASS(1)
LC_PASS(2)
LC_PASS(3)
LC_PASS(4)
#endif

void ck_lc_dot_f16_heads(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t y_stride, int heads,
                         int64_t n, int64_t count, float *out, int64_t out_stride) {
#ifdef CK_X86
    if (lc_exact_avx512()) {
        for (int h = 0; h < heads; h += LC_HEADS_MAX) {
            const int now = heads - h < LC_HEADS_MAX ? heads - h : LC_HEADS_MAX;
            const uint16_t *yh = y + h * y_stride;
            float *oh = out + h * out_stride;
            switch (now) {
            case 1: lc_pass_1(x, stride, yh, y_stride, n, count, oh, out_stride); break;
            case 2: lc_pass_2(x, stride, yh, y_stride, n, count, oh, out_stride); break;
            case 3: lc_pass_3(x, stride, yh, y_stride, n, count, oh, out_stride); break;
            default: lc_pass_4(x, stride, yh, y_stride, n, count, oh, out_stride); break;
            }
        }
        return;
    }
#endif
    /* Portable: one product at a time through the reference. */
    for (int h = 0; h < heads; h++)
        for (int64_t r = 0; r < count; r++)
            out[h * out_stride + r] = ck_lc_dot_f16(x + r * stride, y + h * y_stride, n);
}

void ck_lc_dot_f16_rows(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t n, int64_t count, float *out) {
    ck_lc_dot_f16_heads(x, stride, y, 0, 1, n, count, out, 0);
}
