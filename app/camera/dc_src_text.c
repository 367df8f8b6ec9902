/*
 * text: QR texts from a file, a pipe or stdin, one per line. device is a
 * path, "-" or NULL for stdin, or "fd:N" for an inherited descriptor (the
 * simulator's paste pipe). Descriptors we did not open are not closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"

typedef struct {
	dc_source base;
	int owns_fd;
	dc_src_lines lines;
} text_source;

static dc_src_status text_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	text_source *t = (text_source *)s;
	const char *txt = NULL;
	size_t len = 0;
	dc_src_status st = dc_src_lines_next(&t->lines, timeout_ms, &txt, &len,
					     s->err, sizeof s->err);
	if (st == DC_SRC_OK) {
		f->kind = DC_FRAME_TEXT;
		f->text = txt;
		f->text_len = len;
	}
	return st;
}

static void text_wipe(dc_source *s)
{
	dc_src_lines_wipe(&((text_source *)s)->lines);
}

static void text_destroy(dc_source *s)
{
	text_source *t = (text_source *)s;
	if (t->owns_fd && t->lines.fd >= 0)
		close(t->lines.fd);
	mbedtls_platform_zeroize(t, sizeof *t);
	free(t);
}

static const dc_source_ops text_ops = { text_next, text_wipe, text_destroy };

dc_src_status dc_src_text_open(const dc_source_config *cfg, dc_source **out,
			       char *err, size_t errlen)
{
	const char *dev = cfg->device;
	int fd = -1, owns = 0;

	if (!dev || strcmp(dev, "-") == 0) {
		fd = 0;
	} else if (strncmp(dev, "fd:", 3) == 0) {
		char *end = NULL;
		long v = strtol(dev + 3, &end, 10);
		if (!end || *end || end == dev + 3 || v < 0 || v > 65535 ||
		    fcntl((int)v, F_GETFD) < 0) {
			dc_src_seterr(err, errlen, "no open descriptor %s", dev);
			return DC_SRC_NO_DEVICE;
		}
		fd = (int)v;
	} else {
		fd = open(dev, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			dc_src_seterr(err, errlen, "cannot open text source %s: %s",
				      dev, strerror(errno));
			return errno == ENOENT ? DC_SRC_NO_DEVICE : DC_SRC_IO;
		}
		owns = 1;
	}
	text_source *t = calloc(1, sizeof *t);
	if (!t) {
		if (owns)
			close(fd);
		return DC_SRC_NOMEM;
	}
	t->base.ops = &text_ops;
	t->owns_fd = owns;
	dc_src_lines_init(&t->lines, fd);
	*out = &t->base;
	return DC_SRC_OK;
}
