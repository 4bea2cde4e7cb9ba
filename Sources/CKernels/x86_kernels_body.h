/*
 * x86 SIMD kernels, written once and compiled twice: matmul_avx2.c includes this with
 * CK_VNNI 0 under an AVX2+FMA+F16C target, matmul_avx512.c with CK_VNNI 1 under an AVX-512
 * (F/BW/VL/VNNI) target, where the u8 x s8 dot products become vpdpbusd/vpdpwssd. CK_PFX names
 * the functions; CK_NV32, CK_NVK, CK_NVF and CK_NVP1 say how many activation vectors share one
 * pass over a weight row in each family of kernels.
 *
 * Shapes of the work:
 *  - precise = 0, Q4_0/Q4_1/Q5_0/Q5_1: two blocks per register, activations repacked to follow
 *    the raw nibble layout (see the "4/5-bit pairs" section).
 *  - precise = 0, Q8_0: the activation blocks are repacked into contiguous int8 runs, f32 scales
 *    and integer corrections (with VNNI the weights are offset by 128 to multiply as unsigned
 *    bytes, and fixed up exactly with -128 * sum(a)).
 *  - precise = 0, K-quants: Q8_K blocks are used in place; per super-block an exact int32 sum
 *    (scales folded in with madd), one float multiply-add, and the mins through the bsums.
 *  - precise = 1: weights are dequantised in registers to exactly ck_dequantize's floats and
 *    multiplied into f32 accumulators (fused multiply-add); F16/BF16 weights are widened in
 *    registers, F16/BF16 activations (precise = 0) widened once per call.
 */
#include <immintrin.h>
#include <math.h>

#define CK_CAT_(a, b) a##b
#define CK_CAT(a, b) CK_CAT_(a, b)
#define FN(name) CK_CAT(CK_PFX, name)
#define INLINE static inline __attribute__((always_inline))

/* ---------------------------------------------------------------- helpers */

INLINE float FN(hsum)(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* f16 -> f32 through a general register and vmovd (which zeroes the vector register). Left to
   itself clang loads the half with a vpinsrw that merges into an arbitrary register, often an
   accumulator, which chains every block to the previous one; the empty asm stops that fold. */
INLINE float FN(h2f)(const uint8_t *p) {
    uint32_t h = ck_rd16(p);
    __asm__("" : "+r"(h));
    return _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128((int)h)));
}

/* 16 packed bytes -> 32 nibbles: low nibbles first (elements 0..15), then high (16..31). */
INLINE __m256i FN(nibbles)(const uint8_t *qs) {
    const __m128i raw = _mm_loadu_si128((const __m128i *)qs);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(raw, 4), raw);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/* Bit j of qh -> 0x10 in byte j (the fifth bit of Q5_0/Q5_1 quants). */
INLINE __m256i FN(fifth_bits)(uint32_t qh) {
    const __m256i shuf = _mm256_setr_epi64x(0x0000000000000000LL, 0x0101010101010101LL,
                                            0x0202020202020202LL, 0x0303030303030303LL);
    __m256i b = _mm256_shuffle_epi8(_mm256_set1_epi32((int)qh), shuf);
    const __m256i bitmask = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    b = _mm256_and_si256(b, bitmask);
    b = _mm256_cmpeq_epi8(b, bitmask);
    return _mm256_and_si256(b, _mm256_set1_epi8(0x10));
}

/* acc + sum over groups of 4 of u8 * s8 (u <= 63 or so for maddubs to stay unsaturated). */
INLINE __m256i FN(dot_us)(__m256i acc, __m256i u, __m256i s) {
#if CK_VNNI
    return _mm256_dpbusd_epi32(acc, u, s);
#else
    const __m256i p = _mm256_maddubs_epi16(u, s);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
#endif
}

/* acc + (pairs of int16 p) * (int16 scale), summed in pairs. */
INLINE __m256i FN(dot_ws)(__m256i acc, __m256i p, __m256i sc) {
#if CK_VNNI
    return _mm256_dpwssd_epi32(acc, p, sc);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, sc));
#endif
}

/* 32 int8 in a register -> 4 x 8 floats. */
INLINE void FN(i8_to_f32)(__m256i q, __m256 out[4]) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    out[0] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo));
    out[1] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8)));
    out[2] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi));
    out[3] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8)));
}

/* ---------------------------------------------------------------- dequantisation */

/* Signed 32 quants of a 32-block (offsets applied), or unsigned ones for the min types. */
INLINE __m256i FN(quants32)(int slot, const uint8_t *blk) {
    switch (slot) {
    case CK_S_Q4_0: return _mm256_sub_epi8(FN(nibbles)(blk + 2), _mm256_set1_epi8(8));
    case CK_S_Q4_1: return FN(nibbles)(blk + 4);
    case CK_S_Q5_0:
        return _mm256_sub_epi8(_mm256_or_si256(FN(nibbles)(blk + 6), FN(fifth_bits)(ck_rd32(blk + 2))),
                               _mm256_set1_epi8(16));
    case CK_S_Q5_1: return _mm256_or_si256(FN(nibbles)(blk + 8), FN(fifth_bits)(ck_rd32(blk + 4)));
    default: return _mm256_loadu_si256((const __m256i *)(blk + 2)); /* Q8_0 */
    }
}

INLINE void FN(deq32)(int slot, const uint8_t *blk, float *y) {
    __m256 f[4];
    FN(i8_to_f32)(FN(quants32)(slot, blk), f);
    const __m256 d = _mm256_set1_ps(FN(h2f)(blk));
    if (slot == CK_S_Q4_1 || slot == CK_S_Q5_1) {
        const __m256 m = _mm256_set1_ps(FN(h2f)(blk + 2));
        for (int i = 0; i < 4; i++) _mm256_storeu_ps(y + 8 * i, _mm256_add_ps(_mm256_mul_ps(f[i], d), m));
    } else {
        for (int i = 0; i < 4; i++) _mm256_storeu_ps(y + 8 * i, _mm256_mul_ps(f[i], d));
    }
}

INLINE void FN(deq_k45)(int five, const uint8_t *blk, float *y) {
    const float d = FN(h2f)(blk), dmin = FN(h2f)(blk + 2);
    const uint8_t *q = blk + (five ? 48 : 16);
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m256i qh = five ? _mm256_loadu_si256((const __m256i *)(blk + 16)) : _mm256_setzero_si256();
    for (int g = 0; g < 4; g++, q += 32, y += 64) {
        uint8_t s0, m0, s1, m1;
        ck_scale_min_k4(2 * g, blk + 4, &s0, &m0);
        ck_scale_min_k4(2 * g + 1, blk + 4, &s1, &m1);
        const __m256i raw = _mm256_loadu_si256((const __m256i *)q);
        __m256i lo = _mm256_and_si256(raw, m4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
        if (five) {
            const __m256i one = _mm256_set1_epi8(1);
            lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g), one), 4));
            hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g + 1), one), 4));
        }
        const __m256 d0 = _mm256_set1_ps(d * (float)s0), o0 = _mm256_set1_ps(dmin * (float)m0);
        const __m256 d1 = _mm256_set1_ps(d * (float)s1), o1 = _mm256_set1_ps(dmin * (float)m1);
        __m256 f[4];
        FN(i8_to_f32)(lo, f);
        for (int i = 0; i < 4; i++) _mm256_storeu_ps(y + 8 * i, _mm256_sub_ps(_mm256_mul_ps(d0, f[i]), o0));
        FN(i8_to_f32)(hi, f);
        for (int i = 0; i < 4; i++) _mm256_storeu_ps(y + 32 + 8 * i, _mm256_sub_ps(_mm256_mul_ps(d1, f[i]), o1));
    }
}

/* The four runs of 32 (0..63, unsigned) of one Q6_K half. */
INLINE void FN(q6_half)(const uint8_t *ql, const uint8_t *qh, __m256i q[4]) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
    const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
    const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
    q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(h, _mm256_set1_epi8(0x03)), 4));
    q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_slli_epi16(_mm256_and_si256(h, _mm256_set1_epi8(0x0C)), 2));
    q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), _mm256_and_si256(h, _mm256_set1_epi8(0x30)));
    q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4),
                           _mm256_and_si256(_mm256_srli_epi16(h, 2), _mm256_set1_epi8(0x30)));
}

INLINE void FN(deq_q6k)(const uint8_t *blk, float *y) {
    const float d = FN(h2f)(blk + 208);
    const int8_t *sc = (const int8_t *)(blk + 192);
    for (int h = 0; h < 2; h++, y += 128) {
        __m256i q[4];
        FN(q6_half)(blk + 64 * h, blk + 128 + 32 * h, q);
        for (int k = 0; k < 4; k++) {
            __m256 f[4];
            FN(i8_to_f32)(_mm256_sub_epi8(q[k], _mm256_set1_epi8(32)), f);
            const __m256 s0 = _mm256_set1_ps(d * (float)sc[8 * h + 2 * k]);
            const __m256 s1 = _mm256_set1_ps(d * (float)sc[8 * h + 2 * k + 1]);
            _mm256_storeu_ps(y + 32 * k, _mm256_mul_ps(s0, f[0]));
            _mm256_storeu_ps(y + 32 * k + 8, _mm256_mul_ps(s0, f[1]));
            _mm256_storeu_ps(y + 32 * k + 16, _mm256_mul_ps(s1, f[2]));
            _mm256_storeu_ps(y + 32 * k + 24, _mm256_mul_ps(s1, f[3]));
        }
    }
}

INLINE void FN(deq_f16)(const uint8_t *s, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i))));
    for (; i < n; i++) y[i] = FN(h2f)(s + 2 * i);
}

INLINE void FN(deq_bf16)(const uint8_t *s, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + 2 * i)));
        _mm256_storeu_ps(y + i, _mm256_castsi256_ps(_mm256_slli_epi32(h, 16)));
    }
    for (; i < n; i++) y[i] = ck_bf2f(ck_rd16(s + 2 * i));
}

/* Dequantise `count` blocks (elements for the float types) of slot from s into y. */
INLINE void FN(deq_any)(int slot, const uint8_t *s, float *y, int64_t count) {
    switch (slot) {
    case CK_S_F32: memcpy(y, s, (size_t)count * 4); break;
    case CK_S_F16: FN(deq_f16)(s, y, count); break;
    case CK_S_BF16: FN(deq_bf16)(s, y, count); break;
    case CK_S_Q4_0: for (int64_t b = 0; b < count; b++) FN(deq32)(CK_S_Q4_0, s + b * CK_Q4_0_BYTES, y + 32 * b); break;
    case CK_S_Q4_1: for (int64_t b = 0; b < count; b++) FN(deq32)(CK_S_Q4_1, s + b * CK_Q4_1_BYTES, y + 32 * b); break;
    case CK_S_Q5_0: for (int64_t b = 0; b < count; b++) FN(deq32)(CK_S_Q5_0, s + b * CK_Q5_0_BYTES, y + 32 * b); break;
    case CK_S_Q5_1: for (int64_t b = 0; b < count; b++) FN(deq32)(CK_S_Q5_1, s + b * CK_Q5_1_BYTES, y + 32 * b); break;
    case CK_S_Q8_0: for (int64_t b = 0; b < count; b++) FN(deq32)(CK_S_Q8_0, s + b * CK_Q8_0_BYTES, y + 32 * b); break;
    case CK_S_Q4_K: for (int64_t b = 0; b < count; b++) FN(deq_k45)(0, s + b * CK_Q4_K_BYTES, y + 256 * b); break;
    case CK_S_Q5_K: for (int64_t b = 0; b < count; b++) FN(deq_k45)(1, s + b * CK_Q5_K_BYTES, y + 256 * b); break;
    default: for (int64_t b = 0; b < count; b++) FN(deq_q6k)(s + b * CK_Q6_K_BYTES, y + 256 * b); break;
    }
}

#define DEQ_ENTRY(NAME, SLOT)                                                                   \
    static void FN(NAME)(const uint8_t *s, float *y, int64_t count) { FN(deq_any)(SLOT, s, y, count); }
DEQ_ENTRY(deq_e_f16, CK_S_F16)
DEQ_ENTRY(deq_e_bf16, CK_S_BF16)
DEQ_ENTRY(deq_e_q4_0, CK_S_Q4_0)
DEQ_ENTRY(deq_e_q4_1, CK_S_Q4_1)
DEQ_ENTRY(deq_e_q5_0, CK_S_Q5_0)
DEQ_ENTRY(deq_e_q5_1, CK_S_Q5_1)
DEQ_ENTRY(deq_e_q8_0, CK_S_Q8_0)
DEQ_ENTRY(deq_e_q4_k, CK_S_Q4_K)
DEQ_ENTRY(deq_e_q5_k, CK_S_Q5_K)
DEQ_ENTRY(deq_e_q6_k, CK_S_Q6_K)

static const ck_deq_fn FN(deq_table)[CK_S_COUNT] = {
    [CK_S_F16] = FN(deq_e_f16), [CK_S_BF16] = FN(deq_e_bf16), [CK_S_Q4_0] = FN(deq_e_q4_0),
    [CK_S_Q4_1] = FN(deq_e_q4_1), [CK_S_Q5_0] = FN(deq_e_q5_0), [CK_S_Q5_1] = FN(deq_e_q5_1),
    [CK_S_Q8_0] = FN(deq_e_q8_0), [CK_S_Q4_K] = FN(deq_e_q4_k), [CK_S_Q5_K] = FN(deq_e_q5_k),
    [CK_S_Q6_K] = FN(deq_e_q6_k),
};

/* ---------------------------------------------------------------- activation preparation */

/* One Q8 block of 32 the x86 llama.cpp way; returns sum(q). Bit-identical to the generic one. */
INLINE int FN(q8_block)(const float *x, float *d_out, int8_t *q) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 v[4];
    for (int i = 0; i < 4; i++) v[i] = _mm256_loadu_ps(x + 8 * i);
    __m256 mx = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v[0]), _mm256_andnot_ps(sign, v[1])),
                              _mm256_max_ps(_mm256_andnot_ps(sign, v[2]), _mm256_andnot_ps(sign, v[3])));
    __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(mx, 1), _mm256_castps256_ps128(mx));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const float amax = _mm_cvtss_f32(m4);
    *d_out = amax / 127.f;
    const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.f / amax : 0.0f);
    __m256i i[4];
    for (int k = 0; k < 4; k++)
        i[k] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[k], id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    const __m256i s = _mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3]));
    __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
    __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i[0], i[1]), _mm256_packs_epi32(i[2], i[3]));
    p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)q, p);
    return _mm_cvtsi128_si32(s4);
}

static void FN(prep_q8_0)(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QK; b++, x += CK_QK, y += CK_Q8_0_BYTES) {
        float d;
        FN(q8_block)(x, &d, (int8_t *)(y + 2));
        ck_wr16(y, (uint16_t)_cvtss_sh(d, 0));
    }
}

static void FN(prep_q8_1)(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QK; b++, x += CK_QK, y += CK_Q8_1_BYTES) {
        float d;
        const int sum = FN(q8_block)(x, &d, (int8_t *)(y + 4));
        ck_wr16(y, (uint16_t)_cvtss_sh(d, 0));
        ck_wr16(y + 2, (uint16_t)_cvtss_sh(d * (float)sum, 0));
    }
}

static void FN(prep_f16)(const float *x, uint8_t *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(y + 2 * i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) ck_wr16(y + 2 * i, ck_f2h(x[i]));
}

/* Q8_K as quantize_row_q8_K_ref: the signed extreme (first largest |x|) sets iscale = -127 / max,
   q = min(127, round-half-even(iscale * x)), d = 1 / iscale, bsums over 16. */
static void FN(prep_q8_k)(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QKK; b++, x += CK_QKK, y += CK_Q8_K_BYTES) {
        const __m256 sign = _mm256_set1_ps(-0.0f);
        __m256 mx = _mm256_setzero_ps();
        for (int i = 0; i < CK_QKK; i += 8) mx = _mm256_max_ps(mx, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(mx, 1), _mm256_castps256_ps128(mx));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        if (!(amax > 0.f && amax < INFINITY)) { /* zeros, inf or NaN: leave it to the reference */
            ck_prep_q8_k_generic(x, y, CK_QKK);
            continue;
        }
        float max = 0.f;
        for (int i = 0; i < CK_QKK; i++)
            if (x[i] == amax || x[i] == -amax) { max = x[i]; break; }
        const float iscale = -127.f / max;
        const __m256 vs = _mm256_set1_ps(iscale);
        const __m256i lim = _mm256_set1_epi32(127);
        int8_t *q = (int8_t *)(y + 4);
        for (int i = 0; i < CK_QKK; i += 32) {
            __m256i v[4];
            for (int k = 0; k < 4; k++)
                v[k] = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(vs, _mm256_loadu_ps(x + i + 8 * k))), lim);
            __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
            p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            _mm256_storeu_si256((__m256i *)(q + i), p);
            /* two sums of 16 */
            const __m256i s16 = _mm256_maddubs_epi16(_mm256_set1_epi8(1), p);           /* pairs */
            const __m256i s32 = _mm256_madd_epi16(s16, _mm256_set1_epi16(1));            /* quads */
            __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s32), _mm_setzero_si128());
            __m128i u = _mm256_extracti128_si256(s32, 1);
            t = _mm_hadd_epi32(t, u);                                                     /* 4 octs */
            t = _mm_hadd_epi32(t, t);                                                     /* 2 sixteens */
            const int16_t b0 = (int16_t)_mm_cvtsi128_si32(t), b1 = (int16_t)_mm_extract_epi32(t, 1);
            memcpy(y + 260 + 2 * (i / 16), &b0, 2);
            memcpy(y + 262 + 2 * (i / 16), &b1, 2);
        }
        ck_wrf32(y, 1 / iscale);
    }
}

static const ck_prep_fn FN(prep_table)[CK_A_COUNT] = {
    [CK_A_Q8_0] = FN(prep_q8_0), [CK_A_Q8_1] = FN(prep_q8_1), [CK_A_Q8_K] = FN(prep_q8_k),
    [CK_A_F16] = FN(prep_f16),
};

/* ---------------------------------------------------------------- precise = 0, 32-blocks */

typedef struct {
    const int8_t *q;  /* cols int8, 32-byte aligned */
    const float *d;   /* per block */
    const float *s;   /* per block, Q8_1 only: f16 s as float */
    const int32_t *c; /* per block integer correction, or NULL */
} FN(actv);

/* Repacks nv activation vectors; returns 0 if scratch memory could not be had. */
INLINE int FN(repack32)(const uint8_t *act, int64_t stride, int nv, int64_t nb, int with_min,
                        int corr, FN(actv) *av) {
    const size_t per = (size_t)(nb * 32 + nb * 12 + 64) & ~(size_t)63;
    uint8_t *buf = ck_scratch(per * (size_t)nv);
    if (!buf) return 0;
    const int64_t ab = with_min ? CK_Q8_1_BYTES : CK_Q8_0_BYTES, aq = with_min ? 4 : 2;
    for (int v = 0; v < nv; v++) {
        int8_t *q = (int8_t *)(buf + per * (size_t)v);
        float *d = (float *)(void *)(q + nb * 32);
        float *s = d + nb;
        int32_t *c = (int32_t *)(void *)(s + nb);
        const uint8_t *a = act + (int64_t)v * stride;
        for (int64_t b = 0; b < nb; b++, a += ab) {
            const __m256i qa = _mm256_loadu_si256((const __m256i *)(a + aq));
            _mm256_store_si256((__m256i *)(q + 32 * b), qa);
            d[b] = FN(h2f)(a);
            s[b] = with_min ? FN(h2f)(a + 2) : 0.f;
            if (corr) {
                const __m256i w = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), qa), _mm256_set1_epi16(1));
                __m128i t = _mm_add_epi32(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
                t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
                t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
                c[b] = -corr * _mm_cvtsi128_si32(t);
            }
        }
        av[v] = (FN(actv)){q, d, with_min ? s : NULL, corr ? c : NULL};
    }
    return 1;
}

/* Block b of one row against NV repacked vectors, into accumulator set k (two sets break the
   dependency chain of the multiply-adds). */
INLINE void FN(block32)(int slot, int NV, const uint8_t *blk, int64_t b, const FN(actv) *av,
                        __m256 acc[][2], float accm[][2], int k) {
    const int with_min = slot == CK_S_Q4_1 || slot == CK_S_Q5_1;
    const int corr = slot == CK_S_Q4_0 || slot == CK_S_Q5_0 || (CK_VNNI && slot == CK_S_Q8_0);
    __m256i wq;
    float dw, mw = 0.f;
    if (with_min) {
        const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128((int)ck_rd32(blk)));
        dw = _mm_cvtss_f32(dm);
        mw = _mm_cvtss_f32(_mm_movehdup_ps(dm));
    } else {
        dw = FN(h2f)(blk);
    }
    switch (slot) {
    case CK_S_Q4_0: wq = FN(nibbles)(blk + 2); break;
    case CK_S_Q4_1: wq = FN(nibbles)(blk + 4); break;
    case CK_S_Q5_0: wq = _mm256_or_si256(FN(nibbles)(blk + 6), FN(fifth_bits)(ck_rd32(blk + 2))); break;
    case CK_S_Q5_1: wq = _mm256_or_si256(FN(nibbles)(blk + 8), FN(fifth_bits)(ck_rd32(blk + 4))); break;
    default: wq = _mm256_loadu_si256((const __m256i *)(blk + 2)); break;
    }
#if CK_VNNI
    if (slot == CK_S_Q8_0) wq = _mm256_xor_si256(wq, _mm256_set1_epi8((char)0x80));
#else
    __m256i wabs = wq;
    if (slot == CK_S_Q8_0) wabs = _mm256_sign_epi8(wq, wq);
#endif
    for (int v = 0; v < NV; v++) {
        const __m256i aq = _mm256_load_si256((const __m256i *)(av[v].q + 32 * b));
        const __m256i init = corr ? _mm256_zextsi128_si256(_mm_cvtsi32_si128(av[v].c[b])) : _mm256_setzero_si256();
        __m256i p;
#if CK_VNNI
        p = FN(dot_us)(init, wq, aq);
#else
        if (slot == CK_S_Q8_0)
            p = _mm256_madd_epi16(_mm256_maddubs_epi16(wabs, _mm256_sign_epi8(aq, wq)), _mm256_set1_epi16(1));
        else
            p = FN(dot_us)(init, wq, aq);
#endif
        acc[v][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(dw * av[v].d[b]), acc[v][k]);
        if (with_min) accm[v][k] += mw * av[v].s[b];
    }
}

/* One row against NV repacked vectors. */
INLINE void FN(row32)(int slot, int NV, const uint8_t *row, int64_t nb, const FN(actv) *av, float *out) {
    const int64_t wb = slot == CK_S_Q4_0 ? CK_Q4_0_BYTES : slot == CK_S_Q4_1 ? CK_Q4_1_BYTES
                     : slot == CK_S_Q5_0 ? CK_Q5_0_BYTES : slot == CK_S_Q5_1 ? CK_Q5_1_BYTES : CK_Q8_0_BYTES;
    __m256 acc[CK_NV32][2];
    float accm[CK_NV32][2];
    for (int v = 0; v < NV; v++) {
        acc[v][0] = acc[v][1] = _mm256_setzero_ps();
        accm[v][0] = accm[v][1] = 0.f;
    }
    int64_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        FN(block32)(slot, NV, row + b * wb, b, av, acc, accm, 0);
        FN(block32)(slot, NV, row + (b + 1) * wb, b + 1, av, acc, accm, 1);
    }
    if (b < nb) FN(block32)(slot, NV, row + b * wb, b, av, acc, accm, 0);
    for (int v = 0; v < NV; v++)
        out[v] = FN(hsum)(_mm256_add_ps(acc[v][0], acc[v][1])) + (accm[v][0] + accm[v][1]);
}

INLINE void FN(rows32_p0)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                          int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t nb = cols / CK_QK;
    const int with_min = slot == CK_S_Q4_1 || slot == CK_S_Q5_1;
    const int corr = slot == CK_S_Q4_0 ? 8 : slot == CK_S_Q5_0 ? 16 : (CK_VNNI && slot == CK_S_Q8_0) ? 128 : 0;
    FN(actv) av[64];
    for (int v0 = 0; v0 < nv; v0 += 64) {
        const int nvp = nv - v0 < 64 ? nv - v0 : 64;
        if (!FN(repack32)(act + (int64_t)v0 * as, as, nvp, nb, with_min, corr, av)) {
            ck_rows_generic[0][slot](w, rb, cols, act + (int64_t)v0 * as, as, nvp, y + (int64_t)v0 * ldy, ldy, r0, r1);
            continue;
        }
        for (int64_t r = r0; r < r1; r++) {
            const uint8_t *row = w + r * rb;
            for (int vc = 0; vc < nvp; vc += CK_NV32) {
                const int n = nvp - vc < CK_NV32 ? nvp - vc : CK_NV32;
                float out[CK_NV32];
                switch (n) {
                case 1: FN(row32)(slot, 1, row, nb, av + vc, out); break;
                case 2: FN(row32)(slot, 2, row, nb, av + vc, out); break;
                case 3: FN(row32)(slot, 3, row, nb, av + vc, out); break;
                case 4: FN(row32)(slot, 4, row, nb, av + vc, out); break;
#if CK_NV32 > 4
                case 5: FN(row32)(slot, 5, row, nb, av + vc, out); break;
                case 6: FN(row32)(slot, 6, row, nb, av + vc, out); break;
                case 7: FN(row32)(slot, 7, row, nb, av + vc, out); break;
#endif
                default: FN(row32)(slot, n, row, nb, av + vc, out); break;
                }
                for (int v = 0; v < n; v++) y[(int64_t)(v0 + vc + v) * ldy + r] = out[v];
            }
        }
    }
}

#define ROWS32_ENTRY(NAME, SLOT)                                                                \
    static void FN(NAME)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,       \
                         int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {  \
        FN(rows32_p0)(SLOT, w, rb, cols, act, as, nv, y, ldy, r0, r1);                         \
    }
ROWS32_ENTRY(rows_q8_0_p0, CK_S_Q8_0)

/* ---------------------------------------------------------------- precise = 0, 4/5-bit pairs */

/*
 * Q4_0, Q4_1, Q5_0, Q5_1 go two blocks at a time. The activations are repacked to follow the
 * raw nibble layout of a block pair loaded into one register: [a_b[0..15] | a_b+1[0..15]] against
 * the low nibbles of [qs_b | qs_b+1], then [a_b[16..31] | a_b+1[16..31]] against the high ones.
 * The int32 lanes 0-3 then hold block b and 4-7 block b+1, so one convert and one multiply-add
 * serve both blocks, and the two (d, m) f16 pairs are converted together. An odd last block is
 * paired with a zero block.
 */
typedef struct {
    const int8_t *q;   /* 64 bytes per pair, 32-byte aligned */
    const float *ds;   /* per pair: d_b, s_b, d_b+1, s_b+1 (s = 0 without mins) */
    const int32_t *c;  /* per pair: 8 int32 initial sums (correction -K * sum(a) in lanes 0, 4) */
} FN(pairact);

INLINE int FN(repack_pairs)(const uint8_t *act, int64_t stride, int nv, int64_t nb, int with_min,
                            int corr, FN(pairact) *pa) {
    const int64_t np = (nb + 1) / 2;
    const size_t per = ((size_t)np * (64 + 16 + 32) + 63) & ~(size_t)63;
    uint8_t *buf = ck_scratch(per * (size_t)nv);
    if (!buf) return 0;
    const int64_t ab = with_min ? CK_Q8_1_BYTES : CK_Q8_0_BYTES, aq = with_min ? 4 : 2;
    for (int v = 0; v < nv; v++) {
        int8_t *q = (int8_t *)(buf + per * (size_t)v);
        int32_t *c = (int32_t *)(void *)(q + 64 * np);
        float *ds = (float *)(void *)(c + 8 * np);
        const uint8_t *a = act + (int64_t)v * stride;
        for (int64_t p = 0; p < np; p++) {
            int32_t *cp = c + 8 * p;
            memset(cp, 0, 32);
            for (int h = 0; h < 2; h++) {
                const int64_t b = 2 * p + h;
                int8_t *dst = q + 64 * p + 16 * h;
                if (b >= nb) {
                    memset(dst, 0, 16);
                    memset(dst + 32, 0, 16);
                    ds[4 * p + 2 * h] = ds[4 * p + 2 * h + 1] = 0.f;
                    continue;
                }
                const uint8_t *blk = a + b * ab;
                memcpy(dst, blk + aq, 16);
                memcpy(dst + 32, blk + aq + 16, 16);
                ds[4 * p + 2 * h] = FN(h2f)(blk);
                ds[4 * p + 2 * h + 1] = with_min ? FN(h2f)(blk + 2) : 0.f;
                if (corr) {
                    int sum = 0;
                    for (int j = 0; j < 32; j++) sum += ((const int8_t *)(blk + aq))[j];
                    cp[4 * h] = -corr * sum;
                }
            }
        }
        pa[v] = (FN(pairact)){q, ds, c};
    }
    return 1;
}

/* Pair p (blocks 2p, 2p+1; `two` = 0 when only 2p exists) of one row against NV vectors. */
INLINE void FN(pair_step)(int slot, int NV, const uint8_t *row, int64_t p, int two,
                          const FN(pairact) *pa, __m256 acc[][2], __m128 accw[][2], int k) {
    const int64_t wb = slot == CK_S_Q4_0 ? CK_Q4_0_BYTES : slot == CK_S_Q4_1 ? CK_Q4_1_BYTES
                     : slot == CK_S_Q5_0 ? CK_Q5_0_BYTES : CK_Q5_1_BYTES;
    const int with_min = slot == CK_S_Q4_1 || slot == CK_S_Q5_1;
    const int qoff = slot == CK_S_Q4_0 ? 2 : slot == CK_S_Q4_1 ? 4 : slot == CK_S_Q5_0 ? 6 : 8;
    const uint8_t *b0 = row + 2 * p * wb, *b1 = b0 + wb;
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m128i x0 = _mm_loadu_si128((const __m128i *)(b0 + qoff));
    const __m256i x = two ? _mm256_inserti128_si256(_mm256_castsi128_si256(x0), _mm_loadu_si128((const __m128i *)(b1 + qoff)), 1)
                          : _mm256_zextsi128_si256(x0);
    __m256i lo = _mm256_and_si256(x, m4), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
    if (slot == CK_S_Q5_0 || slot == CK_S_Q5_1) {
        const int ho = slot == CK_S_Q5_0 ? 2 : 4;
        const uint32_t h0 = ck_rd32(b0 + ho), h1 = two ? ck_rd32(b1 + ho) : 0;
        lo = _mm256_or_si256(lo, FN(fifth_bits)((h0 & 0xFFFFu) | (h1 << 16)));
        hi = _mm256_or_si256(hi, FN(fifth_bits)((h0 >> 16) | (h1 & 0xFFFF0000u)));
    }
    /* (d, m) or (d, 0) of both blocks as 4 halves -> 4 floats */
    uint64_t sc;
    if (with_min) sc = (uint64_t)ck_rd32(b0) | (two ? (uint64_t)ck_rd32(b1) << 32 : 0);
    else sc = (uint64_t)ck_rd16(b0) | (two ? (uint64_t)ck_rd16(b1) << 32 : 0);
    const __m128 wsc = _mm_cvtph_ps(_mm_cvtsi64_si128((long long)sc));
    const __m256i pick = _mm256_setr_epi32(0, 0, 0, 0, 2, 2, 2, 2);
    for (int v = 0; v < NV; v++) {
        const int8_t *aq = pa[v].q + 64 * p;
        const __m256i alo = _mm256_load_si256((const __m256i *)aq);
        const __m256i ahi = _mm256_load_si256((const __m256i *)(aq + 32));
        __m256i s = slot == CK_S_Q4_0 || slot == CK_S_Q5_0 ? _mm256_load_si256((const __m256i *)(pa[v].c + 8 * p))
                                                            : _mm256_setzero_si256();
#if CK_VNNI
        s = _mm256_dpbusd_epi32(s, lo, alo);
        s = _mm256_dpbusd_epi32(s, hi, ahi);
#else
        const __m256i p16 = _mm256_add_epi16(_mm256_maddubs_epi16(lo, alo), _mm256_maddubs_epi16(hi, ahi));
        s = _mm256_add_epi32(s, _mm256_madd_epi16(p16, _mm256_set1_epi16(1)));
#endif
        const __m128 w = _mm_mul_ps(wsc, _mm_loadu_ps(pa[v].ds + 4 * p));
        if (with_min) accw[v][k] = _mm_add_ps(accw[v][k], w);
        const __m256 scale = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(w), pick);
        acc[v][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), scale, acc[v][k]);
    }
}

INLINE void FN(row_pairs)(int slot, int NV, const uint8_t *row, int64_t nb, const FN(pairact) *pa, float *out) {
    __m256 acc[CK_NV32][2];
    __m128 accw[CK_NV32][2];
    for (int v = 0; v < NV; v++) {
        acc[v][0] = acc[v][1] = _mm256_setzero_ps();
        accw[v][0] = accw[v][1] = _mm_setzero_ps();
    }
    const int64_t full = nb / 2;
    int64_t p = 0;
    for (; p + 2 <= full; p += 2) {
        FN(pair_step)(slot, NV, row, p, 1, pa, acc, accw, 0);
        FN(pair_step)(slot, NV, row, p + 1, 1, pa, acc, accw, 1);
    }
    if (p < full) FN(pair_step)(slot, NV, row, p++, 1, pa, acc, accw, 0);
    if (nb & 1) FN(pair_step)(slot, NV, row, p, 0, pa, acc, accw, 1);
    for (int v = 0; v < NV; v++) {
        const __m128 w = _mm_add_ps(accw[v][0], accw[v][1]);
        const float msum = _mm_cvtss_f32(_mm_movehdup_ps(w)) + _mm_cvtss_f32(_mm_movehdup_ps(_mm_movehl_ps(w, w)));
        out[v] = FN(hsum)(_mm256_add_ps(acc[v][0], acc[v][1])) + msum;
    }
}

INLINE void FN(rows_pairs_p0)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                              int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t nb = cols / CK_QK;
    const int with_min = slot == CK_S_Q4_1 || slot == CK_S_Q5_1;
    const int corr = slot == CK_S_Q4_0 ? 8 : slot == CK_S_Q5_0 ? 16 : 0;
    FN(pairact) pa[64];
    for (int v0 = 0; v0 < nv; v0 += 64) {
        const int nvp = nv - v0 < 64 ? nv - v0 : 64;
        if (!FN(repack_pairs)(act + (int64_t)v0 * as, as, nvp, nb, with_min, corr, pa)) {
            ck_rows_generic[0][slot](w, rb, cols, act + (int64_t)v0 * as, as, nvp, y + (int64_t)v0 * ldy, ldy, r0, r1);
            continue;
        }
        for (int64_t r = r0; r < r1; r++) {
            const uint8_t *row = w + r * rb;
            for (int vc = 0; vc < nvp; vc += CK_NV32) {
                const int n = nvp - vc < CK_NV32 ? nvp - vc : CK_NV32;
                float out[CK_NV32];
                switch (n) {
                case 1: FN(row_pairs)(slot, 1, row, nb, pa + vc, out); break;
                case 2: FN(row_pairs)(slot, 2, row, nb, pa + vc, out); break;
                case 3: FN(row_pairs)(slot, 3, row, nb, pa + vc, out); break;
                case 4: FN(row_pairs)(slot, 4, row, nb, pa + vc, out); break;
                default: FN(row_pairs)(slot, n, row, nb, pa + vc, out); break;
                }
                for (int v = 0; v < n; v++) y[(int64_t)(v0 + vc + v) * ldy + r] = out[v];
            }
        }
    }
}

#define PAIRS_ENTRY(NAME, SLOT)                                                                 \
    static void FN(NAME)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,       \
                         int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {  \
        FN(rows_pairs_p0)(SLOT, w, rb, cols, act, as, nv, y, ldy, r0, r1);                     \
    }
PAIRS_ENTRY(rows_q4_0_p0, CK_S_Q4_0)
PAIRS_ENTRY(rows_q4_1_p0, CK_S_Q4_1)
PAIRS_ENTRY(rows_q5_0_p0, CK_S_Q5_0)
PAIRS_ENTRY(rows_q5_1_p0, CK_S_Q5_1)

/* ---------------------------------------------------------------- precise = 0, K-quants */

/* 8 scales and 8 mins of a Q4_K/Q5_K super-block. */
INLINE void FN(k4_scales)(const uint8_t *p, uint8_t sc[8], uint8_t mn[8]) {
    uint32_t u[3];
    memcpy(u, p, 12);
    const uint32_t s0 = u[0] & 0x3f3f3f3fu;
    const uint32_t m0 = u[1] & 0x3f3f3f3fu;
    const uint32_t s1 = (u[2] & 0x0f0f0f0fu) | (((u[0] >> 6) & 0x03030303u) << 4);
    const uint32_t m1 = ((u[2] >> 4) & 0x0f0f0f0fu) | (((u[1] >> 6) & 0x03030303u) << 4);
    memcpy(sc, &s0, 4); memcpy(sc + 4, &s1, 4);
    memcpy(mn, &m0, 4); memcpy(mn + 4, &m1, 4);
}

INLINE void FN(row_k45)(int five, int NV, const uint8_t *row, int64_t nb, const uint8_t **av, float *out) {
    const int64_t wb = five ? CK_Q5_K_BYTES : CK_Q4_K_BYTES;
    __m256 acc[CK_NVK], accm[CK_NVK];
    for (int v = 0; v < NV; v++) { acc[v] = _mm256_setzero_ps(); accm[v] = _mm256_setzero_ps(); }
    const __m256i m4 = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = row + b * wb;
        const float d = FN(h2f)(blk), dmin = FN(h2f)(blk + 2);
        uint8_t sc[8], mn[8];
        FN(k4_scales)(blk + 4, sc, mn);
        /* mins doubled to line up with the 16 bsums */
        const __m128i mn8 = _mm_loadl_epi64((const __m128i *)mn);
        const __m256i mins16 = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(mn8, mn8));
        /* four partial sums per vector so the multiply-accumulates do not form one long chain */
        __m256i isum[CK_NVK][4];
        for (int v = 0; v < NV; v++) isum[v][0] = isum[v][1] = isum[v][2] = isum[v][3] = _mm256_setzero_si256();
        const uint8_t *q = blk + (five ? 48 : 16);
        const __m256i qh = five ? _mm256_loadu_si256((const __m256i *)(blk + 16)) : _mm256_setzero_si256();
        for (int g = 0; g < 4; g++) {
            const __m256i raw = _mm256_loadu_si256((const __m256i *)(q + 32 * g));
            __m256i lo = _mm256_and_si256(raw, m4), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
            if (five) {
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g), one), 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g + 1), one), 4));
            }
            const __m256i s_lo = _mm256_set1_epi16(sc[2 * g]), s_hi = _mm256_set1_epi16(sc[2 * g + 1]);
            for (int v = 0; v < NV; v++) {
                const int8_t *a = (const int8_t *)(av[v] + 4 + 64 * g);
                const __m256i alo = _mm256_loadu_si256((const __m256i *)a);
                const __m256i ahi = _mm256_loadu_si256((const __m256i *)(a + 32));
                isum[v][2 * (g & 1)] = FN(dot_ws)(isum[v][2 * (g & 1)], _mm256_maddubs_epi16(lo, alo), s_lo);
                isum[v][2 * (g & 1) + 1] = FN(dot_ws)(isum[v][2 * (g & 1) + 1], _mm256_maddubs_epi16(hi, ahi), s_hi);
            }
        }
        for (int v = 0; v < NV; v++) {
            const uint8_t *ab = av[v];
            const float da = ck_rdf32(ab);
            const __m256i bs = _mm256_loadu_si256((const __m256i *)(ab + 260));
            const __m256i tot = _mm256_add_epi32(_mm256_add_epi32(isum[v][0], isum[v][1]), _mm256_add_epi32(isum[v][2], isum[v][3]));
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(tot), _mm256_set1_ps(d * da), acc[v]);
            accm[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, mins16)), _mm256_set1_ps(dmin * da), accm[v]);
            av[v] += CK_Q8_K_BYTES;
        }
    }
    for (int v = 0; v < NV; v++) out[v] = FN(hsum)(acc[v]) - FN(hsum)(accm[v]);
}

INLINE void FN(row_q6k)(int NV, const uint8_t *row, int64_t nb, const uint8_t **av, float *out) {
    static const uint8_t shuf_pairs[8][16] = {
        {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3},
        {4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5}, {6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7},
        {8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9}, {10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11},
        {12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13}, {14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15},
    };
    __m256 acc[CK_NVK];
    for (int v = 0; v < NV; v++) acc[v] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = row + b * CK_Q6_K_BYTES;
        const float d = FN(h2f)(blk + 208);
        const __m128i sc8 = _mm_loadu_si128((const __m128i *)(blk + 192));
        __m256i isum[CK_NVK][4];
        for (int v = 0; v < NV; v++) isum[v][0] = isum[v][1] = isum[v][2] = isum[v][3] = _mm256_setzero_si256();
        for (int h = 0; h < 2; h++) {
            __m256i q[4];
            FN(q6_half)(blk + 64 * h, blk + 128 + 32 * h, q);
            for (int k = 0; k < 4; k++) {
                const __m256i s16 = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(sc8, _mm_loadu_si128((const __m128i *)shuf_pairs[4 * h + k])));
                for (int v = 0; v < NV; v++) {
                    const __m256i a = _mm256_loadu_si256((const __m256i *)(av[v] + 4 + 128 * h + 32 * k));
                    isum[v][k] = FN(dot_ws)(isum[v][k], _mm256_maddubs_epi16(q[k], a), s16);
                }
            }
        }
        const __m256i sc16 = _mm256_cvtepi8_epi16(sc8);
        for (int v = 0; v < NV; v++) {
            const uint8_t *ab = av[v];
            const __m256i bs = _mm256_loadu_si256((const __m256i *)(ab + 260));
            const __m256i fix = _mm256_slli_epi32(_mm256_madd_epi16(bs, sc16), 5); /* 32 * sum(sc * bsum) */
            const __m256i sum = _mm256_add_epi32(_mm256_add_epi32(isum[v][0], isum[v][1]), _mm256_add_epi32(isum[v][2], isum[v][3]));
            const __m256i tot = _mm256_sub_epi32(sum, fix);
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(tot), _mm256_set1_ps(d * ck_rdf32(ab)), acc[v]);
            av[v] += CK_Q8_K_BYTES;
        }
    }
    for (int v = 0; v < NV; v++) out[v] = FN(hsum)(acc[v]);
}

INLINE void FN(rows_k_p0)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                          int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int64_t nb = cols / CK_QKK;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * rb;
        for (int vc = 0; vc < nv; vc += CK_NVK) {
            const int n = nv - vc < CK_NVK ? nv - vc : CK_NVK;
            const uint8_t *av[CK_NVK];
            for (int v = 0; v < n; v++) av[v] = act + (int64_t)(vc + v) * as;
            float out[CK_NVK];
#define K_CASE(N)                                                                               \
    case N:                                                                                     \
        if (slot == CK_S_Q6_K) FN(row_q6k)(N, row, nb, av, out);                                \
        else FN(row_k45)(slot == CK_S_Q5_K, N, row, nb, av, out);                               \
        break;
            switch (n) {
                K_CASE(1)
#if CK_NVK > 2
                K_CASE(2)
                K_CASE(3)
#endif
            default:
                if (slot == CK_S_Q6_K) FN(row_q6k)(n, row, nb, av, out);
                else FN(row_k45)(slot == CK_S_Q5_K, n, row, nb, av, out);
                break;
            }
#undef K_CASE
            for (int v = 0; v < n; v++) y[(int64_t)(vc + v) * ldy + r] = out[v];
        }
    }
}

static void FN(rows_q4_k_p0)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                             int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    FN(rows_k_p0)(CK_S_Q4_K, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}
static void FN(rows_q5_k_p0)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                             int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    FN(rows_k_p0)(CK_S_Q5_K, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}
static void FN(rows_q6_k_p0)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                             int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    FN(rows_k_p0)(CK_S_Q6_K, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}

/* ---------------------------------------------------------------- f32 activations */

/* dot products of nv f32 vectors (at a[v] + c) with n dequantised weights in wf */
INLINE void FN(fma_chunk)(int NV, const float *wf, int64_t n, const float *const *a, int64_t c,
                          __m256 acc[][2], float *tail) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 w0 = _mm256_loadu_ps(wf + i), w1 = _mm256_loadu_ps(wf + i + 8);
        for (int v = 0; v < NV; v++) {
            acc[v][0] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(a[v] + c + i), acc[v][0]);
            acc[v][1] = _mm256_fmadd_ps(w1, _mm256_loadu_ps(a[v] + c + i + 8), acc[v][1]);
        }
    }
    for (; i + 8 <= n; i += 8) {
        const __m256 w0 = _mm256_loadu_ps(wf + i);
        for (int v = 0; v < NV; v++) acc[v][0] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(a[v] + c + i), acc[v][0]);
    }
    for (; i < n; i++)
        for (int v = 0; v < NV; v++) tail[v] += wf[i] * a[v][c + i];
}

/* As fma_chunk, for f16/bf16 weights widened in registers. */
INLINE __m256 FN(load_half8)(int slot, const uint8_t *p) {
    const __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (slot == CK_S_F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

INLINE void FN(fma_chunk_half)(int slot, int NV, const uint8_t *wh, int64_t n, const float *const *a, int64_t c,
                               __m256 acc[][2], float *tail) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 w0 = FN(load_half8)(slot, wh + 2 * i), w1 = FN(load_half8)(slot, wh + 2 * i + 16);
        for (int v = 0; v < NV; v++) {
            acc[v][0] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(a[v] + c + i), acc[v][0]);
            acc[v][1] = _mm256_fmadd_ps(w1, _mm256_loadu_ps(a[v] + c + i + 8), acc[v][1]);
        }
    }
    for (; i + 8 <= n; i += 8) {
        const __m256 w0 = FN(load_half8)(slot, wh + 2 * i);
        for (int v = 0; v < NV; v++) acc[v][0] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(a[v] + c + i), acc[v][0]);
    }
    for (; i < n; i++) {
        const float wf = slot == CK_S_F16 ? FN(h2f)(wh + 2 * i) : ck_bf2f(ck_rd16(wh + 2 * i));
        for (int v = 0; v < NV; v++) tail[v] += wf * a[v][c + i];
    }
}

/* Rows of any weight type against f32 activations (act_f32) or f16/bf16 ones converted first. */
INLINE void FN(rows_f)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const float *const *acts,
                       int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    enum { CHUNK = 256 };
    const int64_t be = slot >= CK_S_Q4_K ? 256 : slot >= CK_S_Q4_0 ? 32 : 1;
    const int64_t bb = slot == CK_S_F32 ? 4 : slot <= CK_S_BF16 ? 2 : rb / (cols / be);
    _Alignas(64) float wf[CHUNK];
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * rb;
        for (int vc = 0; vc < nv; vc += CK_NVF) {
            const int n = nv - vc < CK_NVF ? nv - vc : CK_NVF;
            const float *const *a = acts + vc;
            __m256 acc[CK_NVF][2];
            float tail[CK_NVF];
            for (int v = 0; v < n; v++) { acc[v][0] = acc[v][1] = _mm256_setzero_ps(); tail[v] = 0.f; }
            for (int64_t c = 0; c < cols; c += CHUNK) {
                const int64_t m = cols - c < CHUNK ? cols - c : CHUNK;
                const float *src;
                if (slot == CK_S_F32) {
                    src = (const float *)(const void *)(row + 4 * c);
                } else if (slot == CK_S_F16 || slot == CK_S_BF16) {
                    switch (n) {
                    case 1: FN(fma_chunk_half)(slot, 1, row + 2 * c, m, a, c, acc, tail); break;
                    case 2: FN(fma_chunk_half)(slot, 2, row + 2 * c, m, a, c, acc, tail); break;
                    default: FN(fma_chunk_half)(slot, n, row + 2 * c, m, a, c, acc, tail); break;
                    }
                    continue;
                } else {
                    FN(deq_any)(slot, row + (c / be) * bb, wf, be == 1 ? m : m / be);
                    src = wf;
                }
                switch (n) {
                case 1: FN(fma_chunk)(1, src, m, a, c, acc, tail); break;
                case 2: FN(fma_chunk)(2, src, m, a, c, acc, tail); break;
                case 3: FN(fma_chunk)(3, src, m, a, c, acc, tail); break;
                case 4: FN(fma_chunk)(4, src, m, a, c, acc, tail); break;
                default: FN(fma_chunk)(n, src, m, a, c, acc, tail); break;
                }
            }
            for (int v = 0; v < n; v++)
                y[(int64_t)(vc + v) * ldy + r] = FN(hsum)(_mm256_add_ps(acc[v][0], acc[v][1])) + tail[v];
        }
    }
}

/*
 * precise = 1 for the quantised types, dequantising in registers. Every q * d below is exact in
 * f32 (a few-bit integer times an f16 scale, or times d * sc which is itself exact), so
 * fma(q, d, m) rounds once, exactly like ck_dequantize's q * d + m; the weights are therefore the
 * same floats. Q6_K's (d * sc) * q may round, and is computed as that same multiply.
 */
INLINE __m256 FN(u8x8_f32)(const uint8_t *p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
}

/* The 32 weights of a 32-block, as four vectors of 8. */
INLINE void FN(weights32)(int slot, const uint8_t *blk, __m256 w[4]) {
    const float d = FN(h2f)(blk);
    const __m256 vd = _mm256_set1_ps(d);
    if (slot == CK_S_Q8_0) {
        for (int i = 0; i < 4; i++) {
            const __m256i q = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(blk + 2 + 8 * i)));
            w[i] = _mm256_mul_ps(_mm256_cvtepi32_ps(q), vd);
        }
        return;
    }
    const int qoff = slot == CK_S_Q4_0 ? 2 : slot == CK_S_Q4_1 ? 4 : slot == CK_S_Q5_0 ? 6 : 8;
    const __m256 vm = slot == CK_S_Q4_1 || slot == CK_S_Q5_1 ? _mm256_set1_ps(FN(h2f)(blk + 2))
                    : _mm256_set1_ps(slot == CK_S_Q4_0 ? -8.f * d : -16.f * d);
    const __m256i b0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(blk + qoff)));
    const __m256i b1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(blk + qoff + 8)));
    const __m256i m4 = _mm256_set1_epi32(15);
    __m256i q[4] = {_mm256_and_si256(b0, m4), _mm256_and_si256(b1, m4), _mm256_srli_epi32(b0, 4), _mm256_srli_epi32(b1, 4)};
    if (slot == CK_S_Q5_0 || slot == CK_S_Q5_1) {
        const __m256i qh = _mm256_set1_epi32((int)ck_rd32(blk + (slot == CK_S_Q5_0 ? 2 : 4)));
        const __m256i one = _mm256_set1_epi32(1);
        for (int i = 0; i < 4; i++) {
            const __m256i sh = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(8 * i));
            q[i] = _mm256_or_si256(q[i], _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(qh, sh), one), 4));
        }
    }
    for (int i = 0; i < 4; i++) w[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(q[i]), vd, vm);
}

INLINE void FN(row32_p1)(int slot, int NV, const uint8_t *row, int64_t wb, int64_t nb,
                         const float *const *a, float *out) {
    __m256 acc[CK_NVP1][4];
    for (int v = 0; v < NV; v++) acc[v][0] = acc[v][1] = acc[v][2] = acc[v][3] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        __m256 w[4];
        FN(weights32)(slot, row + b * wb, w);
        for (int v = 0; v < NV; v++)
            for (int i = 0; i < 4; i++) acc[v][i] = _mm256_fmadd_ps(w[i], _mm256_loadu_ps(a[v] + 32 * b + 8 * i), acc[v][i]);
    }
    for (int v = 0; v < NV; v++)
        out[v] = FN(hsum)(_mm256_add_ps(_mm256_add_ps(acc[v][0], acc[v][1]), _mm256_add_ps(acc[v][2], acc[v][3])));
}

/* One 32-element sub-block j (0..7) of a Q4_K/Q5_K block, or 32-element run j of a Q6_K block. */
INLINE void FN(weights_k)(int slot, const uint8_t *blk, int j, __m256 w[4]) {
    if (slot == CK_S_Q6_K) {
        const int h = j / 4, k = j % 4; /* half, run */
        const uint8_t *ql = blk + 64 * h + (k & 1 ? 32 : 0), *qh = blk + 128 + 32 * h;
        const float d = FN(h2f)(blk + 208);
        const int8_t *sc = (const int8_t *)(blk + 192);
        const __m256i m4 = _mm256_set1_epi32(15), m3 = _mm256_set1_epi32(3), off = _mm256_set1_epi32(32);
        for (int i = 0; i < 4; i++) {
            const __m256i l = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(ql + 8 * i)));
            const __m256i hb = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(qh + 8 * i)));
            const __m256i lo = k < 2 ? _mm256_and_si256(l, m4) : _mm256_srli_epi32(l, 4);
            const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(hb, 2 * k), m3);
            const __m256i q = _mm256_sub_epi32(_mm256_or_si256(lo, _mm256_slli_epi32(hi, 4)), off);
            const __m256 s = _mm256_set1_ps(d * (float)sc[8 * h + 2 * k + i / 2]);
            w[i] = _mm256_mul_ps(s, _mm256_cvtepi32_ps(q));
        }
        return;
    }
    const int five = slot == CK_S_Q5_K;
    uint8_t sc, mn;
    ck_scale_min_k4(j, blk + 4, &sc, &mn);
    const __m256 d1 = _mm256_set1_ps(FN(h2f)(blk) * (float)sc);
    const __m256 m1 = _mm256_set1_ps(-(FN(h2f)(blk + 2) * (float)mn));
    const uint8_t *q = blk + (five ? 48 : 16) + 32 * (j / 2);
    const __m256i m4 = _mm256_set1_epi32(15);
    for (int i = 0; i < 4; i++) {
        const __m256i b = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(q + 8 * i)));
        __m256i v = j & 1 ? _mm256_srli_epi32(b, 4) : _mm256_and_si256(b, m4);
        if (five) {
            const __m256i hb = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(blk + 16 + 8 * i)));
            v = _mm256_or_si256(v, _mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(hb, j), _mm256_set1_epi32(1)), 4));
        }
        w[i] = _mm256_fmadd_ps(d1, _mm256_cvtepi32_ps(v), m1);
    }
}

INLINE void FN(rowk_p1)(int slot, int NV, const uint8_t *row, int64_t wb, int64_t nb,
                        const float *const *a, float *out) {
    __m256 acc[CK_NVP1][4];
    for (int v = 0; v < NV; v++) acc[v][0] = acc[v][1] = acc[v][2] = acc[v][3] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        for (int j = 0; j < 8; j++) {
            __m256 w[4];
            FN(weights_k)(slot, row + b * wb, j, w);
            for (int v = 0; v < NV; v++)
                for (int i = 0; i < 4; i++)
                    acc[v][i] = _mm256_fmadd_ps(w[i], _mm256_loadu_ps(a[v] + 256 * b + 32 * j + 8 * i), acc[v][i]);
        }
    }
    for (int v = 0; v < NV; v++)
        out[v] = FN(hsum)(_mm256_add_ps(_mm256_add_ps(acc[v][0], acc[v][1]), _mm256_add_ps(acc[v][2], acc[v][3])));
}

INLINE void FN(rows_q_p1)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                          int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const int kq = slot >= CK_S_Q4_K;
    const int64_t nb = cols / (kq ? CK_QKK : CK_QK), wb = rb / nb;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * rb;
        for (int vc = 0; vc < nv; vc += CK_NVP1) {
            const int n = nv - vc < CK_NVP1 ? nv - vc : CK_NVP1;
            const float *a[CK_NVP1];
            for (int v = 0; v < n; v++) a[v] = (const float *)(const void *)(act + (int64_t)(vc + v) * as);
            float out[CK_NVP1];
            if (kq) {
                switch (n) {
                case 1: FN(rowk_p1)(slot, 1, row, wb, nb, a, out); break;
                default: FN(rowk_p1)(slot, n, row, wb, nb, a, out); break;
                }
            } else {
                switch (n) {
                case 1: FN(row32_p1)(slot, 1, row, wb, nb, a, out); break;
                case 2: FN(row32_p1)(slot, 2, row, wb, nb, a, out); break;
                default: FN(row32_p1)(slot, n, row, wb, nb, a, out); break;
                }
            }
            for (int v = 0; v < n; v++) y[(int64_t)(vc + v) * ldy + r] = out[v];
        }
    }
}

/* f32 activations in place (precise = 1, or F32 weights) */
INLINE void FN(rows_f32act)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                            int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const float *acts[64];
    for (int v0 = 0; v0 < nv; v0 += 64) {
        const int n = nv - v0 < 64 ? nv - v0 : 64;
        for (int v = 0; v < n; v++) acts[v] = (const float *)(const void *)(act + (int64_t)(v0 + v) * as);
        FN(rows_f)(slot, w, rb, cols, acts, n, y + (int64_t)v0 * ldy, ldy, r0, r1);
    }
}

/* F16 / BF16 activations (precise = 0): widened to f32 once (exactly), then as above. */
INLINE void FN(rows_half_act)(int slot, const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                              int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const float *acts[64];
    const size_t per = ((size_t)cols * 4 + 63) & ~(size_t)63;
    for (int v0 = 0; v0 < nv; v0 += 64) {
        const int n = nv - v0 < 64 ? nv - v0 : 64;
        float *buf = ck_scratch(per * (size_t)n);
        if (!buf) {
            ck_rows_generic[0][slot](w, rb, cols, act + (int64_t)v0 * as, as, n, y + (int64_t)v0 * ldy, ldy, r0, r1);
            continue;
        }
        for (int v = 0; v < n; v++) {
            float *f = (float *)(void *)((uint8_t *)buf + per * (size_t)v);
            if (slot == CK_S_BF16) FN(deq_bf16)(act + (int64_t)(v0 + v) * as, f, cols);
            else FN(deq_f16)(act + (int64_t)(v0 + v) * as, f, cols);
            acts[v] = f;
        }
        FN(rows_f)(slot, w, rb, cols, acts, n, y + (int64_t)v0 * ldy, ldy, r0, r1);
    }
}

#define ROWSF_ENTRY(NAME, SLOT, HOW)                                                            \
    static void FN(NAME)(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,       \
                         int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {  \
        FN(HOW)(SLOT, w, rb, cols, act, as, nv, y, ldy, r0, r1);                               \
    }
ROWSF_ENTRY(rows_f32, CK_S_F32, rows_f32act)
ROWSF_ENTRY(rows_f16_p0, CK_S_F16, rows_half_act)
ROWSF_ENTRY(rows_bf16_p0, CK_S_BF16, rows_half_act)
ROWSF_ENTRY(rows_f16_p1, CK_S_F16, rows_f32act)
ROWSF_ENTRY(rows_bf16_p1, CK_S_BF16, rows_f32act)
ROWSF_ENTRY(rows_q4_0_p1, CK_S_Q4_0, rows_q_p1)
ROWSF_ENTRY(rows_q4_1_p1, CK_S_Q4_1, rows_q_p1)
ROWSF_ENTRY(rows_q5_0_p1, CK_S_Q5_0, rows_q_p1)
ROWSF_ENTRY(rows_q5_1_p1, CK_S_Q5_1, rows_q_p1)
ROWSF_ENTRY(rows_q8_0_p1, CK_S_Q8_0, rows_q_p1)
ROWSF_ENTRY(rows_q4_k_p1, CK_S_Q4_K, rows_q_p1)
ROWSF_ENTRY(rows_q5_k_p1, CK_S_Q5_K, rows_q_p1)
ROWSF_ENTRY(rows_q6_k_p1, CK_S_Q6_K, rows_q_p1)

static const ck_rows_fn FN(rows_p0)[CK_S_COUNT] = {
    [CK_S_F32] = FN(rows_f32), [CK_S_F16] = FN(rows_f16_p0), [CK_S_BF16] = FN(rows_bf16_p0),
    [CK_S_Q4_0] = FN(rows_q4_0_p0), [CK_S_Q4_1] = FN(rows_q4_1_p0), [CK_S_Q5_0] = FN(rows_q5_0_p0),
    [CK_S_Q5_1] = FN(rows_q5_1_p0), [CK_S_Q8_0] = FN(rows_q8_0_p0), [CK_S_Q4_K] = FN(rows_q4_k_p0),
    [CK_S_Q5_K] = FN(rows_q5_k_p0), [CK_S_Q6_K] = FN(rows_q6_k_p0),
};

static const ck_rows_fn FN(rows_p1)[CK_S_COUNT] = {
    [CK_S_F32] = FN(rows_f32), [CK_S_F16] = FN(rows_f16_p1), [CK_S_BF16] = FN(rows_bf16_p1),
    [CK_S_Q4_0] = FN(rows_q4_0_p1), [CK_S_Q4_1] = FN(rows_q4_1_p1), [CK_S_Q5_0] = FN(rows_q5_0_p1),
    [CK_S_Q5_1] = FN(rows_q5_1_p1), [CK_S_Q8_0] = FN(rows_q8_0_p1), [CK_S_Q4_K] = FN(rows_q4_k_p1),
    [CK_S_Q5_K] = FN(rows_q5_k_p1), [CK_S_Q6_K] = FN(rows_q6_k_p1),
};
