/*
 * dc_image: still images (PNG via libpng, JPEG via libjpeg) decoded to an
 * 8-bit grey plane, for the CLI's --image, the simulator and tests.
 *
 * The pixel buffer is owned by the dc_grey and freed (zeroised first) by
 * dc_grey_free. Images larger than DC_IMAGE_MAX_PIXELS are refused.
 */
#ifndef DC_IMAGE_H
#define DC_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define DC_IMAGE_MAX_PIXELS (8192u * 8192u)

typedef struct {
	uint8_t *y;
	int width, height, stride;
} dc_grey;

/* 0 on success; otherwise -1 with a one-line reason in err. */
int dc_image_load(const char *path, dc_grey *out, char *err, size_t errlen);
int dc_image_load_mem(const uint8_t *buf, size_t len, dc_grey *out, char *err,
		      size_t errlen);
void dc_grey_free(dc_grey *g);

/* Files larger than this are refused before reading them whole. */
#define DC_IMAGE_MAX_FILE_BYTES (64u << 20)

/* Decodes a JPEG (e.g. one V4L2 MJPEG frame) to grey into a caller buffer of
 * cap_w x cap_h pixels with row stride dst_stride, so a camera can decode
 * every frame into one buffer allocated at start-up. Frames larger than the
 * buffer are refused. 0 on success (*w, *h set); -1 with a reason in err. */
int dc_image_jpeg_into(const uint8_t *buf, size_t len, uint8_t *dst,
		       int dst_stride, int cap_w, int cap_h, int *w, int *h,
		       char *err, size_t errlen);

#endif
