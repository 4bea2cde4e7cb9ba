#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "CJpegShim.h"

int cjpeg_library_version(void) { return JPEG_LIB_VERSION; }

/* An error manager that never prints and never exits: fatal errors (and the warnings we treat
   as fatal) record a code and libjpeg's message, then longjmp back to the shim function. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int code;
    char *message;
    size_t message_size;
} shim_error;

static void shim_set_message(shim_error *error, const char *text) {
    if (error->message == NULL || error->message_size == 0) return;
    snprintf(error->message, error->message_size, "%s", text);
}

static void shim_fail(j_common_ptr cinfo, int code) {
    shim_error *error = (shim_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    text[0] = 0;
    (*cinfo->err->format_message)(cinfo, text);
    error->code = code;
    shim_set_message(error, text);
    longjmp(error->jump, 1);
}

static void shim_error_exit(j_common_ptr cinfo) {
    int code = CJPEG_CORRUPT;
    switch (cinfo->err->msg_code) {
    case JERR_OUT_OF_MEMORY: code = CJPEG_NO_MEMORY; break;
    case JERR_INPUT_EMPTY: code = CJPEG_TRUNCATED; break;
    default: break;
    }
    shim_fail(cinfo, code);
}

/* Warnings (level < 0) are data problems libjpeg works around. Running out of data is fatal
   here, as in Pillow: a cut-off file would otherwise decode with a grey lower part. The others
   ("extraneous bytes before marker", a bad Huffman code) still give a usable picture. */
static void shim_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) shim_fail(cinfo, CJPEG_TRUNCATED);
        cinfo->err->num_warnings++;
    }
}

static void shim_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void shim_init_error(shim_error *error, char *message, size_t message_size) {
    jpeg_std_error(&error->pub);
    error->pub.error_exit = shim_error_exit;
    error->pub.emit_message = shim_emit_message;
    error->pub.output_message = shim_output_message;
    error->code = CJPEG_OK;
    error->message = message;
    error->message_size = message_size;
    if (message != NULL && message_size > 0) message[0] = 0;
}

/* Refuses progressive files with absurd numbers of scans, which make decoding take minutes. */
static void shim_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > CJPEG_MAX_SCANS) {
        shim_error *error = (shim_error *)cinfo->err;
        error->code = CJPEG_TOO_MANY_SCANS;
        if (error->message != NULL && error->message_size > 0)
            snprintf(error->message, error->message_size,
                     "more than %d progressive scans", CJPEG_MAX_SCANS);
        longjmp(error->jump, 1);
    }
}

/* Everything libjpeg touches lives on the heap, so nothing the longjmp returns past is a
   non-volatile local that changed after setjmp. */
typedef struct {
    struct jpeg_decompress_struct cinfo;
    shim_error error;
    struct jpeg_progress_mgr progress;
} shim_decoder;

/* jpeg_create_decompress is a macro (it passes the library version and struct size). */
static void shim_create(shim_decoder *decoder, const uint8_t *data, size_t size) {
    jpeg_create_decompress(&decoder->cinfo);
    decoder->progress.progress_monitor = shim_progress;
    decoder->cinfo.progress = &decoder->progress;
    jpeg_mem_src(&decoder->cinfo, (const unsigned char *)data, (unsigned long)size);
}

static int shim_color(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return CJPEG_COLOR_GRAY;
    case JCS_YCbCr: case JCS_RGB: return CJPEG_COLOR_RGB;
    case JCS_CMYK: return CJPEG_COLOR_CMYK;
    case JCS_YCCK: return CJPEG_COLOR_YCCK;
    default: return CJPEG_COLOR_UNKNOWN;
    }
}

static void shim_fill_info(const struct jpeg_decompress_struct *cinfo, cjpeg_info *info) {
    info->width = (int)cinfo->image_width;
    info->height = (int)cinfo->image_height;
    info->components = cinfo->num_components;
    info->color_space = shim_color(cinfo->jpeg_color_space);
    info->progressive = cinfo->progressive_mode ? 1 : 0;
    info->adobe = cinfo->saw_Adobe_marker ? 1 : 0;
}

static int shim_no_memory(char *message, size_t message_size) {
    if (message != NULL && message_size > 0)
        snprintf(message, message_size, "out of memory");
    return CJPEG_NO_MEMORY;
}

int cjpeg_read_info(const uint8_t *data, size_t size, cjpeg_info *info,
                    char *message, size_t message_size) {
    shim_decoder *decoder = calloc(1, sizeof(shim_decoder));
    if (decoder == NULL) return shim_no_memory(message, message_size);
    decoder->cinfo.err = &decoder->error.pub;
    shim_init_error(&decoder->error, message, message_size);
    if (setjmp(decoder->error.jump)) {
        int code = decoder->error.code;
        jpeg_destroy_decompress(&decoder->cinfo);
        free(decoder);
        return code;
    }
    shim_create(decoder, data, size);
    jpeg_read_header(&decoder->cinfo, TRUE);
    shim_fill_info(&decoder->cinfo, info);
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder);
    return CJPEG_OK;
}

/* (a * b) / 255 rounded, for a and b in 0...255. */
static inline uint8_t shim_mul255(unsigned a, unsigned b) {
    unsigned t = a * b + 128;
    return (uint8_t)((t + (t >> 8)) >> 8);
}

static void shim_convert_row(const JSAMPLE *in, uint8_t *out, int width, J_COLOR_SPACE space,
                             int inverted) {
    switch (space) {
    case JCS_GRAYSCALE:
        for (int x = 0; x < width; x++) {
            out[4 * x] = out[4 * x + 1] = out[4 * x + 2] = in[x];
            out[4 * x + 3] = 255;
        }
        break;
    case JCS_CMYK:
        /* With inverted (Adobe) data a sample is the amount of paper left uncovered, so each
           channel is (1 - C)(1 - K) directly; plain CMYK is inverted first. */
        for (int x = 0; x < width; x++) {
            const JSAMPLE *p = in + 4 * x;
            unsigned c = p[0], m = p[1], y = p[2], k = p[3];
            if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
            out[4 * x] = shim_mul255(c, k);
            out[4 * x + 1] = shim_mul255(m, k);
            out[4 * x + 2] = shim_mul255(y, k);
            out[4 * x + 3] = 255;
        }
        break;
    default: /* JCS_RGB */
        for (int x = 0; x < width; x++) {
            out[4 * x] = in[3 * x];
            out[4 * x + 1] = in[3 * x + 1];
            out[4 * x + 2] = in[3 * x + 2];
            out[4 * x + 3] = 255;
        }
        break;
    }
}

int cjpeg_decode_rgba(const uint8_t *data, size_t size, int width, int height,
                      uint8_t *out, size_t out_size, char *message, size_t message_size) {
    shim_decoder *decoder = calloc(1, sizeof(shim_decoder));
    if (decoder == NULL) return shim_no_memory(message, message_size);
    decoder->cinfo.err = &decoder->error.pub;
    shim_init_error(&decoder->error, message, message_size);
    if (setjmp(decoder->error.jump)) {
        int code = decoder->error.code;
        jpeg_destroy_decompress(&decoder->cinfo);
        free(decoder);
        return code;
    }
    shim_create(decoder, data, size);
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    jpeg_read_header(cinfo, TRUE);

    int code = CJPEG_OK;
    if ((int)cinfo->image_width != width || (int)cinfo->image_height != height || width <= 0
        || height <= 0 || out_size / 4 / (size_t)width < (size_t)height) {
        code = CJPEG_BAD_BUFFER;
        if (message != NULL && message_size > 0)
            snprintf(message, message_size, "output buffer does not fit a %ux%u image",
                     cinfo->image_width, cinfo->image_height);
    } else {
        switch (cinfo->jpeg_color_space) {
        case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; break;
        case JCS_YCbCr: case JCS_RGB: cinfo->out_color_space = JCS_RGB; break;
        case JCS_CMYK: case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; break;
        default:
            code = CJPEG_UNSUPPORTED;
            if (message != NULL && message_size > 0)
                snprintf(message, message_size, "unsupported colour space with %d components",
                         cinfo->num_components);
        }
    }
    if (code != CJPEG_OK) {
        jpeg_destroy_decompress(cinfo);
        free(decoder);
        return code;
    }

    int inverted = cinfo->saw_Adobe_marker ? 1 : 0;
    jpeg_start_decompress(cinfo);
    /* Freed by jpeg_destroy_decompress, also after a longjmp. */
    JSAMPARRAY row = (*cinfo->mem->alloc_sarray)(
        (j_common_ptr)cinfo, JPOOL_IMAGE,
        cinfo->output_width * (JDIMENSION)cinfo->output_components, 1);
    while (cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION y = cinfo->output_scanline;
        if (jpeg_read_scanlines(cinfo, row, 1) != 1) break;
        shim_convert_row(row[0], out + (size_t)y * (size_t)width * 4, width,
                         cinfo->out_color_space, inverted);
    }
    jpeg_finish_decompress(cinfo);
    jpeg_destroy_decompress(cinfo);
    free(decoder);
    return CJPEG_OK;
}

typedef struct {
    struct jpeg_compress_struct cinfo;
    shim_error error;
    unsigned char *buffer;
    unsigned long buffer_size;
} shim_encoder;

int cjpeg_encode_rgba(const uint8_t *pixels, int width, int height, int quality,
                      uint8_t **out_data, size_t *out_size, char *message, size_t message_size) {
    *out_data = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
        if (message != NULL && message_size > 0)
            snprintf(message, message_size, "cannot encode a %dx%d image as JPEG", width, height);
        return CJPEG_BAD_BUFFER;
    }
    shim_encoder *encoder = calloc(1, sizeof(shim_encoder));
    if (encoder == NULL) return shim_no_memory(message, message_size);
    encoder->cinfo.err = &encoder->error.pub;
    shim_init_error(&encoder->error, message, message_size);
    if (setjmp(encoder->error.jump)) {
        int code = encoder->error.code;
        jpeg_destroy_compress(&encoder->cinfo);
        free(encoder->buffer);
        free(encoder);
        return code;
    }
    struct jpeg_compress_struct *cinfo = &encoder->cinfo;
    jpeg_create_compress(cinfo);
    jpeg_mem_dest(cinfo, &encoder->buffer, &encoder->buffer_size);
    cinfo->image_width = (JDIMENSION)width;
    cinfo->image_height = (JDIMENSION)height;
    cinfo->input_components = 3;
    cinfo->in_color_space = JCS_RGB;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    jpeg_start_compress(cinfo, TRUE);
    JSAMPARRAY row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                                 (JDIMENSION)width * 3, 1);
    while (cinfo->next_scanline < cinfo->image_height) {
        const uint8_t *in = pixels + (size_t)cinfo->next_scanline * (size_t)width * 4;
        for (int x = 0; x < width; x++) {
            row[0][3 * x] = in[4 * x];
            row[0][3 * x + 1] = in[4 * x + 1];
            row[0][3 * x + 2] = in[4 * x + 2];
        }
        jpeg_write_scanlines(cinfo, row, 1);
    }
    jpeg_finish_compress(cinfo);
    jpeg_destroy_compress(cinfo);
    *out_data = encoder->buffer;
    *out_size = encoder->buffer_size;
    free(encoder);
    return CJPEG_OK;
}

void cjpeg_free(void *pointer) { free(pointer); }
