#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
/* pkg-config puts OpenBLAS's own include folder first, so this is OpenBLAS's cblas.h, which also
   declares openblas_set_num_threads and openblas_get_corename. */
#include <cblas.h>
#endif
