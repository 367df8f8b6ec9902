/*
 * dc_zxing: zxing-cpp (Debian libzxing-dev 1.4) behind a C interface, for
 * the scan scheduler in dc_scan.c only. QR codes only.
 *
 * The image is borrowed for the call. pix_stride > 1 reads every
 * pix_stride-th pixel of every row_stride-th byte row (a nearest-neighbour
 * downscale with no copy). Each code zxing finds is handed to `hit` while
 * zxing still holds it; its bytes are zeroised before zxing frees them, so
 * the callback must copy what it keeps. zxing allocates its own working
 * memory per call (its allocation, not ours); it is never told to log.
 *
 * Built as dc_zxing.cpp when the meson feature `zxing` finds zxing, or as
 * dc_zxing_none.c (dc_zx_available() == 0, dc_zx_read() == -1) without it.
 */
#ifndef DC_ZXING_H
#define DC_ZXING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dc_zx_binarizer {
	DC_ZX_LOCAL = 0,  /* local average (zxing's HybridBinarizer) */
	DC_ZX_GLOBAL = 1, /* global histogram valley */
	DC_ZX_FIXED = 2,  /* threshold 127: for frames we normalised */
};

typedef struct {
	int binarizer;    /* enum dc_zx_binarizer */
	int try_harder;   /* zxing's TryHarder: more finder-pattern rows */
	int try_downscale;/* zxing's own downscaled passes for large frames */
} dc_zx_opts;

/* One QR code found. ok == 0: a symbol was located but not decoded (the
 * position is still valid: the scheduler looks there next). Corners are in
 * the pixel units of the view passed to dc_zx_read (divide nothing: the
 * caller scales by its pix_stride), clockwise from top-left. */
typedef struct {
	int ok;
	const uint8_t *data; /* raw bytes of the symbol's content; NULL if !ok */
	size_t len;
	int x[4], y[4];
} dc_zx_hit;

/* Return nonzero to stop being called for further hits of this read. */
typedef int (*dc_zx_hit_fn)(void *ctx, const dc_zx_hit *hit);

int dc_zx_available(void);

/* Number of hits handed to `hit` (0 when nothing was located), or -1 on a
 * bad argument, a missing zxing or an exception inside zxing (out of
 * memory included). Never throws. */
int dc_zx_read(const uint8_t *img, int width, int height, int row_stride,
	       int pix_stride, const dc_zx_opts *opts, dc_zx_hit_fn hit,
	       void *ctx);

#ifdef __cplusplus
}
#endif

#endif
