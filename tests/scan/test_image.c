/* dc_image: PNG and JPEG made here with libpng/libjpeg, from memory and from
 * files, plus the error paths staff and operators would see. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "dc_image.h"
#include "dc_test.h"
#include "scan_testutil.h"

#define W 37
#define H 23

static char tmpdir[] = "/tmp/dc-test-image-XXXXXX";

static void fill_pattern(uint8_t *p)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			p[y * W + x] = (uint8_t)((x * 7 + y * 11) & 0xff);
}

static void test_png_grey(void)
{
	uint8_t pix[W * H];
	fill_pattern(pix);
	size_t n = 0;
	uint8_t *png = tu_png(pix, W, H, PNG_FORMAT_GRAY, &n);
	CHECK(png != NULL);
	dc_grey g;
	char err[128];
	CHECK_EQ_INT(dc_image_load_mem(png, n, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.width, W);
	CHECK_EQ_INT(g.height, H);
	CHECK(g.stride >= W);
	int same = 1;
	for (int y = 0; y < H && g.y; y++)
		if (memcmp(g.y + (size_t)y * g.stride, pix + y * W, W) != 0)
			same = 0;
	CHECK(same);
	dc_grey_free(&g);
	CHECK(g.y == NULL);
	dc_grey_free(&g); /* twice is harmless */

	/* From a file too. */
	char path[256];
	snprintf(path, sizeof path, "%s/grey.png", tmpdir);
	CHECK_EQ_INT(tu_write_file(path, png, n), 0);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.width, W);
	CHECK(g.y && g.y[5] == pix[5]);
	dc_grey_free(&g);
	unlink(path);

	/* Through a pipe (the CLI reading /dev/stdin). */
	int fds[2];
	CHECK_EQ_INT(pipe(fds), 0);
	CHECK_EQ_INT(write(fds[1], png, n), (long)n);
	close(fds[1]);
	snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.height, H);
	dc_grey_free(&g);
	close(fds[0]);

	/* A big one through a pipe, written by a child: the read grows. */
	uint8_t *noise = tu_blank(800, 600, 128);
	tu_noise(noise, 800 * 600, 120, 5);
	size_t bn = 0;
	uint8_t *big = tu_jpeg(noise, 800, 600, 95, &bn);
	CHECK(bn > 200 * 1024);
	CHECK_EQ_INT(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		size_t off = 0;
		while (off < bn) {
			ssize_t w = write(fds[1], big + off, bn - off);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.width, 800);
	dc_grey_free(&g);
	close(fds[0]);
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(big);
	free(noise);

	/* Truncated: a clear error, nothing allocated. */
	memset(&g, 0x55, sizeof g);
	CHECK_EQ_INT(dc_image_load_mem(png, n / 2, &g, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "PNG") != NULL, "err = %s", err);
	CHECK(g.y == NULL);
	free(png);
}

static void test_png_colour_and_alpha(void)
{
	/* RGB: pure white, pure black and pure red. */
	uint8_t rgb[3 * 3] = { 255, 255, 255, 0, 0, 0, 255, 0, 0 };
	size_t n = 0;
	uint8_t *png = tu_png(rgb, 3, 1, PNG_FORMAT_RGB, &n);
	dc_grey g;
	char err[128];
	CHECK_EQ_INT(dc_image_load_mem(png, n, &g, err, sizeof err), 0);
	CHECK(g.y && g.y[0] == 255 && g.y[1] == 0);
	CHECK(g.y && g.y[2] > 20 && g.y[2] < 200); /* red is mid grey */
	dc_grey_free(&g);
	free(png);

	/* Grey+alpha: a fully transparent pixel turns white, not black. */
	uint8_t ga[2 * 2] = { 0, 0, 0, 255 };
	png = tu_png(ga, 2, 1, PNG_FORMAT_GA, &n);
	CHECK_EQ_INT(dc_image_load_mem(png, n, &g, err, sizeof err), 0);
	CHECK(g.y && g.y[0] == 255 && g.y[1] == 0);
	dc_grey_free(&g);
	free(png);
}

static void test_jpeg(void)
{
	uint8_t pix[W * H];
	for (int i = 0; i < W * H; i++)
		pix[i] = (i / W) < H / 2 ? 20 : 230;
	size_t n = 0;
	uint8_t *jpg = tu_jpeg(pix, W, H, 95, &n);
	CHECK(jpg != NULL);
	dc_grey g;
	char err[128];
	CHECK_EQ_INT(dc_image_load_mem(jpg, n, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.width, W);
	CHECK_EQ_INT(g.height, H);
	int close = 1;
	for (int i = 0; g.y && i < W * H; i++) {
		int d = g.y[(i / W) * g.stride + i % W] - pix[i];
		if (d < -12 || d > 12)
			close = 0;
	}
	CHECK(close);
	dc_grey_free(&g);

	char path[256];
	snprintf(path, sizeof path, "%s/grey.jpg", tmpdir);
	CHECK_EQ_INT(tu_write_file(path, jpg, n), 0);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), 0);
	CHECK_EQ_INT(g.height, H);
	dc_grey_free(&g);
	unlink(path);

	/* Into a caller buffer (the V4L2 MJPEG path). */
	uint8_t buf[64 * 32];
	int w = 0, h = 0;
	CHECK_EQ_INT(dc_image_jpeg_into(jpg, n, buf, 64, 64, 32, &w, &h, err,
				     sizeof err), 0);
	CHECK_EQ_INT(w, W);
	CHECK_EQ_INT(h, H);
	CHECK(buf[0] < 40 && buf[(H - 1) * 64] > 200);
	CHECK_EQ_INT(dc_image_jpeg_into(jpg, n, buf, 32, 32, 32, &w, &h, err,
				     sizeof err), -1);
	CHECK_MSG(strstr(err, "larger than") != NULL, "err = %s", err);

	/* Truncated JPEG: libjpeg would pad it with grey; we refuse it. */
	CHECK_EQ_INT(dc_image_load_mem(jpg, n * 2 / 3, &g, err, sizeof err),
		     -1);
	CHECK_MSG(strstr(err, "truncated JPEG") != NULL, "err = %s", err);
	/* Header only. */
	CHECK_EQ_INT(dc_image_load_mem(jpg, 40, &g, err, sizeof err), -1);
	CHECK(err[0] != 0);
	free(jpg);
}

/* Rewrites a PNG's IHDR size and fixes its CRC. */
static void png_set_size(uint8_t *png, uint32_t w, uint32_t h)
{
	uint8_t *ihdr = png + 8; /* length(4) "IHDR"(4) data(13) crc(4) */
	for (int i = 0; i < 4; i++) {
		ihdr[8 + i] = (uint8_t)(w >> (24 - 8 * i));
		ihdr[12 + i] = (uint8_t)(h >> (24 - 8 * i));
	}
	uint32_t crc = (uint32_t)crc32(0, ihdr + 4, 17);
	for (int i = 0; i < 4; i++)
		ihdr[21 + i] = (uint8_t)(crc >> (24 - 8 * i));
}

static void test_too_large(void)
{
	uint8_t pix[4] = { 0 };
	size_t n = 0;
	uint8_t *png = tu_png(pix, 2, 2, PNG_FORMAT_GRAY, &n);
	png_set_size(png, 10000, 9000);
	dc_grey g;
	char err[128];
	CHECK_EQ_INT(dc_image_load_mem(png, n, &g, err, sizeof err), -1);
	CHECK_STR(err, "image too large: 10000x9000");
	free(png);

	uint8_t *jpg = tu_jpeg(pix, 2, 2, 90, &n);
	int patched = 0;
	for (size_t i = 2; i + 9 < n; i++) {
		if (jpg[i] == 0xff && jpg[i + 1] == 0xc0) { /* SOF0 */
			jpg[i + 5] = 9000 >> 8;
			jpg[i + 6] = 9000 & 0xff;
			jpg[i + 7] = 9500 >> 8;
			jpg[i + 8] = 9500 & 0xff;
			patched = 1;
			break;
		}
	}
	CHECK(patched);
	CHECK_EQ_INT(dc_image_load_mem(jpg, n, &g, err, sizeof err), -1);
	CHECK_STR(err, "image too large: 9500x9000");
	free(jpg);
}

static void test_garbage(void)
{
	dc_grey g;
	char err[128];
	const uint8_t text[] = "shc:/567629095243206034602924374044603122295953";
	CHECK_EQ_INT(dc_image_load_mem(text, sizeof text - 1, &g, err,
				     sizeof err), -1);
	CHECK_STR(err, "not a PNG or JPEG file");
	CHECK_EQ_INT(dc_image_load_mem(text, 0, &g, err, sizeof err), -1);
	CHECK_STR(err, "empty file");
	/* A PNG signature followed by junk. */
	const uint8_t fake[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
				 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	CHECK_EQ_INT(dc_image_load_mem(fake, sizeof fake, &g, err, sizeof err),
		     -1);
	CHECK_MSG(strncmp(err, "corrupt PNG", 11) == 0, "err = %s", err);
	const uint8_t fakej[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 2, 0xff, 0xd9 };
	CHECK_EQ_INT(dc_image_load_mem(fakej, sizeof fakej, &g, err,
				     sizeof err), -1);
	CHECK_MSG(strstr(err, "JPEG") != NULL, "err = %s", err);

	char path[256];
	snprintf(path, sizeof path, "%s/missing.png", tmpdir);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "cannot open") && strstr(err, "missing.png"),
		  "err = %s", err);
	snprintf(path, sizeof path, "%s/empty.png", tmpdir);
	CHECK_EQ_INT(tu_write_file(path, "", 0), 0);
	CHECK_EQ_INT(dc_image_load(path, &g, err, sizeof err), -1);
	CHECK_MSG(strncmp(err, "empty file", 10) == 0, "err = %s", err);
	unlink(path);
	CHECK_EQ_INT(dc_image_load(tmpdir, &g, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "not a regular file") != NULL, "err = %s", err);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_png_grey();
	test_png_colour_and_alpha();
	test_jpeg();
	test_too_large();
	test_garbage();
	rmdir(tmpdir);
	return dc_test_done();
}
