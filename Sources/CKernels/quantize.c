/* Reference quantisers for the plain and 32-element block types, following GGML's
   quantize_row_*_ref arithmetic step for step so that the bytes come out the same. */
#include "ck_internal.h"
#include <float.h>
#include <math.h>

size_t ck_quantize_k(int type, const float *src, uint8_t *dst, int64_t n); /* quantize_k.c */

/* (int8_t)(v) as GGML writes it for in-range v; NaN (undefined in C) gives 0 as x86 does. */
static inline int trunc_i8(float v) {
    if (!(v > -129.f && v < 128.f)) return 0;
    return (int)v;
}

static void quant_q4_0(const float *x, uint8_t *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, x += CK_QK, y += CK_Q4_0_BYTES) {
        float amax = 0.f, max = 0.f;
        for (int j = 0; j < CK_QK; j++) {
            if (amax < fabsf(x[j])) { amax = fabsf(x[j]); max = x[j]; }
        }
        const float d = max / -8;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        ck_wr16(y, ck_f2h(d));
        for (int j = 0; j < 16; j++) {
            int q0 = trunc_i8(x[j] * id + 8.5f), q1 = trunc_i8(x[j + 16] * id + 8.5f);
            q0 = q0 < 15 ? q0 : 15;
            q1 = q1 < 15 ? q1 : 15;
            y[2 + j] = (uint8_t)(q0 | (q1 << 4));
        }
    }
}

static void quant_q4_1(const float *x, uint8_t *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, x += CK_QK, y += CK_Q4_1_BYTES) {
        float min = FLT_MAX, max = -FLT_MAX;
        for (int j = 0; j < CK_QK; j++) {
            if (x[j] < min) min = x[j];
            if (x[j] > max) max = x[j];
        }
        const float d = (max - min) / 15;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        ck_wr16(y, ck_f2h(d));
        ck_wr16(y + 2, ck_f2h(min));
        for (int j = 0; j < 16; j++) {
            int q0 = trunc_i8((x[j] - min) * id + 0.5f), q1 = trunc_i8((x[j + 16] - min) * id + 0.5f);
            q0 = q0 < 15 ? q0 : 15;
            q1 = q1 < 15 ? q1 : 15;
            y[4 + j] = (uint8_t)(q0 | (q1 << 4));
        }
    }
}

static void quant_q5_0(const float *x, uint8_t *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, x += CK_QK, y += CK_Q5_0_BYTES) {
        float amax = 0.f, max = 0.f;
        for (int j = 0; j < CK_QK; j++) {
            if (amax < fabsf(x[j])) { amax = fabsf(x[j]); max = x[j]; }
        }
        const float d = max / -16;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        ck_wr16(y, ck_f2h(d));
        uint32_t qh = 0;
        for (int j = 0; j < 16; j++) {
            int q0 = trunc_i8(x[j] * id + 16.5f), q1 = trunc_i8(x[j + 16] * id + 16.5f);
            q0 = q0 < 31 ? q0 : 31;
            q1 = q1 < 31 ? q1 : 31;
            y[6 + j] = (uint8_t)((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= (uint32_t)((q0 >> 4) & 1) << j;
            qh |= (uint32_t)((q1 >> 4) & 1) << (j + 16);
        }
        ck_wr32(y + 2, qh);
    }
}

static void quant_q5_1(const float *x, uint8_t *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, x += CK_QK, y += CK_Q5_1_BYTES) {
        float min = FLT_MAX, max = -FLT_MAX;
        for (int j = 0; j < CK_QK; j++) {
            if (x[j] < min) min = x[j];
            if (x[j] > max) max = x[j];
        }
        const float d = (max - min) / 31;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        ck_wr16(y, ck_f2h(d));
        ck_wr16(y + 2, ck_f2h(min));
        uint32_t qh = 0;
        for (int j = 0; j < 16; j++) {
            /* GGML casts straight to uint8_t here (values are 0 ... 31.5). */
            const int q0 = (uint8_t)trunc_i8((x[j] - min) * id + 0.5f);
            const int q1 = (uint8_t)trunc_i8((x[j + 16] - min) * id + 0.5f);
            y[8 + j] = (uint8_t)((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= (uint32_t)((q0 >> 4) & 1) << j;
            qh |= (uint32_t)((q1 >> 4) & 1) << (j + 16);
        }
        ck_wr32(y + 4, qh);
    }
}

static void quant_q8_0(const float *x, uint8_t *y, int64_t nb) {
    for (int64_t b = 0; b < nb; b++, x += CK_QK, y += CK_Q8_0_BYTES) {
        float amax = 0.f;
        for (int j = 0; j < CK_QK; j++) amax = amax > fabsf(x[j]) ? amax : fabsf(x[j]);
        const float d = amax / 127;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        ck_wr16(y, ck_f2h(d));
        for (int j = 0; j < CK_QK; j++) {
            const float v = roundf(x[j] * id);
            y[2 + j] = (uint8_t)(int8_t)(v == v ? v : 0.f);
        }
    }
}

size_t ck_quantize(int type, const float *src, void *dst, int64_t n) {
    const int64_t be = ck_block_elems(type);
    if (be == 0 || n < 0 || n % be != 0) return 0;
    uint8_t *y = dst;
    const int64_t nb = n / be;
    switch (type) {
    case CK_TYPE_F32: memcpy(y, src, (size_t)n * 4); break;
    case CK_TYPE_F16: for (int64_t i = 0; i < n; i++) ck_wr16(y + 2 * i, ck_f2h(src[i])); break;
    case CK_TYPE_BF16: for (int64_t i = 0; i < n; i++) ck_wr16(y + 2 * i, ck_f2bf(src[i])); break;
    case CK_TYPE_Q4_0: quant_q4_0(src, y, nb); break;
    case CK_TYPE_Q4_1: quant_q4_1(src, y, nb); break;
    case CK_TYPE_Q5_0: quant_q5_0(src, y, nb); break;
    case CK_TYPE_Q5_1: quant_q5_1(src, y, nb); break;
    case CK_TYPE_Q8_0: quant_q8_0(src, y, nb); break;
    default: return ck_quantize_k(type, src, y, n);
    }
    return (size_t)(nb * ck_block_bytes(type));
}
