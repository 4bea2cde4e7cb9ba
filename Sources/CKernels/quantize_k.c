/* Reference quantisers for the K-quants (Q4_K, Q5_K, Q6_K), following GGML's
   quantize_row_q{4,5,6}_K_ref: per 32 (or 16) element sub-block an iterative search for the
   scale (and min) that minimises a weighted squared error, then 6-bit (or 8-bit) quantisation of
   those scales against one f16 super-block scale. Same float operations in the same order, no
   fused multiply-add, so the bytes match a GGML build that does not contract either: checked
   byte for byte against GGML's quantize_row_*_ref (compiled without FMA contraction) on a
   million values from four distributions, for every type here and in quantize.c. A GGML built
   with -march=native may fuse multiply-adds and then differ in rare last-bit ties. */
#include "ck_internal.h"
#include <math.h>

#define GROUP_MAX_EPS 1e-15f

static inline int imax(int a, int b) { return a > b ? a : b; }
static inline int imin(int a, int b) { return a < b ? a : b; }

/* Asymmetric search (GGML's make_qkx2_quants with use_mad = false): values in [0, nmax],
   returns the scale and stores -min in *the_min. */
static float search_scale_min(int n, int nmax, const float *x, const float *weights, uint8_t *L,
                              float *the_min, uint8_t *Laux, float rmin, float rdelta, int nstep) {
    float min = x[0], max = x[0];
    float sum_w = weights[0];
    float sum_x = sum_w * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        const float w = weights[i];
        sum_w += w;
        sum_x += w * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        *the_min = -min;
        return 0.f;
    }
    float iscale = nmax / (max - min);
    float scale = 1 / iscale;
    float best_error = 0;
    for (int i = 0; i < n; ++i) {
        const int l = ck_nearest_int(iscale * (x[i] - min));
        L[i] = (uint8_t)imax(0, imin(nmax, l));
        float diff = scale * L[i] + min - x[i];
        diff = diff * diff;
        best_error += weights[i] * diff;
    }
    if (nstep < 1) {
        *the_min = -min;
        return scale;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * is + nmax) / (max - min);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; ++i) {
            int l = ck_nearest_int(iscale * (x[i] - min));
            l = imax(0, imin(nmax, l));
            Laux[i] = (uint8_t)l;
            const float w = weights[i];
            sum_l += w * l;
            sum_l2 += w * l * l;
            sum_xl += w * l * x[i];
        }
        const float D = sum_w * sum_l2 - sum_l * sum_l;
        if (D > 0) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
            float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
            if (this_min > 0) {
                this_min = 0;
                this_scale = sum_xl / sum_l2;
            }
            float cur_error = 0;
            for (int i = 0; i < n; ++i) {
                float diff = this_scale * Laux[i] + this_min - x[i];
                diff = diff * diff;
                cur_error += weights[i] * diff;
            }
            if (cur_error < best_error) {
                for (int i = 0; i < n; ++i) L[i] = Laux[i];
                best_error = cur_error;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *the_min = -min;
    return scale;
}

/* Symmetric search (GGML's make_qx_quants with rmse_type 1 and no importance weights): values
   in [-nmax, nmax-1] stored offset by nmax, weights x^2, 19 trial scales around nmax/max. */
static float search_scale_sym(int n, int nmax, const float *x, int8_t *L) {
    float max = 0, amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = fabsf(x[i]);
        if (ax > amax) { amax = ax; max = x[i]; }
    }
    if (amax < GROUP_MAX_EPS) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        return 0.f;
    }
    float iscale = -nmax / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        int l = ck_nearest_int(iscale * x[i]);
        l = imax(-nmax, imin(nmax - 1, l));
        L[i] = (int8_t)(l + nmax);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * l;
        suml2 += w * l * l;
    }
    float scale = suml2 != 0.f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        iscale = -(nmax + 0.1f * is) / max;
        sumlx = suml2 = 0;
        for (int i = 0; i < n; ++i) {
            int l = ck_nearest_int(iscale * x[i]);
            l = imax(-nmax, imin(nmax - 1, l));
            const float w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            for (int i = 0; i < n; ++i) {
                const int l = ck_nearest_int(iscale * x[i]);
                L[i] = (int8_t)(nmax + imax(-nmax, imin(nmax - 1, l)));
            }
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

/* Shared by Q4_K and Q5_K: sub-block scales/mins -> 12 packed bytes + f16 d, dmin, then the
   final quants L (0..nmax) against the rounded scales. */
static void quant_k_scales_and_levels(const float *x, uint8_t *blk, int nmax, float rmin,
                                      int nstep, uint8_t *L) {
    float mins[8], scales[8], weights[32];
    uint8_t Laux[32];
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < 8; ++j) {
        float sum_x2 = 0;
        for (int l = 0; l < 32; ++l) sum_x2 += x[32 * j + l] * x[32 * j + l];
        const float av_x = sqrtf(sum_x2 / 32);
        for (int l = 0; l < 32; ++l) weights[l] = av_x + fabsf(x[32 * j + l]);
        scales[j] = search_scale_min(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux,
                                     rmin, 0.1f, nstep);
        if (scales[j] > max_scale) max_scale = scales[j];
        if (mins[j] > max_min) max_min = mins[j];
    }
    const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
    const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
    uint8_t *sc = blk + 4;
    memset(sc, 0, 12);
    for (int j = 0; j < 8; ++j) {
        uint8_t ls = (uint8_t)ck_nearest_int(inv_scale * scales[j]);
        uint8_t lm = (uint8_t)ck_nearest_int(inv_min * mins[j]);
        ls = ls < 63 ? ls : 63;
        lm = lm < 63 ? lm : 63;
        if (j < 4) {
            sc[j] = ls;
            sc[j + 4] = lm;
        } else {
            sc[j + 4] = (uint8_t)((ls & 0xF) | ((lm & 0xF) << 4));
            sc[j - 4] |= (uint8_t)((ls >> 4) << 6);
            sc[j] |= (uint8_t)((lm >> 4) << 6);
        }
    }
    ck_wr16(blk, ck_f2h(max_scale / 63.f));
    ck_wr16(blk + 2, ck_f2h(max_min / 63.f));
    const float dd = ck_h2f(ck_rd16(blk)), dmin = ck_h2f(ck_rd16(blk + 2));
    for (int j = 0; j < 8; ++j) {
        uint8_t s, m;
        ck_scale_min_k4(j, sc, &s, &m);
        const float d = dd * s;
        if (d == 0.f) continue;
        const float dm = dmin * m;
        for (int ii = 0; ii < 32; ++ii) {
            const int l = ck_nearest_int((x[32 * j + ii] + dm) / d);
            L[32 * j + ii] = (uint8_t)imax(0, imin(nmax, l));
        }
    }
}

static void quant_q4_k(const float *x, uint8_t *y, int64_t nb) {
    uint8_t L[CK_QKK];
    for (int64_t b = 0; b < nb; b++, x += CK_QKK, y += CK_Q4_K_BYTES) {
        quant_k_scales_and_levels(x, y, 15, -1.f, 20, L);
        uint8_t *q = y + 16;
        for (int j = 0; j < CK_QKK; j += 64, q += 32)
            for (int l = 0; l < 32; ++l) q[l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 4));
    }
}

static void quant_q5_k(const float *x, uint8_t *y, int64_t nb) {
    uint8_t L[CK_QKK];
    for (int64_t b = 0; b < nb; b++, x += CK_QKK, y += CK_Q5_K_BYTES) {
        quant_k_scales_and_levels(x, y, 31, -0.5f, 15, L);
        uint8_t *qh = y + 16, *ql = y + 48;
        memset(qh, 0, 32);
        uint8_t m1 = 1, m2 = 2;
        for (int n = 0; n < CK_QKK; n += 64, ql += 32) {
            for (int j = 0; j < 32; ++j) {
                int l1 = L[n + j], l2 = L[n + j + 32];
                if (l1 > 15) { l1 -= 16; qh[j] |= m1; }
                if (l2 > 15) { l2 -= 16; qh[j] |= m2; }
                ql[j] = (uint8_t)(l1 | (l2 << 4));
            }
            m1 = (uint8_t)(m1 << 2);
            m2 = (uint8_t)(m2 << 2);
        }
    }
}

static void quant_q6_k(const float *x, uint8_t *y, int64_t nb) {
    int8_t L[CK_QKK];
    float scales[16];
    for (int64_t b = 0; b < nb; b++, x += CK_QKK, y += CK_Q6_K_BYTES) {
        float max_scale = 0, max_abs_scale = 0;
        for (int ib = 0; ib < 16; ++ib) {
            const float scale = search_scale_sym(16, 32, x + 16 * ib, L + 16 * ib);
            scales[ib] = scale;
            if (fabsf(scale) > max_abs_scale) {
                max_abs_scale = fabsf(scale);
                max_scale = scale;
            }
        }
        if (max_abs_scale < GROUP_MAX_EPS) {
            memset(y, 0, CK_Q6_K_BYTES);
            continue;
        }
        const float iscale = -128.f / max_scale;
        ck_wr16(y + 208, ck_f2h(1 / iscale));
        int8_t *sc = (int8_t *)(y + 192);
        for (int ib = 0; ib < 16; ++ib) sc[ib] = (int8_t)imin(127, ck_nearest_int(iscale * scales[ib]));
        const float dd = ck_h2f(ck_rd16(y + 208));
        for (int j = 0; j < 16; ++j) {
            const float d = dd * sc[j];
            if (d == 0.f) continue;
            for (int ii = 0; ii < 16; ++ii) {
                const int l = ck_nearest_int(x[16 * j + ii] / d);
                L[16 * j + ii] = (int8_t)(imax(-32, imin(31, l)) + 32);
            }
        }
        uint8_t *ql = y, *qh = y + 128;
        for (int j = 0; j < CK_QKK; j += 128, ql += 64, qh += 32) {
            for (int l = 0; l < 32; ++l) {
                const uint8_t q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF;
                const uint8_t q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
                ql[l] = (uint8_t)(q1 | (q3 << 4));
                ql[l + 32] = (uint8_t)(q2 | (q4 << 4));
                qh[l] = (uint8_t)((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) |
                                  ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
            }
        }
    }
}

size_t ck_quantize_k(int type, const float *src, uint8_t *dst, int64_t n);
size_t ck_quantize_k(int type, const float *src, uint8_t *dst, int64_t n) {
    const int64_t nb = n / CK_QKK;
    switch (type) {
    case CK_TYPE_Q4_K: quant_q4_k(src, dst, nb); return (size_t)(nb * CK_Q4_K_BYTES);
    case CK_TYPE_Q5_K: quant_q5_k(src, dst, nb); return (size_t)(nb * CK_Q5_K_BYTES);
    case CK_TYPE_Q6_K: quant_q6_k(src, dst, nb); return (size_t)(nb * CK_Q6_K_BYTES);
    default: return 0;
    }
}
