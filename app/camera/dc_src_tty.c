/*
 * tty: serial 2D scanners (/dev/ttyACM0 for USB CDC-ACM, /dev/ttyUSB0 for
 * USB-serial adapters). Raw mode, one code per line (CR or LF ends it).
 * device is "PATH" or "PATH,BAUD" (default 9600; CDC-ACM ignores it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"

#define TTY_DEFAULT "/dev/ttyACM0"

typedef struct {
	dc_source base;
	char path[128];
	dc_src_lines lines;
} tty_source;

static dc_src_status tty_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	tty_source *t = (tty_source *)s;
	const char *txt = NULL;
	size_t len = 0;
	dc_src_status st = dc_src_lines_next(&t->lines, timeout_ms, &txt, &len,
					     s->err, sizeof s->err);
	if (st == DC_SRC_OK) {
		f->kind = DC_FRAME_TEXT;
		f->text = txt;
		f->text_len = len;
	} else if (st == DC_SRC_END) {
		/* A serial line has no end of input: it was unplugged. */
		dc_src_seterr(s->err, sizeof s->err, "scanner at %s disconnected",
			 t->path);
		st = DC_SRC_NO_DEVICE;
	}
	return st;
}

static void tty_wipe(dc_source *s)
{
	dc_src_lines_wipe(&((tty_source *)s)->lines);
}

static void tty_destroy(dc_source *s)
{
	tty_source *t = (tty_source *)s;
	if (t->lines.fd >= 0)
		close(t->lines.fd);
	mbedtls_platform_zeroize(t, sizeof *t);
	free(t);
}

static const dc_source_ops tty_ops = { tty_next, tty_wipe, tty_destroy };

static speed_t baud_of(long b)
{
	switch (b) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	default: return 0;
	}
}

dc_src_status dc_src_tty_open(const dc_source_config *cfg, dc_source **out,
			      char *err, size_t errlen)
{
	char path[128];
	long baud = 9600;
	int fd = -1;
	dc_src_status st = DC_SRC_IO;
	tty_source *t = NULL;
	struct termios tio;

	snprintf(path, sizeof path, "%s", cfg->device ? cfg->device : TTY_DEFAULT);
	char *comma = strchr(path, ',');
	if (comma) {
		*comma = 0;
		char *end = NULL;
		baud = strtol(comma + 1, &end, 10);
		if (!end || *end || !baud_of(baud)) {
			dc_src_seterr(err, errlen, "unsupported baud rate \"%s\"",
				      comma + 1);
			return DC_SRC_UNSUPPORTED;
		}
	}
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENODEV || e == ENXIO) {
			dc_src_seterr(err, errlen, "no scanner at %s", path);
			return DC_SRC_NO_DEVICE;
		}
		dc_src_seterr(err, errlen, "cannot open scanner %s: %s", path,
			      strerror(e));
		return DC_SRC_IO;
	}
	if (tcgetattr(fd, &tio) != 0) {
		dc_src_seterr(err, errlen, "%s is not a serial device", path);
		st = DC_SRC_UNSUPPORTED;
		goto fail;
	}
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, baud_of(baud));
	cfsetospeed(&tio, baud_of(baud));
	if (tcsetattr(fd, TCSANOW, &tio) != 0) {
		dc_src_seterr(err, errlen, "cannot set raw mode on %s: %s", path,
			      strerror(errno));
		goto fail;
	}
	/* Whatever was typed before we started is not a fresh scan. */
	tcflush(fd, TCIFLUSH);
	t = calloc(1, sizeof *t);
	if (!t) {
		st = DC_SRC_NOMEM;
		goto fail;
	}
	t->base.ops = &tty_ops;
	snprintf(t->path, sizeof t->path, "%s", path);
	dc_src_lines_init(&t->lines, fd);
	*out = &t->base;
	return DC_SRC_OK;
fail:
	close(fd);
	return st;
}
