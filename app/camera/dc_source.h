/*
 * dc_source: every frame or text source behind one interface. The backend
 * is chosen at build time (meson features) by linking one implementation
 * file per kind; the kiosk asks for a kind by name at run time.
 *
 * Frame sources hand out 8-bit grey (Y plane) frames. The frame memory
 * belongs to the source and is valid until the next dc_source_next() or
 * dc_source_free(); the scanner reads it in place (no copy when the device
 * delivers a Y plane). Text sources (keyboard-wedge and serial 2D scanners)
 * hand out complete QR texts instead.
 *
 * Frames and texts hold personal data: sources zeroise their buffers in
 * dc_source_wipe() and dc_source_free(). Nothing is written to disk.
 */
#ifndef DC_SOURCE_H
#define DC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	DC_SRC_OK = 0,
	DC_SRC_AGAIN,        /* nothing new yet (non-blocking poll) */
	DC_SRC_END,          /* no more input (end of a folder / file) */
	DC_SRC_NO_DEVICE,    /* device absent: message in dc_source_error() */
	DC_SRC_UNSUPPORTED,  /* backend not built in, or format not offered */
	DC_SRC_IO,           /* read or decode error */
	DC_SRC_NOMEM,
} dc_src_status;

typedef enum {
	DC_FRAME_NONE = 0,
	DC_FRAME_GREY,       /* frame.y valid */
	DC_FRAME_TEXT,       /* text valid (scanner devices, pasted text) */
} dc_frame_kind;

typedef struct {
	dc_frame_kind kind;
	const uint8_t *y;    /* grey plane */
	int width, height, stride;
	const char *text;    /* QR text from a text source */
	size_t text_len;
	uint64_t seq;        /* frame counter */
} dc_frame;

typedef struct {
	const char *kind;    /* "libcamera", "v4l2", "image", "folder", "evdev", "tty", "text" */
	const char *device;  /* path, camera id, folder or file; NULL = default */
	int width, height;   /* requested frame size (cameras) */
	int rotation;        /* 0, 90, 180, 270 */
} dc_source_config;

typedef struct dc_source dc_source;

/* On failure *out is still set (except for DC_SRC_NOMEM) to a source that
 * only carries the reason: read it with dc_source_error(), then
 * dc_source_free() it; dc_source_next() on it repeats the failure
 * (docs/camera.md). */
dc_src_status dc_source_open(const dc_source_config *cfg, dc_source **out);
dc_src_status dc_source_next(dc_source *s, dc_frame *frame, int timeout_ms);
const char *dc_source_error(const dc_source *s); /* last error, human text */
void dc_source_wipe(dc_source *s);
void dc_source_free(dc_source *s);             /* NULL is safe */

#endif
