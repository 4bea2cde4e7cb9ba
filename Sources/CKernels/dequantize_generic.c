/* Portable dequantisers, one per weight type, written from GGML's block formulas. Every other
   path must produce the same floats bit for bit (products are rounded the same way: no fused
   multiply-add, the same operand order). */
#include "ck_internal.h"

static void deq_f32(const uint8_t *s, float *d, int64_t n) { memcpy(d, s, (size_t)n * 4); }

static void deq_f16(const uint8_t *s, float *d, int64_t n) {
    for (int64_t i = 0; i < n; i++) d[i] = ck_h2f(ck_rd16(s + 2 * i));
}

static void deq_bf16(const uint8_t *s, float *d, int64_t n) {
    for (int64_t i = 0; i < n; i++) d[i] = ck_bf2f(ck_rd16(s + 2 * i));
}

static void deq_q4_0(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q4_0_BYTES, y += CK_QK) {
        const float d = ck_h2f(ck_rd16(s));
        const uint8_t *qs = s + 2;
        for (int j = 0; j < 16; j++) {
            y[j] = (float)((qs[j] & 0x0F) - 8) * d;
            y[j + 16] = (float)((qs[j] >> 4) - 8) * d;
        }
    }
}

static void deq_q4_1(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q4_1_BYTES, y += CK_QK) {
        const float d = ck_h2f(ck_rd16(s)), m = ck_h2f(ck_rd16(s + 2));
        const uint8_t *qs = s + 4;
        for (int j = 0; j < 16; j++) {
            y[j] = (float)(qs[j] & 0x0F) * d + m;
            y[j + 16] = (float)(qs[j] >> 4) * d + m;
        }
    }
}

static void deq_q5_0(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q5_0_BYTES, y += CK_QK) {
        const float d = ck_h2f(ck_rd16(s));
        const uint32_t qh = ck_rd32(s + 2);
        const uint8_t *qs = s + 6;
        for (int j = 0; j < 16; j++) {
            const int h0 = (int)((qh >> j) & 1u) << 4, h1 = (int)((qh >> (j + 16)) & 1u) << 4;
            y[j] = (float)(((qs[j] & 0x0F) | h0) - 16) * d;
            y[j + 16] = (float)(((qs[j] >> 4) | h1) - 16) * d;
        }
    }
}

static void deq_q5_1(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q5_1_BYTES, y += CK_QK) {
        const float d = ck_h2f(ck_rd16(s)), m = ck_h2f(ck_rd16(s + 2));
        const uint32_t qh = ck_rd32(s + 4);
        const uint8_t *qs = s + 8;
        for (int j = 0; j < 16; j++) {
            const int h0 = (int)((qh >> j) & 1u) << 4, h1 = (int)((qh >> (j + 16)) & 1u) << 4;
            y[j] = (float)((qs[j] & 0x0F) | h0) * d + m;
            y[j + 16] = (float)((qs[j] >> 4) | h1) * d + m;
        }
    }
}

static void deq_q8_0(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q8_0_BYTES, y += CK_QK) {
        const float d = ck_h2f(ck_rd16(s));
        const int8_t *qs = (const int8_t *)(s + 2);
        for (int j = 0; j < 32; j++) y[j] = (float)qs[j] * d;
    }
}

/* Q4_K: 4 groups of 64; within a group the low nibbles are sub-block 2g, the high ones 2g+1.
   value = (d * sc) * q - (dmin * m). */
static void deq_q4_k(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q4_K_BYTES) {
        const float d = ck_h2f(ck_rd16(s)), dmin = ck_h2f(ck_rd16(s + 2));
        const uint8_t *sc = s + 4, *q = s + 16;
        for (int g = 0; g < 4; g++, q += 32) {
            uint8_t s0, m0, s1, m1;
            ck_scale_min_k4(2 * g, sc, &s0, &m0);
            ck_scale_min_k4(2 * g + 1, sc, &s1, &m1);
            const float d0 = d * (float)s0, o0 = dmin * (float)m0;
            const float d1 = d * (float)s1, o1 = dmin * (float)m1;
            for (int l = 0; l < 32; l++) *y++ = d0 * (float)(q[l] & 0xF) - o0;
            for (int l = 0; l < 32; l++) *y++ = d1 * (float)(q[l] >> 4) - o1;
        }
    }
}

/* Q5_K: as Q4_K plus a fifth bit: bit 2g of qh[l] for the low nibble, bit 2g+1 for the high. */
static void deq_q5_k(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q5_K_BYTES) {
        const float d = ck_h2f(ck_rd16(s)), dmin = ck_h2f(ck_rd16(s + 2));
        const uint8_t *sc = s + 4, *qh = s + 16, *q = s + 48;
        for (int g = 0; g < 4; g++, q += 32) {
            uint8_t s0, m0, s1, m1;
            ck_scale_min_k4(2 * g, sc, &s0, &m0);
            ck_scale_min_k4(2 * g + 1, sc, &s1, &m1);
            const float d0 = d * (float)s0, o0 = dmin * (float)m0;
            const float d1 = d * (float)s1, o1 = dmin * (float)m1;
            for (int l = 0; l < 32; l++)
                *y++ = d0 * (float)((q[l] & 0xF) + (((qh[l] >> (2 * g)) & 1) << 4)) - o0;
            for (int l = 0; l < 32; l++)
                *y++ = d1 * (float)((q[l] >> 4) + (((qh[l] >> (2 * g + 1)) & 1) << 4)) - o1;
        }
    }
}

/* Q6_K: two halves of 128; in each, ql[0..63] hold the low nibbles of 4 runs of 32 and qh[0..31]
   their 2 high bits. value = (d * scale[16-run]) * (q - 32). */
static void deq_q6_k(const uint8_t *s, float *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, s += CK_Q6_K_BYTES) {
        const float d = ck_h2f(ck_rd16(s + 208));
        const uint8_t *ql = s, *qh = s + 128;
        const int8_t *sc = (const int8_t *)(s + 192);
        for (int h = 0; h < 2; h++, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; l++) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * (float)sc[is] * (float)q1;
                y[l + 32] = d * (float)sc[is + 2] * (float)q2;
                y[l + 64] = d * (float)sc[is + 4] * (float)q3;
                y[l + 96] = d * (float)sc[is + 6] * (float)q4;
            }
        }
    }
}

const ck_deq_fn ck_deq_generic[CK_S_COUNT] = {
    [CK_S_F32] = deq_f32, [CK_S_F16] = deq_f16, [CK_S_BF16] = deq_bf16,
    [CK_S_Q4_0] = deq_q4_0, [CK_S_Q4_1] = deq_q4_1, [CK_S_Q5_0] = deq_q5_0,
    [CK_S_Q5_1] = deq_q5_1, [CK_S_Q8_0] = deq_q8_0, [CK_S_Q4_K] = deq_q4_k,
    [CK_S_Q5_K] = deq_q5_k, [CK_S_Q6_K] = deq_q6_k,
};
