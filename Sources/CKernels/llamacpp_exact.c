/* llama.cpp-exact decode arithmetic; see include/ck_llamacpp.h. Every expression here is
   written so that the compiler cannot fuse or reorder it: contraction is off for the file and
   fused multiply-adds are spelled out (fmaf or _mm256_fmadd_ps) exactly where ggml's compiled
   code has them. */
#define _GNU_SOURCE 1
#include "ck_llamacpp.h"
#include "ck_internal.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <immintrin.h>

#pragma clang fp contract(off)

int ck_lc_supported(int wtype) { return wtype == CK_TYPE_Q4_1 || wtype == CK_TYPE_Q8_0; }

int64_t ck_lc_act_bytes(int wtype, int64_t n) {
    return (n / CK_QK) * (wtype == CK_TYPE_Q4_1 ? CK_Q8_1_BYTES : CK_Q8_0_BYTES);
}

/* ---- Activation quantisation (ggml x86 quantize_row_q8_1 / q8_0) ------------------------- */

void ck_lc_act_prepare(int wtype, const float *x, void *dst, int64_t n) {
    const int with_sum = wtype == CK_TYPE_Q4_1;
    const int64_t bytes = with_sum ? CK_Q8_1_BYTES : CK_Q8_0_BYTES;
    uint8_t *out = (uint8_t *)dst;
    for (int64_t b = 0; b < n / CK_QK; b++) {
        const float *xb = x + b * CK_QK;
        uint8_t *block = out + b * bytes;
        float amax = 0.0f;
        for (int i = 0; i < CK_QK; i++) { const float a = fabsf(xb[i]); amax = a > amax ? a : amax; }
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        int8_t *qs = (int8_t *)(block + (with_sum ? 4 : 2));
        int sum = 0;
        for (int i = 0; i < CK_QK; i++) {
            float v = rintf(xb[i] * id); /* round half to even, as _mm256_round_ps(NEAREST) */
            if (v > 127.0f) v = 127.0f;
            if (v < -128.0f) v = -128.0f;
            qs[i] = (int8_t)v;
            sum += qs[i];
        }
        ck_wr16(block, ck_f2h(d));
        if (with_sum) ck_wr16(block + 2, ck_f2h(d * (float)sum));
    }
}

/* ---- Dot products: 8 float lanes, lane l = exact integer sum of products 4l..4l+3 ---------- */

static inline float lc_hsum8(const float a[8]) {
    const float r0 = a[4] + a[0], r1 = a[5] + a[1], r2 = a[6] + a[2], r3 = a[7] + a[3];
    const float t0 = r0 + r2, t1 = r1 + r3;
    return t0 + t1;
}

/* Portable version, bit-identical to the vector one below. */
static float lc_dot_row_generic(int wtype, const uint8_t *w, const uint8_t *a, int64_t blocks) {
    float acc[8] = {0};
    float summs = 0.0f;
    for (int64_t b = 0; b < blocks; b++) {
        int qx[32];
        const int8_t *qy;
        float dw, dy;
        if (wtype == CK_TYPE_Q4_1) {
            const uint8_t *wb = w + b * CK_Q4_1_BYTES, *ab = a + b * CK_Q8_1_BYTES;
            dw = ck_h2f(ck_rd16(wb));
            dy = ck_h2f(ck_rd16(ab));
            summs = fmaf(ck_h2f(ck_rd16(wb + 2)), ck_h2f(ck_rd16(ab + 2)), summs);
            for (int j = 0; j < 16; j++) { qx[j] = wb[4 + j] & 15; qx[j + 16] = wb[4 + j] >> 4; }
            qy = (const int8_t *)(ab + 4);
        } else {
            const uint8_t *wb = w + b * CK_Q8_0_BYTES, *ab = a + b * CK_Q8_0_BYTES;
            dw = ck_h2f(ck_rd16(wb));
            dy = ck_h2f(ck_rd16(ab));
            for (int j = 0; j < 32; j++) qx[j] = ((const int8_t *)(wb + 2))[j];
            qy = (const int8_t *)(ab + 2);
        }
        const float d = dw * dy;
        for (int l = 0; l < 8; l++) {
            const int lane = qx[4 * l] * qy[4 * l] + qx[4 * l + 1] * qy[4 * l + 1]
                           + qx[4 * l + 2] * qy[4 * l + 2] + qx[4 * l + 3] * qy[4 * l + 3];
            acc[l] = fmaf(d, (float)lane, acc[l]);
        }
    }
    const float s = lc_hsum8(acc);
    return wtype == CK_TYPE_Q4_1 ? s + summs : s;
}

__attribute__((target("avx2,fma,f16c")))
static inline float lc_hsum8_avx(__m256 x) {
    __m128 res = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    res = _mm_add_ps(res, _mm_movehl_ps(res, res));
    res = _mm_add_ss(res, _mm_movehdup_ps(res));
    return _mm_cvtss_f32(res);
}

/* Two rows at a time: the arithmetic of each row is unchanged, the activation loads are shared. */
__attribute__((target("avx2,fma,f16c")))
static void lc_rows_q4_1_avx2(const uint8_t *w, int64_t row_bytes, const uint8_t *a, int64_t blocks,
                              float *y, int64_t r0, int64_t r1) {
    const __m256i low = _mm256_set1_epi8(0x0f);
    const __m256i ones = _mm256_set1_epi16(1);
    int64_t r = r0;
    for (; r + 1 < r1; r += 2) {
        const uint8_t *w0 = w + r * row_bytes, *w1 = w0 + row_bytes;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        float summs0 = 0.0f, summs1 = 0.0f;
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ab = a + b * CK_Q8_1_BYTES;
            const uint8_t *b0 = w0 + b * CK_Q4_1_BYTES, *b1 = w1 + b * CK_Q4_1_BYTES;
            const float dy = _cvtsh_ss(ck_rd16(ab)), sy = _cvtsh_ss(ck_rd16(ab + 2));
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 4));
            summs0 = fmaf(_cvtsh_ss(ck_rd16(b0 + 2)), sy, summs0);
            summs1 = fmaf(_cvtsh_ss(ck_rd16(b1 + 2)), sy, summs1);
            const __m128i raw0 = _mm_loadu_si128((const __m128i *)(b0 + 4));
            const __m128i raw1 = _mm_loadu_si128((const __m128i *)(b1 + 4));
            const __m256i qx0 = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw0, 4), raw0), low);
            const __m256i qx1 = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw1, 4), raw1), low);
            const __m256 lanes0 = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(qx0, qy), ones));
            const __m256 lanes1 = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(qx1, qy), ones));
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(b0)) * dy), lanes0, acc0);
            acc1 = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(b1)) * dy), lanes1, acc1);
        }
        y[r] = lc_hsum8_avx(acc0) + summs0;
        y[r + 1] = lc_hsum8_avx(acc1) + summs1;
    }
    for (; r < r1; r++) y[r] = lc_dot_row_generic(CK_TYPE_Q4_1, w + r * row_bytes, a, blocks);
}

__attribute__((target("avx2,fma,f16c")))
static void lc_rows_q8_0_avx2(const uint8_t *w, int64_t row_bytes, const uint8_t *a, int64_t blocks,
                              float *y, int64_t r0, int64_t r1) {
    const __m256i ones = _mm256_set1_epi16(1);
    int64_t r = r0;
    for (; r + 1 < r1; r += 2) {
        const uint8_t *w0 = w + r * row_bytes, *w1 = w0 + row_bytes;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ab = a + b * CK_Q8_0_BYTES;
            const uint8_t *b0 = w0 + b * CK_Q8_0_BYTES, *b1 = w1 + b * CK_Q8_0_BYTES;
            const float dy = _cvtsh_ss(ck_rd16(ab));
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
            const __m256i qx0 = _mm256_loadu_si256((const __m256i *)(b0 + 2));
            const __m256i qx1 = _mm256_loadu_si256((const __m256i *)(b1 + 2));
            /* |x| · sign(y, x): unsigned times signed, the same integer lanes as ggml. */
            const __m256i p0 = _mm256_maddubs_epi16(_mm256_sign_epi8(qx0, qx0), _mm256_sign_epi8(qy, qx0));
            const __m256i p1 = _mm256_maddubs_epi16(_mm256_sign_epi8(qx1, qx1), _mm256_sign_epi8(qy, qx1));
            const __m256 lanes0 = _mm256_cvtepi32_ps(_mm256_madd_epi16(p0, ones));
            const __m256 lanes1 = _mm256_cvtepi32_ps(_mm256_madd_epi16(p1, ones));
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(b0)) * dy), lanes0, acc0);
            acc1 = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(b1)) * dy), lanes1, acc1);
        }
        y[r] = lc_hsum8_avx(acc0);
        y[r + 1] = lc_hsum8_avx(acc1);
    }
    for (; r < r1; r++) y[r] = lc_dot_row_generic(CK_TYPE_Q8_0, w + r * row_bytes, a, blocks);
}

static int lc_have_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return cached;
}

void ck_lc_matmul_rows(int wtype, const void *w, int64_t cols, const void *act, int64_t act_stride,
                       int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t blocks = cols / CK_QK;
    const int64_t row_bytes = blocks * (wtype == CK_TYPE_Q4_1 ? CK_Q4_1_BYTES : CK_Q8_0_BYTES);
    for (int v = 0; v < nv; v++) {
        const uint8_t *a = (const uint8_t *)act + v * act_stride;
        float *out = y + v * ldy;
        if (lc_have_avx2()) {
            if (wtype == CK_TYPE_Q4_1) lc_rows_q4_1_avx2((const uint8_t *)w, row_bytes, a, blocks, out, r0, r1);
            else lc_rows_q8_0_avx2((const uint8_t *)w, row_bytes, a, blocks, out, r0, r1);
        } else {
            for (int64_t r = r0; r < r1; r++)
                out[r] = lc_dot_row_generic(wtype, (const uint8_t *)w + r * row_bytes, a, blocks);
        }
    }
}

/* ---- Norm, RoPE, SwiGLU, softmax, f16 dot -------------------------------------------------- */

void ck_lc_rmsnorm(const float *x, const float *w, float *y, int64_t n, float eps) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) { const float sq = x[i] * x[i]; sum += (double)sq; }
    const float mean = (float)(sum / (double)n);
    const float scale = 1.0f / sqrtf(mean + eps);
    for (int64_t i = 0; i < n; i++) { const float v = x[i] * scale; y[i] = v * w[i]; }
}

void ck_lc_rope_cache(float base, int dims, int64_t position, float *cosines, float *sines) {
    const float theta_scale = powf(base, -2.0f / (float)dims);
    float theta = (float)position;
    for (int i = 0; i < dims / 2; i++) {
        sincosf(theta, &sines[i], &cosines[i]);
        theta = theta * theta_scale;
    }
}

void ck_lc_rope_adjacent(float *x, int heads, int head_dim, int dims, const float *cosines, const float *sines) {
    for (int h = 0; h < heads; h++) {
        float *head = x + (int64_t)h * head_dim;
        for (int i = 0; i < dims / 2; i++) {
            const float x0 = head[2 * i], x1 = head[2 * i + 1];
            const float x1s = x1 * sines[i], x1c = x1 * cosines[i];
            head[2 * i] = fmaf(x0, cosines[i], -x1s);
            head[2 * i + 1] = fmaf(x0, sines[i], x1c);
        }
    }
}

/* _mm512_reduce_add_ps as GCC expands it: halves of 8, 4, 2, 1. */
static inline float lc_reduce16(float a[16]) {
    for (int half = 8; half >= 1; half /= 2)
        for (int l = 0; l < half; l++) a[l] = a[l] + a[l + half];
    return a[0];
}

float ck_lc_dot_f16(const uint16_t *x, const uint16_t *y, int64_t n) {
    const int64_t whole = n & ~(int64_t)63;
    float s[4][16] = {{0}};
    for (int64_t i = 0; i < whole; i += 64)
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < 16; l++)
                s[k][l] = fmaf(ck_h2f(x[i + 16 * k + l]), ck_h2f(y[i + 16 * k + l]), s[k][l]);
    float t[16];
    for (int l = 0; l < 16; l++) {
        const float s0 = s[0][l] + s[2][l], s1 = s[1][l] + s[3][l];
        t[l] = s0 + s1;
    }
    double sum = (double)lc_reduce16(t);
    for (int64_t i = whole; i < n; i++) { const float p = ck_h2f(x[i]) * ck_h2f(y[i]); sum += (double)p; }
    return (float)sum;
}

/* ggml_v_expf (AVX-512 build), one lane. */
static inline float lc_v_expf(float x) {
    const float r = 0x1.8p23f;
    const float z = fmaf(x, 0x1.715476p+0f, r);
    const float n = z - r;
    const float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x));
    const float u = b * b;
    const float j = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                         u, fmaf(0x1.ffffecp-1f, b, 1.0f));
    if (!(fabsf(n) <= 192.0f)) return n <= 0.0f ? 0.0f : INFINITY;
    return ldexpf(j, (int)n);
}

void ck_lc_softmax(float *kq, int64_t n, float scale, int64_t visible) {
    float max = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        const float w = kq[i] * scale + (i < visible ? 0.0f : -INFINITY);
        kq[i] = w;
        max = w > max ? w : max;
    }
    double sum = 0.0;
    for (int64_t c = 0; c < n; c += 16) {
        float e[16];
        for (int l = 0; l < 16; l++) { e[l] = lc_v_expf(kq[c + l] - max); kq[c + l] = e[l]; }
        sum += (double)lc_reduce16(e);
    }
    const float inv = (float)(1.0 / sum);
    for (int64_t i = 0; i < n; i++) kq[i] = kq[i] * inv;
}

void ck_lc_swiglu(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        const float g = gate[i];
        const float denominator = 1.0f + lc_v_expf(0.0f - g);
        const float silu = g / denominator;
        gate[i] = silu * up[i];
    }
}

void ck_lc_to_f16(const float *x, uint16_t *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = ck_f2h(x[i]);
}

void ck_lc_from_f16(const uint16_t *x, float *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = ck_h2f(x[i]);
}
