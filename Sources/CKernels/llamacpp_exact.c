/* llama.cpp-exact decode arithmetic; see include/ck_llamacpp.h. Every expression here is
   written so that the compiler cannot fuse or reorder it: contraction is off for the file and
   fused multiply-adds are spelled out (fmaf or _mm256_fmadd_ps) exactly where ggml's compiled
   code has them. */
#define _GNU_SOURCE 1
#include "ck_llamacpp.h"
#include "ck_internal.h"
#include "lc_internal.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <immintrin.h>

#pragma clang fp contract(off)

/* Set by tests to run the portable paths. */
static int lc_force_generic = 0;

void ck_lc_force_generic(int on) { lc_force_generic = on; }

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

/* Two rows at a time: each row's arithmetic is exactly ggml's (one accumulator chain per row),
   but two independent chains overlap, and the activation block is loaded once for both. (Four
   rows measured slower: 51 against 60 tokens/s on SmolLM2, one thread.) */
#define LC_ROWS 2
/* Software prefetch, bytes ahead of the first row of the pair: the pair's two read streams
   defeat the hardware prefetcher on long rows (see llamacpp_exact_vnni.c). */
#define LC_PREFETCH 2048

__attribute__((target("avx2,fma,f16c")))
static void lc_rows_q4_1_avx2(const uint8_t *w, int64_t row_bytes, const uint8_t *a, int64_t blocks,
                              float *y, int64_t r0, int64_t r1) {
    const __m256i low = _mm256_set1_epi8(0x0f);
    const __m256i ones = _mm256_set1_epi16(1);
    int64_t r = r0;
    for (; r + LC_ROWS <= r1; r += LC_ROWS) {
        const uint8_t *rows[LC_ROWS];
        __m256 acc[LC_ROWS];
        float summs[LC_ROWS];
        for (int k = 0; k < LC_ROWS; k++) { rows[k] = w + (r + k) * row_bytes; acc[k] = _mm256_setzero_ps(); summs[k] = 0.0f; }
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ab = a + b * CK_Q8_1_BYTES;
            _mm_prefetch((const char *)(rows[0] + LC_PREFETCH + LC_ROWS * b * CK_Q4_1_BYTES), _MM_HINT_T0);
            const float dy = _cvtsh_ss(ck_rd16(ab)), sy = _cvtsh_ss(ck_rd16(ab + 2));
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 4));
            for (int k = 0; k < LC_ROWS; k++) {
                const uint8_t *block = rows[k] + b * CK_Q4_1_BYTES;
                summs[k] = fmaf(_cvtsh_ss(ck_rd16(block + 2)), sy, summs[k]);
                const __m128i raw = _mm_loadu_si128((const __m128i *)(block + 4));
                const __m256i qx = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), low);
                const __m256 lanes = _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(qx, qy), ones));
                acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(block)) * dy), lanes, acc[k]);
            }
        }
        for (int k = 0; k < LC_ROWS; k++) y[r + k] = lc_hsum8_avx(acc[k]) + summs[k];
    }
    for (; r < r1; r++) y[r] = lc_dot_row_generic(CK_TYPE_Q4_1, w + r * row_bytes, a, blocks);
}

__attribute__((target("avx2,fma,f16c")))
static void lc_rows_q8_0_avx2(const uint8_t *w, int64_t row_bytes, const uint8_t *a, int64_t blocks,
                              float *y, int64_t r0, int64_t r1) {
    const __m256i ones = _mm256_set1_epi16(1);
    int64_t r = r0;
    for (; r + LC_ROWS <= r1; r += LC_ROWS) {
        const uint8_t *rows[LC_ROWS];
        __m256 acc[LC_ROWS];
        for (int k = 0; k < LC_ROWS; k++) { rows[k] = w + (r + k) * row_bytes; acc[k] = _mm256_setzero_ps(); }
        for (int64_t b = 0; b < blocks; b++) {
            const uint8_t *ab = a + b * CK_Q8_0_BYTES;
            _mm_prefetch((const char *)(rows[0] + LC_PREFETCH + LC_ROWS * b * CK_Q8_0_BYTES), _MM_HINT_T0);
            const float dy = _cvtsh_ss(ck_rd16(ab));
            const __m256i qy = _mm256_loadu_si256((const __m256i *)(ab + 2));
            for (int k = 0; k < LC_ROWS; k++) {
                const uint8_t *block = rows[k] + b * CK_Q8_0_BYTES;
                const __m256i qx = _mm256_loadu_si256((const __m256i *)(block + 2));
                /* |x| · sign(y, x): unsigned times signed, the same integer lanes as ggml. */
                const __m256i p = _mm256_maddubs_epi16(_mm256_sign_epi8(qx, qx), _mm256_sign_epi8(qy, qx));
                const __m256 lanes = _mm256_cvtepi32_ps(_mm256_madd_epi16(p, ones));
                acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(ck_rd16(block)) * dy), lanes, acc[k]);
            }
        }
        for (int k = 0; k < LC_ROWS; k++) y[r + k] = lc_hsum8_avx(acc[k]);
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

/* The VNNI kernels follow the general kernels' instruction-set choice (dispatch.c), so CK_ISA=avx2
   or ck_force_isa("avx2") also selects the AVX2 kernels here. */
static int lc_have_vnni(void) {
#ifdef CK_X86
    return ck_current_table() == &ck_table_avx512;
#else
    return 0;
#endif
}

void ck_lc_matmul_rows(int wtype, const void *w, int64_t cols, const void *act, int64_t act_stride,
                       int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t blocks = cols / CK_QK;
    const int64_t row_bytes = blocks * (wtype == CK_TYPE_Q4_1 ? CK_Q4_1_BYTES : CK_Q8_0_BYTES);
    /* The VNNI kernels read the activation re-laid out for them, in this thread's scratch. */
    uint8_t *expanded = NULL;
    if (lc_have_vnni() && !lc_force_generic) expanded = ck_scratch((size_t)lc_vnni_expanded_bytes(blocks));
    for (int v = 0; v < nv; v++) {
        const uint8_t *a = (const uint8_t *)act + v * act_stride;
        float *out = y + v * ldy;
        int64_t r = r0;
        if (expanded) {
            lc_vnni_expand(wtype, a, blocks, expanded);
            r = wtype == CK_TYPE_Q4_1 ? lc_vnni_rows_q4_1((const uint8_t *)w, row_bytes, expanded, blocks, out, r0, r1)
                                      : lc_vnni_rows_q8_0((const uint8_t *)w, row_bytes, expanded, blocks, out, r0, r1);
        } else if (lc_have_avx2() && !lc_force_generic) {
            if (wtype == CK_TYPE_Q4_1) lc_rows_q4_1_avx2((const uint8_t *)w, row_bytes, a, blocks, out, r0, r1);
            else lc_rows_q8_0_avx2((const uint8_t *)w, row_bytes, a, blocks, out, r0, r1);
            r = r1;
        }
        for (; r < r1; r++) out[r] = lc_dot_row_generic(wtype, (const uint8_t *)w + r * row_bytes, a, blocks);
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

/* ---- Dispatch of the vector versions ------------------------------------------------------- */


int lc_exact_avx512(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
    }
    return cached && !lc_force_generic;
}

/* _mm512_reduce_add_ps as GCC expands it: halves of 8, 4, 2, 1. */
static inline float lc_reduce16(float a[16]) {
    for (int half = 8; half >= 1; half /= 2)
        for (int l = 0; l < half; l++) a[l] = a[l] + a[l + half];
    return a[0];
}

#define LC_AVX512 __attribute__((target("avx512f,avx2,fma,f16c")))

/* ---- f16 dot product (ggml_vec_dot_f16, AVX-512 build) ------------------------------------ */

static float lc_dot_f16_generic(const uint16_t *x, const uint16_t *y, int64_t n) {
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

LC_AVX512 static float lc_dot_f16_avx512(const uint16_t *x, const uint16_t *y, int64_t n) {
    const int64_t whole = n & ~(int64_t)63;
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int64_t i = 0; i < whole; i += 64) {
        s0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i))),
                             _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(y + i))), s0);
        s1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i + 16))),
                             _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(y + i + 16))), s1);
        s2 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i + 32))),
                             _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(y + i + 32))), s2);
        s3 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i + 48))),
                             _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(y + i + 48))), s3);
    }
    s0 = _mm512_add_ps(s0, s2);
    s1 = _mm512_add_ps(s1, s3);
    double sum = (double)lc_reduce16_avx512(_mm512_add_ps(s0, s1));
    for (int64_t i = whole; i < n; i++) { const float p = _cvtsh_ss(x[i]) * _cvtsh_ss(y[i]); sum += (double)p; }
    return (float)sum;
}

float ck_lc_dot_f16(const uint16_t *x, const uint16_t *y, int64_t n) {
    return lc_exact_avx512() ? lc_dot_f16_avx512(x, y, n) : lc_dot_f16_generic(x, y, n);
}

/* ---- ggml_v_expf (AVX-512 build) ---------------------------------------------------------- */

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

LC_AVX512 static inline __m512 lc_v_expf_avx512(__m512 x) {
    const __m512 r = _mm512_set1_ps(0x1.8p23f);
    const __m512 z = _mm512_fmadd_ps(x, _mm512_set1_ps(0x1.715476p+0f), r);
    const __m512 n = _mm512_sub_ps(z, r);
    const __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.7f7d1cp-20f),
                                      _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e4p-1f), x));
    const __m512 u = _mm512_mul_ps(b, b);
    const __m512 j = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(0x1.0e4020p-7f), b, _mm512_set1_ps(0x1.573e2ep-5f)), u,
                        _mm512_fmadd_ps(_mm512_set1_ps(0x1.555e66p-3f), b, _mm512_set1_ps(0x1.fffdb6p-2f))),
        u, _mm512_fmadd_ps(_mm512_set1_ps(0x1.ffffecp-1f), b, _mm512_set1_ps(1.0f)));
    const __m512 res = _mm512_scalef_ps(j, n);
    /* |n| > 192 (or NaN): 0 for large negative, +inf for large positive, as ggml's blend. */
    const __mmask16 big = _mm512_cmp_ps_mask(_mm512_abs_ps(n), _mm512_set1_ps(192.0f), _CMP_GT_OQ);
    const __mmask16 nonpositive = _mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ);
    const __m512 alternative = _mm512_mask_blend_ps(nonpositive, _mm512_set1_ps(INFINITY), _mm512_setzero_ps());
    return _mm512_mask_blend_ps(big, res, alternative);
}

/* ---- Softmax and SwiGLU ------------------------------------------------------------------- */

static void lc_softmax_generic(float *kq, int64_t n, float scale, int64_t visible) {
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

LC_AVX512 static void lc_softmax_avx512(float *kq, int64_t n, float scale, int64_t visible) {
    float max = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        const float w = kq[i] * scale + (i < visible ? 0.0f : -INFINITY);
        kq[i] = w;
        max = w > max ? w : max;
    }
    const __m512 m = _mm512_set1_ps(max);
    double sum = 0.0;
    for (int64_t c = 0; c < n; c += 16) {
        const __m512 e = lc_v_expf_avx512(_mm512_sub_ps(_mm512_loadu_ps(kq + c), m));
        _mm512_storeu_ps(kq + c, e);
        sum += (double)lc_reduce16_avx512(e);
    }
    const __m512 inv = _mm512_set1_ps((float)(1.0 / sum));
    for (int64_t c = 0; c < n; c += 16) _mm512_storeu_ps(kq + c, _mm512_mul_ps(_mm512_loadu_ps(kq + c), inv));
}

void ck_lc_softmax(float *kq, int64_t n, float scale, int64_t visible) {
    if (lc_exact_avx512()) lc_softmax_avx512(kq, n, scale, visible);
    else lc_softmax_generic(kq, n, scale, visible);
}

static void lc_swiglu_generic(float *gate, const float *up, int64_t from, int64_t n) {
    for (int64_t i = from; i < n; i++) {
        const float g = gate[i];
        const float denominator = 1.0f + lc_v_expf(0.0f - g);
        const float silu = g / denominator;
        gate[i] = silu * up[i];
    }
}

LC_AVX512 static void lc_swiglu_avx512(float *gate, const float *up, int64_t n) {
    const int64_t whole = n & ~(int64_t)15;
    for (int64_t i = 0; i < whole; i += 16) {
        const __m512 g = _mm512_loadu_ps(gate + i);
        const __m512 e = lc_v_expf_avx512(_mm512_sub_ps(_mm512_setzero_ps(), g));
        const __m512 silu = _mm512_div_ps(g, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
        _mm512_storeu_ps(gate + i, _mm512_mul_ps(silu, _mm512_loadu_ps(up + i)));
    }
    /* ggml's scalar tail uses libm's expf (ggml_silu_f32). */
    for (int64_t i = whole; i < n; i++) {
        const float g = gate[i];
        const float silu = g / (1.0f + expf(-g));
        gate[i] = silu * up[i];
    }
}

void ck_lc_swiglu(float *gate, const float *up, int64_t n) {
    if (lc_exact_avx512()) lc_swiglu_avx512(gate, up, n);
    else lc_swiglu_generic(gate, up, 0, n);
}

/* ---- f16 conversions ---------------------------------------------------------------------- */

LC_AVX512 static void lc_to_f16_f16c(const float *x, uint16_t *dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) dst[i] = ck_f2h(x[i]);
}

LC_AVX512 static void lc_from_f16_f16c(const uint16_t *x, float *dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++) dst[i] = ck_h2f(x[i]);
}

void ck_lc_to_f16(const float *x, uint16_t *dst, int64_t n) {
    if (lc_exact_avx512()) { lc_to_f16_f16c(x, dst, n); return; }
    for (int64_t i = 0; i < n; i++) dst[i] = ck_f2h(x[i]);
}

void ck_lc_from_f16(const uint16_t *x, float *dst, int64_t n) {
    if (lc_exact_avx512()) { lc_from_f16_f16c(x, dst, n); return; }
    for (int64_t i = 0; i < n; i++) dst[i] = ck_h2f(x[i]);
}
