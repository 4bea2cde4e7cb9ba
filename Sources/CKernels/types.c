/* Type facts: which weight types the kernels handle and how big their blocks and rows are. */
#include "ck_internal.h"
#include <stdio.h>
#include <stdlib.h>

int ck_slot(int type) {
    switch (type) {
    case CK_TYPE_F32: return CK_S_F32;
    case CK_TYPE_F16: return CK_S_F16;
    case CK_TYPE_BF16: return CK_S_BF16;
    case CK_TYPE_Q4_0: return CK_S_Q4_0;
    case CK_TYPE_Q4_1: return CK_S_Q4_1;
    case CK_TYPE_Q5_0: return CK_S_Q5_0;
    case CK_TYPE_Q5_1: return CK_S_Q5_1;
    case CK_TYPE_Q8_0: return CK_S_Q8_0;
    case CK_TYPE_Q4_K: return CK_S_Q4_K;
    case CK_TYPE_Q5_K: return CK_S_Q5_K;
    case CK_TYPE_Q6_K: return CK_S_Q6_K;
    default: return -1;
    }
}

int ck_weight_type_supported(int type) { return ck_slot(type) >= 0; }

int64_t ck_block_elems(int type) {
    switch (type) {
    case CK_TYPE_F32: case CK_TYPE_F16: case CK_TYPE_BF16: return 1;
    case CK_TYPE_Q4_0: case CK_TYPE_Q4_1: case CK_TYPE_Q5_0: case CK_TYPE_Q5_1: case CK_TYPE_Q8_0:
        return CK_QK;
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K: return CK_QKK;
    default: return 0;
    }
}

int64_t ck_block_bytes(int type) {
    switch (type) {
    case CK_TYPE_F32: return 4;
    case CK_TYPE_F16: case CK_TYPE_BF16: return 2;
    case CK_TYPE_Q4_0: return CK_Q4_0_BYTES;
    case CK_TYPE_Q4_1: return CK_Q4_1_BYTES;
    case CK_TYPE_Q5_0: return CK_Q5_0_BYTES;
    case CK_TYPE_Q5_1: return CK_Q5_1_BYTES;
    case CK_TYPE_Q8_0: return CK_Q8_0_BYTES;
    case CK_TYPE_Q4_K: return CK_Q4_K_BYTES;
    case CK_TYPE_Q5_K: return CK_Q5_K_BYTES;
    case CK_TYPE_Q6_K: return CK_Q6_K_BYTES;
    default: return 0;
    }
}

int64_t ck_row_bytes(int type, int64_t cols) {
    int64_t be = ck_block_elems(type);
    if (be == 0) return 0;
    return cols / be * ck_block_bytes(type);
}

_Noreturn void ck_fatal(const char *what, int type) {
    fprintf(stderr, "CKernels: %s: weight type %d is not supported (callers must check "
                    "ck_weight_type_supported first)\n", what, type);
    abort();
}
