/* Vector operations of the forward pass. Plain C loops: `fp reassociate` lets clang vectorise the
   reductions without -ffast-math, and the per-function target attribute gives it AVX2/FMA where
   the CPU has them (chosen once at first use). */
#include "ck_vector.h"
#include <math.h>
#include <stddef.h>

#define CK_AVX2 __attribute__((target("avx2,fma")))

static int ck_vec_have_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

#define CK_DEFINE_BOTH(ret, name, params, args, body) \
    static ret name##_generic params body \
    CK_AVX2 static ret name##_avx2 params body \
    ret name params { return ck_vec_have_avx2() ? name##_avx2 args : name##_generic args; }

CK_DEFINE_BOTH(float, ck_dot_f32, (const float *a, const float *b, int64_t n), (a, b, n), {
    _Pragma("clang fp reassociate(on)")
    float s = 0.0f;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
})

CK_DEFINE_BOTH(void, ck_axpy_f32, (float alpha, const float *x, float *y, int64_t n), (alpha, x, y, n), {
    for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
})

CK_DEFINE_BOTH(void, ck_rmsnorm_f32, (const float *x, const float *w, float *y, int64_t n, float eps), (x, w, y, n, eps), {
    _Pragma("clang fp reassociate(on)")
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) sum += (double)(x[i] * x[i]);
    const float scale = 1.0f / sqrtf((float)(sum / (double)n) + eps);
    if (w) { for (int64_t i = 0; i < n; i++) y[i] = x[i] * scale * w[i]; }
    else { for (int64_t i = 0; i < n; i++) y[i] = x[i] * scale; }
})

CK_DEFINE_BOTH(void, ck_layernorm_f32, (const float *x, const float *w, const float *b, float *y, int64_t n, float eps), (x, w, b, y, n, eps), {
    _Pragma("clang fp reassociate(on)")
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) sum += (double)x[i];
    const float mean = (float)(sum / (double)n);
    double var = 0.0;
    for (int64_t i = 0; i < n; i++) { const float d = x[i] - mean; var += (double)(d * d); }
    const float scale = 1.0f / sqrtf((float)(var / (double)n) + eps);
    for (int64_t i = 0; i < n; i++) {
        float v = (x[i] - mean) * scale;
        if (w) v *= w[i];
        if (b) v += b[i];
        y[i] = v;
    }
})

CK_DEFINE_BOTH(double, ck_softmax_f32, (float *x, int64_t n), (x, n), {
    float max = -INFINITY;
    for (int64_t i = 0; i < n; i++) max = x[i] > max ? x[i] : max;
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) { const float e = expf(x[i] - max); x[i] = e; sum += (double)e; }
    const float inv = (float)(1.0 / sum);
    for (int64_t i = 0; i < n; i++) x[i] *= inv;
    return sum;
})

CK_DEFINE_BOTH(void, ck_silu_mul_f32, (float *gate, const float *up, int64_t n), (gate, up, n), {
    for (int64_t i = 0; i < n; i++) {
        const float g = gate[i];
        gate[i] = g / (1.0f + expf(-g)) * up[i];
    }
})

CK_DEFINE_BOTH(void, ck_gelu_erf_f32, (float *x, int64_t n), (x, n), {
    for (int64_t i = 0; i < n; i++) {
        const float v = x[i];
        x[i] = 0.5f * v * (1.0f + erff(v * 0.70710678118654752440f));
    }
})

CK_DEFINE_BOTH(void, ck_add_f32, (float *x, const float *y, int64_t n), (x, y, n), {
    for (int64_t i = 0; i < n; i++) x[i] += y[i];
})

CK_DEFINE_BOTH(void, ck_scale_f32, (float *x, float s, int64_t n), (x, s, n), {
    for (int64_t i = 0; i < n; i++) x[i] *= s;
})
