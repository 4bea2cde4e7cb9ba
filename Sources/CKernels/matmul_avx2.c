/* The AVX2 + FMA + F16C kernels (see x86_kernels_body.h for how they work). */
#include "ck_internal.h"
#ifdef CK_X86
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define CK_PFX ck_avx2_
#define CK_VNNI 0
#define CK_NV32 4 /* activation vectors per pass: 16 ymm registers */
#define CK_NVK 2
#define CK_NVF 4
#define CK_NVP1 2
#include "x86_kernels_body.h"
#pragma clang attribute pop

const ck_isa_table ck_table_avx2 = {
    .name = "avx2",
    .rows = {ck_avx2_rows_p0, ck_avx2_rows_p1},
    .deq = ck_avx2_deq_table,
    .prep = ck_avx2_prep_table,
};
#endif
