#ifndef CK_INTERNAL_H
#define CK_INTERNAL_H
/*
 * Shared, private pieces of CKernels: GGML block layouts (as byte offsets, read through memcpy so
 * that no alignment is assumed), half/bfloat conversions, and the kernel tables each instruction
 * set fills in.
 */
#include "ckernels.h"
#include <stdint.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

/* ---- Block layouts (byte offsets inside one block; all little endian, as GGML stores them) ---- */
#define CK_QK 32   /* elements of a 32-block (Q4_0 .. Q8_1) */
#define CK_QKK 256 /* elements of a K super-block */

/* Q4_0: f16 d | u8 qs[16]           value j (<16) = (qs[j] & 15) - 8, j+16 = (qs[j] >> 4) - 8   */
#define CK_Q4_0_BYTES 18
/* Q4_1: f16 d | f16 m | u8 qs[16]   value = q * d + m                                            */
#define CK_Q4_1_BYTES 20
/* Q5_0: f16 d | u8 qh[4] | u8 qs[16]  5th bit of value j is bit j of qh (little-endian u32)      */
#define CK_Q5_0_BYTES 22
/* Q5_1: f16 d | f16 m | u8 qh[4] | u8 qs[16]                                                     */
#define CK_Q5_1_BYTES 24
/* Q8_0: f16 d | i8 qs[32]                                                                        */
#define CK_Q8_0_BYTES 34
/* Q8_1: f16 d | f16 s (= d * sum(qs)) | i8 qs[32]                                                */
#define CK_Q8_1_BYTES 36
/* Q4_K: f16 d | f16 dmin | u8 scales[12] (6-bit scales and mins) | u8 qs[128]                    */
#define CK_Q4_K_BYTES 144
/* Q5_K: f16 d | f16 dmin | u8 scales[12] | u8 qh[32] | u8 qs[128]                                */
#define CK_Q5_K_BYTES 176
/* Q6_K: u8 ql[128] | u8 qh[64] | i8 scales[16] | f16 d                                           */
#define CK_Q6_K_BYTES 210
/* Q8_K: f32 d | i8 qs[256] | i16 bsums[16] (sums of 16 consecutive qs)                           */
#define CK_Q8_K_BYTES 292

static inline uint16_t ck_rd16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ck_rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline float ck_rdf32(const void *p) { float v; memcpy(&v, p, 4); return v; }
static inline void ck_wr16(void *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void ck_wr32(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void ck_wrf32(void *p, float v) { memcpy(p, &v, 4); }

static inline float ck_bits_f32(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t ck_f32_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* IEEE half -> float, exact (portable; the SIMD paths use F16C, which agrees bit for bit). */
static inline float ck_h2f(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    if (exp == 0) {
        float mag = (float)man * 0x1p-24f; /* zero or subnormal, exact */
        return ck_bits_f32(ck_f32_bits(mag) | sign);
    }
    if (exp == 31) return ck_bits_f32(sign | 0x7f800000u | (man ? 0x400000u : 0u) | (man << 13)); /* NaN made quiet, as F16C does */
    return ck_bits_f32(sign | ((exp + 112u) << 23) | (man << 13));
}

/* float -> IEEE half, round to nearest even (what F16C's vcvtps2ph does in nearest mode). */
static inline uint16_t ck_f2h(float f) {
    uint32_t x = ck_f32_bits(f);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return (uint16_t)(sign | 0x7e00u | ((ax >> 13) & 0x3ffu)); /* NaN */
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);                      /* inf   */
    if (ax >= 0x38800000u) {                                                          /* normal */
        uint32_t r = ax - (112u << 23);
        return (uint16_t)(sign | ((r + 0xfffu + ((r >> 13) & 1u)) >> 13));
    }
    uint32_t e = ax >> 23;
    if (e < 102) return sign; /* below half the smallest subnormal */
    uint32_t m = (ax & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - e; /* 14 ... 24 */
    uint32_t q = m >> shift, rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (q & 1u))) q++;
    return (uint16_t)(sign | q);
}

static inline float ck_bf2f(uint16_t h) { return ck_bits_f32((uint32_t)h << 16); }

/* float -> bfloat16 as GGML does it: round to nearest even, NaN kept quiet. */
static inline uint16_t ck_f2bf(float f) {
    uint32_t u = ck_f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 64u);
    return (uint16_t)((u + (0x7fffu + ((u >> 16) & 1u))) >> 16);
}

/* Round to nearest, ties to even, for |v| < 2^22 (GGML's nearest_int trick). */
static inline int ck_nearest_int(float v) {
    float t = v + 12582912.f;
    int32_t i;
    memcpy(&i, &t, 4);
    return (i & 0x007fffff) - 0x00400000;
}

/* Q4_K / Q5_K: 6-bit scale and min of sub-block j (0..7) from the 12 packed bytes. */
static inline void ck_scale_min_k4(int j, const uint8_t *q, uint8_t *sc, uint8_t *mn) {
    if (j < 4) {
        *sc = q[j] & 63;
        *mn = q[j + 4] & 63;
    } else {
        *sc = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *mn = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

/* Stop on a programmer error (a type the caller should have checked with
   ck_weight_type_supported). Never reachable from file contents when callers check. */
_Noreturn void ck_fatal(const char *what, int type);

/* ---- Kernel tables ---- */

/* y[v*ldy + r] = dot(row r, act v) for r in [r0, r1), v in [0, nv). `w` is row 0. */
typedef void (*ck_rows_fn)(const uint8_t *w, int64_t row_bytes, int64_t cols, const uint8_t *act,
                           int64_t act_stride, int nv, float *y, int64_t ldy, int64_t r0, int64_t r1);
/* Dequantise `nblocks` consecutive blocks. */
typedef void (*ck_deq_fn)(const uint8_t *src, float *dst, int64_t nblocks);
/* Prepare one activation vector (precise = 0 formats). */
typedef void (*ck_prep_fn)(const float *x, uint8_t *dst, int64_t n);

/* Weight type slots used by the tables. */
enum { CK_S_F32, CK_S_F16, CK_S_BF16, CK_S_Q4_0, CK_S_Q4_1, CK_S_Q5_0, CK_S_Q5_1, CK_S_Q8_0,
       CK_S_Q4_K, CK_S_Q5_K, CK_S_Q6_K, CK_S_COUNT };
/* Activation format slots for ck_prep_fn. */
enum { CK_A_Q8_0, CK_A_Q8_1, CK_A_Q8_K, CK_A_F16, CK_A_BF16, CK_A_COUNT };

/* An instruction set's kernels: arrays indexed by slot; a NULL entry (or a NULL array) falls
   back to the generic kernel. */
typedef struct {
    const char *name;
    const ck_rows_fn *rows[2]; /* [precise], CK_S_COUNT entries each */
    const ck_deq_fn *deq;      /* CK_S_COUNT entries */
    const ck_prep_fn *prep;    /* CK_A_COUNT entries */
} ck_isa_table;

int ck_slot(int type); /* -1 for unsupported weight types */

/* Each instruction set's table. The generic one is complete. */
extern const ck_rows_fn ck_rows_generic[2][CK_S_COUNT];
extern const ck_deq_fn ck_deq_generic[CK_S_COUNT];
extern const ck_prep_fn ck_prep_generic[CK_A_COUNT];
extern const ck_isa_table ck_table_generic;
#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
extern const ck_isa_table ck_table_avx2;
extern const ck_isa_table ck_table_avx512;
#endif

/* The table in force for the calling thread (dispatcher choice or a forced one). */
const ck_isa_table *ck_current_table(void);

/* Generic activation preparation for one vector, shared with the tests through
   ck_act_prepare. */
void ck_prep_q8_0_generic(const float *x, uint8_t *dst, int64_t n);
void ck_prep_q8_1_generic(const float *x, uint8_t *dst, int64_t n);
void ck_prep_q8_k_generic(const float *x, uint8_t *dst, int64_t n);
void ck_prep_f16_generic(const float *x, uint8_t *dst, int64_t n);
void ck_prep_bf16_generic(const float *x, uint8_t *dst, int64_t n);

/* A per-thread scratch buffer (grown on demand, 64-byte aligned, kept for the thread's life).
   Returns NULL if memory is exhausted. */
void *ck_scratch(size_t bytes);

#endif
