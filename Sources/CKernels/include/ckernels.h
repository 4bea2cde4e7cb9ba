#ifndef CKERNELS_H
#define CKERNELS_H
/*
 * CKernels: the hot loops of the engine, in C so that clang can use AVX2/AVX-512 through
 * per-function target attributes with runtime CPU dispatch (no unsafe build flags).
 *
 * Weight types are GGML's, with GGML's type ids and block layouts (the GGUF file format stores
 * them as they are). Matrices are row-major: a row of `cols` elements is cols/block_elems blocks.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* GGML type ids (as stored in GGUF tensor infos). */
enum {
    CK_TYPE_F32 = 0, CK_TYPE_F16 = 1, CK_TYPE_Q4_0 = 2, CK_TYPE_Q4_1 = 3,
    CK_TYPE_Q5_0 = 6, CK_TYPE_Q5_1 = 7, CK_TYPE_Q8_0 = 8, CK_TYPE_Q8_1 = 9,
    CK_TYPE_Q2_K = 10, CK_TYPE_Q3_K = 11, CK_TYPE_Q4_K = 12, CK_TYPE_Q5_K = 13,
    CK_TYPE_Q6_K = 14, CK_TYPE_Q8_K = 15, CK_TYPE_BF16 = 30,
};

/* 1 when the kernels can dequantise and multiply weights of this type:
   F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K. */
int ck_weight_type_supported(int type);
/* Elements per block and bytes per block of a supported type (0 for others). */
int64_t ck_block_elems(int type);
int64_t ck_block_bytes(int type);
/* Bytes of one row of `cols` elements (cols must be a multiple of the block size). */
int64_t ck_row_bytes(int type, int64_t cols);

/* Dequantise n elements (a multiple of the block size) from `src` into f32. */
void ck_dequantize(int type, const void *src, float *dst, int64_t n);

/* Quantise n floats (a multiple of the block size) into `type` blocks, the way ggml's reference
   quantisers do (used by conversion and by tests). Supported for every weight type above.
   Returns the bytes written. */
size_t ck_quantize(int type, const float *src, void *dst, int64_t n);

/*
 * Matrix times vectors, the decode path.
 *
 * Activations are first "prepared" for the weight type:
 *  - precise = 0: the way llama.cpp does it (its vec_dot_type): Q8_0 blocks for Q4_0/Q5_0/Q8_0,
 *    Q8_1 (with block sums) for Q4_1/Q5_1, Q8_K for the K-quants, F16 for F16, BF16 for BF16 and
 *    F32 for F32 weights. Integer dot products, fastest.
 *  - precise = 1: activations stay f32 and every weight is dequantised exactly before the
 *    multiply-add (f32 accumulation), nearer to exact arithmetic.
 */
int64_t ck_act_bytes(int wtype, int64_t n, int precise);
void ck_act_prepare(int wtype, const float *x, void *dst, int64_t n, int precise);

/*
 * For each activation vector v in [0, nv) and each weight row r in [r0, r1):
 *     y[v * ldy + r] = dot(W[r, :], act_v)
 * `w` points at row 0 of the matrix; `act` at the first prepared vector, the others following at
 * `act_stride` bytes. Several vectors at once reuse each weight row loaded from memory (beams,
 * short batches). Thread-safe for disjoint row ranges.
 */
void ck_matmul_rows(int wtype, const void *w, int64_t cols, const void *act, int64_t act_stride,
                    int nv, float *y, int64_t ldy, int64_t r0, int64_t r1, int precise);

/* Dequantise rows [r0, r1) of a matrix into dst (row-major f32, `cols` per row). */
void ck_dequantize_rows(int wtype, const void *w, int64_t cols, float *dst, int64_t r0, int64_t r1);

/* Name of the instruction set the dispatcher chose ("avx512", "avx2" or "generic"). */
const char *ck_isa(void);


/* Test and benchmark hooks. ck_force_isa makes the calling thread (only) use the named
   instruction set ("generic", "avx2", "avx512") instead of the dispatcher's choice, so parallel
   tests can compare paths; NULL or "" returns to the choice. Returns 1 on success, 0 (changing
   nothing) when the name is unknown or this CPU cannot run it. ck_isa then reports the forced
   name on that thread. The CK_ISA environment variable names a process-wide choice the same way.
   ck_isa_available says whether ck_force_isa would succeed. */
int ck_force_isa(const char *name);
int ck_isa_available(const char *name);

#ifdef __cplusplus
}
#endif
#endif
