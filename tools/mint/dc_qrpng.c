#include "dc_qrpng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

struct dc_qrpng {
	QRcode *code;
};

static int to_qr_mode(dc_qrpng_mode m, QRencodeMode *out)
{
	switch (m) {
	case DC_QRPNG_MODE_8BIT: *out = QR_MODE_8; return 0;
	case DC_QRPNG_MODE_NUM: *out = QR_MODE_NUM; return 0;
	case DC_QRPNG_MODE_AN: *out = QR_MODE_AN; return 0;
	}
	return -1;
}

static int to_qr_ecc(dc_qrpng_ecc e, QRecLevel *out)
{
	switch (e) {
	case DC_QRPNG_ECC_L: *out = QR_ECLEVEL_L; return 0;
	case DC_QRPNG_ECC_M: *out = QR_ECLEVEL_M; return 0;
	case DC_QRPNG_ECC_Q: *out = QR_ECLEVEL_Q; return 0;
	case DC_QRPNG_ECC_H: *out = QR_ECLEVEL_H; return 0;
	}
	return -1;
}

dc_qrpng *dc_qrpng_new(const dc_qrpng_segment *segs, size_t n, dc_qrpng_ecc ecc)
{
	QRinput *in = NULL;
	QRecLevel level;
	dc_qrpng *q = NULL;

	if (!segs || n == 0 || n > DC_QRPNG_MAX_SEGMENTS || to_qr_ecc(ecc, &level) != 0)
		return NULL;
	/* Version 0 lets libqrencode pick the smallest version that fits. */
	in = QRinput_new2(0, level);
	if (!in)
		goto out;
	for (size_t i = 0; i < n; i++) {
		QRencodeMode mode;
		if (to_qr_mode(segs[i].mode, &mode) != 0 || segs[i].len == 0 ||
		    segs[i].len > 8000)
			goto out;
		if (QRinput_append(in, mode, (int)segs[i].len,
				   (const unsigned char *)segs[i].data) != 0)
			goto out;
	}
	q = calloc(1, sizeof *q);
	if (!q)
		goto out;
	q->code = QRcode_encodeInput(in);
	if (!q->code) {
		free(q);
		q = NULL;
	}
out:
	QRinput_free(in);
	return q;
}

dc_qrpng *dc_qrpng_new_shc(const char *text, size_t len)
{
	size_t split = 0;

	/* The header ("shc:/" or "shc:/C/N/") ends at the last '/'; after it
	 * come only digits, which numeric mode packs at 3.33 bits each. */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '/')
			split = i + 1;
	if (split == 0 || split >= len)
		return NULL;
	dc_qrpng_segment segs[2] = {
		{ DC_QRPNG_MODE_8BIT, text, split },
		{ DC_QRPNG_MODE_NUM, text + split, len - split },
	};
	return dc_qrpng_new(segs, 2, DC_QRPNG_ECC_L);
}

void dc_qrpng_free(dc_qrpng *q)
{
	if (!q)
		return;
	QRcode_free(q->code);
	free(q);
}

int dc_qrpng_version(const dc_qrpng *q)
{
	return q->code->version;
}

int dc_qrpng_modules(const dc_qrpng *q)
{
	return q->code->width;
}

int dc_qrpng_side(const dc_qrpng *q, int scale, int quiet)
{
	return (q->code->width + 2 * quiet) * scale;
}

int dc_qrpng_render(const dc_qrpng *q, uint8_t *canvas, int w, int h, size_t stride,
		    int x, int y, int scale, int quiet)
{
	if (!q || !canvas || scale < 1 || quiet < 0 || x < 0 || y < 0)
		return -1;
	int side = dc_qrpng_side(q, scale, quiet);
	int mods = q->code->width;
	if (side > w - x || side > h - y || stride < (size_t)w)
		return -1;

	for (int py = 0; py < side; py++) {
		uint8_t *row = canvas + (size_t)(y + py) * stride + x;
		int my = py / scale - quiet;
		for (int px = 0; px < side; px++) {
			int mx = px / scale - quiet;
			int dark = mx >= 0 && my >= 0 && mx < mods && my < mods &&
				   (q->code->data[my * mods + mx] & 1);
			row[px] = dark ? 0 : 255;
		}
	}
	return 0;
}

/* libpng reports errors by longjmp; keeping the setjmp in a function whose
 * locals are never changed after it avoids clobbered-variable bugs. */
static int write_png_rows(png_structp png, png_infop info, FILE *f,
			  const uint8_t *pix, int w, int h, size_t stride)
{
	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 9);
	png_write_info(png, info);
	for (int r = 0; r < h; r++)
		png_write_row(png, (png_const_bytep)(pix + (size_t)r * stride));
	png_write_end(png, NULL);
	return 0;
}

int dc_qrpng_write_grey(const char *path, const uint8_t *pix, int w, int h, size_t stride)
{
	int ret = -1;
	FILE *f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;

	if (!path || !pix || w <= 0 || h <= 0 || stride < (size_t)w)
		return -1;
	f = fopen(path, "wb");
	if (!f)
		goto out;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png)
		goto out;
	info = png_create_info_struct(png);
	if (!info)
		goto out;
	if (write_png_rows(png, info, f, pix, w, h, stride) != 0)
		goto out;
	ret = 0;
out:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	if (f && fclose(f) != 0)
		ret = -1;
	if (ret != 0 && path)
		remove(path);
	return ret;
}

int dc_qrpng_write(const dc_qrpng *q, const char *path, int scale, int quiet)
{
	if (!q || scale < 1 || quiet < 0)
		return -1;
	int side = dc_qrpng_side(q, scale, quiet);
	uint8_t *pix = malloc((size_t)side * (size_t)side);
	if (!pix)
		return -1;
	int ret = dc_qrpng_render(q, pix, side, side, (size_t)side, 0, 0, scale, quiet);
	if (ret == 0)
		ret = dc_qrpng_write_grey(path, pix, side, side, (size_t)side);
	free(pix);
	return ret;
}
