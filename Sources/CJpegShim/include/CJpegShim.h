#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H
#include <stddef.h>
#include <stdint.h>

/* The libjpeg API version this was built against (62 for libjpeg-turbo's libjpeg62 API). */
int cjpeg_library_version(void);

#endif
