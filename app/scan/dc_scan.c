/*
 * dc_scan: the scan scheduler over ZBar and zxing-cpp (see dc_scan.h and
 * docs/scanner.md for the schedule and the figures behind it).
 *
 * Per frame, our code allocates nothing: the zbar_image is created once and
 * pointed at a plane (zbar_image_set_data, no cleanup handler, so ZBar never
 * frees it); strided planes, crops, inverted, scaled and normalised copies
 * go into three frame-sized buffers allocated at start-up. ZBar's result
 * symbols are recycled with zbar_image_scanner_recycle_image(); zxing's
 * results are zeroised by the shim (dc_zxing.cpp) before zxing frees them.
 *
 * ZBar scans an inverted copy itself when a frame yields nothing
 * (ZBAR_CFG_TEST_INVERTED, present in 0.23.92): that copy is ZBar's
 * allocation, not ours. zxing 1.4 cannot invert: we do.
 *
 * The CPU budget is kept by the thread's CPU clock and a running estimate
 * of each attempt's cost per pixel, so an attempt that would overrun the
 * budget is put off to a later frame instead of started.
 */
#include "dc_scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef DC_SCAN_TRACE
#include <stdio.h>
#endif

#include <mbedtls/platform_util.h>
#include <zbar.h>

#include "dc_qrfind.h"
#include "dc_zxing.h"

/* Attempts. */
enum {
	V_ZX_FAST,   /* zxing, local binariser, whole frame: every frame */
	V_ZB_FULL,   /* ZBar, whole frame (density as configured) */
	V_ZX_INV,    /* zxing on the inverted frame (dark mode) */
	V_ZB_HALF,   /* ZBar on the frame box-downscaled 2x (cheap, big codes) */
	V_ZX_GLOBAL, /* zxing, global-histogram binariser */
	V_ZX_HARD,   /* zxing TryHarder */
	V_ZX_NORM,   /* zxing on the contrast-stretched frame */
	V_R_ZB,      /* ZBar on the region */
	V_R_ZX_UP,   /* zxing TryHarder on the region upscaled 2x */
	V_R_ZX_NORM, /* zxing on the contrast-stretched region */
	V_R_ZX_INV,  /* zxing on the inverted region */
	V_R_ZB_UP,   /* ZBar on the region upscaled 2x */
	V_R_ZX_NORM_UP, /* zxing on the stretched region upscaled 2x */
	V_R_ZB_INV,  /* ZBar on the inverted region */
	V_R_ZX_SHARP, /* zxing on the sharpened region (defocus, motion) */
	V_R_ZB_SHARP, /* ZBar on the sharpened region */
	V_R_ZX_WARP, /* zxing on the region's outline warped to a square */
	V_R_ZB_WARP, /* ZBar on the same */
	V_R_ZX_WARP_INV, /* zxing on the warped outline, inverted */
	V_R_LOCATE,  /* the three finder patterns -> the region's outline */
	V_R_ZX_DEBLUR,  /* zxing on the region, unsharp 0.45 module x 4 */
	V_R_ZB_DEBLUR,  /* ZBar on the same */
	V_R_ZB_DEBLUR2, /* ZBar on the region, unsharp 0.55 module x 8 */
	V_ZB_DEBLUR,    /* ZBar on the frame (halved when large), unsharp */
	V_ZB_DEBLUR2,   /* the same, stronger (0.55 module x 8) */
	V_ZB_RESTORE,   /* ZBar on the frame (halved when large) deconvolved */
	V_R_ZB_BIN,     /* ZBar on the region, local threshold */
	V_ZB_MOTION,    /* ZBar on the region or frame, motion deblurred */
	V_ZB_MOTION_WIDE, /* the same on the whole frame when no code located */
	V_COUNT
};

/* Blind attempts (no region known), one a time in this order on one frame
 * in three (the deblurred ones twice a round: blur, from focus or a shaking
 * hand, is what the cheap attempt misses most). First the motion attempt
 * (only its estimate, about 0.2 ms, unless the patch is shaken), then
 * zxing's inverted and global-histogram passes (2-3 ms: both fit beside
 * the cheap attempt), then the deconvolution (about 10 ms with ZBar's pass
 * at 640x480: it fits a blind frame only when little else ran on it).
 * Region attempts, in this
 * order, on every frame that has a region. Not here (measured, see
 * docs/scanner.md): the region deconvolved (read no more than the attempts
 * it put off) and the whole frame locally thresholded (2 reads of 48 on
 * the low-contrast frames even with no budget, for 9 ms). */
static const int blind_zx[] = { V_ZB_MOTION, V_ZX_INV, V_ZX_GLOBAL,
				V_ZB_RESTORE, V_ZB_DEBLUR, V_ZX_NORM,
				V_ZB_HALF, V_ZB_DEBLUR2, V_ZB_DEBLUR, V_ZB_FULL,
				V_ZB_DEBLUR2, V_ZX_HARD };
static const int region_zx[] = { V_R_ZB_BIN, V_ZB_MOTION_WIDE,
				 V_R_ZX_WARP, V_R_ZX_UP,
				 V_R_ZB_DEBLUR, V_R_ZX_WARP_INV, V_R_ZX_NORM,
				 V_R_ZB_DEBLUR2, V_R_ZX_INV, V_R_ZB, V_R_ZX_DEBLUR,
				 V_R_ZX_SHARP, V_R_ZB_INV, V_R_ZB_SHARP,
				 V_R_ZB_WARP, V_R_ZX_NORM_UP, V_R_ZB_UP };
#define N_BLIND ((int)(sizeof blind_zx / sizeof blind_zx[0]))
#define N_REGION ((int)(sizeof region_zx / sizeof region_zx[0]))

/* First guesses of ns per pixel on a 2-core x86 (refined as they run). */
static const double cost_guess[V_COUNT] = {
	[V_ZX_FAST] = 5, [V_ZB_FULL] = 65, [V_ZX_INV] = 6, [V_ZB_HALF] = 65,
	[V_ZX_GLOBAL] = 5, [V_ZX_HARD] = 12, [V_ZX_NORM] = 7, [V_R_ZB] = 30,
	[V_R_ZX_UP] = 12, [V_R_ZX_NORM] = 7, [V_R_ZX_INV] = 6,
	[V_R_ZB_UP] = 30, [V_R_ZX_NORM_UP] = 12, [V_R_ZB_INV] = 30,
	[V_R_ZX_SHARP] = 12, [V_R_ZB_SHARP] = 30, [V_R_ZX_WARP] = 15,
	[V_R_ZB_WARP] = 30, [V_R_ZX_WARP_INV] = 16, [V_R_LOCATE] = 8,
	[V_R_ZX_DEBLUR] = 25, [V_R_ZB_DEBLUR] = 45, [V_R_ZB_DEBLUR2] = 45,
	[V_ZB_DEBLUR] = 40, [V_ZB_DEBLUR2] = 40,
	[V_ZB_RESTORE] = 70, [V_R_ZB_BIN] = 40,
	[V_ZB_MOTION] = 40, [V_ZB_MOTION_WIDE] = 40,
};

/* The deconvolution's blur (modules), steps and gain (in 32nds): the
 * corpus's hardest defocus is 0.59 module, which leaves its finest module
 * patterns a fifth of their contrast. Each step multiplies what is still
 * missing at a frequency the blur passes by h by (1 - gain h): 2 steps of
 * gain 3 give back four fifths of those patterns (3 steps of 1.5, the
 * former setting: three fifths) for two blurs instead of three. The
 * coarser patterns (h above 2/3) overshoot instead, and the clamp to the
 * grey range takes that: a printed code has two greys. */
#define RESTORE_SIGMA 0.6
#define RESTORE_ITERS 2
#define RESTORE_GAIN32 96

/* Motion deblurring: the least anisotropy of the gradients taken for a
 * shake (the corpus's frames without one stay below 0.06, its shaken
 * codes above 0.18), the longest blur looked for (px, as deconvolved),
 * the Landweber steps (on the corpus 8 read more than 4 or 16). */
#define MOTION_ANISO 0.15
#define MOTION_KMAX 16
#define MOTION_ITERS 8

/* A region is tried for this many frames after a symbol was seen there. */
#define REGION_TTL 12
#define BLIND_PERIOD 3
/* A located code (three finder patterns) is worked on for as long as a
 * still is read (DC_SCAN_STILL_FRAMES), on its blind frames. */
#define LOCATED_TTL (5 * BLIND_PERIOD)
/* The finder's cells, px. */
#define CELL 16

typedef struct {
	int x0, y0, x1, y1; /* [x0, x1) x [y0, y1) in frame pixels */
	int ttl;            /* frames left; 0: none */
	/* The code's outline when known (a located symbol's corners, or the
	 * finder's patch), clockwise from top-left, quiet zone included. */
	int has_quad;
	double qx[4], qy[4];
	/* The outline comes from the three finder patterns (dc_qrfind):
	 * exact enough to warp to the symbol's own module grid. */
	int located;
	int looked;     /* dc_qrfind ran on it */
	int zx;         /* zxing located a symbol there (every frame's work) */
	double module;  /* px per module when known (finders), else 0 */
	int inverted;   /* located with light modules on dark */
	double modules; /* symbol width in modules, quiet zone included */
} region;

struct dc_scanner {
	zbar_image_scanner_t *zs;
	zbar_image_t *img;
	int max_w, max_h;
	size_t cap;            /* bytes in each of the buffers below */
	uint8_t *pack;         /* strided frames for ZBar, crops */
	uint8_t *work;         /* inverted / normalised / downscaled */
	uint8_t *up;           /* upscaled (2 * cap bytes) */
	size_t dirty[3];       /* bytes of each written since the last wipe */
	dc_scan_config cfg;
	int n;
	size_t len[DC_SCAN_MAX_CODES];
	char text[DC_SCAN_MAX_CODES][DC_SCAN_MAX_TEXT + 1];
	/* schedule */
	unsigned frame;
	int blind_next, region_next;
	/* The region list went once round on a located code without a read:
	 * its next blind frame gives the whole-frame list the budget first. */
	int region_lapped;
	region roi, seen; /* roi: current; seen: found during this frame */
	double cost[V_COUNT];
	unsigned char measured[V_COUNT]; /* cost[] measured here, not guessed */
	double t0, budget; /* this frame's start and budget, ms */
	int first_extra;   /* no attempt past the cheap one ran this frame */
	int gated;         /* the attempt found nothing to work on: not timed */
	/* the finder's cell grid */
	int gw, gh;
	uint8_t *cell;       /* gw * gh: 1 = looks like a code */
	int *stack;          /* gw * gh: flood fill */
	uint16_t *line;      /* gauss3's 16-bit scratch (gauss_scratch) */
	uint8_t *qthr;       /* dc_qrfind's block thresholds */
	size_t qthr_cap;
	int qthr_dirty;      /* block means of a frame: a coarse copy */
};

/* The box filters' largest radius (a blur wider than this many px is
 * filtered as this wide) and the 16-bit scratch gauss3 needs for a w x h
 * plane: four lines, r + 2 rows, and a row of 32-bit sums. */
#define GAUSS_RMAX 12
static size_t gauss_scratch(int w, int h)
{
	return 4 * (size_t)(w > h ? w : h) + 2 + (size_t)(GAUSS_RMAX + 4) * w;
}

/* The default budget: DC_SCAN_BUDGET_DEFAULT_MS for a 640x480 frame,
 * growing with the frame's pixels up to DC_SCAN_BUDGET_CAP_MS: a code that
 * arrives while a frame spends its budget waits for it, and then needs its
 * own cheap scan, verification and render (about 12 ms at 1280x720), all
 * within one 33 ms frame (bench-kiosk). */
static double auto_budget(int w, int h)
{
	double b = DC_SCAN_BUDGET_DEFAULT_MS * ((double)w * h) / (640.0 * 480.0);
	return b < DC_SCAN_BUDGET_DEFAULT_MS ? DC_SCAN_BUDGET_DEFAULT_MS
	       : b > DC_SCAN_BUDGET_CAP_MS ? DC_SCAN_BUDGET_CAP_MS : b;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

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

unsigned dc_scan_decoders_available(void)
{
	return DC_SCAN_ZBAR | (dc_zx_available() ? DC_SCAN_ZXING : 0u);
}

void dc_scan_config_default(dc_scan_config *c)
{
	memset(c, 0, sizeof *c);
	c->decoders = dc_scan_decoders_available();
	c->density = 1;
	c->budget_ms = 0; /* by frame size */
	c->single = 0;
}

unsigned dc_scan_decoders_parse(const char *list)
{
	unsigned m = 0;
	const char *p = list;
	if (!p || !*p)
		return 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 4 && memcmp(p, "zbar", 4) == 0)
			m |= DC_SCAN_ZBAR;
		else if (n == 5 && memcmp(p, "zxing", 5) == 0)
			m |= DC_SCAN_ZXING;
		else
			return 0;
		if (!e)
			break;
		p = e + 1;
		if (!*p)
			return 0;
	}
	return m;
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
	s->cap = (size_t)max_width * (size_t)max_height;
	s->pack = malloc(s->cap);
	s->work = malloc(s->cap);
	s->up = malloc(2 * s->cap); /* a region of up to half the frame, 2x */
	s->gw = (max_width + CELL - 1) / CELL;
	s->gh = (max_height + CELL - 1) / CELL;
	s->cell = malloc((size_t)s->gw * s->gh);
	s->stack = malloc(sizeof *s->stack * (size_t)s->gw * s->gh);
	s->qthr_cap = dc_qrfind_thr_size(max_width, max_height);
	s->qthr = malloc(s->qthr_cap);
	s->line = malloc(sizeof *s->line * gauss_scratch(max_width, max_height));
	s->zs = zbar_image_scanner_create();
	s->img = zbar_image_create();
	if (!s->pack || !s->work || !s->up || !s->cell || !s->stack ||
	    !s->qthr || !s->line || !s->zs || !s->img)
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
	dc_scan_config_default(&s->cfg);
	for (int i = 0; i < V_COUNT; i++)
		s->cost[i] = cost_guess[i];
	return s;
fail:
	dc_scanner_free(s);
	return NULL;
}

static void clear_texts(dc_scanner *s)
{
	for (int i = 0; i < s->n; i++)
		mbedtls_platform_zeroize(s->text[i], s->len[i] + 1);
	memset(s->len, 0, sizeof s->len);
	s->n = 0;
}

static void zero_buffers(dc_scanner *s)
{
	uint8_t *b[3] = { s->pack, s->work, s->up };
	for (int i = 0; i < 3; i++)
		if (b[i] && s->dirty[i])
			mbedtls_platform_zeroize(b[i], s->dirty[i]);
	memset(s->dirty, 0, sizeof s->dirty);
	if (s->qthr && s->qthr_dirty)
		mbedtls_platform_zeroize(s->qthr, s->qthr_cap);
	s->qthr_dirty = 0;
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
	zero_buffers(s);
	s->frame = 0;
	s->blind_next = s->region_next = 0;
	s->region_lapped = 0;
	memset(&s->roi, 0, sizeof s->roi);
	memset(&s->seen, 0, sizeof s->seen);
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
	free(s->work);
	free(s->up);
	free(s->cell);
	free(s->stack);
	if (s->qthr)
		mbedtls_platform_zeroize(s->qthr, s->qthr_cap);
	free(s->qthr);
	free(s->line);
	free(s);
}

static void mark(dc_scanner *s, const uint8_t *buf, size_t n)
{
	int i = buf == s->pack ? 0 : buf == s->work ? 1 : 2;
	if (n > s->dirty[i])
		s->dirty[i] = n;
}

static void add_text(dc_scanner *s, const void *d, size_t n)
{
	/* Longer than any QR can hold as text: not ours. */
	if (!d || n == 0 || n > DC_SCAN_MAX_TEXT || s->n >= DC_SCAN_MAX_CODES)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->len[i] == n && memcmp(s->text[i], d, n) == 0)
			return;
	memcpy(s->text[s->n], d, n);
	s->text[s->n][n] = 0;
	s->len[s->n] = n;
	s->n++;
}

/* --- where a symbol was seen --------------------------------------------- */

/* Keeps q as r's outline, grown away from its centre by `grow` of its size
 * plus `add` pixels, if it is a convex quadrilateral with sides of at least
 * 24 px inside the frame (after clipping). Otherwise r has no outline. */
static void set_quad(region *r, const double *qx, const double *qy,
		     double grow, double add, int w, int h)
{
	double cx = 0, cy = 0;
	r->has_quad = 0;
	for (int i = 0; i < 4; i++)
		cx += qx[i] / 4, cy += qy[i] / 4;
	double sign = 0;
	for (int i = 0; i < 4; i++) {
		int j = (i + 1) & 3, k = (i + 2) & 3;
		double ex = qx[j] - qx[i], ey = qy[j] - qy[i];
		if (ex * ex + ey * ey < 24.0 * 24.0)
			return;
		double cr = ex * (qy[k] - qy[j]) - ey * (qx[k] - qx[j]);
		if (cr == 0 || (sign != 0 && (cr > 0) != (sign > 0)))
			return;
		sign = cr;
	}
	for (int i = 0; i < 4; i++) {
		double dx = qx[i] - cx, dy = qy[i] - cy;
		double d = dx * dx + dy * dy > 1 ? 1.0 / sqrt(dx * dx + dy * dy)
						 : 0;
		double x = qx[i] + dx * grow + dx * d * add;
		double y = qy[i] + dy * grow + dy * d * add;
		r->qx[i] = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
		r->qy[i] = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
	}
	/* Clockwise on screen (y down) from the corner nearest the top-left. */
	if (sign < 0) {
		double t = r->qx[1];
		r->qx[1] = r->qx[3], r->qx[3] = t;
		t = r->qy[1];
		r->qy[1] = r->qy[3], r->qy[3] = t;
	}
	int first = 0;
	for (int i = 1; i < 4; i++)
		if (r->qx[i] + r->qy[i] < r->qx[first] + r->qy[first])
			first = i;
	double tx[4], ty[4];
	for (int i = 0; i < 4; i++)
		tx[i] = r->qx[(first + i) & 3], ty[i] = r->qy[(first + i) & 3];
	for (int i = 0; i < 4; i++)
		r->qx[i] = tx[i], r->qy[i] = ty[i];
	r->has_quad = 1;
}

/* Grows r to hold the quadrilateral (in frame pixels) with a margin of a
 * fifth of its size, clipped to the frame. Corners are untrusted (they come
 * out of a decoder's guess): anything outside the frame is clipped. */
static void note_region(dc_scanner *s, const int *x, const int *y, int w,
			int h)
{
	long x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
	for (int i = 1; i < 4; i++) {
		x0 = x[i] < x0 ? x[i] : x0;
		x1 = x[i] > x1 ? x[i] : x1;
		y0 = y[i] < y0 ? y[i] : y0;
		y1 = y[i] > y1 ? y[i] : y1;
	}
	long mx = (x1 - x0) / 5 + 8, my = (y1 - y0) / 5 + 8;
	x0 -= mx, x1 += mx, y0 -= my, y1 += my;
	x0 = x0 < 0 ? 0 : x0 > w ? w : x0;
	x1 = x1 < 0 ? 0 : x1 > w ? w : x1;
	y0 = y0 < 0 ? 0 : y0 > h ? h : y0;
	y1 = y1 < 0 ? 0 : y1 > h ? h : y1;
	if (x1 - x0 < 16 || y1 - y0 < 16)
		return;
	region *r = &s->seen;
	if (r->ttl) {
		x0 = x0 < r->x0 ? x0 : r->x0;
		y0 = y0 < r->y0 ? y0 : r->y0;
		x1 = x1 > r->x1 ? x1 : r->x1;
		y1 = y1 > r->y1 ? y1 : r->y1;
		r->has_quad = 0; /* two symbols: no one outline */
		r->located = 0;
	} else {
		double qx[4], qy[4];
		for (int i = 0; i < 4; i++)
			qx[i] = x[i], qy[i] = y[i];
		/* The symbol's corners; its quiet zone is 4 of its 21..177
		 * modules further out: grow it by a tenth. */
		set_quad(r, qx, qy, 0.1, 0, w, h);
	}
	r->x0 = (int)x0, r->x1 = (int)x1, r->y0 = (int)y0, r->y1 = (int)y1;
	r->ttl = REGION_TTL;
	r->zx = 1;
}

/* --- the decoders ---------------------------------------------------------- */

typedef struct {
	dc_scanner *s;
	int ox, oy;      /* view origin in the frame */
	int num, den;    /* frame px = view px * num / den; num 0: warped */
	int w, h;        /* frame size */
} zx_ctx;

static int zx_hit(void *ctx, const dc_zx_hit *hit)
{
	zx_ctx *c = ctx;
	int x[4], y[4];
	if (c->num == 0) {
		/* A warped view: the outline it came from stays the region. */
		if (!c->s->seen.ttl) {
			c->s->seen = c->s->roi;
			c->s->seen.ttl = REGION_TTL;
			c->s->seen.zx = 1;
		}
	} else {
		for (int i = 0; i < 4; i++) {
			x[i] = c->ox + (int)((long)hit->x[i] * c->num / c->den);
			y[i] = c->oy + (int)((long)hit->y[i] * c->num / c->den);
		}
		note_region(c->s, x, y, c->w, c->h);
	}
	if (hit->ok)
		add_text(c->s, hit->data, hit->len);
	return 0;
}

static void run_zx(dc_scanner *s, const uint8_t *p, int vw, int vh,
		   int stride, int binarizer, int harder, int ox, int oy,
		   int num, int den, int fw, int fh)
{
	dc_zx_opts o = { binarizer, harder, 0 };
	zx_ctx c = { s, ox, oy, num, den, fw, fh };
	(void)dc_zx_read(p, vw, vh, stride, 1, &o, zx_hit, &c);
}

/* ZBar on a packed plane; texts added; ZBar's symbols zeroised. ZBar gives
 * no position for what it cannot decode, so it never sets a region. */
static void run_zb(dc_scanner *s, const uint8_t *p, int w, int h,
		   int density)
{
	/* ZBar's inverted retry doubles its cost on a frame without a code:
	 * only where no zxing pass inverts. */
	int inv = s->cfg.single || !(s->cfg.decoders & DC_SCAN_ZXING);
	zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED,
				      inv);
	zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_X_DENSITY,
				      density);
	zbar_image_scanner_set_config(s->zs, ZBAR_NONE, ZBAR_CFG_Y_DENSITY,
				      density);
	zbar_image_set_size(s->img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(s->img, p, (unsigned long)w * h, NULL);
	if (zbar_scan_image(s->zs, s->img) > 0) {
		const zbar_symbol_set_t *set = zbar_image_get_symbols(s->img);
		for (const zbar_symbol_t *sym =
			     set ? zbar_symbol_set_first_symbol(set) : NULL;
		     sym; sym = zbar_symbol_next(sym)) {
			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
				continue;
			add_text(s, zbar_symbol_get_data(sym),
				 zbar_symbol_get_data_length(sym));
		}
	}
	release_results(s);
	/* Detach the plane: it is only borrowed for this call. */
	zbar_image_set_data(s->img, NULL, 0, NULL);
}

/* --- frame copies ---------------------------------------------------------- */

static void crop(uint8_t *dst, const uint8_t *y, int stride, const region *r)
{
	int w = r->x1 - r->x0;
	for (int row = r->y0; row < r->y1; row++)
		memcpy(dst + (size_t)(row - r->y0) * w,
		       y + (size_t)row * stride + r->x0, (size_t)w);
}

static void invert(uint8_t *dst, const uint8_t *y, int w, int h, int stride)
{
	for (int r = 0; r < h; r++) {
		const uint8_t *src = y + (size_t)r * stride;
		uint8_t *d = dst + (size_t)r * w;
		for (int x = 0; x < w; x++)
			d[x] = (uint8_t)(255 - src[x]);
	}
}

/* Stretches the 1st..99th percentile to 0..255: low contrast and a veil of
 * glare leave the code a narrow band of greys, which binarisers with a
 * minimum contrast (zxing's) take for flat. */
static void stretch(uint8_t *dst, const uint8_t *y, int w, int h, int stride)
{
	unsigned hist[256] = { 0 };
	for (int r = 0; r < h; r += 2) {
		const uint8_t *src = y + (size_t)r * stride;
		for (int x = 0; x < w; x += 2)
			hist[src[x]]++;
	}
	unsigned total = 0;
	for (int i = 0; i < 256; i++)
		total += hist[i];
	unsigned lo_n = total / 100, acc = 0;
	int lo = 0, hi = 255;
	for (lo = 0; lo < 255 && acc + hist[lo] <= lo_n; lo++)
		acc += hist[lo];
	acc = 0;
	for (hi = 255; hi > 0 && acc + hist[hi] <= lo_n; hi--)
		acc += hist[hi];
	if (hi - lo < 8)
		hi = lo + 8;
	uint8_t lut[256];
	for (int i = 0; i < 256; i++) {
		int v = (i - lo) * 255 / (hi - lo);
		lut[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
	for (int r = 0; r < h; r++) {
		const uint8_t *src = y + (size_t)r * stride;
		uint8_t *d = dst + (size_t)r * w;
		for (int x = 0; x < w; x++)
			d[x] = lut[src[x]];
	}
}

static void down2(uint8_t *dst, const uint8_t *y, int w, int h, int stride)
{
	int ow = w / 2, oh = h / 2;
	for (int r = 0; r < oh; r++) {
		const uint8_t *a = y + (size_t)(2 * r) * stride;
		const uint8_t *b = a + stride;
		uint8_t *d = dst + (size_t)r * ow;
		for (int x = 0; x < ow; x++)
			d[x] = (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] +
					  b[2 * x + 1] + 2) >> 2);
	}
}

/* Unsharp mask, pixel + 2 x (pixel - mean of its 3x3), edge pixels copied:
 * a blur of about a module's width leaves modules a faint ripple; this
 * triples it (amount 2 read the most of 1, 2, 3 on the corpus). */
static void sharpen(uint8_t *dst, const uint8_t *y, int w, int h, int stride)
{
	for (int r = 0; r < h; r++) {
		const uint8_t *c = y + (size_t)r * stride;
		uint8_t *d = dst + (size_t)r * w;
		if (r == 0 || r == h - 1) {
			memcpy(d, c, (size_t)w);
			continue;
		}
		const uint8_t *a = c - stride, *b = c + stride;
		d[0] = c[0];
		d[w - 1] = c[w - 1];
		for (int x = 1; x < w - 1; x++) {
			int m = a[x - 1] + a[x] + a[x + 1] + c[x - 1] + c[x] +
				c[x + 1] + b[x - 1] + b[x] + b[x + 1];
			int v = c[x] + 2 * (9 * c[x] - m) / 9;
			d[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
}

/* A gaussian of `sigma` px on w x h 16-bit values in place, as three box
 * passes each way (their sum of variances is sigma^2; the kernel is within
 * a few percent of the gaussian). line: gauss_scratch(w, h) values. */
static void gauss3(uint16_t *p, int w, int h, double sigma, uint16_t *line)
{
	int r = (int)((sqrt(4 * sigma * sigma + 1) - 1) / 2 + 0.5);
	if (r < 1)
		r = 1;
	if (r > GAUSS_RMAX)
		r = GAUSS_RMAX;
	unsigned d = (unsigned)(2 * r + 1);
	/* Divide by multiplying (values are 12-bit, so a sum times the
	 * 16-bit reciprocal fits 32 bits; off by a 16th of a grey at most). */
	uint32_t inv = (65536u + d - 1) / d;
	/* The columns are filtered a row at a time (a column walked down a
	 * plane misses the cache at every value: that was most of the cost),
	 * each input row kept in a ring of r + 1 until its last use. */
	size_t off = 4 * (size_t)w;
	uint16_t *ring = line + off;
	uint16_t *last = ring + (size_t)(r + 1) * w;
	size_t ao = off + (size_t)(r + 2) * w;
	ao += ao & 1;
	uint32_t *acc = (uint32_t *)(void *)(line + ao);
	for (int pass = 0; pass < 3; pass++) {
		/* Rows four at a time: a running sum is a chain of dependent
		 * additions, and four independent chains keep the core busy. */
		int l = 0;
		for (; l + 4 <= h && w >= 2 * r + 2; l += 4) {
			uint16_t *q[4];
			unsigned sum[4];
			for (int k = 0; k < 4; k++) {
				q[k] = p + (size_t)(l + k) * w;
				memcpy(line + (size_t)k * w, q[k],
				       sizeof *line * (size_t)w);
				sum[k] = 0;
				const uint16_t *a = line + (size_t)k * w;
				for (int i = -r; i <= r; i++)
					sum[k] += a[i < 0 ? 0 : i];
			}
			const uint16_t *a0 = line, *a1 = line + w,
				       *a2 = line + 2 * (size_t)w,
				       *a3 = line + 3 * (size_t)w;
			for (int i = 0; i < w; i++) {
				q[0][i] = (uint16_t)(((sum[0] + d / 2) * inv) >> 16);
				q[1][i] = (uint16_t)(((sum[1] + d / 2) * inv) >> 16);
				q[2][i] = (uint16_t)(((sum[2] + d / 2) * inv) >> 16);
				q[3][i] = (uint16_t)(((sum[3] + d / 2) * inv) >> 16);
				int out = i - r, in = i + r + 1;
				out = out < 0 ? 0 : out;
				in = in >= w ? w - 1 : in;
				sum[0] += (unsigned)a0[in] - a0[out];
				sum[1] += (unsigned)a1[in] - a1[out];
				sum[2] += (unsigned)a2[in] - a2[out];
				sum[3] += (unsigned)a3[in] - a3[out];
			}
		}
		for (; l < h; l++) {
			uint16_t *q = p + (size_t)l * w;
			memcpy(line, q, sizeof *q * (size_t)w);
			/* edges repeat the end values */
			unsigned sum = 0;
			for (int i = -r; i <= r; i++)
				sum += line[i < 0 ? 0 : i >= w ? w - 1 : i];
			for (int i = 0; i < w; i++) {
				q[i] = (uint16_t)(((sum + d / 2) * inv) >> 16);
				int out = i - r, in = i + r + 1;
				sum -= line[out < 0 ? 0 : out];
				sum += line[in >= w ? w - 1 : in];
			}
		}
		memcpy(last, p + (size_t)(h - 1) * w, sizeof *p * (size_t)w);
		memset(acc, 0, sizeof *acc * (size_t)w);
		for (int k = -r; k <= r; k++) {
			const uint16_t *a =
				p + (size_t)(k < 0 ? 0 : k >= h ? h - 1 : k) * w;
			for (int x = 0; x < w; x++)
				acc[x] += a[x];
		}
		for (int i = 0; i < h; i++) {
			uint16_t *q = p + (size_t)i * w;
			memcpy(ring + (size_t)(i % (r + 1)) * w, q,
			       sizeof *q * (size_t)w);
			for (int x = 0; x < w; x++)
				q[x] = (uint16_t)(((acc[x] + d / 2) * inv) >> 16);
			int out = i - r, in = i + r + 1;
			const uint16_t *o =
				ring + (size_t)((out < 0 ? 0 : out) % (r + 1)) * w;
			const uint16_t *n = in >= h ? last : p + (size_t)in * w;
			for (int x = 0; x < w; x++)
				acc[x] += (uint32_t)n[x] - o[x];
		}
	}
}

/* Unsharp mask with a gaussian of `sigma` px and a large `amount`: a
 * defocused or shaken code keeps its modules as faint ripples of about its
 * blur's width, which a mask of that width and an amount of 4 to 8 lifts
 * back above both decoders' thresholds (a 3x3 sharpen is too narrow for a
 * blur of half a module at 3 px per module and more). tmp: w * h values. */
static void deblur(uint8_t *dst, const uint8_t *y, int w, int h, int stride,
		   double sigma, int amount, uint16_t *tmp, uint16_t *line)
{
	for (int r = 0; r < h; r++) {
		const uint8_t *src = y + (size_t)r * stride;
		uint16_t *t = tmp + (size_t)r * w;
		for (int x = 0; x < w; x++)
			t[x] = (uint16_t)(src[x] << 4);
	}
	gauss3(tmp, w, h, sigma, line);
	for (int r = 0; r < h; r++) {
		const uint8_t *src = y + (size_t)r * stride;
		const uint16_t *t = tmp + (size_t)r * w;
		uint8_t *o = dst + (size_t)r * w;
		for (int x = 0; x < w; x++) {
			int c = src[x] << 4;
			int v = (c + amount * (c - (int)t[x]) + 8) >> 4;
			o[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
	/* The scratch line held frame pixels. */
	mbedtls_platform_zeroize(line, sizeof *line * gauss_scratch(w, h));
}

/* Deconvolution of a gaussian blur of `sigma` px by `iters` steps of
 * projected Landweber (Van Cittert): f += gain (g - G f), f kept in 0..255
 * (RESTORE_GAIN32).
 * An unsharp mask lifts every detail finer than its width by the same
 * amount, so on a blur of 0.6 module the finest module patterns (left a
 * fifth of their contrast) come back weaker than the coarser ones around
 * them; each step here restores what the blur took in proportion to what
 * is still missing, and the clamp to the grey range (a printed code has
 * two greys) keeps the ringing of the larger gains in check.
 * tmp: w * h values; line: max(w, h) values of scratch. */
static void restore(uint8_t *dst, const uint8_t *y, int w, int h, int stride,
		    double sigma, int iters, uint16_t *tmp, uint16_t *line)
{
	for (int r = 0; r < h; r++) {
		const uint8_t *g = y + (size_t)r * stride;
		uint8_t *o = dst + (size_t)r * w;
		uint16_t *t = tmp + (size_t)r * w;
		for (int x = 0; x < w; x++) {
			o[x] = g[x];
			t[x] = (uint16_t)(g[x] << 4);
		}
	}
	for (int it = 0; it < iters; it++) {
		gauss3(tmp, w, h, sigma, line);
		for (int r = 0; r < h; r++) {
			const uint8_t *g = y + (size_t)r * stride;
			uint16_t *t = tmp + (size_t)r * w;
			uint8_t *o = dst + (size_t)r * w;
			for (int x = 0; x < w; x++) {
				int e = (g[x] << 4) - (int)t[x];
				int v = o[x] + ((RESTORE_GAIN32 * e + 256) >> 9);
				v = v < 0 ? 0 : v > 255 ? 255 : v;
				o[x] = (uint8_t)v;
				t[x] = (uint16_t)(v << 4);
			}
		}
	}
	mbedtls_platform_zeroize(line, sizeof *line * gauss_scratch(w, h));
}

/* A local threshold: each pixel, smoothed over a third of a module (the
 * sensor's grain), against the mean of about 5 modules around it. A code
 * of 24 grey levels under noise, or on grainy, shadowed paper, has edges
 * too faint or too uneven for ZBar's own edge detector; black and white
 * cut at the local mean it reads. tmp: w * h values. */
static void binarise(uint8_t *dst, const uint8_t *y, int w, int h, int stride,
		     double module, uint16_t *tmp, uint16_t *line)
{
	size_t n = (size_t)w * h;
	for (int r = 0; r < h; r++) {
		const uint8_t *src = y + (size_t)r * stride;
		uint16_t *t = tmp + (size_t)r * w;
		for (int x = 0; x < w; x++)
			t[x] = (uint16_t)(src[x] << 4);
	}
	gauss3(tmp, w, h, 0.35 * module, line);
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)((tmp[i] + 8) >> 4);
	gauss3(tmp, w, h, 2.0 * module, line);
	for (size_t i = 0; i < n; i++)
		dst[i] = (dst[i] << 4) < tmp[i] ? 0 : 255;
	mbedtls_platform_zeroize(line, sizeof *line * gauss_scratch(w, h));
}

/* --- motion blur ------------------------------------------------------------ */

/* The direction of a motion blur, from the structure tensor of the
 * gradients over w x h (every 2nd pixel): a shake smears every edge along
 * one direction, so the gradients along it are weaker than across it and
 * the tensor's smaller eigenvector points along the blur. A code's own
 * edges run both ways (modules are square), so its tensor is round when it
 * is sharp or defocused. Returns the anisotropy, (l1 - l2) / (l1 + l2),
 * 0 for a flat patch; *ang: the blur's direction, radians, y down. */
static double motion_dir(const uint8_t *y, int w, int h, int stride,
			 double *ang)
{
	double jxx = 0, jyy = 0, jxy = 0;
	*ang = 0;
	for (int r = 1; r + 1 < h; r += 2) {
		const uint8_t *c = y + (size_t)r * stride;
		const uint8_t *a = c - stride, *b = c + stride;
		long sxx = 0, syy = 0, sxy = 0;
		for (int x = 1; x + 1 < w; x += 2) {
			int gx = c[x + 1] - c[x - 1], gy = b[x] - a[x];
			sxx += gx * gx;
			syy += gy * gy;
			sxy += gx * gy;
		}
		jxx += (double)sxx, jyy += (double)syy, jxy += (double)sxy;
	}
	double tr = jxx + jyy;
	if (tr <= 0)
		return 0;
	/* The larger eigenvector is at phi; the blur across it. */
	double phi = 0.5 * atan2(2 * jxy, jxx - jyy);
	*ang = phi + M_PI / 2;
	return sqrt((jxx - jyy) * (jxx - jyy) + 4 * jxy * jxy) / tr;
}

/* The canvas a w x h plane turned by `ang` needs: with each row's span
 * (two int32 after the pixels), at most `cap` bytes (rows cut evenly top
 * and bottom past that: the corners it loses are the plane's own, where a
 * code held up to the camera is not). */
static void turn_size(int w, int h, double ang, size_t cap, int *tw, int *th)
{
	double c = fabs(cos(ang)), sn = fabs(sin(ang));
	*tw = (int)ceil(w * c + h * sn) + 1;
	*th = (int)ceil(w * sn + h * c) + 1;
	if (((size_t)*tw + 8) * (size_t)*th + 8 > cap)
		*th = (int)((cap - 8) / ((size_t)*tw + 8));
}

/* The plane turned so that direction `ang` runs along the canvas's rows
 * (bilinear, 8-bit fixed point). Each row's span inside the plane goes to
 * span[2 r], span[2 r + 1]; outside it the row repeats its span's ends (no
 * edges there for ZBar to follow, nothing for the deconvolution to do). */
static void turn(uint8_t *dst, int32_t *span, int tw, int th, const uint8_t *y,
		 int w, int h, int stride, double ang)
{
	double c = cos(ang), sn = sin(ang);
	long mx = (long)(w - 1) << 16, my = (long)(h - 1) << 16;
	long dx = lround(c * 65536), dy = lround(sn * 65536);
	for (int r = 0; r < th; r++) {
		double v = r - (th - 1) / 2.0;
		double u = -(tw - 1) / 2.0;
		/* 16.16 fixed point, stepping (c, sn) per column */
		long fx = lround((w - 1) / 2.0 * 65536 + (u * c - v * sn) * 65536);
		long fy = lround((h - 1) / 2.0 * 65536 + (u * sn + v * c) * 65536);
		uint8_t *o = dst + (size_t)r * tw;
		int xa = -1, xb = -1;
		for (int x = 0; x < tw; x++, fx += dx, fy += dy) {
			if (fx < 0 || fy < 0 || fx > mx || fy > my)
				continue;
			if (xa < 0)
				xa = x;
			xb = x + 1;
			int ix = (int)(fx >> 16), iy = (int)(fy >> 16);
			unsigned ax = (unsigned)(fx >> 8) & 255,
				 ay = (unsigned)(fy >> 8) & 255;
			const uint8_t *p = y + (size_t)iy * stride + ix;
			const uint8_t *p2 = iy + 1 < h ? p + stride : p;
			int nx = ix + 1 < w;
			unsigned t = p[0] * (256 - ax) + p[nx] * ax;
			unsigned b = p2[0] * (256 - ax) + p2[nx] * ax;
			o[x] = (uint8_t)((t * (256 - ay) + b * ay + 32768) >> 16);
		}
		if (xa < 0) {
			memset(o, 128, (size_t)tw);
			xa = xb = 0;
		} else {
			memset(o, o[xa], (size_t)xa);
			memset(o + xb, o[xb - 1], (size_t)(tw - xb));
		}
		span[2 * r] = xa, span[2 * r + 1] = xb;
	}
}

/* The length of a motion blur along the rows (px), 0 if none shows: a box
 * blur of length L makes each row's derivative the difference of two
 * copies of the sharp edges L apart, so the derivative's autocorrelation
 * has its deepest trough at a lag of L. Lags 2..kmax, every 4th row. */
static int motion_len(const uint8_t *p, int w, int h, int kmax)
{
	double acf[33] = { 0 };
	if (kmax > 32)
		kmax = 32;
	if (w < 2 * kmax + 4)
		return 0;
	for (int r = 2; r < h; r += 4) {
		const uint8_t *q = p + (size_t)r * w;
		for (int k = 0; k <= kmax; k++) {
			long a = 0;
			for (int x = 0; x + k + 1 < w; x++)
				a += (long)(q[x + 1] - q[x]) *
				     (q[x + k + 1] - q[x + k]);
			acf[k] += (double)a;
		}
	}
	if (acf[0] <= 0)
		return 0;
	int best = 0;
	double lo = 0;
	for (int k = 2; k <= kmax; k++)
		if (acf[k] < lo)
			lo = acf[k], best = k;
	/* A trough shallower than this is a code's own module rhythm. */
	return lo < -0.15 * acf[0] ? best : 0;
}

/* A box blur of length len (k whole taps each side of the centre and a
 * fraction e of the next, both ends) along a row of n values, the rows'
 * ends repeated: the running sum as a prefix sum (integer additions, one
 * a value) and the taps read from it, a loop the compiler vectorises.
 * f: n values at f[pad..pad + n), pad > k + 1 each side, rewritten here;
 * ps: n + 1 values. */
static void box_row(float *o, int32_t *f, int32_t *ps, int n, int pad, int k,
		    float e, float inv)
{
	int32_t *v = f + pad;
	for (int i = 1; i <= pad; i++)
		v[-i] = v[0], v[n - 1 + i] = v[n - 1];
	/* ps[i] = sum of v[-k - 1 .. i - k - 1) */
	int32_t acc = 0;
	ps[0] = 0;
	for (int i = 0; i < n + 2 * k + 1; i++)
		acc += v[i - k], ps[i + 1] = acc;
	/* box(i) = v[i - k .. i + k] + e (v[i - k - 1] + v[i + k + 1]) */
	for (int i = 0; i < n; i++)
		o[i] = ((float)(ps[i + 2 * k + 1] - ps[i]) +
			e * (float)(v[i - k - 1] + v[i + k + 1])) * inv;
}

/* Deconvolution of a box blur of `len` px along each row of a tw x th
 * plane, in place: `iters` steps of projected Landweber, f += 1.8 B (g - B
 * f), f kept in 0..255 (the box is symmetric, so B is its own transpose;
 * unlike the defocus's Van Cittert steps this also converges where the
 * box's response is negative, between its zeros, which a box longer than a
 * module has at module frequencies). Each row is independent and stays in
 * `line`: four rows of tw + 2 (len / 2 + 2) 32-bit values. */
static void unbox(uint8_t *p, const int32_t *span, int tw, int th,
		  double len, int iters, uint16_t *line)
{
	int k = (int)((len - 1) / 2), pad = k + 2, n = tw + 2 * pad;
	float e = (float)((len - (2 * k + 1)) / 2), inv = (float)(1 / len);
	int32_t *f = (int32_t *)(void *)line, *rr = f + n, *ps = rr + n;
	float *t = (float *)(void *)(ps + n);
	for (int r = 0; r < th; r++) {
		int xa = span[2 * r], m = span[2 * r + 1] - xa;
		uint8_t *q = p + (size_t)r * tw + xa;
		int32_t *fv = f + pad, *rv = rr + pad;
		if (m < 2)
			continue;
		for (int x = 0; x < m; x++)
			fv[x] = q[x] << 4;
		for (int it = 0; it < iters; it++) {
			box_row(t, f, ps, m, pad, k, e, inv);
			for (int x = 0; x < m; x++)
				rv[x] = (q[x] << 4) - (int32_t)t[x];
			box_row(t, rr, ps, m, pad, k, e, inv);
			for (int x = 0; x < m; x++) {
				int32_t v = fv[x] + (int32_t)(1.8f * t[x]);
				fv[x] = v < 0 ? 0 : v > 4080 ? 4080 : v;
			}
		}
		for (int x = 0; x < m; x++)
			q[x] = (uint8_t)((fv[x] + 8) >> 4);
		/* the repeated ends follow */
		memset(q - xa, q[0], (size_t)xa);
		memset(q + m, q[m - 1], (size_t)(tw - xa - m));
	}
	mbedtls_platform_zeroize(line, sizeof(int32_t) * 4 * (size_t)n);
}

/* Bilinear 2x (src packed, w x h -> 2w x 2h). */
static void up2(uint8_t *dst, const uint8_t *src, int w, int h)
{
	int ow = 2 * w;
	for (int r = 0; r < 2 * h; r++) {
		int y0 = (r - 1) / 2, y1;
		if (y0 < 0)
			y0 = 0;
		y1 = y0 + 1 < h ? y0 + 1 : h - 1;
		int fy = (r & 1) ? 1 : 3; /* weight of y0 row in quarters */
		if (r == 0)
			fy = 4;
		const uint8_t *a = src + (size_t)y0 * w, *b = src + (size_t)y1 * w;
		uint8_t *d = dst + (size_t)r * ow;
		for (int c = 0; c < ow; c++) {
			int x0 = (c - 1) / 2, x1;
			if (x0 < 0)
				x0 = 0;
			x1 = x0 + 1 < w ? x0 + 1 : w - 1;
			int fx = (c & 1) ? 1 : 3;
			if (c == 0)
				fx = 4;
			int top = a[x0] * fx + a[x1] * (4 - fx);
			int bot = b[x0] * fx + b[x1] * (4 - fx);
			d[c] = (uint8_t)((top * fy + bot * (4 - fy) + 8) >> 4);
		}
	}
}

/* --- the finder ------------------------------------------------------------ */

/* The finder's corner cells: the largest of these wins. 0..3: top-left,
 * top-right, bottom-right, bottom-left of an upright patch; 4..7: top,
 * right, bottom, left of one turned by about 45 degrees. */
static int ext_key(int k, int x, int y)
{
	switch (k) {
	case 0: return -(x + y);
	case 1: return x - y;
	case 2: return x + y;
	case 3: return y - x;
	case 4: return -y;
	case 5: return x;
	case 6: return y;
	default: return -x;
	}
}

/* Where is something that looks like a QR code, when no decoder located
 * one? A QR code is a patch of dense, high-contrast transitions. Every 4th
 * row is cut into CELL-pixel runs; a run with a grey range of at least 16
 * and twice the median run's (the frame's noise and texture) that crosses its mid grey (with a hysteresis of a quarter of its range)
 * at least twice counts for its cell; a cell with 2 such runs of its 4 is
 * "busy". The largest 8-connected patch of busy cells that is at least
 * 3 x 3 cells and not most of the frame becomes the region, two cells
 * wider on each side (a blurred code's edge cells are not busy). Costs about one read of a quarter of the frame. */
static int find_region(dc_scanner *s, const uint8_t *y, int w, int h,
		       int stride, region *out)
{
	int gw = (w + CELL - 1) / CELL, gh = (h + CELL - 1) / CELL;
	unsigned hist[256] = { 0 }, runs = 0;
	memset(s->cell, 0, (size_t)gw * gh);
	/* First the runs' grey ranges: what the flat parts of this frame
	 * (sensor noise, texture) span. A code's runs span more than twice
	 * that. */
	for (int r = 2; r < h; r += 8) {
		const uint8_t *row = y + (size_t)r * stride;
		for (int x0 = 0; x0 + CELL <= w; x0 += CELL) {
			int lo = 255, hi = 0;
			for (int x = x0; x < x0 + CELL; x++) {
				lo = row[x] < lo ? row[x] : lo;
				hi = row[x] > hi ? row[x] : hi;
			}
			hist[hi - lo]++;
			runs++;
		}
	}
	int floor_range = 0;
	for (unsigned acc = 0; floor_range < 255; floor_range++) {
		acc += hist[floor_range];
		if (acc * 2 >= runs)
			break;
	}
	int min_range = floor_range + floor_range / 2;
	if (min_range < 16)
		min_range = 16;
	for (int r = 2; r < h; r += 4) {
		const uint8_t *row = y + (size_t)r * stride;
		uint8_t *crow = s->cell + (size_t)(r / CELL) * gw;
		for (int cx = 0; cx < gw; cx++) {
			int x0 = cx * CELL, x1 = x0 + CELL > w ? w : x0 + CELL;
			int lo = 255, hi = 0;
			for (int x = x0; x < x1; x++) {
				lo = row[x] < lo ? row[x] : lo;
				hi = row[x] > hi ? row[x] : hi;
			}
			if (hi - lo < min_range)
				continue;
			int mid = (lo + hi) / 2, hy = (hi - lo) / 4, st = 0, n = 0;
			for (int x = x0; x < x1; x++) {
				if (row[x] > mid + hy) {
					n += st == -1;
					st = 1;
				} else if (row[x] < mid - hy) {
					n += st == 1;
					st = -1;
				}
			}
			if (n >= 2 && crow[cx] < 255)
				crow[cx]++;
		}
	}
	for (int i = 0; i < gw * gh; i++)
		s->cell[i] = s->cell[i] >= 2;

	int best = 0, bx0 = 0, by0 = 0, bx1 = 0, by1 = 0;
	/* Extreme cells of the best patch: by x+y, x-y (a square seen
	 * upright) and by x, y (one turned by about 45 degrees). */
	int bext[8] = { 0 };
	for (int i = 0; i < gw * gh; i++) {
		if (s->cell[i] != 1)
			continue;
		int sp = 0, n = 0, x0 = gw, y0 = gh, x1 = 0, y1 = 0;
		int ext[8] = { i, i, i, i, i, i, i, i };
		s->stack[sp++] = i;
		s->cell[i] = 2;
		while (sp) {
			int c = s->stack[--sp], cx = c % gw, cy = c / gw;
			n++;
			x0 = cx < x0 ? cx : x0;
			x1 = cx > x1 ? cx : x1;
			y0 = cy < y0 ? cy : y0;
			y1 = cy > y1 ? cy : y1;
			for (int k = 0; k < 8; k++)
				if (ext_key(k, cx, cy) >
				    ext_key(k, ext[k] % gw, ext[k] / gw))
					ext[k] = c;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					int nx = cx + dx, ny = cy + dy;
					if (nx < 0 || ny < 0 || nx >= gw || ny >= gh)
						continue;
					int k = ny * gw + nx;
					if (s->cell[k] == 1) {
						s->cell[k] = 2;
						s->stack[sp++] = k;
					}
				}
		}
		if (n > best && x1 - x0 >= 2 && y1 - y0 >= 2) {
			best = n;
			bx0 = x0, by0 = y0, bx1 = x1, by1 = y1;
			memcpy(bext, ext, sizeof ext);
		}
	}
	if (best < 9 || best * 10 > gw * gh * 7)
		return 0;
	out->x0 = (bx0 - 2) * CELL < 0 ? 0 : (bx0 - 2) * CELL;
	out->y0 = (by0 - 2) * CELL < 0 ? 0 : (by0 - 2) * CELL;
	out->x1 = (bx1 + 3) * CELL > w ? w : (bx1 + 3) * CELL;
	out->y1 = (by1 + 3) * CELL > h ? h : (by1 + 3) * CELL;
	/* The patch's outline: whichever corner set spans more. */
	double qx[2][4], qy[2][4], area[2];
	for (int q = 0; q < 2; q++) {
		area[q] = 0;
		for (int i = 0; i < 4; i++) {
			int c = bext[4 * q + i];
			qx[q][i] = (c % gw) * CELL + CELL / 2.0;
			qy[q][i] = (c / gw) * CELL + CELL / 2.0;
		}
		for (int i = 0; i < 4; i++) {
			int j = (i + 1) & 3;
			area[q] += qx[q][i] * qy[q][j] - qx[q][j] * qy[q][i];
		}
		area[q] = fabs(area[q]) / 2;
	}
	int q = area[1] > area[0];
	set_quad(out, qx[q], qy[q], 0.06, 2.5 * CELL, w, h);
	out->ttl = 1;
	return 1;
}

/* The three finder patterns within the region (the whole frame without
 * one): on success the region becomes the code's fitted outline, and is
 * kept for LOCATED_TTL frames from when it was first located. */
static int locate(dc_scanner *s, const uint8_t *y, int w, int h, int stride,
		  region *r)
{
	dc_qrquad q;
	int x0 = 0, y0 = 0, x1 = w, y1 = h;
	if (r->ttl)
		x0 = r->x0, y0 = r->y0, x1 = r->x1, y1 = r->y1;
	s->qthr_dirty = 1;
	r->looked = 1;
	int got = dc_qrfind(y, w, h, stride, x0, y0, x1, y1, 2, s->qthr,
			    s->qthr_cap, &q);
	if (got == 2 && r->ttl) {
		/* Three finder patterns but no timing pattern: a code too
		 * blurred to fit, but a code. Its module size sets the
		 * deblurring, and it is worth the next frames too. */
		r->module = q.module;
		if (r->ttl < LOCATED_TTL)
			r->ttl = LOCATED_TTL;
		return 0;
	}
	if (got != 1)
		return 0;
	double bx0 = w, by0 = h, bx1 = 0, by1 = 0;
	for (int i = 0; i < 4; i++) {
		bx0 = q.qx[i] < bx0 ? q.qx[i] : bx0;
		bx1 = q.qx[i] > bx1 ? q.qx[i] : bx1;
		by0 = q.qy[i] < by0 ? q.qy[i] : by0;
		by1 = q.qy[i] > by1 ? q.qy[i] : by1;
	}
	/* The crops get a margin of a tenth: the fit may be a module or two
	 * off, and ZBar wants the quiet zone. */
	double mx = (bx1 - bx0) / 10, my = (by1 - by0) / 10;
	bx0 -= mx, bx1 += mx, by0 -= my, by1 += my;
	int nx0 = bx0 < 0 ? 0 : (int)bx0, ny0 = by0 < 0 ? 0 : (int)by0;
	int nx1 = bx1 >= w ? w : (int)bx1 + 1, ny1 = by1 >= h ? h : (int)by1 + 1;
	if (nx1 - nx0 < 16 || ny1 - ny0 < 16)
		return 0;
	int was = r->located && r->ttl;
	r->x0 = nx0, r->y0 = ny0, r->x1 = nx1, r->y1 = ny1;
	for (int i = 0; i < 4; i++)
		r->qx[i] = q.qx[i], r->qy[i] = q.qy[i];
	r->has_quad = 1;
	r->located = 1;
	r->modules = q.modules + 6;
	r->module = q.module;
	r->inverted = q.inverted;
	if (!was && r->ttl < LOCATED_TTL)
		r->ttl = LOCATED_TTL;
	return 1;
}

/* The square the region's outline is warped to: its longest side, so no
 * module shrinks, and for a located code at least 4 px per module (small
 * modules grow); 0 without an outline. At most what `up` holds. */
static int warp_side(const dc_scanner *s)
{
	const region *r = &s->roi;
	if (!r->has_quad)
		return 0;
	double m = r->located ? 4 * r->modules : 0;
	for (int i = 0; i < 4; i++) {
		int j = (i + 1) & 3;
		double dx = r->qx[j] - r->qx[i], dy = r->qy[j] - r->qy[i];
		double d = sqrt(dx * dx + dy * dy);
		m = d > m ? d : m;
	}
	double cap = sqrt(2.0 * (double)s->cap);
	if (m > cap)
		m = cap;
	return m < 32 ? 0 : (int)m;
}

/* Undoes the outline's perspective (Heckbert's square-to-quad mapping),
 * bilinear, into side x side. A phone tilted by 30 degrees and more shows
 * modules of quite different sizes at its near and far edges, and both
 * decoders' finder patterns must agree on one module size: here they do. */
static void warp(uint8_t *dst, int side, const uint8_t *y, int w, int h,
		 int stride, const region *r)
{
	const double *x = r->qx, *yy = r->qy;
	double dx1 = x[1] - x[2], dx2 = x[3] - x[2], dx3 = x[0] - x[1] + x[2] - x[3];
	double dy1 = yy[1] - yy[2], dy2 = yy[3] - yy[2],
	       dy3 = yy[0] - yy[1] + yy[2] - yy[3];
	double g = 0, hh = 0, den = dx1 * dy2 - dx2 * dy1;
	if (fabs(den) > 1e-9 && (fabs(dx3) > 1e-9 || fabs(dy3) > 1e-9)) {
		g = (dx3 * dy2 - dx2 * dy3) / den;
		hh = (dx1 * dy3 - dx3 * dy1) / den;
	}
	double a = x[1] - x[0] + g * x[1], b = x[3] - x[0] + hh * x[3], c = x[0];
	double d = yy[1] - yy[0] + g * yy[1], e = yy[3] - yy[0] + hh * yy[3],
	       f = yy[0];
	for (int row = 0; row < side; row++) {
		double v = (row + 0.5) / side;
		uint8_t *o = dst + (size_t)row * side;
		for (int col = 0; col < side; col++) {
			double u = (col + 0.5) / side;
			double q = g * u + hh * v + 1;
			double sx = (a * u + b * v + c) / q - 0.5;
			double sy = (d * u + e * v + f) / q - 0.5;
			if (!(sx >= 0))
				sx = 0;
			if (!(sy >= 0))
				sy = 0;
			if (sx > w - 1.001)
				sx = w - 1.001;
			if (sy > h - 1.001)
				sy = h - 1.001;
			int ix = (int)sx, iy = (int)sy;
			double fx = sx - ix, fy = sy - iy;
			const uint8_t *p = y + (size_t)iy * stride + ix;
			const uint8_t *p2 = iy + 1 < h ? p + stride : p;
			const uint8_t *q1 = ix + 1 < w ? p + 1 : p;
			const uint8_t *q2 = ix + 1 < w ? p2 + 1 : p2;
			double val = (1 - fy) * ((1 - fx) * p[0] + fx * q1[0]) +
				     fy * ((1 - fx) * p2[0] + fx * q2[0]);
			o[col] = (uint8_t)(val + 0.5);
		}
	}
}

/* --- one attempt ----------------------------------------------------------- */

static int needs(int v)
{
	return v == V_ZB_FULL || v == V_ZB_HALF || v == V_R_ZB ||
			       v == V_R_ZB_UP || v == V_R_ZB_INV ||
			       v == V_R_ZB_SHARP || v == V_R_ZB_WARP ||
			       v == V_R_ZB_DEBLUR || v == V_R_ZB_DEBLUR2 ||
			       v == V_ZB_DEBLUR || v == V_ZB_DEBLUR2 ||
			       v == V_ZB_RESTORE || v == V_R_ZB_BIN ||
			       v == V_ZB_MOTION || v == V_ZB_MOTION_WIDE
		       ? DC_SCAN_ZBAR
		       : DC_SCAN_ZXING;
}

/* ZBar's whole-frame pass: as configured when it is the only attempt of
 * a frame (single, or ZBar alone), at least 2 when scheduled with zxing (a
 * blind attempt under a budget; region passes read small modules at 1). */
static int zb_full_density(const dc_scanner *s)
{
	if (s->cfg.single || !(s->cfg.decoders & DC_SCAN_ZXING))
		return s->cfg.density;
	return s->cfg.density > 2 ? s->cfg.density : 2;
}

/* Whole-frame deblurring works on the frame halved when it is larger than
 * 1.5 x 640x480: modules of 5 px and more halve to what ZBar still reads,
 * at a quarter of the cost. */
static int half_large(int w, int h)
{
	return (double)w * h > 1.5 * 640 * 480 && w >= 64 && h >= 64;
}

/* Whether a region attempt can read the region's code in the polarity its
 * finder patterns were located in (dc_qrfind fits both and keeps the
 * better). Neither zxing 1.4 nor ZBar (its inverted retry is off beside
 * zxing) reads light modules on dark, so on a code located inverted only
 * the inverted copies and the warp (which inverts to the located polarity)
 * can read, and on one located dark on light the inverted copies cannot:
 * the others would spend the blind frames of a held code on pixels no
 * decoder reads. The warp in the other polarity stays, for a fit that took
 * the wrong one; unlocated regions and the whole frame: every attempt. */
static int polarity_ok(const region *r, int v)
{
	if (!r->located)
		return 1;
	switch (v) {
	case V_R_ZX_INV:
	case V_R_ZB_INV:
		return r->inverted;
	case V_R_ZB:
	case V_R_ZX_UP:
	case V_R_ZX_NORM:
	case V_R_ZB_UP:
	case V_R_ZX_NORM_UP:
	case V_R_ZX_SHARP:
	case V_R_ZB_SHARP:
	case V_R_ZX_DEBLUR:
	case V_R_ZB_DEBLUR:
	case V_R_ZB_DEBLUR2:
	case V_R_ZB_BIN:
	case V_ZB_MOTION_WIDE:
		return !r->inverted;
	default:
		return 1;
	}
}

/* What a motion attempt deconvolves: a located code's region (the wide
 * attempt's, in the region list), a busy patch (the blind one's; the wide
 * one takes the whole frame then: a patch without finder patterns is
 * often only the sharper part of a blurred code, a shake along the rows
 * leaving them few transitions), the whole frame without a region. The
 * whole frame is halved when large, as for the deblurring; a region is
 * not (modules of 5 px blurred by 1.6 module read far less once halved).
 * 0: nothing for this attempt. */
static int motion_rect(const dc_scanner *s, int wide, int w, int h, int *x0,
		       int *y0, int *x1, int *y1, int *half)
{
	const region *r = &s->roi;
	*x0 = 0, *y0 = 0, *x1 = w, *y1 = h;
	if (r->ttl && (r->located || r->zx)) {
		if (!wide)
			return 0;
		*x0 = r->x0, *y0 = r->y0, *x1 = r->x1, *y1 = r->y1;
	} else if (r->ttl && !wide) {
		*x0 = r->x0, *y0 = r->y0, *x1 = r->x1, *y1 = r->y1;
	}
	*half = half_large(w, h) &&
		2.0 * (*x1 - *x0) * (*y1 - *y0) > (double)w * h;
	return *x1 - *x0 >= 32 && *y1 - *y0 >= 32;
}

/* Pixels the attempt works on (for its cost estimate); 0: cannot run. */
static double work_px(const dc_scanner *s, int v, int w, int h)
{
	const region *r = &s->roi;
	if (!polarity_ok(r, v))
		return 0;
	double rp = r->ttl ? (double)(r->x1 - r->x0) * (r->y1 - r->y0) : 0;
	switch (v) {
	case V_ZB_HALF:
		return (double)(w / 2) * (h / 2);
	case V_ZB_FULL:
		return (double)w * h / zb_full_density(s);
	case V_R_ZB:
	case V_R_ZX_NORM:
	case V_R_ZX_INV:
	case V_R_ZB_INV:
	case V_R_ZX_SHARP:
	case V_R_ZB_SHARP:
		return rp;
	case V_ZB_RESTORE:
	case V_ZB_DEBLUR:
	case V_ZB_DEBLUR2:
		return half_large(w, h) ? (double)(w / 2) * (h / 2)
					: (double)w * h / 2;
	case V_ZB_MOTION:
	case V_ZB_MOTION_WIDE: {
		int x0, y0, x1, y1, half;
		if (!motion_rect(s, v == V_ZB_MOTION_WIDE, w, h, &x0, &y0, &x1,
				 &y1, &half))
			return 0;
		return (double)(x1 - x0) * (y1 - y0) / (half ? 4 : 1);
	}
	case V_R_LOCATE: /* once per region */
		return r->looked ? 0 : rp;
	case V_R_ZX_DEBLUR:
	case V_R_ZB_DEBLUR:
	case V_R_ZB_DEBLUR2:
	case V_R_ZB_BIN:
		return rp <= (double)s->cap ? rp : 0;
	case V_R_ZX_UP:
	case V_R_ZB_UP:
	case V_R_ZX_NORM_UP:
		return 4 * rp <= 2.0 * (double)s->cap ? 4 * rp : 0;
	case V_R_ZX_WARP:
	case V_R_ZB_WARP:
	case V_R_ZX_WARP_INV: {
		int side = warp_side(s);
		return r->ttl && side ? (double)side * side : 0;
	}
	default:
		return (double)w * h;
	}
}

/* ZBar on a copy with a motion blur undone: its direction from the
 * gradients of the code's patch (the background's edges would only dilute
 * it; the whole frame without one), its length from the rows' derivative
 * once turned along it, then the box deconvolved along the rows of the
 * turned copy (ZBar reads a code at any angle). A patch whose gradients
 * are round, or whose rows show no blur length, is not motion blurred:
 * only the estimate ran, and the attempt is not timed. */
static void motion(dc_scanner *s, const uint8_t *y, int w, int h, int stride,
		   int wide)
{
	const region *r = &s->roi;
	int x0, y0, x1, y1, half;
	s->gated = 1;
	if (!motion_rect(s, wide, w, h, &x0, &y0, &x1, &y1, &half))
		return;
	const region *d = r->ttl ? r : NULL;
	int dx0 = d ? d->x0 : 0, dy0 = d ? d->y0 : 0;
	int dx1 = d ? d->x1 : w, dy1 = d ? d->y1 : h;
	if (dx1 - dx0 < 32 || dy1 - dy0 < 32)
		return;
	double ang;
	double an = motion_dir(y + (size_t)dy0 * stride + dx0, dx1 - dx0,
			       dy1 - dy0, stride, &ang);
	if (an < MOTION_ANISO)
		return;
	const uint8_t *src = y;
	int ss = stride;
	if (half) {
		down2(s->pack, y, w, h, stride);
		ss = w / 2;
		src = s->pack;
		mark(s, s->pack, (size_t)(w / 2) * (h / 2));
		x0 /= 2, y0 /= 2, x1 /= 2, y1 /= 2;
	}
	int rw = x1 - x0, rh = y1 - y0;
	if (rw < 32 || rh < 32)
		return;
	src += (size_t)y0 * ss + x0;
	int tw, th;
	turn_size(rw, rh, ang, 2 * s->cap, &tw, &th);
	/* unbox's four rows of 32-bit values */
	size_t scratch = gauss_scratch(s->max_w, s->max_h);
	if (th < 32 || 10 * ((size_t)tw + 2 * MOTION_KMAX + 8) > scratch)
		return;
	/* the spans after the pixels, 4-byte aligned */
	int32_t *span = (int32_t *)(void *)(s->up +
					    (((size_t)tw * th + 3) & ~(size_t)3));
	turn(s->up, span, tw, th, src, rw, rh, ss, ang);
	mark(s, s->up, (((size_t)tw * th + 3) & ~(size_t)3) + 8 * (size_t)th);
	int len = motion_len(s->up, tw, th, MOTION_KMAX);
#ifdef DC_SCAN_TRACE
	fprintf(stderr, "  motion aniso %.3f ang %.1f len %d, %dx%d\n", an,
		ang * 180 / M_PI, len, tw, th);
#endif
	if (len < 3)
		return;
	s->gated = 0;
	unbox(s->up, span, tw, th, len, MOTION_ITERS, s->line);
	/* density 1: the deconvolved modules are sharp along the rows, not
	 * yet across, and every 2nd line read half as many */
	run_zb(s, s->up, tw, th, 1);
}

static void attempt(dc_scanner *s, int v, const uint8_t *y, int w, int h,
		    int stride)
{
	const region *r = &s->roi;
	int rw = r->x1 - r->x0, rh = r->y1 - r->y0;
	const uint8_t *packed = y;

	switch (v) {
	case V_ZX_FAST:
		run_zx(s, y, w, h, stride, DC_ZX_LOCAL, 0, 0, 0, 1, 1, w, h);
		break;
	case V_ZX_GLOBAL:
		run_zx(s, y, w, h, stride, DC_ZX_GLOBAL, 0, 0, 0, 1, 1, w, h);
		break;
	case V_ZX_HARD:
		run_zx(s, y, w, h, stride, DC_ZX_LOCAL, 1, 0, 0, 1, 1, w, h);
		break;
	case V_ZX_INV:
		invert(s->work, y, w, h, stride);
		mark(s, s->work, (size_t)w * h);
		run_zx(s, s->work, w, h, w, DC_ZX_LOCAL, 0, 0, 0, 1, 1, w, h);
		break;
	case V_ZX_NORM:
		stretch(s->work, y, w, h, stride);
		mark(s, s->work, (size_t)w * h);
		run_zx(s, s->work, w, h, w, DC_ZX_LOCAL, 0, 0, 0, 1, 1, w, h);
		break;
	case V_ZB_FULL:
		if (stride != w) {
			for (int row = 0; row < h; row++)
				memcpy(s->pack + (size_t)row * w,
				       y + (size_t)row * stride, (size_t)w);
			mark(s, s->pack, (size_t)w * h);
			packed = s->pack;
		}
		run_zb(s, packed, w, h, zb_full_density(s));
		break;
	case V_ZB_HALF:
		if (w < 32 || h < 32)
			break;
		down2(s->work, y, w, h, stride);
		mark(s, s->work, (size_t)(w / 2) * (h / 2));
		run_zb(s, s->work, w / 2, h / 2, 1);
		break;
	case V_R_ZB:
		crop(s->pack, y, stride, r);
		mark(s, s->pack, (size_t)rw * rh);
		run_zb(s, s->pack, rw, rh, 1);
		break;
	case V_R_ZX_UP:
	case V_R_ZB_UP:
		crop(s->pack, y, stride, r);
		mark(s, s->pack, (size_t)rw * rh);
		up2(s->up, s->pack, rw, rh);
		mark(s, s->up, (size_t)4 * rw * rh);
		if (v == V_R_ZB_UP)
			run_zb(s, s->up, 2 * rw, 2 * rh, 1);
		else
			run_zx(s, s->up, 2 * rw, 2 * rh, 2 * rw, DC_ZX_LOCAL, 1,
			       r->x0, r->y0, 1, 2, w, h);
		break;
	case V_R_ZX_NORM:
		stretch(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
			stride);
		mark(s, s->work, (size_t)rw * rh);
		run_zx(s, s->work, rw, rh, rw, DC_ZX_LOCAL, 1, r->x0, r->y0, 1,
		       1, w, h);
		break;
	case V_R_ZX_NORM_UP:
		stretch(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
			stride);
		mark(s, s->work, (size_t)rw * rh);
		up2(s->up, s->work, rw, rh);
		mark(s, s->up, (size_t)4 * rw * rh);
		run_zx(s, s->up, 2 * rw, 2 * rh, 2 * rw, DC_ZX_LOCAL, 1, r->x0,
		       r->y0, 1, 2, w, h);
		break;
	case V_R_ZX_INV:
	case V_R_ZB_INV:
		invert(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
		       stride);
		mark(s, s->work, (size_t)rw * rh);
		if (v == V_R_ZB_INV)
			run_zb(s, s->work, rw, rh, 1);
		else
			run_zx(s, s->work, rw, rh, rw, DC_ZX_LOCAL, 1, r->x0,
			       r->y0, 1, 1, w, h);
		break;
	case V_R_ZX_WARP:
	case V_R_ZB_WARP:
	case V_R_ZX_WARP_INV: {
		int side = warp_side(s);
		warp(s->up, side, y, w, h, stride, r);
		mark(s, s->up, (size_t)side * side);
		/* The located polarity first: WARP is as located, WARP_INV
		 * the other one (and ZBar inverts for itself). */
		if ((v == V_R_ZX_WARP_INV) != (r->located && r->inverted))
			invert(s->up, s->up, side, side, side);
		if (v == V_R_ZB_WARP) {
			run_zb(s, s->up, side, side, 1);
		} else {
			/* Positions in the warped square do not map back
			 * linearly: a hit keeps the outline as the region. */
			run_zx(s, s->up, side, side, side, DC_ZX_LOCAL, 1, 0, 0,
			       0, 1, w, h);
		}
		break;
	}
	case V_R_LOCATE:
		locate(s, y, w, h, stride, &s->roi);
		break;
	case V_ZB_DEBLUR:
	case V_ZB_DEBLUR2:
	case V_ZB_RESTORE: {
		/* No region to take the module size from: a code held up to
		 * the camera fills most of the frame's height (about 130
		 * modules of it), and a blur worth undoing is about half a
		 * module. */
		const uint8_t *src = y;
		int sw = w, sh = h, ss = stride;
		if (half_large(w, h)) {
			down2(s->pack, y, w, h, stride);
			sw = w / 2, sh = h / 2, ss = sw;
			src = s->pack;
			mark(s, s->pack, (size_t)sw * sh);
		}
		double m = sh / 130.0;
		m = m < 1.5 ? 1.5 : m;
		int two = v == V_ZB_DEBLUR2;
		if (v == V_ZB_RESTORE)
			restore(s->work, src, sw, sh, ss, RESTORE_SIGMA * m,
				RESTORE_ITERS, (uint16_t *)(void *)s->up,
				s->line);
		else
			deblur(s->work, src, sw, sh, ss,
			       (two ? 0.55 : 0.45) * m, two ? 8 : 4,
			       (uint16_t *)(void *)s->up, s->line);
		mark(s, s->work, (size_t)sw * sh);
		mark(s, s->up, (size_t)2 * sw * sh);
		/* Every 2nd row and column of a frame not halved: modules of
		 * 3 px and more are still crossed, at half ZBar's cost. */
		run_zb(s, s->work, sw, sh, sw == w ? 2 : 1);
		break;
	}
	case V_ZB_MOTION:
	case V_ZB_MOTION_WIDE:
		motion(s, y, w, h, stride, v == V_ZB_MOTION_WIDE);
		break;
	case V_R_ZB_BIN: {
		double m = r->module > 0 ? r->module : (rw < rh ? rw : rh) / 100.0;
		m = m < 1.5 ? 1.5 : m > 16 ? 16 : m;
		binarise(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
			 stride, m, (uint16_t *)(void *)s->up, s->line);
		mark(s, s->work, (size_t)rw * rh);
		mark(s, s->up, (size_t)2 * rw * rh);
		run_zb(s, s->work, rw, rh, 1);
		break;
	}
	case V_R_ZX_DEBLUR:
	case V_R_ZB_DEBLUR:
	case V_R_ZB_DEBLUR2: {
		/* Blur beyond 0.6 of a module leaves too little to read, and
		 * below 0.3 needs no help: the mask's width follows the
		 * module (from the finders, else a guess from the region). */
		double m = r->module > 0 ? r->module : (rw < rh ? rw : rh) / 100.0;
		m = m < 1.5 ? 1.5 : m > 16 ? 16 : m;
		int two = v == V_R_ZB_DEBLUR2;
		deblur(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
		       stride, (two ? 0.55 : 0.45) * m, two ? 8 : 4,
		       (uint16_t *)(void *)s->up, s->line);
		mark(s, s->work, (size_t)rw * rh);
		mark(s, s->up, (size_t)2 * rw * rh);
		if (v != V_R_ZX_DEBLUR)
			run_zb(s, s->work, rw, rh, 1);
		else
			run_zx(s, s->work, rw, rh, rw, DC_ZX_LOCAL, 1, r->x0,
			       r->y0, 1, 1, w, h);
		break;
	}
	case V_R_ZX_SHARP:
	case V_R_ZB_SHARP:
		sharpen(s->work, y + (size_t)r->y0 * stride + r->x0, rw, rh,
			stride);
		mark(s, s->work, (size_t)rw * rh);
		if (v == V_R_ZB_SHARP)
			run_zb(s, s->work, rw, rh, 1);
		else
			run_zx(s, s->work, rw, rh, rw, DC_ZX_LOCAL, 1, r->x0,
			       r->y0, 1, 1, w, h);
		break;
	default:
		break;
	}
}

/* Runs v if this build and config have its decoder and its estimated cost
 * fits the budget (or force); updates its cost estimate. 1 if it ran. */
static int try_attempt(dc_scanner *s, int v, const uint8_t *y, int w, int h,
		       int stride, int force)
{
	if (!(s->cfg.decoders & (unsigned)needs(v)))
		return 0;
	double px = work_px(s, v, w, h);
	if (px <= 0)
		return 0;
	double t = cpu_ms();
	if (!force && (t - s->t0) + s->cost[v] * px / 1e6 > s->budget)
		return 0;
	s->gated = 0;
	attempt(s, v, y, w, h, stride);
#ifdef DC_SCAN_TRACE
	fprintf(stderr, "  f%u v%d roi %d,%d-%d,%d ttl%d -> %d (%.2f ms)\n",
		s->frame, v, s->roi.x0, s->roi.y0, s->roi.x1, s->roi.y1,
		s->roi.ttl, s->n, cpu_ms() - t);
#endif
	double ns = (cpu_ms() - t) * 1e6 / px;
	if (ns > 0 && !s->gated) {
		/* The first measurement replaces the guess. */
		s->cost[v] = s->measured[v] ? 0.75 * s->cost[v] + 0.25 * ns : ns;
		s->measured[v] = 1;
	}
	return 1;
}

/* Runs attempts from list[] starting at *next, as many as fit the budget
 * (and at most *left more this frame, counted down),
 * stopping at the first that yields texts. The first of a frame runs if it
 * fits the whole budget (so the frame may overrun by its cheap attempt: an
 * attempt that fits the budget but never what is left after the cheap one
 * would otherwise hold up the list for good); later ones must fit what is
 * left, or go first next time. One that could never fit is passed over,
 * and its estimate shrinks (by a tenth while it is a guess, by 3 % once
 * measured): neither a guess nor one slow frame (a code that kept ZBar
 * busy) may keep an attempt from ever running again. */
static void run_list(dc_scanner *s, const int *list, int n, int *next,
		     int *left, const uint8_t *y, int w, int h, int stride)
{
	for (; *left > 0 && s->n == 0; (*left)--) {
		int v = list[*next % n];
		double px = work_px(s, v, w, h);
		if (!(s->cfg.decoders & (unsigned)needs(v)) || px <= 0) {
			*next = (*next + 1) % n;
			continue;
		}
		if (s->cost[v] * px / 1e6 > s->budget) {
			s->cost[v] *= s->measured[v] ? 0.97 : 0.9;
			*next = (*next + 1) % n;
			continue;
		}
		if (!try_attempt(s, v, y, w, h, stride, s->first_extra))
			break;
		s->first_extra = 0;
		*next = (*next + 1) % n;
	}
}

static int region_ok(const region *r, int w, int h)
{
	return r->ttl > 0 && r->x0 >= 0 && r->y0 >= 0 && r->x1 <= w &&
	       r->y1 <= h && r->x1 - r->x0 >= 16 && r->y1 - r->y0 >= 16;
}

int dc_scanner_scan(dc_scanner *s, const uint8_t *y, int width, int height,
		    int stride)
{
	if (!s || !y || width <= 0 || height <= 0 || stride < width ||
	    width > s->max_w || height > s->max_h)
		return -1;

	/* The previous frame's texts end here. */
	clear_texts(s);
	s->t0 = cpu_ms();
	s->budget = s->cfg.budget_ms > 0 ? s->cfg.budget_ms
					 : auto_budget(width, height);
	s->first_extra = 1;
	memset(&s->seen, 0, sizeof s->seen);
	unsigned dec = s->cfg.decoders;

	if (s->cfg.single) {
		if (dec & DC_SCAN_ZXING)
			try_attempt(s, V_ZX_FAST, y, width, height, stride, 1);
		if (dec & DC_SCAN_ZBAR)
			try_attempt(s, V_ZB_FULL, y, width, height, stride, 1);
		s->frame++;
		return s->n;
	}

	/* ZBar alone: as before the scheduler, one whole-frame pass (with
	 * its inverted retry) per frame. Without positions of undecoded
	 * symbols there is no region to work on, and ZBar's passes on parts
	 * or copies of the frame read less than the whole frame at density 1. */
	if (!(dec & DC_SCAN_ZXING)) {
		try_attempt(s, V_ZB_FULL, y, width, height, stride, 1);
		s->frame++;
		return s->n;
	}

	/* The cheap attempt on every frame. */
	try_attempt(s, V_ZX_FAST, y, width, height, stride, 1);

	if (s->n == 0) {
		/* A symbol located now beats one seen earlier. */
		if (s->seen.ttl)
			s->roi = s->seen;
		if (!region_ok(&s->roi, width, height))
			memset(&s->roi, 0, sizeof s->roi);
		int blind = s->frame % BLIND_PERIOD == BLIND_PERIOD - 1;
		/* Each list at most once round per frame: a blind frame whose
		 * busy patch has no finder patterns calls the blind list both
		 * before and after the region list, and must not run an
		 * attempt twice on the same pixels. */
		int blind_left = N_BLIND, region_left = N_REGION;
		/* A symbol zxing located but could not decode gets the region
		 * attempts on every frame (it is nearly read); any other
		 * region only on blind frames, so that most frames of a code
		 * that is hard to read cost the cheap attempt alone. */
		if (s->roi.ttl && (s->roi.zx || blind)) {
			try_attempt(s, V_R_LOCATE, y, width, height, stride, 0);
			/* A located code whose region attempts all failed once
			 * round: the whole-frame ones (deconvolutions, ZBar on
			 * the frame) go first on its next blind frame, else a
			 * code read only by them would wait behind a second
			 * round of the region list for good. */
			if (blind && s->roi.located && s->region_lapped) {
				s->region_lapped = 0;
				run_list(s, blind_zx, N_BLIND, &s->blind_next,
					 &blind_left, y, width, height, stride);
			}
			int at = s->region_next;
			if (s->n == 0)
				run_list(s, region_zx, N_REGION, &s->region_next,
					 &region_left, y, width, height, stride);
			if (s->n == 0 && s->roi.located &&
			    at + (N_REGION - region_left) >= N_REGION)
				s->region_lapped = 1;
			/* A region is no reason to skip the whole-frame
			 * variants for good: what is left of the budget on a
			 * blind frame goes to them. */
			if (s->n == 0 && blind)
				run_list(s, blind_zx, N_BLIND, &s->blind_next,
					 &blind_left, y, width, height, stride);
		} else if (blind) {
			/* Something code-like where no decoder located one:
			 * if its finder patterns are found, its region first;
			 * the whole-frame variants (and then the busy patch)
			 * otherwise: a patch without finders is often only
			 * the sharper part of a blurred code. */
			if (find_region(s, y, width, height, stride, &s->roi)) {
				try_attempt(s, V_R_LOCATE, y, width, height,
					    stride, 0);
				if (!s->roi.located)
					run_list(s, blind_zx, N_BLIND,
						 &s->blind_next, &blind_left, y,
						 width, height, stride);
				run_list(s, region_zx, N_REGION, &s->region_next,
					 &region_left, y, width, height,
					 stride);
				/* Three finder patterns there: a code to work on
				 * on the next blind frames too (LOCATED_TTL); a
				 * busy patch alone is found again or not. */
				if (!s->roi.located && s->roi.ttl <= 1)
					s->roi.ttl = 0;
			}
			if (s->n == 0)
				run_list(s, blind_zx, N_BLIND, &s->blind_next,
					 &blind_left, y, width, height, stride);
		}
		if (s->roi.ttl)
			s->roi.ttl--;
	}
	/* Where a code was read (or located) this frame is where to look
	 * first if the next frame needs more than the cheap attempt. */
	if (s->seen.ttl) {
		s->roi = s->seen;
		if (s->n)
			s->region_next = 0;
	}
	s->frame++;
	return s->n;
}

int dc_scanner_scan_still(dc_scanner *s, const uint8_t *y, int width,
			  int height, int stride, int frames, int *used)
{
	if (used)
		*used = 0;
	if (!s || frames < 1 || frames > 1000)
		return -1;
	dc_scanner_wipe(s);
	int n = 0;
	for (int f = 0; f < frames; f++) {
		n = dc_scanner_scan(s, y, width, height, stride);
		if (used)
			*used = f + 1;
		if (n != 0)
			break;
	}
	return n;
}

int dc_scanner_set_density(dc_scanner *s, int density)
{
	if (!s || density < 1 || density > 4)
		return -1;
	s->cfg.density = density;
	return 0;
}

int dc_scanner_config(dc_scanner *s, const dc_scan_config *c)
{
	if (!s || !c || c->density < 1 || c->density > 4 ||
	    !(c->budget_ms >= 0 && c->budget_ms <= DC_SCAN_BUDGET_MAX_MS) ||
	    c->decoders == 0 ||
	    (c->decoders & ~dc_scan_decoders_available()) != 0)
		return -1;
	dc_scanner_wipe(s);
	s->cfg = *c;
	s->cfg.single = c->single != 0;
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
