/* Micro-benchmark of the llama.cpp-exact decode kernels (ck_lc_matmul_rows), outside Swift.

   Build and run from the package root (CK_ISA=avx2 selects the AVX2 kernels for comparison):
     clang -O2 -ISources/CKernels/include -ISources/CKernels scripts/lc_kernel_bench.c \
         Sources/CKernels/[a-z]*.c -lm -lpthread -o /tmp/lc_kernel_bench
     /tmp/lc_kernel_bench [q4_1|q8_0] ROWS COLS MEGABYTES

   Random weights fill MEGABYTES of matrices of ROWS x COLS (more than the L3 cache streams them
   from memory, as decoding does; one matrix stays in cache); each pass multiplies all of them
   by one activation vector. Prints the best pass in ns per row and checks every output against
   the portable path bit for bit. */
#include "ck_llamacpp.h"
#include "ckernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t state = 88172645463325252ull;
static float frand(float scale) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return ((float)(state % 2000001) / 1e6f - 1.0f) * scale;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s q4_1|q8_0 ROWS COLS MEGABYTES\n", argv[0]); return 2; }
    const int type = strcmp(argv[1], "q8_0") == 0 ? CK_TYPE_Q8_0 : CK_TYPE_Q4_1;
    const int64_t rows = atol(argv[2]), cols = atol(argv[3]);
    const int64_t matrix_bytes = ck_row_bytes(type, cols) * rows;
    int64_t count = (atol(argv[4]) << 20) / matrix_bytes;
    if (count < 1) count = 1;
    float *f = malloc(sizeof(float) * rows * cols);
    uint8_t *w = aligned_alloc(64, (size_t)((matrix_bytes * count + 63) & ~63));
    for (int64_t m = 0; m < count; m++) {
        for (int64_t i = 0; i < rows * cols; i++) f[i] = frand(0.2f);
        ck_quantize(type, f, w + m * matrix_bytes, rows * cols);
    }
    float *x = malloc(sizeof(float) * cols);
    for (int64_t i = 0; i < cols; i++) x[i] = frand(3.0f);
    uint8_t *act = aligned_alloc(64, (size_t)((ck_lc_act_bytes(type, cols) + 63) & ~63));
    ck_lc_act_prepare(type, x, act, cols);
    float *y = malloc(sizeof(float) * rows * count), *ref = malloc(sizeof(float) * rows * count);

    double best = 1e30;
    for (int pass = 0; pass < 20; pass++) {
        const double t = now();
        for (int64_t m = 0; m < count; m++)
            ck_lc_matmul_rows(type, w + m * matrix_bytes, cols, act, 0, 1, y + m * rows, 0, 0, rows);
        const double dt = now() - t;
        if (dt < best) best = dt;
    }
    ck_lc_force_generic(1);
    for (int64_t m = 0; m < count; m++)
        ck_lc_matmul_rows(type, w + m * matrix_bytes, cols, act, 0, 1, ref + m * rows, 0, 0, rows);
    ck_lc_force_generic(0);
    const int same = memcmp(y, ref, sizeof(float) * rows * count) == 0;
    printf("%s %s %lldx%lld x%lld (%.1f MB): %.2f ns/row, %.2f GB/s, %s\n", ck_isa(), argv[1],
           (long long)rows, (long long)cols, (long long)count, matrix_bytes * count / 1048576.0,
           best * 1e9 / (double)(rows * count), matrix_bytes * count / best / 1e9,
           same ? "bit-identical" : "DIFFERENT from the portable path");
    return same ? 0 : 1;
}
