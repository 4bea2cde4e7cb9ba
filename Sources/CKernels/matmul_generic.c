/* Portable matrix-times-vectors kernels: the reference every SIMD path is tested against, and
   the path used on CPUs without AVX2. Each weight block is unpacked once per row and used for all
   nv activation vectors.

   precise = 0 follows llama.cpp's generic vec_dot formulas: exact integer sums per block, then
   float scaling (Q4_1/Q5_1 add m * s with the activation's f16 block sum s; K-quants subtract
   dmin * d_act * sum(min * bsum)). precise = 1 dequantises each block exactly as ck_dequantize
   and accumulates in f32 over 8 lanes. */
#include "ck_internal.h"

#define VCHUNK 16 /* activation vectors handled per pass over a row */

/* ---- 32-element block types, precise = 0 ---- */

typedef struct {
    float d, m; /* m only for Q4_1/Q5_1 */
    int8_t q[CK_QK];
} unpacked32;

static void unpack32(int slot, const uint8_t *s, unpacked32 *u) {
    u->m = 0.f;
    switch (slot) {
    case CK_S_Q4_0:
        u->d = ck_h2f(ck_rd16(s));
        for (int j = 0; j < 16; j++) {
            u->q[j] = (int8_t)((s[2 + j] & 0xF) - 8);
            u->q[j + 16] = (int8_t)((s[2 + j] >> 4) - 8);
        }
        break;
    case CK_S_Q4_1:
        u->d = ck_h2f(ck_rd16(s));
        u->m = ck_h2f(ck_rd16(s + 2));
        for (int j = 0; j < 16; j++) {
            u->q[j] = (int8_t)(s[4 + j] & 0xF);
            u->q[j + 16] = (int8_t)(s[4 + j] >> 4);
        }
        break;
    case CK_S_Q5_0: {
        u->d = ck_h2f(ck_rd16(s));
        const uint32_t qh = ck_rd32(s + 2);
        for (int j = 0; j < 16; j++) {
            u->q[j] = (int8_t)(((s[6 + j] & 0xF) | (((qh >> j) & 1) << 4)) - 16);
            u->q[j + 16] = (int8_t)(((s[6 + j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - 16);
        }
        break;
    }
    case CK_S_Q5_1: {
        u->d = ck_h2f(ck_rd16(s));
        u->m = ck_h2f(ck_rd16(s + 2));
        const uint32_t qh = ck_rd32(s + 4);
        for (int j = 0; j < 16; j++) {
            u->q[j] = (int8_t)((s[8 + j] & 0xF) | (((qh >> j) & 1) << 4));
            u->q[j + 16] = (int8_t)((s[8 + j] >> 4) | (((qh >> (j + 16)) & 1) << 4));
        }
        break;
    }
    default: /* Q8_0 */
        u->d = ck_h2f(ck_rd16(s));
        memcpy(u->q, s + 2, CK_QK);
        break;
    }
}

static void rows_q32_p0(int slot, int64_t wblock, const uint8_t *w, int64_t row_bytes,
                        int64_t cols, const uint8_t *act, int64_t act_stride, int nv, float *y,
                        int64_t ldy, int64_t r0, int64_t r1) {
    const int with_min = slot == CK_S_Q4_1 || slot == CK_S_Q5_1;
    const int64_t ablock = with_min ? CK_Q8_1_BYTES : CK_Q8_0_BYTES;
    const int aq = with_min ? 4 : 2;
    const int64_t nb = cols / CK_QK;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * row_bytes;
        for (int v0 = 0; v0 < nv; v0 += VCHUNK) {
            const int nvc = nv - v0 < VCHUNK ? nv - v0 : VCHUNK;
            float acc[VCHUNK] = {0};
            for (int64_t b = 0; b < nb; b++) {
                unpacked32 u;
                unpack32(slot, row + b * wblock, &u);
                for (int v = 0; v < nvc; v++) {
                    const uint8_t *ab = act + (int64_t)(v0 + v) * act_stride + b * ablock;
                    const int8_t *a = (const int8_t *)(ab + aq);
                    int sumi = 0;
                    for (int j = 0; j < CK_QK; j++) sumi += u.q[j] * a[j];
                    const float da = ck_h2f(ck_rd16(ab));
                    if (with_min)
                        acc[v] += (u.d * da) * (float)sumi + u.m * ck_h2f(ck_rd16(ab + 2));
                    else
                        acc[v] += (float)sumi * (u.d * da);
                }
            }
            for (int v = 0; v < nvc; v++) y[(int64_t)(v0 + v) * ldy + r] = acc[v];
        }
    }
}

#define Q32_WRAPPER(NAME, SLOT, BYTES)                                                          \
    static void NAME(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,           \
                     int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {      \
        rows_q32_p0(SLOT, BYTES, w, rb, cols, act, as, nv, y, ldy, r0, r1);                    \
    }
Q32_WRAPPER(rows_q4_0_p0, CK_S_Q4_0, CK_Q4_0_BYTES)
Q32_WRAPPER(rows_q4_1_p0, CK_S_Q4_1, CK_Q4_1_BYTES)
Q32_WRAPPER(rows_q5_0_p0, CK_S_Q5_0, CK_Q5_0_BYTES)
Q32_WRAPPER(rows_q5_1_p0, CK_S_Q5_1, CK_Q5_1_BYTES)
Q32_WRAPPER(rows_q8_0_p0, CK_S_Q8_0, CK_Q8_0_BYTES)

/* ---- K-quants, precise = 0 (Q8_K activations) ---- */

typedef struct {
    float d, dmin;
    int nsub;       /* 8 sub-blocks of 32 (Q4_K, Q5_K) or 16 of 16 (Q6_K) */
    int scale[16];
    int min[8];     /* Q4_K, Q5_K */
    int8_t q[CK_QKK];
} unpacked_k;

static void unpack_k(int slot, const uint8_t *s, unpacked_k *u) {
    if (slot == CK_S_Q6_K) {
        u->d = ck_h2f(ck_rd16(s + 208));
        u->dmin = 0.f;
        u->nsub = 16;
        for (int j = 0; j < 16; j++) u->scale[j] = ((const int8_t *)(s + 192))[j];
        const uint8_t *ql = s, *qh = s + 128;
        int8_t *q = u->q;
        for (int h = 0; h < 2; h++, q += 128, ql += 64, qh += 32) {
            for (int l = 0; l < 32; l++) {
                q[l] = (int8_t)(((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
                q[l + 32] = (int8_t)(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
                q[l + 64] = (int8_t)(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
                q[l + 96] = (int8_t)(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
            }
        }
        return;
    }
    u->d = ck_h2f(ck_rd16(s));
    u->dmin = ck_h2f(ck_rd16(s + 2));
    u->nsub = 8;
    for (int j = 0; j < 8; j++) {
        uint8_t sc, mn;
        ck_scale_min_k4(j, s + 4, &sc, &mn);
        u->scale[j] = sc;
        u->min[j] = mn;
    }
    const int five = slot == CK_S_Q5_K;
    const uint8_t *qh = s + 16, *q = s + (five ? 48 : 16);
    for (int g = 0; g < 4; g++, q += 32) {
        for (int l = 0; l < 32; l++) {
            int lo = q[l] & 0xF, hi = q[l] >> 4;
            if (five) {
                lo += ((qh[l] >> (2 * g)) & 1) << 4;
                hi += ((qh[l] >> (2 * g + 1)) & 1) << 4;
            }
            u->q[64 * g + l] = (int8_t)lo;
            u->q[64 * g + 32 + l] = (int8_t)hi;
        }
    }
}

static void rows_k_p0(int slot, int64_t wblock, const uint8_t *w, int64_t row_bytes, int64_t cols,
                      const uint8_t *act, int64_t act_stride, int nv, float *y, int64_t ldy,
                      int64_t r0, int64_t r1) {
    const int64_t nb = cols / CK_QKK;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * row_bytes;
        for (int v0 = 0; v0 < nv; v0 += VCHUNK) {
            const int nvc = nv - v0 < VCHUNK ? nv - v0 : VCHUNK;
            float acc[VCHUNK] = {0};
            for (int64_t b = 0; b < nb; b++) {
                unpacked_k u;
                unpack_k(slot, row + b * wblock, &u);
                const int sub = CK_QKK / u.nsub;
                for (int v = 0; v < nvc; v++) {
                    const uint8_t *ab = act + (int64_t)(v0 + v) * act_stride + b * CK_Q8_K_BYTES;
                    const int8_t *a = (const int8_t *)(ab + 4);
                    const float da = ck_rdf32(ab);
                    int isum = 0;
                    for (int j = 0; j < u.nsub; j++) {
                        int s = 0;
                        for (int l = 0; l < sub; l++) s += u.q[j * sub + l] * a[j * sub + l];
                        isum += u.scale[j] * s;
                    }
                    acc[v] += (u.d * da) * (float)isum;
                    if (slot != CK_S_Q6_K) {
                        int msum = 0;
                        for (int j = 0; j < 16; j++) {
                            int16_t bs;
                            memcpy(&bs, ab + 260 + 2 * j, 2);
                            msum += bs * u.min[j / 2];
                        }
                        acc[v] -= (u.dmin * da) * (float)msum;
                    }
                }
            }
            for (int v = 0; v < nvc; v++) y[(int64_t)(v0 + v) * ldy + r] = acc[v];
        }
    }
}

#define K_WRAPPER(NAME, SLOT, BYTES)                                                            \
    static void NAME(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,           \
                     int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {      \
        rows_k_p0(SLOT, BYTES, w, rb, cols, act, as, nv, y, ldy, r0, r1);                      \
    }
K_WRAPPER(rows_q4_k_p0, CK_S_Q4_K, CK_Q4_K_BYTES)
K_WRAPPER(rows_q5_k_p0, CK_S_Q5_K, CK_Q5_K_BYTES)
K_WRAPPER(rows_q6_k_p0, CK_S_Q6_K, CK_Q6_K_BYTES)

/* ---- float weights with float-like activations (precise = 0 for F32/F16/BF16) ---- */

static void rows_float(int slot, int act_f32, const uint8_t *w, int64_t row_bytes, int64_t cols,
                       const uint8_t *act, int64_t act_stride, int nv, float *y, int64_t ldy,
                       int64_t r0, int64_t r1) {
    float wf[CK_QK];
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * row_bytes;
        for (int v0 = 0; v0 < nv; v0 += VCHUNK) {
            const int nvc = nv - v0 < VCHUNK ? nv - v0 : VCHUNK;
            float acc[VCHUNK][8];
            memset(acc, 0, sizeof acc);
            for (int64_t c = 0; c < cols; c += CK_QK) {
                const int n = cols - c < CK_QK ? (int)(cols - c) : CK_QK;
                ck_deq_generic[slot](row + c * (slot == CK_S_F32 ? 4 : 2), wf, n);
                for (int v = 0; v < nvc; v++) {
                    const uint8_t *a = act + (int64_t)(v0 + v) * act_stride;
                    for (int j = 0; j < n; j++) {
                        float x;
                        if (act_f32) x = ck_rdf32(a + 4 * (c + j));
                        else if (slot == CK_S_BF16) x = ck_bf2f(ck_rd16(a + 2 * (c + j)));
                        else x = ck_h2f(ck_rd16(a + 2 * (c + j)));
                        acc[v][j & 7] += wf[j] * x;
                    }
                }
            }
            for (int v = 0; v < nvc; v++) {
                float s = 0.f;
                for (int l = 0; l < 8; l++) s += acc[v][l];
                y[(int64_t)(v0 + v) * ldy + r] = s;
            }
        }
    }
}

static void rows_f32(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act, int64_t as,
                     int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    rows_float(CK_S_F32, 1, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}
static void rows_f16_p0(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                        int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    rows_float(CK_S_F16, 0, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}
static void rows_bf16_p0(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,
                         int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {
    rows_float(CK_S_BF16, 0, w, rb, cols, act, as, nv, y, ldy, r0, r1);
}

/* ---- precise = 1: exact dequantisation, f32 activations ---- */

static void rows_p1(int slot, const uint8_t *w, int64_t row_bytes, int64_t cols,
                    const uint8_t *act, int64_t act_stride, int nv, float *y, int64_t ldy,
                    int64_t r0, int64_t r1) {
    /* float types go in chunks of 32 elements (the last may be short), quantised ones by block */
    static const int64_t elems[CK_S_COUNT] = {32, 32, 32, 32, 32, 32, 32, 32, 256, 256, 256};
    static const int64_t bytes[CK_S_COUNT] = {128, 64, 64, CK_Q4_0_BYTES, CK_Q4_1_BYTES,
                                              CK_Q5_0_BYTES, CK_Q5_1_BYTES, CK_Q8_0_BYTES,
                                              CK_Q4_K_BYTES, CK_Q5_K_BYTES, CK_Q6_K_BYTES};
    const int is_float = slot <= CK_S_BF16;
    const int64_t be = elems[slot], wb = bytes[slot];
    float wf[CK_QKK];
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + r * row_bytes;
        for (int v0 = 0; v0 < nv; v0 += VCHUNK) {
            const int nvc = nv - v0 < VCHUNK ? nv - v0 : VCHUNK;
            float acc[VCHUNK][8];
            memset(acc, 0, sizeof acc);
            for (int64_t c = 0, b = 0; c < cols; c += be, b++) {
                const int64_t n = cols - c < be ? cols - c : be;
                ck_deq_generic[slot](row + b * wb, wf, is_float ? n : 1);
                for (int v = 0; v < nvc; v++) {
                    const uint8_t *a = act + (int64_t)(v0 + v) * act_stride + 4 * c;
                    for (int64_t j = 0; j < n; j++) acc[v][j & 7] += wf[j] * ck_rdf32(a + 4 * j);
                }
            }
            for (int v = 0; v < nvc; v++) {
                float s = 0.f;
                for (int l = 0; l < 8; l++) s += acc[v][l];
                y[(int64_t)(v0 + v) * ldy + r] = s;
            }
        }
    }
}

#define P1_WRAPPER(NAME, SLOT)                                                                  \
    static void NAME(const uint8_t *w, int64_t rb, int64_t cols, const uint8_t *act,           \
                     int64_t as, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1) {      \
        rows_p1(SLOT, w, rb, cols, act, as, nv, y, ldy, r0, r1);                               \
    }
P1_WRAPPER(rows_f16_p1, CK_S_F16)
P1_WRAPPER(rows_bf16_p1, CK_S_BF16)
P1_WRAPPER(rows_q4_0_p1, CK_S_Q4_0)
P1_WRAPPER(rows_q4_1_p1, CK_S_Q4_1)
P1_WRAPPER(rows_q5_0_p1, CK_S_Q5_0)
P1_WRAPPER(rows_q5_1_p1, CK_S_Q5_1)
P1_WRAPPER(rows_q8_0_p1, CK_S_Q8_0)
P1_WRAPPER(rows_q4_k_p1, CK_S_Q4_K)
P1_WRAPPER(rows_q5_k_p1, CK_S_Q5_K)
P1_WRAPPER(rows_q6_k_p1, CK_S_Q6_K)

const ck_rows_fn ck_rows_generic[2][CK_S_COUNT] = {
    {
        [CK_S_F32] = rows_f32, [CK_S_F16] = rows_f16_p0, [CK_S_BF16] = rows_bf16_p0,
        [CK_S_Q4_0] = rows_q4_0_p0, [CK_S_Q4_1] = rows_q4_1_p0, [CK_S_Q5_0] = rows_q5_0_p0,
        [CK_S_Q5_1] = rows_q5_1_p0, [CK_S_Q8_0] = rows_q8_0_p0, [CK_S_Q4_K] = rows_q4_k_p0,
        [CK_S_Q5_K] = rows_q5_k_p0, [CK_S_Q6_K] = rows_q6_k_p0,
    },
    {
        [CK_S_F32] = rows_f32, [CK_S_F16] = rows_f16_p1, [CK_S_BF16] = rows_bf16_p1,
        [CK_S_Q4_0] = rows_q4_0_p1, [CK_S_Q4_1] = rows_q4_1_p1, [CK_S_Q5_0] = rows_q5_0_p1,
        [CK_S_Q5_1] = rows_q5_1_p1, [CK_S_Q8_0] = rows_q8_0_p1, [CK_S_Q4_K] = rows_q4_k_p1,
        [CK_S_Q5_K] = rows_q5_k_p1, [CK_S_Q6_K] = rows_q6_k_p1,
    },
};

const ck_isa_table ck_table_generic = {
    .name = "generic",
    .rows = {ck_rows_generic[0], ck_rows_generic[1]},
    .deq = ck_deq_generic,
    .prep = ck_prep_generic,
};
