/* Activation preparation: the format each weight type multiplies against (llama.cpp's
   vec_dot_type) when precise = 0, plain f32 when precise = 1.

   Q8_0 and Q8_1 follow llama.cpp's x86 quantize_row_q8_0/q8_1 (the code that runs on this
   machine, not the *_ref one): d = amax / 127, q = round-half-even(x * (127 / amax)), and for
   Q8_1 s = f16(d * sum(q)). Q8_K follows quantize_row_q8_K_ref, which x86 uses as is. */
#include "ck_internal.h"
#include <math.h>

static int act_format(int wtype) {
    switch (wtype) {
    case CK_TYPE_Q4_0: case CK_TYPE_Q5_0: case CK_TYPE_Q8_0: return CK_A_Q8_0;
    case CK_TYPE_Q4_1: case CK_TYPE_Q5_1: return CK_A_Q8_1;
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K: return CK_A_Q8_K;
    case CK_TYPE_F16: return CK_A_F16;
    case CK_TYPE_BF16: return CK_A_BF16;
    case CK_TYPE_F32: return -1; /* stays f32 */
    default: return -2;
    }
}

int64_t ck_act_bytes(int wtype, int64_t n, int precise) {
    const int f = act_format(wtype);
    if (f == -2) return 0;
    if (precise || f == -1) return n * 4;
    switch (f) {
    case CK_A_Q8_0: return n / CK_QK * CK_Q8_0_BYTES;
    case CK_A_Q8_1: return n / CK_QK * CK_Q8_1_BYTES;
    case CK_A_Q8_K: return n / CK_QKK * CK_Q8_K_BYTES;
    default: return n * 2; /* F16, BF16 */
    }
}

void ck_act_prepare(int wtype, const float *x, void *dst, int64_t n, int precise) {
    const int f = act_format(wtype);
    if (f == -2) ck_fatal("ck_act_prepare", wtype);
    if (precise || f == -1) {
        memcpy(dst, x, (size_t)n * 4);
        return;
    }
    const ck_isa_table *t = ck_current_table();
    ck_prep_fn fn = t->prep && t->prep[f] ? t->prep[f] : ck_prep_generic[f];
    fn(x, dst, n);
}

/* One 32-block the x86 way; returns sum(q). */
static int q8_block_x86(const float *x, float *d_out, int8_t *q) {
    float amax = 0.f;
    for (int j = 0; j < CK_QK; j++) {
        const float a = fabsf(x[j]);
        amax = a > amax ? a : amax;
    }
    *d_out = amax / 127.f;
    const float id = amax != 0.0f ? 127.f / amax : 0.0f;
    int sum = 0;
    for (int j = 0; j < CK_QK; j++) {
        q[j] = (int8_t)ck_nearest_int(x[j] * id);
        sum += q[j];
    }
    return sum;
}

void ck_prep_q8_0_generic(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QK; b++, x += CK_QK, y += CK_Q8_0_BYTES) {
        float d;
        q8_block_x86(x, &d, (int8_t *)(y + 2));
        ck_wr16(y, ck_f2h(d));
    }
}

void ck_prep_q8_1_generic(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QK; b++, x += CK_QK, y += CK_Q8_1_BYTES) {
        float d;
        const int sum = q8_block_x86(x, &d, (int8_t *)(y + 4));
        ck_wr16(y, ck_f2h(d));
        ck_wr16(y + 2, ck_f2h(d * (float)sum));
    }
}

void ck_prep_q8_k_generic(const float *x, uint8_t *y, int64_t n) {
    for (int64_t b = 0; b < n / CK_QKK; b++, x += CK_QKK, y += CK_Q8_K_BYTES) {
        float max = 0, amax = 0;
        for (int j = 0; j < CK_QKK; ++j) {
            const float ax = fabsf(x[j]);
            if (ax > amax) { amax = ax; max = x[j]; }
        }
        int8_t *q = (int8_t *)(y + 4);
        if (amax == 0.f) {
            memset(y, 0, CK_Q8_K_BYTES);
            continue;
        }
        const float iscale = -127.f / max;
        for (int j = 0; j < CK_QKK; ++j) {
            const int v = ck_nearest_int(iscale * x[j]);
            q[j] = (int8_t)(v < 127 ? v : 127);
        }
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int i = 0; i < 16; ++i) sum += q[16 * j + i];
            const int16_t s16 = (int16_t)sum;
            memcpy(y + 260 + 2 * j, &s16, 2);
        }
        ck_wrf32(y, 1 / iscale);
    }
}

void ck_prep_f16_generic(const float *x, uint8_t *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) ck_wr16(y + 2 * i, ck_f2h(x[i]));
}

void ck_prep_bf16_generic(const float *x, uint8_t *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) ck_wr16(y + 2 * i, ck_f2bf(x[i]));
}

const ck_prep_fn ck_prep_generic[CK_A_COUNT] = {
    [CK_A_Q8_0] = ck_prep_q8_0_generic, [CK_A_Q8_1] = ck_prep_q8_1_generic,
    [CK_A_Q8_K] = ck_prep_q8_k_generic, [CK_A_F16] = ck_prep_f16_generic,
    [CK_A_BF16] = ck_prep_bf16_generic,
};
