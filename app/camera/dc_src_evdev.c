/*
 * evdev: USB keyboard-wedge 2D scanners. The scanner "types" the code and
 * presses Enter. We grab the device (EVIOCGRAB) so the keystrokes reach
 * only us, not a console or a focused window, and map key codes with the
 * US layout (scanners default to it; set the scanner to US if codes come
 * out wrong). device must be given (e.g. /dev/input/by-id/...-event-kbd):
 * guessing could grab the operator's real keyboard.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"

typedef struct {
	dc_source base;
	int fd;
	int delivered;      /* text was handed out by the last call */
	size_t ev_pos, ev_count; /* events read but not yet fed */
	char path[128];
	dc_src_keys keys;
	struct input_event ev[64];
} evdev_source;

/* [code] = { unshifted, shifted }. */
static const char keymap[][2] = {
	[KEY_1] = { '1', '!' }, [KEY_2] = { '2', '@' }, [KEY_3] = { '3', '#' },
	[KEY_4] = { '4', '$' }, [KEY_5] = { '5', '%' }, [KEY_6] = { '6', '^' },
	[KEY_7] = { '7', '&' }, [KEY_8] = { '8', '*' }, [KEY_9] = { '9', '(' },
	[KEY_0] = { '0', ')' }, [KEY_MINUS] = { '-', '_' },
	[KEY_EQUAL] = { '=', '+' },
	[KEY_Q] = { 'q', 'Q' }, [KEY_W] = { 'w', 'W' }, [KEY_E] = { 'e', 'E' },
	[KEY_R] = { 'r', 'R' }, [KEY_T] = { 't', 'T' }, [KEY_Y] = { 'y', 'Y' },
	[KEY_U] = { 'u', 'U' }, [KEY_I] = { 'i', 'I' }, [KEY_O] = { 'o', 'O' },
	[KEY_P] = { 'p', 'P' }, [KEY_LEFTBRACE] = { '[', '{' },
	[KEY_RIGHTBRACE] = { ']', '}' },
	[KEY_A] = { 'a', 'A' }, [KEY_S] = { 's', 'S' }, [KEY_D] = { 'd', 'D' },
	[KEY_F] = { 'f', 'F' }, [KEY_G] = { 'g', 'G' }, [KEY_H] = { 'h', 'H' },
	[KEY_J] = { 'j', 'J' }, [KEY_K] = { 'k', 'K' }, [KEY_L] = { 'l', 'L' },
	[KEY_SEMICOLON] = { ';', ':' }, [KEY_APOSTROPHE] = { '\'', '"' },
	[KEY_GRAVE] = { '`', '~' }, [KEY_BACKSLASH] = { '\\', '|' },
	[KEY_Z] = { 'z', 'Z' }, [KEY_X] = { 'x', 'X' }, [KEY_C] = { 'c', 'C' },
	[KEY_V] = { 'v', 'V' }, [KEY_B] = { 'b', 'B' }, [KEY_N] = { 'n', 'N' },
	[KEY_M] = { 'm', 'M' }, [KEY_COMMA] = { ',', '<' },
	[KEY_DOT] = { '.', '>' }, [KEY_SLASH] = { '/', '?' },
	[KEY_SPACE] = { ' ', ' ' }, [KEY_KPASTERISK] = { '*', '*' },
	[KEY_KP7] = { '7', '7' }, [KEY_KP8] = { '8', '8' },
	[KEY_KP9] = { '9', '9' }, [KEY_KPMINUS] = { '-', '-' },
	[KEY_KP4] = { '4', '4' }, [KEY_KP5] = { '5', '5' },
	[KEY_KP6] = { '6', '6' }, [KEY_KPPLUS] = { '+', '+' },
	[KEY_KP1] = { '1', '1' }, [KEY_KP2] = { '2', '2' },
	[KEY_KP3] = { '3', '3' }, [KEY_KP0] = { '0', '0' },
	[KEY_KPDOT] = { '.', '.' }, [KEY_KPSLASH] = { '/', '/' },
};

int dc_src_keys_feed(dc_src_keys *k, unsigned code, int value)
{
	if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
		k->shift = value != 0;
		return 0;
	}
	if (value != 1) /* releases and autorepeat */
		return 0;
	if (code == KEY_CAPSLOCK) {
		k->caps = !k->caps;
		return 0;
	}
	if (code == KEY_ENTER || code == KEY_KPENTER) {
		if (k->skipping) {
			k->skipping = 0;
			return -1;
		}
		if (k->len == 0)
			return 0;
		k->text[k->len] = 0;
		return 1;
	}
	if (code >= sizeof keymap / sizeof keymap[0] || !keymap[code][0])
		return 0; /* keys no scanner types for a QR text */
	char c = keymap[code][k->shift ? 1 : 0];
	if (k->caps && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	else if (k->caps && c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (k->skipping)
		return 0;
	if (k->len == DC_SRC_MAX_TEXT) {
		mbedtls_platform_zeroize(k->text, sizeof k->text);
		k->len = 0;
		k->skipping = 1;
		return 0;
	}
	k->text[k->len++] = c;
	return 0;
}

static dc_src_status evdev_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	evdev_source *e = (evdev_source *)s;
	long long deadline = dc_src_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	static const size_t evsz = sizeof(struct input_event);

	/* The code handed out last time ends now. */
	if (e->delivered) {
		mbedtls_platform_zeroize(e->keys.text, e->keys.len);
		e->keys.len = 0;
		e->delivered = 0;
	}
	for (;;) {
		/* Events left from the last read (a scanner can type the
		 * next code into the same read) come first. */
		while (e->ev_pos < e->ev_count) {
			const struct input_event *ev = &e->ev[e->ev_pos++];
			if (ev->type != EV_KEY)
				continue;
			int done = dc_src_keys_feed(&e->keys, ev->code,
						    ev->value);
			if (done < 0) {
				dc_src_seterr(s->err, sizeof s->err,
					      "text longer than %d characters "
					      "dropped", DC_SRC_MAX_TEXT);
				return DC_SRC_IO;
			}
			if (done > 0) {
				e->delivered = 1;
				f->kind = DC_FRAME_TEXT;
				f->text = e->keys.text;
				f->text_len = e->keys.len;
				return DC_SRC_OK;
			}
		}
		struct pollfd p = { .fd = e->fd, .events = POLLIN };
		int r = poll(&p, 1, dc_src_remaining(deadline, timeout_ms));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			dc_src_seterr(s->err, sizeof s->err, "poll: %s",
				      strerror(errno));
			return DC_SRC_IO;
		}
		if (r == 0)
			return DC_SRC_AGAIN;
		ssize_t n = read(e->fd, e->ev, sizeof e->ev);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno == ENODEV) {
			dc_src_seterr(s->err, sizeof s->err,
				      "scanner at %s disconnected", e->path);
			return DC_SRC_NO_DEVICE;
		}
		if (n < 0) {
			dc_src_seterr(s->err, sizeof s->err, "read %s: %s",
				      e->path, strerror(errno));
			return DC_SRC_IO;
		}
		e->ev_pos = 0;
		e->ev_count = (size_t)n / evsz;
	}
}

static void evdev_wipe(dc_source *s)
{
	evdev_source *e = (evdev_source *)s;
	mbedtls_platform_zeroize(&e->keys, sizeof e->keys);
	mbedtls_platform_zeroize(e->ev, sizeof e->ev);
	e->delivered = 0;
	e->ev_pos = e->ev_count = 0;
}

static void evdev_destroy(dc_source *s)
{
	evdev_source *e = (evdev_source *)s;
	if (e->fd >= 0) {
		ioctl(e->fd, EVIOCGRAB, 0);
		close(e->fd);
	}
	mbedtls_platform_zeroize(e, sizeof *e);
	free(e);
}

static const dc_source_ops evdev_ops = { evdev_next, evdev_wipe,
					 evdev_destroy };

dc_src_status dc_src_evdev_open(const dc_source_config *cfg, dc_source **out,
				char *err, size_t errlen)
{
	if (!cfg->device) {
		dc_src_seterr(err, errlen,
			      "evdev needs a device, e.g. "
			      "/dev/input/by-id/usb-...-event-kbd");
		return DC_SRC_NO_DEVICE;
	}
	int fd = open(cfg->device, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENODEV || e == ENXIO) {
			dc_src_seterr(err, errlen, "no scanner at %s",
				      cfg->device);
			return DC_SRC_NO_DEVICE;
		}
		dc_src_seterr(err, errlen, "cannot open scanner %s: %s",
			      cfg->device, strerror(e));
		return DC_SRC_IO;
	}
	unsigned long evbits = 0;
	if (ioctl(fd, EVIOCGBIT(0, sizeof evbits), &evbits) < 0 ||
	    !(evbits & (1ul << EV_KEY))) {
		dc_src_seterr(err, errlen, "%s is not a keyboard-like device",
			      cfg->device);
		close(fd);
		return DC_SRC_UNSUPPORTED;
	}
	if (ioctl(fd, EVIOCGRAB, 1) < 0) {
		dc_src_seterr(err, errlen,
			      "cannot grab %s (another program holds it): %s",
			      cfg->device, strerror(errno));
		close(fd);
		return DC_SRC_IO;
	}
	evdev_source *e = calloc(1, sizeof *e);
	if (!e) {
		ioctl(fd, EVIOCGRAB, 0);
		close(fd);
		return DC_SRC_NOMEM;
	}
	e->base.ops = &evdev_ops;
	e->fd = fd;
	snprintf(e->path, sizeof e->path, "%s", cfg->device);
	*out = &e->base;
	return DC_SRC_OK;
}
