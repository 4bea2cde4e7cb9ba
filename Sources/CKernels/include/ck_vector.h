#ifndef CK_VECTOR_H
#define CK_VECTOR_H
/* Small f32 vector operations of the forward pass (norms, activations, attention), vectorised by
   clang with reassociation allowed inside each function. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* sum_i a[i] * b[i] */
float ck_dot_f32(const float *a, const float *b, int64_t n);
/* y[i] += alpha * x[i] */
void ck_axpy_f32(float alpha, const float *x, float *y, int64_t n);
/* y = x * (1 / sqrt(mean(x^2) + eps)) * w   (the mean summed in double, as ggml does) */
void ck_rmsnorm_f32(const float *x, const float *w, float *y, int64_t n, float eps);
/* y = (x - mean) / sqrt(var + eps) * w + b   (w, b may be NULL) */
void ck_layernorm_f32(const float *x, const float *w, const float *b, float *y, int64_t n, float eps);
/* x = exp(x - max) / sum, in place; returns the sum before normalising (for log-sum-exp). */
double ck_softmax_f32(float *x, int64_t n);
/* gate[i] = silu(gate[i]) * up[i] */
void ck_silu_mul_f32(float *gate, const float *up, int64_t n);
/* x[i] = gelu(x[i]) with the exact erf form */
void ck_gelu_erf_f32(float *x, int64_t n);
/* x[i] += y[i] */
void ck_add_f32(float *x, const float *y, int64_t n);
/* x[i] *= s */
void ck_scale_f32(float *x, float s, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
