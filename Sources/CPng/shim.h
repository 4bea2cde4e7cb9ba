#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H
#include <png.h>
/* PNG_IMAGE_VERSION and the format constants are plain macros and import as they are; the
   size macros are function-like, so they are wrapped here. */
static inline size_t cpng_image_row_stride(const png_image *image) { return PNG_IMAGE_ROW_STRIDE(*image); }
static inline size_t cpng_image_size(const png_image *image) { return PNG_IMAGE_SIZE(*image); }
/* PNG_FORMAT_RGBA is built from other macros with |, which Swift does not import. */
static const png_uint_32 CPNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
#endif
