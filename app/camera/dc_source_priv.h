/*
 * Internal to app/camera: the shape every backend shares, and the open
 * functions dc_source.c dispatches to. Each backend lives in its own file;
 * a backend that is not built is linked from a dc_src_<kind>_none.c file
 * that refuses with DC_SRC_UNSUPPORTED (link-time selection, no #ifdef).
 */
#ifndef DC_SOURCE_PRIV_H
#define DC_SOURCE_PRIV_H

#include <stdarg.h>

#include "dc_source.h"

/* Longest text a text source hands out: the longest QR text. */
#define DC_SRC_MAX_TEXT 7089
#define DC_SRC_ERR_LEN 256
/* Defaults when the configuration leaves them out. */
#define DC_SRC_DEFAULT_WIDTH 640
#define DC_SRC_DEFAULT_HEIGHT 480

typedef struct {
	dc_src_status (*next)(dc_source *s, dc_frame *f, int timeout_ms);
	void (*wipe)(dc_source *s);
	void (*destroy)(dc_source *s); /* frees everything, including s */
} dc_source_ops;

/* First member of every backend's struct. */
struct dc_source {
	const dc_source_ops *ops;
	uint64_t seq;
	char err[DC_SRC_ERR_LEN];
};

/* Backend open: on success *out is a new source; on failure *out is NULL
 * and err holds the reason. */
typedef dc_src_status (*dc_src_open_fn)(const dc_source_config *cfg,
					dc_source **out, char *err,
					size_t errlen);

dc_src_status dc_src_image_open(const dc_source_config *cfg, dc_source **out,
				char *err, size_t errlen);
dc_src_status dc_src_folder_open(const dc_source_config *cfg, dc_source **out,
				 char *err, size_t errlen);
dc_src_status dc_src_v4l2_open(const dc_source_config *cfg, dc_source **out,
			       char *err, size_t errlen);
dc_src_status dc_src_libcamera_open(const dc_source_config *cfg,
				    dc_source **out, char *err, size_t errlen);
dc_src_status dc_src_evdev_open(const dc_source_config *cfg, dc_source **out,
				char *err, size_t errlen);
dc_src_status dc_src_tty_open(const dc_source_config *cfg, dc_source **out,
			      char *err, size_t errlen);
dc_src_status dc_src_text_open(const dc_source_config *cfg, dc_source **out,
			       char *err, size_t errlen);

void dc_src_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Line assembly shared by the text and tty sources: bytes from fd, a text
 * ends at LF or CR, empty lines are skipped. */
typedef struct {
	int fd;
	int eof;
	int skipping;         /* dropping the rest of an overlong line */
	size_t len;           /* bytes assembled in line */
	size_t rd_pos, rd_len;
	char line[DC_SRC_MAX_TEXT + 1];
	char rd[4096];
} dc_src_lines;

void dc_src_lines_init(dc_src_lines *l, int fd);
/* DC_SRC_OK with the text in *text, *len (valid until the next call), DC_SRC_AGAIN on
 * timeout, DC_SRC_END at end of input, DC_SRC_IO with err. */
dc_src_status dc_src_lines_next(dc_src_lines *l, int timeout_ms,
				const char **text, size_t *len, char *err,
				size_t errlen);
void dc_src_lines_wipe(dc_src_lines *l);

/* Keyboard-wedge decoding (evdev), separate from the device so tests can
 * type into it: key codes from linux/input-event-codes.h, US layout. */
typedef struct {
	int shift, caps;
	int skipping;       /* overlong code: drop until Enter */
	size_t len;
	char text[DC_SRC_MAX_TEXT + 1];
} dc_src_keys;

/* One EV_KEY event (value 1 press, 0 release, 2 repeat). Returns 1 when
 * Enter completed a code (text[0..len) NUL-terminated), -1 when Enter ended
 * an overlong code that was dropped, 0 otherwise. */
int dc_src_keys_feed(dc_src_keys *k, unsigned code, int value);

/* V4L2: one captured buffer (V4L2_PIX_FMT_*) to a grey frame. Returns 1
 * when f points into data (Y-first formats: the buffer is lent out), 0 when
 * it was converted into grey (w * h bytes: YUYV, MJPEG), -1 with a reason
 * when the buffer is unusable. Separate from the device for tests. */
int dc_src_v4l2_frame(uint32_t fourcc, const uint8_t *data, size_t used,
		      int w, int h, int bpl, uint8_t *grey, dc_frame *f,
		      char *err, size_t errlen);

/* Milliseconds left until deadline (monotonic), for poll(); -1 = forever. */
long long dc_src_now_ms(void);
int dc_src_remaining(long long deadline, int timeout_ms);

#endif
