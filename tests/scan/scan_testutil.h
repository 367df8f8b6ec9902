/*
 * Helpers for the scan tests and the scan benchmark: render QR codes with
 * libqrencode into grey buffers, and encode grey buffers as PNG or JPEG in
 * memory, so tests make their own images instead of shipping them.
 */
#ifndef DC_SCAN_TESTUTIL_H
#define DC_SCAN_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <qrencode.h>

/* Draws text as a QR code (black on white, quiet zone of 4 modules) with
 * its top-left corner at (x0, y0). Returns the side in pixels, or -1 when
 * it does not fit or cannot be encoded. */
static inline int tu_draw_qr(uint8_t *buf, int w, int h, int stride, int x0,
			     int y0, const char *text, int module)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	if (!q)
		return -1;
	int side = (q->width + 8) * module;
	if (x0 < 0 || y0 < 0 || x0 + side > w || y0 + side > h) {
		QRcode_free(q);
		return -1;
	}
	for (int y = 0; y < side; y++) {
		uint8_t *row = buf + (size_t)(y0 + y) * stride + x0;
		int my = y / module - 4;
		for (int x = 0; x < side; x++) {
			int mx = x / module - 4;
			int dark = mx >= 0 && my >= 0 && mx < q->width &&
				   my < q->width &&
				   (q->data[my * q->width + mx] & 1);
			row[x] = dark ? 0 : 255;
		}
	}
	QRcode_free(q);
	return side;
}

static inline uint8_t *tu_blank(int w, int h, uint8_t v)
{
	uint8_t *p = malloc((size_t)w * h);
	if (p)
		memset(p, v, (size_t)w * h);
	return p;
}

static inline void tu_invert(uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(255 - buf[i]);
}

/* 90° clockwise: the result is h x w. */
static inline uint8_t *tu_rotate90(const uint8_t *src, int w, int h)
{
	uint8_t *dst = malloc((size_t)w * h);
	if (!dst)
		return NULL;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			dst[(size_t)x * h + (h - 1 - y)] = src[(size_t)y * w + x];
	return dst;
}

/* Mild sensor-like noise, deterministic. */
static inline void tu_noise(uint8_t *buf, size_t n, int amp, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		int v = buf[i] + (int)((seed >> 24) % (2 * amp + 1)) - amp;
		buf[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* PNG in memory (malloc'd); format is PNG_FORMAT_GRAY, _RGB or _GA and
 * pix has that many channels per pixel. */
static inline uint8_t *tu_png(const uint8_t *pix, int w, int h, int format,
			      size_t *len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = (png_uint_32)format;
	png_alloc_size_t n = 0;
	if (!png_image_write_to_memory(&img, NULL, &n, 0, pix, 0, NULL))
		return NULL;
	uint8_t *out = malloc(n);
	if (!out)
		return NULL;
	if (!png_image_write_to_memory(&img, out, &n, 0, pix, 0, NULL)) {
		free(out);
		return NULL;
	}
	*len = n;
	return out;
}

/* Grey JPEG in memory (malloc'd). */
static inline uint8_t *tu_jpeg(const uint8_t *pix, int w, int h, int quality,
			       size_t *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long n = 0;

	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &mem, &n);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = 1;
	ci.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, quality, TRUE);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(pix + (size_t)ci.next_scanline * w);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	uint8_t *out = malloc(n);
	if (out)
		memcpy(out, mem, n);
	free(mem);
	*len = n;
	return out;
}

static inline int tu_write_file(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(buf, 1, n, f);
	return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* Strips trailing CR/LF/space in place; returns the new length. */
static inline size_t tu_chomp(char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = 0;
	return n;
}

/* The "PREFIX" string of a dgc-testdata raw JSON file, without a JSON
 * library: the value is plain Base45 text (no escapes). malloc'd. */
static inline char *tu_json_prefix(const char *json)
{
	const char *k = strstr(json, "\"PREFIX\"");
	if (!k)
		return NULL;
	k = strchr(k + 8, '"');
	if (!k)
		return NULL;
	const char *e = strchr(k + 1, '"');
	if (!e)
		return NULL;
	size_t n = (size_t)(e - k - 1);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, k + 1, n);
	out[n] = 0;
	return out;
}

#endif
