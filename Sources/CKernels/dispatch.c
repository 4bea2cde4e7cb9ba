/* Runtime choice of instruction set and the public entry points that route to it.

   The choice is made once from the CPU's features (AVX-512 F/BW/VL/VNNI -> "avx512", AVX2 + FMA
   + F16C -> "avx2", else "generic"); the CK_ISA environment variable may name a slower set for
   the whole process, and ck_force_isa overrides it for the calling thread only (tests run the
   paths side by side in parallel). */
#include "ck_internal.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static const ck_isa_table *table_named(const char *name) {
    if (!name) return NULL;
    if (strcmp(name, "generic") == 0) return &ck_table_generic;
#ifdef CK_X86
    __builtin_cpu_init();
    if (strcmp(name, "avx2") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                       __builtin_cpu_supports("f16c") ? &ck_table_avx2 : NULL;
    if (strcmp(name, "avx512") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                       __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx512f") &&
                       __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                       __builtin_cpu_supports("avx512vnni") ? &ck_table_avx512 : NULL;
#endif
    return NULL;
}

static _Atomic(const ck_isa_table *) chosen;
static _Thread_local const ck_isa_table *forced;

static const ck_isa_table *choose(void) {
    const ck_isa_table *t = table_named(getenv("CK_ISA"));
    if (!t) t = table_named("avx512");
    if (!t) t = table_named("avx2");
    if (!t) t = &ck_table_generic;
    return t;
}

const ck_isa_table *ck_current_table(void) {
    if (forced) return forced;
    const ck_isa_table *t = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (!t) {
        t = choose();
        atomic_store_explicit(&chosen, t, memory_order_relaxed);
    }
    return t;
}

const char *ck_isa(void) { return ck_current_table()->name; }

int ck_isa_available(const char *name) { return table_named(name) != NULL; }

int ck_force_isa(const char *name) {
    if (!name || !*name) {
        forced = NULL;
        return 1;
    }
    const ck_isa_table *t = table_named(name);
    if (!t) return 0;
    forced = t;
    return 1;
}

static ck_rows_fn rows_kernel(int type, int precise) {
    const int slot = ck_slot(type);
    if (slot < 0) ck_fatal("ck_matmul_rows", type);
    const ck_isa_table *t = ck_current_table();
    const ck_rows_fn *arr = t->rows[precise ? 1 : 0];
    return arr && arr[slot] ? arr[slot] : ck_rows_generic[precise ? 1 : 0][slot];
}

static ck_deq_fn deq_kernel(int type, const char *what) {
    const int slot = ck_slot(type);
    if (slot < 0) ck_fatal(what, type);
    const ck_isa_table *t = ck_current_table();
    return t->deq && t->deq[slot] ? t->deq[slot] : ck_deq_generic[slot];
}

void ck_matmul_rows(int wtype, const void *w, int64_t cols, const void *act, int64_t act_stride,
                    int nv, float *y, int64_t ldy, int64_t r0, int64_t r1, int precise) {
    ck_rows_fn fn = rows_kernel(wtype, precise);
    if (r1 <= r0 || nv <= 0 || cols <= 0) {
        if (cols <= 0)
            for (int v = 0; v < nv; v++)
                for (int64_t r = r0; r < r1; r++) y[(int64_t)v * ldy + r] = 0.f;
        return;
    }
    fn(w, ck_row_bytes(wtype, cols), cols, act, act_stride, nv, y, ldy, r0, r1);
}

void ck_dequantize(int type, const void *src, float *dst, int64_t n) {
    ck_deq_fn fn = deq_kernel(type, "ck_dequantize");
    if (n > 0) fn(src, dst, n / ck_block_elems(type));
}

void ck_dequantize_rows(int wtype, const void *w, int64_t cols, float *dst, int64_t r0,
                        int64_t r1) {
    ck_deq_fn fn = deq_kernel(wtype, "ck_dequantize_rows");
    const int64_t rb = ck_row_bytes(wtype, cols), nb = cols / ck_block_elems(wtype);
    for (int64_t r = r0; r < r1; r++) fn((const uint8_t *)w + r * rb, dst + (r - r0) * cols, nb);
}

/* ---- per-thread scratch ---- */

/* One growing buffer per thread; a pthread key frees it when the thread ends. */
static _Thread_local void *scratch_ptr;
static _Thread_local size_t scratch_cap;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_key_init(void) { (void)pthread_key_create(&scratch_key, free); }

void *ck_scratch(size_t bytes) {
    if (bytes <= scratch_cap) return scratch_ptr;
    size_t cap = scratch_cap ? scratch_cap : 4096;
    while (cap < bytes) cap *= 2;
    void *p = aligned_alloc(64, cap);
    if (!p) return NULL;
    free(scratch_ptr);
    scratch_ptr = p;
    scratch_cap = cap;
    pthread_once(&scratch_once, scratch_key_init);
    (void)pthread_setspecific(scratch_key, p);
    return p;
}
