#ifndef CK_LLAMACPP_H
#define CK_LLAMACPP_H
/*
 * llama.cpp-exact arithmetic for the decode path.
 *
 * Quantised activations make llama.cpp's results chaotic: one int8 code rounded differently in
 * layer 3 changes the logits of layer 30 as much as the whole error of 8-bit activations. To agree
 * with llama.cpp (CPU, x86 with AVX2 or AVX-512) to the last bit, these functions repeat its
 * operations in its order and with its roundings: activations quantised as ggml's x86
 * quantize_row_q8_0/q8_1 do, the 8-lane Q4_1·Q8_1 and Q8_0·Q8_0 dot products with their fused
 * multiply-adds and horizontal sum, RMSNorm summed in double, RoPE from a running float product
 * with glibc's sincosf, the f16 KV cache, ggml_vec_dot_f16's 4×16-lane reduction, softmax and SiLU
 * through ggml's AVX-512 exp approximation. scripts/llamacpp_emulation.py documents each step and
 * where it was found. Only Q4_1 and Q8_0 weights have exact kernels.
 */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when `wtype` (a GGML type id) has an exact kernel here. */
int ck_lc_supported(int wtype);
/* Bytes of one prepared activation vector of n elements for weights of `wtype`. */
int64_t ck_lc_act_bytes(int wtype, int64_t n);
/* Quantises x into Q8_1 blocks (for Q4_1 weights) or Q8_0 blocks (for Q8_0 weights). */
void ck_lc_act_prepare(int wtype, const float *x, void *dst, int64_t n);
/* y[v*ldy + r] = dot(W[r], act_v) for r in [r0, r1), v in [0, nv), exactly as ggml's vec_dot. */
void ck_lc_matmul_rows(int wtype, const void *w, int64_t cols, const void *act, int64_t act_stride,
                       int nv, float *y, int64_t ldy, int64_t r0, int64_t r1);

/* y = f32(f32(x * scale) * w), scale from the mean of squares summed in double, in order. */
void ck_lc_rmsnorm(const float *x, const float *w, float *y, int64_t n, float eps);
/* cos/sin of each rotated pair at `position`: theta starts at (float)position and is multiplied
   by powf(base, -2/dims) in float per pair; sincosf from libm. */
void ck_lc_rope_cache(float base, int dims, int64_t position, float *cosines, float *sines);
/* Adjacent-pair rotation of `heads` heads of `head_dim` values (the first `dims` rotated),
   with the fused multiply-adds GCC emits for ggml's loop. */
void ck_lc_rope_adjacent(float *x, int heads, int head_dim, int dims, const float *cosines, const float *sines);
/* ggml_vec_dot_f16 (AVX-512 build): x and y hold f16 bit patterns. */
float ck_lc_dot_f16(const uint16_t *x, const uint16_t *y, int64_t n);
/* out[r] = ck_lc_dot_f16(x + r * stride, y, n) for r in [0, count), bit for bit. */
void ck_lc_dot_f16_rows(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t n, int64_t count, float *out);
/* The same for `heads` vectors at once (the query heads that share a KV head):
   out[h * out_stride + r] = ck_lc_dot_f16(x + r * stride, y + h * y_stride, n), each row of x
   read once for all of them. */
void ck_lc_dot_f16_heads(const uint16_t *x, int64_t stride, const uint16_t *y, int64_t y_stride, int heads,
                         int64_t n, int64_t count, float *out, int64_t out_stride);
/* Softmax of n (a multiple of 16) attention scores in place: w = f32(kq * scale), cells at or
   after `visible` masked to -inf, ggml_v_expf, 16-lane chunk sums added in double. */
void ck_lc_softmax(float *kq, int64_t n, float scale, int64_t visible);
/* gate = f32(f32(g / f32(1 + v_expf(0 - g))) * up) */
void ck_lc_swiglu(float *gate, const float *up, int64_t n);
/* Rounds n floats to f16 (nearest even) into dst. */
void ck_lc_to_f16(const float *x, uint16_t *dst, int64_t n);
/* Converts n f16 values to f32. */
void ck_lc_from_f16(const uint16_t *x, float *dst, int64_t n);
/* Tests: 1 makes every function here take its portable path, 0 restores the vector paths. */
void ck_lc_force_generic(int on);

#ifdef __cplusplus
}
#endif
#endif
