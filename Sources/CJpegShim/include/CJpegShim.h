#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H
#include <stddef.h>
#include <stdint.h>

/* libjpeg reports fatal errors by calling error_exit, which by default prints to stderr and calls
   exit(); Swift cannot catch a longjmp either. Every function here installs its own error manager
   that records libjpeg's message and longjmps back into the shim, so callers only ever see a
   result code and a one-line message. Nothing is ever written to stdout or stderr. */

/* The libjpeg API version this was built against (62 for libjpeg-turbo's libjpeg62 API). */
int cjpeg_library_version(void);

/* Result codes. */
enum {
    CJPEG_OK = 0,
    /* The data ends before the image does (libjpeg's "Premature end of JPEG file"). */
    CJPEG_TRUNCATED = 1,
    /* libjpeg refused the data; the message says why. */
    CJPEG_CORRUPT = 2,
    /* The output buffer does not match the image size given. */
    CJPEG_BAD_BUFFER = 3,
    /* A colour space this shim does not convert to RGB. */
    CJPEG_UNSUPPORTED = 4,
    /* A progressive file with more scans than any real encoder writes (a decoding-time bomb). */
    CJPEG_TOO_MANY_SCANS = 5,
    /* Memory could not be allocated. */
    CJPEG_NO_MEMORY = 6,
};

/* Colour spaces of the file's data, as far as the caller needs to know them. */
enum {
    CJPEG_COLOR_UNKNOWN = 0,
    CJPEG_COLOR_GRAY = 1,
    CJPEG_COLOR_RGB = 2, /* YCbCr or RGB data */
    CJPEG_COLOR_CMYK = 3,
    CJPEG_COLOR_YCCK = 4,
};

/* What the header says. */
typedef struct {
    int width;
    int height;
    int components;
    int color_space;  /* CJPEG_COLOR_* */
    int progressive;  /* 1 if the file is progressive */
    int adobe;        /* 1 if an Adobe APP14 marker was seen (CMYK data is stored inverted) */
} cjpeg_info;

/* The most scans a progressive file may have before decoding is refused. */
#define CJPEG_MAX_SCANS 1000

/* Reads the header (up to the first scan) of the JPEG in `data`, without decoding pixels. On
   failure returns a CJPEG_* code and writes a NUL-terminated message into `message`. */
int cjpeg_read_info(const uint8_t *data, size_t size, cjpeg_info *info,
                    char *message, size_t message_size);

/* Decodes the JPEG in `data` into `out` as 8-bit RGBA rows (alpha 255), top to bottom, no padding.
   `width` and `height` must be what cjpeg_read_info reported and `out_size` at least
   width * height * 4. Greyscale, YCbCr/RGB, CMYK and YCCK files are converted to RGB; CMYK data
   behind an Adobe marker is taken as inverted, as Adobe's applications write it. */
int cjpeg_decode_rgba(const uint8_t *data, size_t size, int width, int height,
                      uint8_t *out, size_t out_size, char *message, size_t message_size);

/* Encodes 8-bit RGBA rows (alpha ignored) as a baseline JPEG of the given quality (1...100).
   On success returns CJPEG_OK and sets *out_data (free it with cjpeg_free) and *out_size. */
int cjpeg_encode_rgba(const uint8_t *pixels, int width, int height, int quality,
                      uint8_t **out_data, size_t *out_size, char *message, size_t message_size);

/* Frees memory returned by cjpeg_encode_rgba. */
void cjpeg_free(void *pointer);

#endif
