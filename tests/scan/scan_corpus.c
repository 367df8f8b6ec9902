/*
 * scan_corpus: see scan_corpus.h. A pinhole camera (focal length 0.9 x the
 * frame width) looks at a plane holding the code on a card (paper) or a
 * phone screen; each frame pixel is mapped back onto the plane through the
 * plane's homography and supersampled 3x3, so scale, rotation and tilt are
 * exact geometry, not image warps. Photometric effects then follow in the
 * order light takes: reflectance and illumination, glare, optics (defocus,
 * motion), sensor (banding, noise), quantisation, compression.
 */
#include "scan_corpus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <qrencode.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char *const names[SC_NDEG] = {
	"clean", "scale", "rotation", "perspective", "defocus", "motion",
	"noise", "contrast", "glare", "jpeg", "screen", "paper", "inverted",
};

const char *sc_deg_name(int deg)
{
	return deg >= 0 && deg < SC_NDEG ? names[deg] : "?";
}

/* --- PRNG (xorshift32; the renderer's own, so runs do not interfere) --- */

typedef struct {
	uint32_t s;
} rng;

static void rng_seed(rng *r, uint32_t seed)
{
	r->s = seed * 2654435761u + 0x9e3779b9u;
	if (!r->s)
		r->s = 1;
	for (int i = 0; i < 8; i++) {
		r->s ^= r->s << 13;
		r->s ^= r->s >> 17;
		r->s ^= r->s << 5;
	}
}

static double urand(rng *r) /* [0, 1) */
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 17;
	r->s ^= r->s << 5;
	return (r->s >> 8) / 16777216.0;
}

static double uniform(rng *r, double a, double b)
{
	return a + (b - a) * urand(r);
}

static double gauss(rng *r)
{
	double u = urand(r), v = urand(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static double sign(rng *r)
{
	return urand(r) < 0.5 ? -1.0 : 1.0;
}

/* --- the scene ----------------------------------------------------------- */

typedef struct {
	double h[9];    /* plane (u, v, 1) -> image (x, y, w) */
	double hi[9];   /* its inverse */
	int n;          /* QR modules per side */
	const unsigned char *bits;
	double half;    /* half the code's side with quiet zone, in modules */
	double card;    /* half the card's side, in modules */
	int screen;     /* 1: phone screen (dark bezel), 0: paper card */
	int inverted;   /* dark mode */
	double dark, light; /* module levels before lighting, 0..255 */
	double curl;    /* paper curl, modules at the edge */
	int ncrease;
	double crease_a[3], crease_c[3]; /* line u*cos+v*sin = c */
	double grain;
} scene;

static void mat_inv3(const double *m, double *o)
{
	double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5],
	       g = m[6], h = m[7], i = m[8];
	double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
	double det = a * A + b * B + c * C;
	if (fabs(det) < 1e-12)
		det = 1e-12;
	o[0] = A / det;
	o[1] = -(b * i - c * h) / det;
	o[2] = (b * f - c * e) / det;
	o[3] = B / det;
	o[4] = (a * i - c * g) / det;
	o[5] = -(a * f - c * d) / det;
	o[6] = C / det;
	o[7] = -(a * h - b * g) / det;
	o[8] = (a * e - b * d) / det;
}

static void mat_mul3(const double *a, const double *b, double *o)
{
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 3; c++)
			o[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] +
				       a[r * 3 + 2] * b[6 + c];
}

static void rot_z(double a, double *m)
{
	double c = cos(a), s = sin(a);
	double t[9] = { c, -s, 0, s, c, 0, 0, 0, 1 };
	memcpy(m, t, sizeof t);
}

static void rot_x(double a, double *m)
{
	double c = cos(a), s = sin(a);
	double t[9] = { 1, 0, 0, 0, c, -s, 0, s, c };
	memcpy(m, t, sizeof t);
}

/* Plane pose: roll in the image plane, tilt by `tilt` about an in-plane
 * axis at angle `axis`, centre at (tx, ty, z) in module units. */
static void set_pose(scene *sc, double f, double cx, double cy, double roll,
		     double tilt, double axis, double tx, double ty, double z)
{
	double a[9], b[9], c[9], t1[9], t2[9], r[9];
	rot_z(axis, a);
	rot_x(tilt, b);
	rot_z(roll - axis, c);
	mat_mul3(a, b, t1);
	mat_mul3(t1, c, r);
	/* [r1 r2 t] */
	double m[9] = { r[0], r[1], tx, r[3], r[4], ty, r[6], r[7], z };
	double k[9] = { f, 0, cx, 0, f, cy, 0, 0, 1 };
	mat_mul3(k, m, t2);
	memcpy(sc->h, t2, sizeof t2);
	mat_inv3(sc->h, sc->hi);
}

static void project(const scene *sc, double u, double v, double *x,
		    double *y)
{
	const double *h = sc->h;
	double w = h[6] * u + h[7] * v + h[8];
	*x = (h[0] * u + h[1] * v + h[2]) / w;
	*y = (h[3] * u + h[4] * v + h[5]) / w;
}

static int fits(const scene *sc, int w, int hgt, double margin)
{
	for (int i = 0; i < 4; i++) {
		double u = (i & 1) ? sc->card : -sc->card;
		double v = (i & 2) ? sc->card : -sc->card;
		double x, y;
		double ww = sc->h[6] * u + sc->h[7] * v + sc->h[8];
		if (ww <= 0)
			return 0;
		project(sc, u, v, &x, &y);
		if (x < margin || y < margin || x > w - margin ||
		    y > hgt - margin)
			return 0;
	}
	return 1;
}

static double hash2(int x, int y, uint32_t seed)
{
	uint32_t h = (uint32_t)x * 374761393u + (uint32_t)y * 668265263u +
		     seed * 2246822519u;
	h = (h ^ (h >> 13)) * 1274126177u;
	h ^= h >> 16;
	return (h & 0xffff) / 65535.0;
}

/* Reflectance/emission of the plane at (u, v) in modules, 0..255, or -1
 * outside the card (the background shows). */
static double plane_value(const scene *sc, double u, double v)
{
	if (sc->curl != 0) {
		double k = u / sc->card;
		u += sc->curl * k * fabs(k);
		v += 0.3 * sc->curl * k * k;
	}
	double shade = 1.0;
	for (int i = 0; i < sc->ncrease; i++) {
		double d = u * cos(sc->crease_a[i]) + v * sin(sc->crease_a[i]) -
			   sc->crease_c[i];
		if (fabs(d) < 1.2) {
			/* A fold: a dark edge and a bright facet, and the paper
			 * shifts a little across it. */
			shade *= d < 0 ? 0.75 + 0.2 * fabs(d) / 1.2
				       : 1.12 - 0.1 * d / 1.2;
		}
		if (d > 0) {
			u += 0.35 * cos(sc->crease_a[i]);
			v += 0.35 * sin(sc->crease_a[i]);
		}
	}
	if (fabs(u) > sc->card || fabs(v) > sc->card)
		return -1;
	int mx = (int)floor(u + sc->half) - 4;
	int my = (int)floor(v + sc->half) - 4;
	int dark = mx >= 0 && my >= 0 && mx < sc->n && my < sc->n &&
		   (sc->bits[my * sc->n + mx] & 1);
	if (sc->inverted)
		dark = !dark;
	double val = dark ? sc->dark : sc->light;
	if (sc->screen && (fabs(u) > sc->half + 1.5 || fabs(v) > sc->half + 1.5))
		val = sc->inverted ? 18 : 235; /* rest of the screen */
	if (sc->grain > 0)
		val += sc->grain * (hash2((int)floor(u * 6), (int)floor(v * 6), 7) -
				    0.5);
	return val * shade;
}

static void background(float *f, int w, int h, rng *r)
{
	double base = uniform(r, 80, 150), gx = uniform(r, -40, 40),
	       gy = uniform(r, -40, 40);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			f[(size_t)y * w + x] =
				(float)(base + gx * x / w + gy * y / h);
	/* A few objects: doors, walls, a sleeve. */
	int nobj = 3 + (int)(urand(r) * 5);
	for (int i = 0; i < nobj; i++) {
		int x0 = (int)(urand(r) * w), y0 = (int)(urand(r) * h);
		int x1 = x0 + (int)(uniform(r, 0.05, 0.4) * w);
		int y1 = y0 + (int)(uniform(r, 0.05, 0.4) * h);
		float v = (float)uniform(r, 30, 220);
		for (int y = y0; y < y1 && y < h; y++)
			for (int x = x0; x < x1 && x < w; x++)
				f[(size_t)y * w + x] = v;
	}
	/* Fabric-like texture. */
	uint32_t ts = r->s;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			f[(size_t)y * w + x] +=
				(float)(12 * (hash2(x / 3, y / 3, ts) - 0.5));
}

static void gaussian_blur(float *f, int w, int h, double sigma)
{
	if (sigma < 0.2)
		return;
	int rad = (int)ceil(3 * sigma);
	double *k = malloc(sizeof *k * (size_t)(2 * rad + 1));
	float *t = malloc(sizeof *t * (size_t)w * h);
	if (!k || !t) {
		free(k);
		free(t);
		return;
	}
	double sum = 0;
	for (int i = -rad; i <= rad; i++)
		sum += k[i + rad] = exp(-(double)i * i / (2 * sigma * sigma));
	for (int i = 0; i <= 2 * rad; i++)
		k[i] /= sum;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double a = 0;
			for (int i = -rad; i <= rad; i++) {
				int xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
				a += k[i + rad] * f[(size_t)y * w + xx];
			}
			t[(size_t)y * w + x] = (float)a;
		}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double a = 0;
			for (int i = -rad; i <= rad; i++) {
				int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
				a += k[i + rad] * t[(size_t)yy * w + x];
			}
			f[(size_t)y * w + x] = (float)a;
		}
	free(k);
	free(t);
}

static float bilinear(const float *f, int w, int h, double x, double y)
{
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x > w - 1.001)
		x = w - 1.001;
	if (y > h - 1.001)
		y = h - 1.001;
	int x0 = (int)x, y0 = (int)y;
	double fx = x - x0, fy = y - y0;
	const float *p = f + (size_t)y0 * w + x0;
	return (float)((1 - fy) * ((1 - fx) * p[0] + fx * p[1]) +
		       fy * ((1 - fx) * p[w] + fx * p[w + 1]));
}

static void motion_blur(float *f, int w, int h, double len, double ang)
{
	float *t = malloc(sizeof *t * (size_t)w * h);
	if (!t)
		return;
	int n = (int)ceil(len * 2) + 1;
	double dx = cos(ang) * len, dy = sin(ang) * len;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double a = 0;
			for (int i = 0; i < n; i++) {
				double s = (double)i / (n - 1) - 0.5;
				a += bilinear(f, w, h, x + s * dx, y + s * dy);
			}
			t[(size_t)y * w + x] = (float)(a / n);
		}
	memcpy(f, t, sizeof *t * (size_t)w * h);
	free(t);
}

static void jpeg_roundtrip(uint8_t *pix, int w, int h, int quality)
{
	struct jpeg_compress_struct ci;
	struct jpeg_decompress_struct di;
	struct jpeg_error_mgr jerr, derr;
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

	di.err = jpeg_std_error(&derr);
	jpeg_create_decompress(&di);
	jpeg_mem_src(&di, mem, n);
	jpeg_read_header(&di, TRUE);
	di.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&di);
	while (di.output_scanline < di.output_height) {
		JSAMPROW row = (JSAMPROW)(pix + (size_t)di.output_scanline * w);
		jpeg_read_scanlines(&di, &row, 1);
	}
	jpeg_finish_decompress(&di);
	jpeg_destroy_decompress(&di);
	free(mem);
}

static void quantise(const float *f, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		float v = f[i];
		out[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f);
	}
}

void sc_render_empty(uint8_t *frame, int w, int h, uint32_t seed)
{
	rng r;
	rng_seed(&r, seed ^ 0x5eed0001u);
	float *f = malloc(sizeof *f * (size_t)w * h);
	if (!f) {
		memset(frame, 128, (size_t)w * h);
		return;
	}
	background(f, w, h, &r);
	gaussian_blur(f, w, h, 0.7);
	for (size_t i = 0; i < (size_t)w * h; i++)
		f[i] += (float)(3 * gauss(&r));
	quantise(f, frame, (size_t)w * h);
	free(f);
}

double sc_render(uint8_t *frame, int w, int h, const char *text, int ecc,
		 int deg, int level, uint32_t seed)
{
	static const QRecLevel lv[4] = { QR_ECLEVEL_L, QR_ECLEVEL_M,
					  QR_ECLEVEL_Q, QR_ECLEVEL_H };
	if (level < 0 || level > 3 || deg < 0 || deg >= SC_NDEG || ecc < 0 ||
	    ecc > 3)
		return -1;
	QRcode *q = QRcode_encodeString(text, 0, lv[ecc], QR_MODE_8, 1);
	if (!q)
		return -1;
	rng r;
	rng_seed(&r, seed ^ ((uint32_t)deg << 8) ^ (uint32_t)level);
	double L = level; /* 1 mild, 2 medium, 3 hard */
	float *f = malloc(sizeof *f * (size_t)w * h);
	if (!f) {
		QRcode_free(q);
		return -1;
	}
	background(f, w, h, &r);

	scene sc;
	memset(&sc, 0, sizeof sc);
	sc.n = q->width;
	sc.bits = q->data;
	sc.half = (q->width + 8) / 2.0;
	sc.screen = urand(&r) < 0.5;
	sc.card = sc.half + (sc.screen ? 3.0 : 2.0);
	sc.dark = sc.screen ? 14 : 35;
	sc.light = sc.screen ? 235 : 215;

	double fl = 0.9 * w;
	/* Code about 75 % of the frame height, at most 6 px per module. */
	double ppm = 0.75 * h / (2 * sc.half);
	if (ppm > 6)
		ppm = 6;
	ppm *= uniform(&r, 0.85, 1.05);
	double roll = uniform(&r, -4, 4) * M_PI / 180;
	double tilt = uniform(&r, 0, 5) * M_PI / 180;
	double axis = uniform(&r, 0, 2 * M_PI);
	double noise = 3, defocus = 0.5, mlen = 0, mang = 0;
	double glare_grad = 0, glare_amp = 0, glare_rad = 0;
	double gain = 1, lift = 0, moire = 0, pwm = 0, shadow = 0;
	int jpegq = 0;

	switch (deg) {
	case SC_SCALE: {
		static const double p[4] = { 0, 2.4, 2.0, 1.6 };
		ppm = p[level];
		break;
	}
	case SC_ROTATION: {
		static const double a[4] = { 0, 12, 30, 45 };
		roll = sign(&r) * uniform(&r, a[level] - 3, a[level] + 3) *
		       M_PI / 180;
		break;
	}
	case SC_PERSPECTIVE: {
		static const double a[4] = { 0, 15, 25, 35 };
		tilt = uniform(&r, a[level] - 2, a[level]) * M_PI / 180;
		break;
	}
	case SC_DEFOCUS:
		defocus = ppm * (0.2 + 0.13 * L);
		break;
	case SC_MOTION:
		mlen = ppm * (0.4 + 0.4 * L);
		mang = uniform(&r, 0, M_PI);
		break;
	case SC_NOISE: {
		static const double s[4] = { 3, 10, 18, 28 };
		noise = s[level];
		break;
	}
	case SC_CONTRAST: {
		static const double range[4] = { 0, 70, 40, 24 };
		double mid = uniform(&r, 110, 150);
		sc.dark = mid - range[level] / 2;
		sc.light = mid + range[level] / 2;
		break;
	}
	case SC_GLARE:
		glare_grad = 0.2 + 0.15 * L;
		glare_amp = 80 + 70 * L;
		glare_rad = 0.08 + 0.05 * L;
		break;
	case SC_JPEG: {
		static const int qq[4] = { 0, 40, 20, 10 };
		jpegq = qq[level];
		break;
	}
	case SC_SCREEN:
		sc.screen = 1;
		sc.card = sc.half + 3.0;
		sc.dark = 14;
		sc.light = 235;
		gain = 1.1 + 0.25 * L;
		lift = 15 + 20 * L;
		moire = 4 + 4 * L;
		pwm = 0.04 + 0.05 * L;
		break;
	case SC_PAPER:
		sc.screen = 0;
		sc.card = sc.half + 2.0;
		sc.grain = 12 + 8 * L;
		sc.dark = 35 + 25 * L;   /* fading toner */
		sc.light = 215 - 8 * L;
		shadow = 0.15 + 0.12 * L;
		sc.ncrease = level;
		for (int i = 0; i < sc.ncrease; i++) {
			sc.crease_a[i] = uniform(&r, 0, M_PI);
			sc.crease_c[i] = uniform(&r, -0.5, 0.5) * sc.half;
		}
		sc.curl = 0.5 * L;
		break;
	case SC_INVERTED:
		sc.screen = 1;
		sc.inverted = 1;
		sc.card = sc.half + 3.0;
		sc.dark = 20;
		sc.light = 210 - 20 * (L - 1);
		if (level >= 2)
			noise = 6 + 4 * (L - 2);
		if (level >= 3)
			tilt = uniform(&r, 18, 25) * M_PI / 180;
		break;
	default:
		break;
	}

	/* Place it: shrink until it fits, then shift it somewhere random. */
	double z = fl / ppm;
	set_pose(&sc, fl, w / 2.0, h / 2.0, roll, tilt, axis, 0, 0, z);
	for (int i = 0; i < 60 && !fits(&sc, w, h, 3); i++) {
		z *= 1.04;
		set_pose(&sc, fl, w / 2.0, h / 2.0, roll, tilt, axis, 0, 0, z);
	}
	if (!fits(&sc, w, h, 3)) {
		free(f);
		QRcode_free(q);
		return -1;
	}
	for (int i = 0; i < 10; i++) {
		double sx = uniform(&r, -0.3, 0.3) * w * z / fl;
		double sy = uniform(&r, -0.3, 0.3) * h * z / fl;
		scene t = sc;
		set_pose(&t, fl, w / 2.0, h / 2.0, roll, tilt, axis, sx, sy, z);
		if (fits(&t, w, h, 3)) {
			sc = t;
			break;
		}
	}

	/* Bounding box of the card in the frame. */
	double bx0 = w, by0 = h, bx1 = 0, by1 = 0;
	for (int i = 0; i < 4; i++) {
		double x, y;
		project(&sc, (i & 1) ? sc.card + 4 : -sc.card - 4,
			(i & 2) ? sc.card + 4 : -sc.card - 4, &x, &y);
		bx0 = fmin(bx0, x);
		by0 = fmin(by0, y);
		bx1 = fmax(bx1, x);
		by1 = fmax(by1, y);
	}
	int x0 = bx0 < 0 ? 0 : (int)bx0, y0 = by0 < 0 ? 0 : (int)by0;
	int x1 = bx1 > w ? w : (int)bx1 + 1, y1 = by1 > h ? h : (int)by1 + 1;

	double cxg = 0, cyg = 0;
	project(&sc, uniform(&r, -0.5, 0.5) * sc.half,
		uniform(&r, -0.5, 0.5) * sc.half, &cxg, &cyg);
	double code_px = 2 * sc.half * fl / z;
	double shadow_ang = uniform(&r, 0, 2 * M_PI);
	double moire_ang = uniform(&r, 0, M_PI);
	double moire_per = ppm * uniform(&r, 1.05, 1.4);
	double pwm_per = uniform(&r, 30, 80), pwm_ph = uniform(&r, 0, 2 * M_PI);

	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			double acc = 0;
			int inside = 0;
			for (int sy = 0; sy < 3; sy++)
				for (int sx = 0; sx < 3; sx++) {
					double px = x + (sx + 0.5) / 3.0;
					double py = y + (sy + 0.5) / 3.0;
					const double *hi = sc.hi;
					double ww = hi[6] * px + hi[7] * py + hi[8];
					double u = (hi[0] * px + hi[1] * py + hi[2]) / ww;
					double v = (hi[3] * px + hi[4] * py + hi[5]) / ww;
					double val = plane_value(&sc, u, v);
					if (val < 0)
						val = f[(size_t)y * w + x];
					else
						inside++;
					acc += val;
				}
			if (!inside)
				continue;
			double val = acc / 9;
			double light = 1.0;
			if (glare_grad > 0)
				light *= 1.0 - glare_grad *
						       (0.5 + 0.5 * cos(shadow_ang) *
								      (2.0 * x / w - 1));
			if (shadow > 0) {
				double d = (x - w / 2.0) * cos(shadow_ang) +
					   (y - h / 2.0) * sin(shadow_ang);
				light *= 1.0 - shadow / (1.0 + exp(-d / 6.0));
			}
			if (!sc.screen || deg == SC_GLARE)
				val *= light;
			if (deg == SC_SCREEN) {
				val = val * gain + lift;
				double d = x * cos(moire_ang) + y * sin(moire_ang);
				val += moire * sin(2 * M_PI * d / moire_per);
			}
			f[(size_t)y * w + x] = (float)val;
		}
	if (glare_amp > 0) {
		double rad = glare_rad * code_px;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double d2 = ((x - cxg) * (x - cxg) +
					     (y - cyg) * (y - cyg) * 1.6) /
					    (rad * rad);
				if (d2 < 9)
					f[(size_t)y * w + x] +=
						(float)(glare_amp * exp(-d2));
			}
	}
	gaussian_blur(f, w, h, defocus);
	if (mlen > 0)
		motion_blur(f, w, h, mlen, mang);
	if (pwm > 0)
		for (int y = 0; y < h; y++) {
			double k = 1.0 - pwm * (0.5 + 0.5 * sin(2 * M_PI * y / pwm_per + pwm_ph));
			for (int x = 0; x < w; x++)
				f[(size_t)y * w + x] *= (float)k;
		}
	for (size_t i = 0; i < (size_t)w * h; i++)
		f[i] += (float)(noise * gauss(&r));
	quantise(f, frame, (size_t)w * h);
	if (jpegq)
		jpeg_roundtrip(frame, w, h, jpegq);
	free(f);
	QRcode_free(q);
	return fl / z;
}
