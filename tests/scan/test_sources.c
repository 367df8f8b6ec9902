/* Sources that need no hardware: image, folder, text; the failure paths of
 * tty and evdev; keyboard-wedge key decoding. */
#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dc_scan.h"
#include "dc_source.h"
#include "dc_source_priv.h"
#include "dc_test.h"
#include "scan_testutil.h"

static char dir[] = "/tmp/dc-test-sources-XXXXXX";

static void put(const char *name, const void *buf, size_t n)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	CHECK_EQ_INT(tu_write_file(p, buf, n), 0);
}

static void make_folder(void)
{
	const char *texts[] = { "shc:/5676290952432060", "HC1:6BFOXN%TS3DH0" };
	for (int i = 0; i < 2; i++) {
		uint8_t *g = tu_blank(200, 200, 255);
		CHECK(tu_draw_qr(g, 200, 200, 200, 10, 10, texts[i], 4) > 0);
		size_t n = 0;
		uint8_t *enc = i == 0 ? tu_png(g, 200, 200, PNG_FORMAT_GRAY, &n)
				      : tu_jpeg(g, 200, 200, 92, &n);
		put(i == 0 ? "b-first.png" : "c-second.JPG", enc, n);
		free(enc);
		free(g);
	}
	put("a-broken.png", "not really", 10);
	put("notes.txt", "ignored", 7);
	put(".hidden.png", "ignored", 7);
}

static void test_folder(void)
{
	dc_source_config cfg = { .kind = "folder", .device = dir };
	dc_source *s = NULL;
	dc_frame f;
	dc_scanner *sc = dc_scanner_new(200, 200);

	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_OK);
	/* Sorted by name: a-broken.png fails, the next call moves on. */
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_IO);
	CHECK_MSG(strstr(dc_source_error(s), "a-broken.png") &&
			  strstr(dc_source_error(s), "not a PNG or JPEG file"),
		  "error = %s", dc_source_error(s));
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_OK);
	CHECK_EQ_INT(f.kind, DC_FRAME_GREY);
	CHECK_EQ_INT(f.width, 200);
	CHECK_EQ_INT(f.seq, 1);
	CHECK_EQ_INT(dc_scanner_scan(sc, f.y, f.width, f.height, f.stride), 1);
	CHECK_STR(dc_scanner_text(sc, 0, NULL), "shc:/5676290952432060");
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_OK);
	CHECK_EQ_INT(f.seq, 2);
	CHECK_EQ_INT(dc_scanner_scan(sc, f.y, f.width, f.height, f.stride), 1);
	CHECK_STR(dc_scanner_text(sc, 0, NULL), "HC1:6BFOXN%TS3DH0");
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_END);
	CHECK(f.y == NULL);
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_END);
	dc_source_free(s);

	cfg.device = "/nonexistent/folder";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	CHECK_MSG(strstr(dc_source_error(s), "cannot open folder") != NULL,
		  "error = %s", dc_source_error(s));
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_NO_DEVICE);
	dc_source_free(s);
	dc_scanner_free(sc);
}

static void test_image(void)
{
	char p[256];
	snprintf(p, sizeof p, "%s/b-first.png", dir);
	dc_source_config cfg = { .kind = "image", .device = p };
	dc_source *s = NULL;
	dc_frame f;

	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_OK);
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_OK);
	CHECK(f.y != NULL && f.width == 200 && f.height == 200);
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_END);
	dc_source_wipe(s);
	dc_source_free(s);

	snprintf(p, sizeof p, "%s/a-broken.png", dir);
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_OK);
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_IO);
	CHECK_STR(dc_source_error(s), "not a PNG or JPEG file");
	dc_source_free(s);

	snprintf(p, sizeof p, "%s/missing.png", dir);
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	CHECK_MSG(strncmp(dc_source_error(s), "no image at", 11) == 0,
		  "error = %s", dc_source_error(s));
	dc_source_free(s);
}

static void test_text(void)
{
	int fds[2];
	CHECK_EQ_INT(pipe(fds), 0);
	char dev[32];
	snprintf(dev, sizeof dev, "fd:%d", fds[0]);
	dc_source_config cfg = { .kind = "text", .device = dev };
	dc_source *s = NULL;
	dc_frame f;

	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_OK);
	/* Nothing written yet: AGAIN after the timeout. */
	CHECK_EQ_INT(dc_source_next(s, &f, 20), DC_SRC_AGAIN);
	const char *in = "shc:/5676\r\n\nHC1:AB CD\nhttps://x.example/";
	CHECK_EQ_INT(write(fds[1], in, strlen(in)), (long)strlen(in));
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_OK);
	CHECK_EQ_INT(f.kind, DC_FRAME_TEXT);
	CHECK_EQ_INT(f.text_len, 9);
	CHECK_STR(f.text, "shc:/5676");
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_OK);
	CHECK_STR(f.text, "HC1:AB CD");
	/* The last line has no newline yet: it waits for more. */
	CHECK_EQ_INT(dc_source_next(s, &f, 20), DC_SRC_AGAIN);

	/* An overlong line is dropped whole, the next one still comes. */
	char *big = malloc(DC_SRC_MAX_TEXT + 10);
	memset(big, '7', DC_SRC_MAX_TEXT + 9);
	big[0] = '\n';
	big[DC_SRC_MAX_TEXT + 9] = '\n';
	CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_AGAIN);
	CHECK_EQ_INT(write(fds[1], "\n", 1), 1);
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_OK);
	CHECK_STR(f.text, "https://x.example/");
	CHECK_EQ_INT(write(fds[1], big + 1, DC_SRC_MAX_TEXT + 9),
		     DC_SRC_MAX_TEXT + 9);
	CHECK_EQ_INT(write(fds[1], "last", 4), 4);
	close(fds[1]);
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_IO);
	CHECK_MSG(strstr(dc_source_error(s), "longer than") != NULL,
		  "error = %s", dc_source_error(s));
	/* At end of input a final line without newline still counts. */
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_OK);
	CHECK_STR(f.text, "last");
	CHECK_EQ_INT(dc_source_next(s, &f, 100), DC_SRC_END);
	dc_source_free(s);
	close(fds[0]);
	free(big);

	/* A line exactly DC_SRC_MAX_TEXT long is kept. */
	char p[256];
	snprintf(p, sizeof p, "%s/texts.txt", dir);
	char *max = malloc(DC_SRC_MAX_TEXT + 1);
	memset(max, '5', DC_SRC_MAX_TEXT);
	max[DC_SRC_MAX_TEXT] = '\n';
	CHECK_EQ_INT(tu_write_file(p, max, DC_SRC_MAX_TEXT + 1), 0);
	cfg.device = p;
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_OK);
	CHECK_EQ_INT(dc_source_next(s, &f, -1), DC_SRC_OK);
	CHECK_EQ_INT(f.text_len, DC_SRC_MAX_TEXT);
	CHECK_EQ_INT(dc_source_next(s, &f, -1), DC_SRC_END);
	dc_source_free(s);
	unlink(p);
	free(max);

	cfg.device = "fd:9999";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	dc_source_free(s);
}

static void test_devices_absent(void)
{
	dc_source *s = NULL;
	dc_source_config cfg = { .kind = "tty", .device = "/dev/ttyDOORCHECK9" };
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	CHECK_STR(dc_source_error(s), "no scanner at /dev/ttyDOORCHECK9");
	dc_source_free(s);
	cfg.device = "/dev/null";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_UNSUPPORTED);
	CHECK_STR(dc_source_error(s), "/dev/null is not a serial device");
	dc_source_free(s);
	cfg.device = "/dev/ttyUSB0,12345";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_UNSUPPORTED);
	dc_source_free(s);

	cfg.kind = "evdev";
	cfg.device = "/dev/input/event99";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	CHECK_STR(dc_source_error(s), "no scanner at /dev/input/event99");
	dc_source_free(s);
	cfg.device = NULL;
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_NO_DEVICE);
	dc_source_free(s);

	cfg.kind = "webcam";
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_UNSUPPORTED);
	CHECK_MSG(strstr(dc_source_error(s), "unknown source kind") != NULL,
		  "error = %s", dc_source_error(s));
	dc_source_free(s);
	cfg.kind = "text";
	cfg.rotation = 45;
	CHECK_EQ_INT(dc_source_open(&cfg, &s), DC_SRC_UNSUPPORTED);
	dc_source_free(s);
	dc_source_free(NULL);
	CHECK_EQ_INT(dc_source_open(NULL, &s), DC_SRC_UNSUPPORTED);
	dc_source_free(s);
}

/* Types a string the way a US-layout keyboard wedge does. */
static int type_string(dc_src_keys *k, const char *str)
{
	static const char *lower = "abcdefghijklmnopqrstuvwxyz";
	static const unsigned letter[] = {
		KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
		KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
		KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z };
	static const unsigned digit[] = { KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
					   KEY_5, KEY_6, KEY_7, KEY_8, KEY_9 };
	int rc = 0;
	for (const char *p = str; *p; p++) {
		unsigned code = 0;
		int shift = 0;
		const char *l = strchr(lower, *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (*p >= 'A' && *p <= 'Z') {
			code = letter[*p - 'A'];
			shift = 1;
		} else if (l && *p) {
			code = letter[l - lower];
		} else if (*p >= '0' && *p <= '9') {
			code = digit[*p - '0'];
		} else {
			switch (*p) {
			case ':': code = KEY_SEMICOLON; shift = 1; break;
			case '/': code = KEY_SLASH; break;
			case '%': code = KEY_5; shift = 1; break;
			case '*': code = KEY_8; shift = 1; break;
			case '+': code = KEY_EQUAL; shift = 1; break;
			case '$': code = KEY_4; shift = 1; break;
			case '-': code = KEY_MINUS; break;
			case '.': code = KEY_DOT; break;
			case ' ': code = KEY_SPACE; break;
			default: return -2;
			}
		}
		if (shift)
			dc_src_keys_feed(k, KEY_LEFTSHIFT, 1);
		rc |= dc_src_keys_feed(k, code, 1);
		rc |= dc_src_keys_feed(k, code, 0);
		if (shift)
			dc_src_keys_feed(k, KEY_LEFTSHIFT, 0);
	}
	return rc;
}

static void test_keys(void)
{
	dc_src_keys *k = calloc(1, sizeof *k);
	const char *hc1 = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B$+*";
	CHECK_EQ_INT(type_string(k, hc1), 0);
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_ENTER, 1), 1);
	CHECK_STR(k->text, hc1);
	memset(k, 0, sizeof *k);
	CHECK_EQ_INT(type_string(k, "shc:/5676290952"), 0);
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_KP9, 1), 0);
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_KPENTER, 1), 1);
	CHECK_STR(k->text, "shc:/56762909529");
	/* Caps lock flips letters; Enter on nothing gives nothing. */
	memset(k, 0, sizeof *k);
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_ENTER, 1), 0);
	dc_src_keys_feed(k, KEY_CAPSLOCK, 1);
	type_string(k, "hC1");
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_ENTER, 1), 1);
	CHECK_STR(k->text, "Hc1");
	/* Overlong: dropped at Enter (-1), then typing works again. */
	memset(k, 0, sizeof *k);
	for (int i = 0; i < DC_SRC_MAX_TEXT + 5; i++)
		dc_src_keys_feed(k, KEY_1, 1);
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_ENTER, 1), -1);
	type_string(k, "ok");
	CHECK_EQ_INT(dc_src_keys_feed(k, KEY_ENTER, 1), 1);
	CHECK_STR(k->text, "ok");
	free(k);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	make_folder();
	test_folder();
	test_image();
	test_text();
	test_devices_absent();
	test_keys();
	const char *names[] = { "b-first.png", "c-second.JPG", "a-broken.png",
				"notes.txt", ".hidden.png" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	return dc_test_done();
}
