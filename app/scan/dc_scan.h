/*
 * dc_scan: grey frame -> QR texts. Two decoders (ZBar, and zxing-cpp when
 * built with it) run by a scheduler that spreads the costly attempts over
 * consecutive frames of a camera stream (docs/scanner.md):
 *
 *  - every frame: one cheap attempt on the whole frame (zxing's fast
 *    settings);
 *  - when that located a symbol but could not decode it, or a code was read
 *    there a moment ago: costlier attempts on that region (ZBar, an
 *    upscaled copy for small modules, a contrast-normalised copy for glare
 *    and low contrast, an inverted copy), as many as the budget allows;
 *  - otherwise, on one frame in three: the next of the blind variants on
 *    the whole frame (inverted, ZBar, other binarisers), within the budget.
 *
 * So a code held in view for a few frames meets every attempt, while an
 * empty frame costs one cheap attempt on most frames. Without zxing (or
 * with decoders = DC_SCAN_ZBAR) each frame gets one whole-frame ZBar pass
 * with its inverted retry, as before the scheduler. The only state
 * carried from frame to frame is where a symbol was seen and which variant
 * comes next; texts never are. Data flows one way: frame -> texts.
 *
 * All buffers are sized at dc_scanner_new(); dc_scanner_scan() allocates
 * nothing of its own per frame (ZBar and zxing allocate their own working
 * memory inside their calls). Texts returned are owned by the scanner and
 * valid until the next scan or dc_scanner_wipe()/free, which zeroise them,
 * and every copy of the frame the scanner made.
 */
#ifndef DC_SCAN_H
#define DC_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define DC_SCAN_MAX_CODES 8

/* The longest text kept per code (a version 40 QR holds at most 7089
 * numeric characters; same value as DC_MAX_QR_TEXT in app/core/dc_verify.h)
 * and the largest frame a scanner can be sized for. Longer texts are
 * skipped, never truncated. */
#define DC_SCAN_MAX_TEXT 7089
#define DC_SCAN_MAX_PIXELS (8192u * 8192u) /* = DC_IMAGE_MAX_PIXELS */

/* Frames a still image is read as (a code held still for half a second at
 * 30 frames per second): doorcheck-verify --image and doorcheck-scan. */
#define DC_SCAN_STILL_FRAMES 15

typedef struct dc_scanner dc_scanner;

/* Scheduled, both decoders when built in, default budget and density. */
dc_scanner *dc_scanner_new(int max_width, int max_height);
void dc_scanner_free(dc_scanner *s);  /* NULL is safe; wipes */

/* Returns the number of QR codes found (0..DC_SCAN_MAX_CODES), or -1 when
 * the frame is larger than the scanner was sized for. */
int dc_scanner_scan(dc_scanner *s, const uint8_t *y, int width, int height,
		    int stride);
const char *dc_scanner_text(const dc_scanner *s, int i, size_t *len);

/* Zeroises the texts and frame copies, and forgets where a code was seen
 * (the next card is somewhere else): the schedule starts over. */
void dc_scanner_wipe(dc_scanner *s);

/* ZBar's X/Y density for its whole-frame passes: every `density`-th row
 * and column (1..4, default 1). 2 roughly halves ZBar's cost and still
 * finds codes with modules of 3 px and more; region passes always use 1.
 * Returns 0, or -1 for a value out of range. */
int dc_scanner_set_density(dc_scanner *s, int density);

/* --- configuration (kiosk keys scan_density, scan_budget_ms) ------------ */

#define DC_SCAN_ZBAR 1u
#define DC_SCAN_ZXING 2u

/* Per-frame CPU budget, ms: the cheap attempt always runs; further
 * attempts run while their estimated cost fits what is left of it. The
 * default (budget_ms = 0) is DC_SCAN_BUDGET_DEFAULT_MS for 640x480,
 * growing with the frame's pixels up to DC_SCAN_BUDGET_CAP_MS (reached at
 * about 1000x600): a frame spending its budget plus the next frame's
 * cheap scan, verification and render stay within one 30 fps frame. */
#define DC_SCAN_BUDGET_DEFAULT_MS 12.0
#define DC_SCAN_BUDGET_CAP_MS 18.0
#define DC_SCAN_BUDGET_MAX_MS 1000.0

typedef struct {
	unsigned decoders; /* DC_SCAN_ZBAR | DC_SCAN_ZXING; only built ones */
	int density;       /* as dc_scanner_set_density */
	double budget_ms;  /* 0 (by frame size) .. DC_SCAN_BUDGET_MAX_MS */
	/* 1: no schedule, one whole-frame pass of each decoder per frame (with
	 * decoders = DC_SCAN_ZBAR this is the scanner before the scheduler;
	 * for comparisons: tests/bench/bench_scan_rate.c). */
	int single;
} dc_scan_config;

/* The decoders this build has (DC_SCAN_ZBAR, | DC_SCAN_ZXING with zxing). */
unsigned dc_scan_decoders_available(void);

/* Defaults: every decoder built in, density 1, the default budget,
 * scheduled. */
void dc_scan_config_default(dc_scan_config *c);

/* Applies c (and wipes, as a new schedule starts). 0, or -1 when a value is
 * out of range or names no decoder this build has; s is then unchanged. */
int dc_scanner_config(dc_scanner *s, const dc_scan_config *c);

/* "zbar", "zxing", "zbar,zxing" -> mask; 0 for anything else. */
unsigned dc_scan_decoders_parse(const char *list);

/* A still image read as DC_SCAN_STILL_FRAMES (or `frames`, 1..1000)
 * consecutive frames of a code held still: the schedule starts over, runs
 * until a frame yields texts, and returns them as dc_scanner_scan does.
 * *used (if not NULL) is the number of frames run. */
int dc_scanner_scan_still(dc_scanner *s, const uint8_t *y, int width,
			  int height, int stride, int frames, int *used);

#endif
