/*
 * dc_qrpng: text -> QR code (libqrencode) -> 8-bit grey pixels -> PNG
 * (libpng). Used by doorcheck-mint for shc:/ codes (8-bit prefix + numeric
 * segment) and HC1: codes (one alphanumeric segment).
 *
 * Pixels are 0 (black module) and 255 (white module and quiet zone); the
 * rest of a canvas is left as the caller filled it. PNGs carry no time or
 * text chunks, so the same pixels always give the same file bytes.
 */
#ifndef DC_QRPNG_H
#define DC_QRPNG_H

#include <stddef.h>
#include <stdint.h>

#define DC_QRPNG_MAX_SEGMENTS 8
#define DC_QRPNG_DEFAULT_SCALE 4 /* pixels per module */
#define DC_QRPNG_QUIET 4         /* quiet zone in modules (ISO 18004) */

typedef enum {
	DC_QRPNG_MODE_8BIT = 0,
	DC_QRPNG_MODE_NUM,     /* digits only */
	DC_QRPNG_MODE_AN,      /* 0-9 A-Z space $ % * + - . / : (HC1) */
} dc_qrpng_mode;

typedef enum {
	DC_QRPNG_ECC_L = 0,
	DC_QRPNG_ECC_M,
	DC_QRPNG_ECC_Q,
	DC_QRPNG_ECC_H,
} dc_qrpng_ecc;

typedef struct {
	dc_qrpng_mode mode;
	const char *data; /* not NUL-terminated necessarily */
	size_t len;
} dc_qrpng_segment;

typedef struct dc_qrpng dc_qrpng; /* one encoded QR symbol */

/* Encodes the segments, in order, into the smallest QR version that holds
 * them at this ECC level. NULL if the data does not fit (version 40) or a
 * segment has characters its mode cannot carry. */
dc_qrpng *dc_qrpng_new(const dc_qrpng_segment *segs, size_t n, dc_qrpng_ecc ecc);

/* An shc:/ text as SHC 1.4 asks: the prefix up to the last '/' as an 8-bit
 * segment, the digits after it as a numeric segment, ECC level L. */
dc_qrpng *dc_qrpng_new_shc(const char *text, size_t len);

void dc_qrpng_free(dc_qrpng *q); /* NULL is safe */

int dc_qrpng_version(const dc_qrpng *q);
int dc_qrpng_modules(const dc_qrpng *q); /* modules per side, no quiet zone */

/* Pixel side of the symbol with `quiet` modules of quiet zone each side. */
int dc_qrpng_side(const dc_qrpng *q, int scale, int quiet);

/* Draws the symbol (quiet zone included) with its top-left corner at (x, y)
 * into a grey canvas of w x h pixels with `stride` bytes per row. Returns -1
 * (drawing nothing) if it would not fit entirely. */
int dc_qrpng_render(const dc_qrpng *q, uint8_t *canvas, int w, int h, size_t stride,
		    int x, int y, int scale, int quiet);

/* Writes a grey buffer as an 8-bit greyscale PNG. 0 or -1. */
int dc_qrpng_write_grey(const char *path, const uint8_t *pix, int w, int h, size_t stride);

/* Convenience: the symbol alone (scale, quiet zone) as a PNG. 0 or -1. */
int dc_qrpng_write(const dc_qrpng *q, const char *path, int scale, int quiet);

#endif
