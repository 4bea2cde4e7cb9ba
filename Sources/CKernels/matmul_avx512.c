/* The AVX-512 (F/BW/VL/VNNI) kernels: the shared x86 body with vpdpbusd/vpdpwssd dot products
   (see x86_kernels_body.h). On Zen 4, 512-bit registers run as two 256-bit halves, so the body
   stays at 256 bits: 512-bit Q4_1 kernels (vpermb unpacking, or four blocks per register)
   measured slower. The vectors-per-pass counts below were picked by measurement. */
#include "ck_internal.h"
#ifdef CK_X86
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"))), apply_to = function)
#define CK_PFX ck_avx512_
#define CK_VNNI 1
#define CK_NV32 4
#define CK_NVK 2 /* 4 measured slower (register pressure) */
#define CK_NVF 8
#define CK_NVP1 2 /* 4 measured slower */
#include "x86_kernels_body.h"
#pragma clang attribute pop

const ck_isa_table ck_table_avx512 = {
    .name = "avx512",
    .rows = {ck_avx512_rows_p0, ck_avx512_rows_p1},
    .deq = ck_avx512_deq_table,
    .prep = ck_avx512_prep_table,
};
#endif
