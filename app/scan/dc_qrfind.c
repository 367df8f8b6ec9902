/*
 * dc_qrfind: the three finder patterns of a QR code and the plane they lie
 * on (see dc_qrfind.h).
 */
#include "dc_qrfind.h"

#include <math.h>
#include <string.h>

#define BLK 8       /* threshold block, px */
#define BRAD 3      /* thresholds average (2 BRAD + 1)^2 blocks */
#define MAX_CAND 64 /* finder candidates kept per search */
#define MAX_TRY 4096 /* cross-checks per search: bounds a hostile frame */

typedef struct {
	double x, y, m; /* centre, px per module */
	int n;          /* rows that found it */
} cand;

typedef struct {
	const uint8_t *y;
	int w, h, stride;
	int x0, y0, bw, bh;
	const uint8_t *thr; /* smoothed block thresholds */
	int inv;
	cand c[MAX_CAND];
	int nc, tries;
} ctx;

size_t dc_qrfind_thr_size(int w, int h)
{
	if (w <= 0 || h <= 0)
		return 0;
	size_t bw = ((size_t)w + BLK - 1) / BLK, bh = ((size_t)h + BLK - 1) / BLK;
	return 3 * bw * bh;
}

/* Block means, then their average over (2 BRAD + 1)^2 blocks (a window of
 * about 56 px: wider than a finder pattern of modules up to 8 px, narrow
 * enough for uneven light and glare). Where no block within one of a
 * block spans 30 % of the grey range of the window's busiest blocks (its
 * 95th percentile: a code's contrast), the threshold is 0: nothing there is a
 * module, whichever the polarity (sensor noise in a flat dark area would
 * otherwise binarise into endless false finder candidates). */
static void thresholds(ctx *c, uint8_t *buf, int x1, int y1)
{
	int bw = c->bw, bh = c->bh;
	size_t nb = (size_t)bw * bh;
	uint8_t *mean = buf, *range = buf + nb, *thr = buf + 2 * nb;
	unsigned hist[256] = { 0 };
	for (int by = 0; by < bh; by++)
		for (int bx = 0; bx < bw; bx++) {
			int xa = c->x0 + bx * BLK, ya = c->y0 + by * BLK;
			int xb = xa + BLK > x1 ? x1 : xa + BLK;
			int yb = ya + BLK > y1 ? y1 : ya + BLK;
			unsigned sum = 0, n = 0;
			int lo = 255, hi = 0;
			for (int yy = ya; yy < yb; yy++) {
				const uint8_t *row = c->y + (size_t)yy * c->stride;
				for (int xx = xa; xx < xb; xx++) {
					sum += row[xx];
					lo = row[xx] < lo ? row[xx] : lo;
					hi = row[xx] > hi ? row[xx] : hi;
				}
				n += (unsigned)(xb - xa);
			}
			mean[(size_t)by * bw + bx] = (uint8_t)(n ? sum / n : 128);
			range[(size_t)by * bw + bx] = (uint8_t)(n ? hi - lo : 0);
			hist[n ? hi - lo : 0]++;
		}
	int top = 255;
	for (size_t acc = 0; top > 0; top--) {
		acc += hist[top];
		if (20 * acc >= nb)
			break;
	}
	int minr = top * 3 / 10;
	minr = minr < 12 ? 12 : minr;
	for (int by = 0; by < bh; by++)
		for (int bx = 0; bx < bw; bx++) {
			unsigned sum = 0, n = 0;
			int busy = 0;
			for (int dy = -BRAD; dy <= BRAD; dy++) {
				int yy = by + dy;
				if (yy < 0 || yy >= bh)
					continue;
				for (int dx = -BRAD; dx <= BRAD; dx++) {
					int xx = bx + dx;
					if (xx < 0 || xx >= bw)
						continue;
					sum += mean[(size_t)yy * bw + xx];
					n++;
					if (dx >= -1 && dx <= 1 && dy >= -1 && dy <= 1 &&
					    range[(size_t)yy * bw + xx] >= minr)
						busy = 1;
				}
			}
			unsigned t = sum / n;
			thr[(size_t)by * bw + bx] = busy ? (uint8_t)(t ? t : 1) : 0;
		}
	c->thr = thr;
}

/* 1 when (x, y) is a module's colour (dark, or light when inverted). */
static int on(const ctx *c, int x, int y)
{
	int bx = (x - c->x0) / BLK, by = (y - c->y0) / BLK;
	bx = bx < 0 ? 0 : bx >= c->bw ? c->bw - 1 : bx;
	by = by < 0 ? 0 : by >= c->bh ? c->bh - 1 : by;
	int v = c->y[(size_t)y * c->stride + x];
	int t = c->thr[(size_t)by * c->bw + bx];
	if (t == 0)
		return 0;
	return c->inv ? v > t : v < t;
}

/* Runs of 1:1:3:1:1 within a tolerance that blur and perspective need. */
static int ratio_ok(const int *r)
{
	int tot = r[0] + r[1] + r[2] + r[3] + r[4];
	if (tot < 7)
		return 0;
	double m = tot / 7.0, tol = 0.6 * m;
	for (int i = 0; i < 5; i++) {
		if (i == 2)
			continue;
		if (fabs(r[i] - m) > tol)
			return 0;
	}
	/* The centre at least twice its neighbours' mean: an alignment
	 * pattern (1:1:1:1:1) is not a finder. */
	return fabs(r[2] - 3 * m) < 1.5 * m &&
	       2 * r[2] >= (r[0] + r[1] + r[3] + r[4]);
}

/* Runs through (x, y) along x (dx 1) or y (dx 0): the centre run and
 * two either side. Returns the pattern's total length and its centre along
 * the axis (*mid), or 0 when the runs are not 1:1:3:1:1. */
static int cross(const ctx *c, int x, int y, int dx, int maxrun, double *mid)
{
	int r[5] = { 0 };
	int lo = dx ? c->x0 : c->y0, hi = dx ? c->x0 + c->bw * BLK
				       : c->y0 + c->bh * BLK;
	int lim = dx ? c->w : c->h;
	hi = hi > lim ? lim : hi;
	int p0 = dx ? x : y;
	if (!on(c, x, y))
		return 0;
	/* backwards: centre, gap, ring */
	int p = p0, k = 2, want = 1;
	while (k >= 0) {
		int q = p - 1;
		if (q < lo)
			break;
		int v = dx ? on(c, q, y) : on(c, x, q);
		if (v != want) {
			k--;
			want = !want;
			if (k < 0)
				break;
		}
		r[k]++;
		if (r[k] > maxrun)
			return 0;
		p = q;
	}
	if (k > 0 || r[0] == 0)
		return 0;
	int start = p; /* first pixel of the pattern */
	p = p0, k = 2, want = 1;
	r[2]++; /* the pixel itself */
	while (k <= 4) {
		int q = p + 1;
		if (q >= hi)
			break;
		int v = dx ? on(c, q, y) : on(c, x, q);
		if (v != want) {
			k++;
			want = !want;
			if (k > 4)
				break;
		}
		r[k]++;
		if (r[k] > maxrun)
			return 0;
		p = q;
	}
	if (k < 4 || r[4] == 0)
		return 0;
	if (!ratio_ok(r))
		return 0;
	*mid = start + r[0] + r[1] + r[2] / 2.0;
	return r[0] + r[1] + r[2] + r[3] + r[4];
}

static void add_cand(ctx *c, double x, double y, double m)
{
	for (int i = 0; i < c->nc; i++) {
		cand *k = &c->c[i];
		double r = m / k->m;
		if (fabs(x - k->x) < 2 * k->m && fabs(y - k->y) < 2 * k->m &&
		    r > 0.5 && r < 2) {
			k->x = (k->x * k->n + x) / (k->n + 1);
			k->y = (k->y * k->n + y) / (k->n + 1);
			k->m = (k->m * k->n + m) / (k->n + 1);
			k->n++;
			return;
		}
	}
	if (c->nc < MAX_CAND) {
		c->c[c->nc++] = (cand){ x, y, m, 1 };
		return;
	}
	/* Full: a candidate seen once makes room (rows scan top-down, so
	 * later finders still get in). */
	for (int i = 0; i < c->nc; i++)
		if (c->c[i].n == 1) {
			c->c[i] = (cand){ x, y, m, 1 };
			return;
		}
}

/* A row's 1:1:3:1:1 candidate at [xs, xe): checked across, then along
 * again through the vertical centre. */
static void check(ctx *c, int xs, int xe, int y, int tot)
{
	if (c->tries >= MAX_TRY)
		return;
	c->tries++;
	int cx = (xs + xe) / 2;
	double vy, hx;
	int vt = cross(c, cx, y, 0, 2 * tot, &vy);
	if (!vt || vt * 2 < tot || vt > 2 * tot)
		return;
	int iy = (int)vy;
	if (iy < 0 || iy >= c->h)
		return;
	int ht = cross(c, cx, iy, 1, 2 * tot, &hx);
	if (!ht || ht * 2 < vt || ht > 2 * vt)
		return;
	add_cand(c, hx, vy, (ht + vt) / 14.0);
}

static void scan_rows(ctx *c, int x1, int y1)
{
	for (int y = c->y0; y < y1; y++) {
		int r[5] = { 0 }, nr = 0, cur = on(c, c->x0, y), len = 0;
		for (int x = c->x0; x <= x1; x++) {
			int v = x < x1 ? on(c, x, y) : !cur;
			if (v == cur) {
				len++;
				continue;
			}
			/* a run of `cur` ended at x */
			memmove(r, r + 1, 4 * sizeof r[0]);
			r[4] = len;
			nr++;
			if (cur && nr >= 5 && ratio_ok(r))
				check(c, x - r[0] - r[1] - r[2] - r[3] - r[4] +
						 r[0] + r[1],
				      x - r[3] - r[4], y,
				      r[0] + r[1] + r[2] + r[3] + r[4]);
			cur = v;
			len = 1;
		}
	}
}

/* Grey at (x, y) (pixel i spans [i, i + 1)), bilinear, clamped to the
 * frame. */
static double grey(const ctx *c, double x, double y)
{
	x -= 0.5;
	y -= 0.5;
	if (!(x >= 0))
		x = 0;
	if (!(y >= 0))
		y = 0;
	if (x > c->w - 1.001)
		x = c->w - 1.001;
	if (y > c->h - 1.001)
		y = c->h - 1.001;
	int ix = (int)x, iy = (int)y;
	double fx = x - ix, fy = y - iy;
	const uint8_t *p = c->y + (size_t)iy * c->stride + ix;
	int dx = ix + 1 < c->w, dy = iy + 1 < c->h;
	const uint8_t *q = dy ? p + c->stride : p;
	return (1 - fy) * ((1 - fx) * p[0] + fx * p[dx]) +
	       fy * ((1 - fx) * q[0] + fx * q[dx]);
}

/* Width of the finder at (x, y) along the unit direction (ux, uy): from its
 * outer edge on one side to the other (7 modules), each edge where the grey
 * crosses the middle of the finder's darkest and lightest for the second
 * time on the way out (core -> light ring -> dark ring -> quiet). 0 when
 * either edge is not found within 6 estimated modules. */
static double width_along(const ctx *c, double x, double y, double ux,
			  double uy, double m)
{
	double lo = 255, hi = 0;
	for (double t = -5 * m; t <= 5 * m; t += 0.5) {
		double g = grey(c, x + t * ux, y + t * uy);
		lo = g < lo ? g : lo;
		hi = g > hi ? g : hi;
	}
	if (hi - lo < 8)
		return 0;
	double mid = (lo + hi) / 2, tot = 0;
	for (int side = -1; side <= 1; side += 2) {
		int out = 0; /* dark->light crossings so far */
		double prev = grey(c, x, y), t;
		int dark = c->inv ? prev > mid : prev < mid;
		double found = 0;
		for (t = 0.5; t <= 6 * m; t += 0.5) {
			double g = grey(c, x + side * t * ux, y + side * t * uy);
			int d = c->inv ? g > mid : g < mid;
			if (dark && !d && ++out == 2) {
				/* between t - 0.5 and t */
				double f = fabs(g - prev) > 1e-9
						   ? (mid - prev) / (g - prev)
						   : 0.5;
				found = t - 0.5 + 0.5 * (f < 0 ? 0 : f > 1 ? 1 : f);
				break;
			}
			dark = d;
			prev = g;
		}
		if (found <= 0)
			return 0;
		tot += found;
	}
	return tot;
}

/* Triples that look like a code's three finder corners, best first: a
 * near right angle at the top-left one, legs of similar length (a tilt of
 * 35 degrees shortens one by a fifth), similar module sizes, at least 14
 * modules apart, seen on many rows. Returns how many (at most max). */
#define MAX_TRIPLE 8
typedef struct {
	int tl, tr, bl;
	double score;
} triple;

static int pick(const ctx *c, triple *t, int max)
{
	int idx[16], n = 0, nt = 0;
	/* the most often seen first */
	int used[MAX_CAND] = { 0 };
	for (; n < 16; n++) {
		int best = -1;
		for (int i = 0; i < c->nc; i++)
			if (!used[i] && c->c[i].n >= 2 &&
			    (best < 0 || c->c[i].n > c->c[best].n))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		idx[n] = best;
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			for (int k = j + 1; k < n; k++) {
				if (i == j || i == k)
					continue;
				const cand *a = &c->c[idx[i]], *b = &c->c[idx[j]],
					   *d = &c->c[idx[k]];
				double bx = b->x - a->x, by = b->y - a->y;
				double dx = d->x - a->x, dy = d->y - a->y;
				double lb = sqrt(bx * bx + by * by);
				double ld = sqrt(dx * dx + dy * dy);
				if (lb < 14 * a->m || ld < 14 * a->m ||
				    lb > 200 * a->m || ld > 200 * a->m)
					continue;
				double lr = lb / ld;
				if (lr < 0.6 || lr > 1.0 / 0.6)
					continue;
				double cs = (bx * dx + by * dy) / (lb * ld);
				if (fabs(cs) > 0.5)
					continue;
				double mr1 = b->m / a->m, mr2 = d->m / a->m;
				if (mr1 < 0.5 || mr1 > 2 || mr2 < 0.5 || mr2 > 2)
					continue;
				int nmin = a->n < b->n ? a->n : b->n;
				nmin = d->n < nmin ? d->n : nmin;
				triple x;
				x.score = fabs(cs) + fabs(log(lr)) +
					  0.5 * (fabs(log(mr1)) + fabs(log(mr2))) -
					  0.5 * log(nmin);
				x.tl = idx[i];
				/* clockwise on screen: top-right next */
				if (bx * dy - by * dx > 0)
					x.tr = idx[j], x.bl = idx[k];
				else
					x.tr = idx[k], x.bl = idx[j];
				/* insertion into the best `max` */
				int pos = nt < max ? nt : max;
				while (pos > 0 && t[pos - 1].score > x.score) {
					if (pos < max)
						t[pos] = t[pos - 1];
					pos--;
				}
				if (pos < max) {
					t[pos] = x;
					if (nt < max)
						nt++;
				}
			}
	return nt;
}

/* Transitions along a timing pattern (module row or column 6, between the
 * finders' separators: a module each, alternating) per module, from the
 * plane's homography: about 1 on a real code's, about a half on the data
 * of a triple that is not one. */
static double timing(const ctx *c, const double *H, double L, int col)
{
	double lo = 255, hi = 0, vals[720];
	int n = 0;
	double v = 3.0 / L; /* centre row 3.5 -> timing row 6.5 */
	for (double u = 4.0 / L; u <= 1 - 4.0 / L && n < 720; u += 0.25 / L) {
		double uu = col ? v : u, vv = col ? u : v;
		double q = H[6] * uu + H[7] * vv + 1;
		double x = (H[0] + H[2] * uu + H[4] * vv) / q;
		double y = (H[1] + H[3] * uu + H[5] * vv) / q;
		double g = grey(c, x, y);
		vals[n++] = g;
		lo = g < lo ? g : lo;
		hi = g > hi ? g : hi;
	}
	if (n < 8 || hi - lo < 8)
		return 0;
	double mid = (lo + hi) / 2, hy = (hi - lo) / 8;
	int st = 0, tr = 0;
	for (int i = 0; i < n; i++) {
		if (vals[i] > mid + hy) {
			tr += st == -1;
			st = 1;
		} else if (vals[i] < mid - hy) {
			tr += st == 1;
			st = -1;
		}
	}
	return tr / (L - 7);
}

/* The homography from the code's plane (u, v in finder-centre units:
 * top-left (0,0), top-right (1,0), bottom-left (0,1)) to the frame:
 * x = (P0 + a1 u + a2 v) / (g u + h v + 1). Along the top edge the module
 * size falls from m0 to m0 / (1 + g)^2, so g = sqrt(m0 / m1) - 1 from the
 * two finders' widths along that edge; h likewise down the left edge. */
static double fit(const ctx *c, const cand *a, const cand *b, const cand *d,
		  dc_qrquad *out)
{
	double bx = b->x - a->x, by = b->y - a->y;
	double dx = d->x - a->x, dy = d->y - a->y;
	double lb = sqrt(bx * bx + by * by), ld = sqrt(dx * dx + dy * dy);
	double ubx = bx / lb, uby = by / lb, udx = dx / ld, udy = dy / ld;
	double wa_b = width_along(c, a->x, a->y, ubx, uby, a->m);
	double wb = width_along(c, b->x, b->y, ubx, uby, b->m);
	double wa_d = width_along(c, a->x, a->y, udx, udy, a->m);
	double wd = width_along(c, d->x, d->y, udx, udy, d->m);
	double g = 0, h = 0;
	/* Without both widths of an edge, that edge is taken as seen square
	 * on (no perspective along it). */
	if (wa_b > 0 && wb > 0)
		g = sqrt(wa_b / wb) - 1;
	if (wa_d > 0 && wd > 0)
		h = sqrt(wa_d / wd) - 1;
	g = g < -0.5 ? -0.5 : g > 0.5 ? 0.5 : g;
	h = h < -0.5 ? -0.5 : h > 0.5 ? 0.5 : h;
	double m0b = wa_b > 0 ? wa_b / 7 : a->m, m0d = wa_d > 0 ? wa_d / 7 : a->m;
	/* Modules between the centres along each edge: a QR code is square,
	 * so the two must agree. */
	double Lb = lb * (1 + g) / m0b, Ld = ld * (1 + h) / m0d;
	double L = 0.5 * (Lb + Ld);
	if (!(L >= 14) || L > 180 || fabs(Lb - Ld) > 0.2 * L)
		return 0;
	double e = 6.5 / L; /* centre -> symbol edge 3.5, + 3 of quiet zone */
	double tq = 0;
	static const double cu[4] = { 0, 1, 1, 0 }, cv[4] = { 0, 0, 1, 1 };
	for (int pass = 0; pass < 2; pass++) {
		int ok = 1;
		double a1x = b->x * (g + 1) - a->x, a1y = b->y * (g + 1) - a->y;
		double a2x = d->x * (h + 1) - a->x, a2y = d->y * (h + 1) - a->y;
		for (int i = 0; i < 4; i++) {
			double u = cu[i] ? 1 + e : -e, v = cv[i] ? 1 + e : -e;
			double q = g * u + h * v + 1;
			if (q < 0.2) {
				ok = 0;
				break;
			}
			out->qx[i] = (a->x + a1x * u + a2x * v) / q;
			out->qy[i] = (a->y + a1y * u + a2y * v) / q;
		}
		if (ok) {
			double H[8] = { a->x, a->y, a1x, a1y, a2x, a2y, g, h };
			tq = 0.5 * (timing(c, H, L, 0) + timing(c, H, L, 1));
			break;
		}
		if (pass == 1)
			return 0;
		g = h = 0; /* a wild fit: the parallelogram */
	}
	/* Neither timing pattern: not a code, or too blurred for its
	 * modules to be read anyway. */
	if (tq < 0.35)
		return 0;
	out->cx[0] = a->x, out->cy[0] = a->y;
	out->cx[1] = b->x, out->cy[1] = b->y;
	out->cx[2] = d->x, out->cy[2] = d->y;
	out->module = 0.5 * (m0b + m0d);
	out->modules = L + 7;
	out->inverted = c->inv;
	return tq > 1 ? 1 : tq;
}

int dc_qrfind(const uint8_t *y, int w, int h, int stride, int x0, int y0,
	      int x1, int y1, int polarity, uint8_t *thr, size_t thr_cap,
	      dc_qrquad *out)
{
	if (!y || w <= 0 || h <= 0 || stride < w || !thr || !out ||
	    polarity < 0 || polarity > 2)
		return -1;
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > w ? w : x1;
	y1 = y1 > h ? h : y1;
	if (x1 - x0 < 21 || y1 - y0 < 21)
		return 0;
	if (thr_cap < dc_qrfind_thr_size(x1 - x0, y1 - y0))
		return -1;
	static ctx zero;
	ctx c = zero;
	c.y = y, c.w = w, c.h = h, c.stride = stride;
	c.x0 = x0, c.y0 = y0;
	c.bw = (x1 - x0 + BLK - 1) / BLK, c.bh = (y1 - y0 + BLK - 1) / BLK;
	thresholds(&c, thr, x1, y1);
	double best = 1e9, fallback_m = 0;
	for (int pol = polarity == 1; pol <= (polarity == 0 ? 0 : 1); pol++) {
		c.inv = pol;
		c.nc = 0;
		c.tries = 0;
		scan_rows(&c, x1, y1);
		triple t[MAX_TRIPLE];
		int nt = pick(&c, t, MAX_TRIPLE);
		if (nt > 0 && fallback_m == 0)
			fallback_m = (c.c[t[0].tl].m + c.c[t[0].tr].m +
				      c.c[t[0].bl].m) / 3;
		for (int i = 0; i < nt; i++) {
			dc_qrquad q;
			double tq = fit(&c, &c.c[t[i].tl], &c.c[t[i].tr],
					&c.c[t[i].bl], &q);
			if (tq <= 0)
				continue;
			/* The timing patterns count most: of both
			 * polarities' triples, the one most like a code. */
			double sc = t[i].score - 3 * tq;
			if (sc < best) {
				best = sc;
				*out = q;
			}
		}
	}
	if (best < 1e9)
		return 1;
	if (fallback_m > 0) {
		memset(out, 0, sizeof *out);
		out->module = fallback_m;
		return 2;
	}
	return 0;
}
