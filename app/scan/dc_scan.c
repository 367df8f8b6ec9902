/*
 * dc_scan: ZBar, QR only, inverted codes too.
 *
 * Per frame, our code allocates nothing: the zbar_image is created once and
 * pointed at the caller's plane (zbar_image_set_data, no cleanup handler,
 * so ZBar never frees it); a strided plane is first packed into a buffer
 * sized at start-up, because ZBar's Y800 images have no stride. ZBar's
 * result symbols are recycled with zbar_image_scanner_recycle_image().
 *
 * Inverted codes (light modules on dark) use ZBar's ZBAR_CFG_TEST_INVERTED
 * (present in 0.23.92): when a frame yields nothing, ZBar scans an inverted
 * copy itself. That copy is ZBar's allocation, not ours.
 */
#include "dc_scan.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <zbar.h>

struct dc_scanner {
	zbar_image_scanner_t *zs;
	zbar_image_t *img;
	int max_w, max_h;
	uint8_t *pack;        /* max_w * max_h, for strided frames */
	int n;
	size_t len[DC_SCAN_MAX_CODES];
	char text[DC_SCAN_MAX_CODES][DC_SCAN_MAX_TEXT + 1];
};

/* ZBar keeps its decoded copies of the texts in symbols it recycles for
 * later frames; zero them before they go back to its pool so that no QR
 * text lingers in ZBar's heap. The data pointer is ZBar's own buffer. */
static void zero_zbar_symbols(dc_scanner *s)
{
	const zbar_symbol_set_t *set = zbar_image_get_symbols(s->img);
	if (!set)
		return;
	for (const zbar_symbol_t *sym = zbar_symbol_set_first_symbol(set); sym;
	     sym = zbar_symbol_next(sym)) {
		char *d = (char *)zbar_symbol_get_data(sym);
		unsigned n = zbar_symbol_get_data_length(sym);
		if (d && n)
			mbedtls_platform_zeroize(d, n);
	}
}

static void release_results(dc_scanner *s)
{
	zero_zbar_symbols(s);
	zbar_image_scanner_recycle_image(s->zs, s->img);
}

dc_scanner *dc_scanner_new(int max_width, int max_height)
{
	dc_scanner *s = NULL;

	if (max_width <= 0 || max_height <= 0 ||
	    (size_t)max_width * (size_t)max_height > DC_SCAN_MAX_PIXELS)
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		goto fail;
	s->max_w = max_width;
	s->max_h = max_height;
	s->pack = malloc((size_t)max_width * (size_t)max_height);
	s->zs = zbar_image_scanner_create();
	s->img = zbar_image_create();
	if (!s->pack || !s->zs || !s->img)
		goto fail;
	zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	if (zbar_image_scanner_set_config(s->zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE,
					  1) != 0)
		goto fail;
	if (zbar_image_scanner_set_config(s->zs, ZBAR_NONE,
					  ZBAR_CFG_TEST_INVERTED, 1) != 0)
		goto fail;
	/* No result cache: every frame reports what it sees; repeat
	 * suppression is dc_collect's job, with its own rules. */
	zbar_image_scanner_enable_cache(s->zs, 0);
	zbar_image_set_format(s->img, zbar_fourcc('Y', '8', '0', '0'));
	return s;
fail:
	dc_scanner_free(s);
	return NULL;
}

void dc_scanner_wipe(dc_scanner *s)
{
	if (!s)
		return;
	if (s->img && s->zs)
		release_results(s);
	mbedtls_platform_zeroize(s->text, sizeof s->text);
	memset(s->len, 0, sizeof s->len);
	s->n = 0;
	if (s->pack)
		mbedtls_platform_zeroize(s->pack,
					 (size_t)s->max_w * (size_t)s->max_h);
}

void dc_scanner_free(dc_scanner *s)
{
	if (!s)
		return;
	dc_scanner_wipe(s);
	if (s->img)
		zbar_image_destroy(s->img);
	if (s->zs)
		zbar_image_scanner_destroy(s->zs);
	free(s->pack);
	free(s);
}

static int already_have(const dc_scanner *s, const char *d, size_t n)
{
	for (int i = 0; i < s->n; i++)
		if (s->len[i] == n && memcmp(s->text[i], d, n) == 0)
			return 1;
	return 0;
}

int dc_scanner_scan(dc_scanner *s, const uint8_t *y, int width, int height,
		    int stride)
{
	const uint8_t *plane = y;

	if (!s || !y || width <= 0 || height <= 0 || stride < width ||
	    width > s->max_w || height > s->max_h)
		return -1;

	/* The previous frame's texts end here. */
	release_results(s);
	for (int i = 0; i < s->n; i++)
		mbedtls_platform_zeroize(s->text[i], s->len[i] + 1);
	s->n = 0;

	if (stride != width) {
		for (int r = 0; r < height; r++)
			memcpy(s->pack + (size_t)r * width,
			       y + (size_t)r * stride, (size_t)width);
		plane = s->pack;
	}
	zbar_image_set_size(s->img, (unsigned)width, (unsigned)height);
	zbar_image_set_data(s->img, plane, (unsigned long)width * height,
			    NULL);
	int found = zbar_scan_image(s->zs, s->img);
	if (found > 0) {
		const zbar_symbol_set_t *set = zbar_image_get_symbols(s->img);
		for (const zbar_symbol_t *sym =
			     set ? zbar_symbol_set_first_symbol(set) : NULL;
		     sym && s->n < DC_SCAN_MAX_CODES;
		     sym = zbar_symbol_next(sym)) {
			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
				continue;
			const char *d = zbar_symbol_get_data(sym);
			size_t n = zbar_symbol_get_data_length(sym);
			/* Longer than any QR can hold as text: not ours. */
			if (!d || n == 0 || n > DC_SCAN_MAX_TEXT)
				continue;
			if (already_have(s, d, n))
				continue;
			memcpy(s->text[s->n], d, n);
			s->text[s->n][n] = 0;
			s->len[s->n] = n;
			s->n++;
		}
	}
	/* Detach the caller's plane: it is only borrowed for this call. */
	zbar_image_set_data(s->img, NULL, 0, NULL);
	if (plane == s->pack)
		mbedtls_platform_zeroize(s->pack, (size_t)width * height);
	return s->n;
}

int dc_scanner_set_density(dc_scanner *s, int density)
{
	if (!s || density < 1 || density > 4)
		return -1;
	if (zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_X_DENSITY,
					  density) != 0 ||
	    zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_Y_DENSITY,
					  density) != 0)
		return -1;
	return 0;
}

const char *dc_scanner_text(const dc_scanner *s, int i, size_t *len)
{
	if (!s || i < 0 || i >= s->n) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = s->len[i];
	return s->text[i];
}
