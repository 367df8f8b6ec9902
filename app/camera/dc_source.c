/*
 * dc_source: picks the backend by cfg->kind. Which backends do real work is
 * decided by meson when linking (one file per backend, or its _none file).
 *
 * A failed open still hands back a small source that only carries the
 * reason, so that dc_source_error() works on it as the header promises;
 * dc_source_next() on it repeats the failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dc_source_priv.h"

typedef struct {
	dc_source base;
	dc_src_status status;
} failed_source;

static dc_src_status failed_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	(void)timeout_ms;
	memset(f, 0, sizeof *f);
	return ((failed_source *)s)->status;
}

static void failed_wipe(dc_source *s)
{
	(void)s;
}

static void failed_destroy(dc_source *s)
{
	free(s);
}

static const dc_source_ops failed_ops = { failed_next, failed_wipe,
					  failed_destroy };

static const struct {
	const char *kind;
	dc_src_open_fn open;
} backends[] = {
	{ "libcamera", dc_src_libcamera_open },
	{ "v4l2", dc_src_v4l2_open },
	{ "image", dc_src_image_open },
	{ "folder", dc_src_folder_open },
	{ "evdev", dc_src_evdev_open },
	{ "tty", dc_src_tty_open },
	{ "text", dc_src_text_open },
};

void dc_src_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

long long dc_src_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int dc_src_remaining(long long deadline, int timeout_ms)
{
	if (timeout_ms < 0)
		return -1;
	long long left = deadline - dc_src_now_ms();
	return left <= 0 ? 0 : (int)left;
}

dc_src_status dc_source_open(const dc_source_config *cfg, dc_source **out)
{
	char err[DC_SRC_ERR_LEN] = "";
	dc_src_status st = DC_SRC_UNSUPPORTED;
	dc_source *s = NULL;

	if (!out)
		return DC_SRC_UNSUPPORTED;
	*out = NULL;
	if (!cfg || !cfg->kind) {
		dc_src_seterr(err, sizeof err, "no source kind given");
	} else if (cfg->rotation % 90 != 0 || cfg->rotation < 0 ||
		   cfg->rotation > 270) {
		dc_src_seterr(err, sizeof err,
			      "rotation must be 0, 90, 180 or 270, not %d",
			      cfg->rotation);
	} else if (cfg->width < 0 || cfg->height < 0 || cfg->width > 4096 ||
		   cfg->height > 4096) {
		dc_src_seterr(err, sizeof err, "frame size %dx%d out of range",
			      cfg->width, cfg->height);
	} else {
		size_t i;
		for (i = 0; i < sizeof backends / sizeof backends[0]; i++)
			if (strcmp(cfg->kind, backends[i].kind) == 0)
				break;
		if (i == sizeof backends / sizeof backends[0]) {
			dc_src_seterr(err, sizeof err,
				      "unknown source kind \"%.40s\" (libcamera, "
				      "v4l2, image, folder, evdev, tty, text)",
				      cfg->kind);
		} else {
			st = backends[i].open(cfg, &s, err, sizeof err);
			if (st == DC_SRC_OK && s) {
				s->err[0] = 0;
				*out = s;
				return DC_SRC_OK;
			}
			if (st == DC_SRC_OK) /* backend bug: never OK without s */
				st = DC_SRC_IO;
		}
	}
	if (st == DC_SRC_NOMEM)
		return st;
	failed_source *f = calloc(1, sizeof *f);
	if (!f)
		return DC_SRC_NOMEM;
	f->base.ops = &failed_ops;
	f->status = st;
	snprintf(f->base.err, sizeof f->base.err, "%s",
		 err[0] ? err : "source could not be opened");
	*out = &f->base;
	return st;
}

dc_src_status dc_source_next(dc_source *s, dc_frame *frame, int timeout_ms)
{
	if (!s || !frame)
		return DC_SRC_IO;
	memset(frame, 0, sizeof *frame);
	dc_src_status st = s->ops->next(s, frame, timeout_ms);
	if (st == DC_SRC_OK) {
		frame->seq = ++s->seq;
		s->err[0] = 0;
	} else {
		memset(frame, 0, sizeof *frame);
	}
	return st;
}

const char *dc_source_error(const dc_source *s)
{
	if (!s)
		return "no source";
	return s->err;
}

void dc_source_wipe(dc_source *s)
{
	if (s)
		s->ops->wipe(s);
}

void dc_source_free(dc_source *s)
{
	if (!s)
		return;
	s->ops->wipe(s);
	s->ops->destroy(s);
}
