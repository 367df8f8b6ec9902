/*
 * dc_scan: grey frame -> QR texts, with ZBar configured for QR only
 * (inverted codes too).
 *
 * All buffers are sized at dc_scanner_new(); dc_scanner_scan() allocates
 * nothing of its own per frame. Texts returned are owned by the scanner and
 * valid until the next scan or dc_scanner_wipe()/free, which zeroise them.
 */
#ifndef DC_SCAN_H
#define DC_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define DC_SCAN_MAX_CODES 8

/* Added by the scan owner (nothing else changed): the longest text kept per
 * code (a version 40 QR holds at most 7089 numeric characters; same value as
 * DC_MAX_QR_TEXT in app/core/dc_verify.h), and the largest frame a scanner
 * can be sized for. Longer texts are skipped, never truncated. */
#define DC_SCAN_MAX_TEXT 7089
#define DC_SCAN_MAX_PIXELS (8192u * 8192u) /* = DC_IMAGE_MAX_PIXELS */

typedef struct dc_scanner dc_scanner;

dc_scanner *dc_scanner_new(int max_width, int max_height);
void dc_scanner_free(dc_scanner *s);  /* NULL is safe; wipes */

/* Returns the number of QR codes found (0..DC_SCAN_MAX_CODES), or -1 when
 * the frame is larger than the scanner was sized for. */
int dc_scanner_scan(dc_scanner *s, const uint8_t *y, int width, int height,
		    int stride);
const char *dc_scanner_text(const dc_scanner *s, int i, size_t *len);
void dc_scanner_wipe(dc_scanner *s);

/* Added by the scan owner: scan every `density`-th row and column (ZBar's
 * X/Y density; 1..4, default 1). 2 roughly doubles frames per second and
 * still finds codes with modules of 3 px and more (tests/bench/bench_scan.c,
 * docs/camera.md); keep 1 where codes appear small or blurred. Returns 0, or
 * -1 for a value out of range. */
int dc_scanner_set_density(dc_scanner *s, int density);

#endif
