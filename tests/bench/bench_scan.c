/*
 * bench-scan: frames per second of dc_scanner_scan() (default scheduler; a
 * frame run is the mean over the schedule's cheap and costly frames; for
 * read rates and per-decoder figures see bench_scan_rate.c) on synthetic camera
 * frames (grey background with sensor-like noise) at 640x480 and 1280x720:
 * no code, an SHC code (spec example-00's numeric text) and a DCC code (the
 * first HC1 "PREFIX" in dgc-testdata), each rendered with libqrencode at a
 * module size a card or phone held ~20 cm from a kiosk camera gives.
 * Median of several runs, by CPU time of the scanning thread and by wall
 * time. Not a test.
 *
 * usage: bench-scan [runs]   (DC_SHARED overrides the shared data folder)
 */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dc_scan.h"
#include "dc_test.h"
#include "scan_testutil.h"

#ifndef DC_SHARED_DEFAULT
#define DC_SHARED_DEFAULT "../shared"
#endif

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median fps over `runs` runs of at least 0.5 s of CPU time (and 5
 * frames) each, by the thread's CPU clock (what one core of an idle kiosk
 * would do) and by the wall clock (what this machine did under its load).
 * *found is the number of codes the last scan saw, to show the frame was
 * what it claims to be. */
static double bench(dc_scanner *s, const uint8_t *f, int w, int h, int runs,
		    int *found, double *wall_fps)
{
	double fps[64], wfps[64];
	if (runs > 64)
		runs = 64;
	for (int r = 0; r < runs; r++) {
		int frames = 0;
		double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), c;
		double w0 = clock_s(CLOCK_MONOTONIC);
		do {
			*found = dc_scanner_scan(s, f, w, h, w);
			frames++;
			c = clock_s(CLOCK_THREAD_CPUTIME_ID);
		} while (c - c0 < 0.5 || frames < 5);
		fps[r] = frames / (c - c0);
		wfps[r] = frames / (clock_s(CLOCK_MONOTONIC) - w0);
	}
	qsort(fps, (size_t)runs, sizeof fps[0], cmp_double);
	qsort(wfps, (size_t)runs, sizeof wfps[0], cmp_double);
	*wall_fps = wfps[runs / 2];
	return fps[runs / 2];
}

static char *load_shc(const char *shared)
{
	char p[1024];
	size_t len = 0;
	snprintf(p, sizeof p,
		 "%s/testdata/shc/spec-examples/"
		 "example-00-f-qr-code-numeric-value-0.txt", shared);
	char *t = dc_test_read(p, &len);
	if (t)
		tu_chomp(t, len);
	return t;
}

static char *load_hc1(const char *shared, char *name, size_t namelen)
{
	char pat[1024];
	glob_t g;
	char *out = NULL;
	snprintf(pat, sizeof pat,
		 "%s/testdata/dcc/dgc-testdata/*/2DCode/raw/*.json", shared);
	if (glob(pat, 0, NULL, &g) != 0)
		return NULL;
	for (size_t i = 0; i < g.gl_pathc && !out; i++) {
		char *json = dc_test_read(g.gl_pathv[i], NULL);
		char *p = json ? tu_json_prefix(json) : NULL;
		free(json);
		if (p && strncmp(p, "HC1:", 4) == 0) {
			out = p;
			snprintf(name, namelen, "%s",
				 g.gl_pathv[i] + strlen(shared) + 1);
		} else {
			free(p);
		}
	}
	globfree(&g);
	return out;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 7;
	const char *shared = getenv("DC_SHARED");
	if (!shared)
		shared = DC_SHARED_DEFAULT;
	char hc1_name[512] = "";
	char *shc = load_shc(shared);
	char *hc1 = load_hc1(shared, hc1_name, sizeof hc1_name);
	if (!shc || !hc1) {
		fprintf(stderr, "bench-scan: test data not found under %s "
				"(set DC_SHARED)\n", shared);
		return 1;
	}
	if (runs < 1)
		runs = 1;

	static const struct { int w, h, shc_mod, hc1_mod; } sizes[] = {
		{ 640, 480, 3, 4 },
		{ 1280, 720, 5, 7 },
	};
	printf("bench-scan: median of %d runs, dc_scanner defaults (the scan "
	       "scheduler over %s; docs/scanner.md)\n", runs,
	       dc_scan_decoders_available() & DC_SCAN_ZXING ? "ZBar and zxing"
							  : "ZBar");
	printf("SHC: example-00 (%zu chars); DCC: %s (%zu chars)\n",
	       strlen(shc), hc1_name, strlen(hc1));
	printf("%-10s %-8s %7s %8s %6s %9s %8s %9s\n", "frame", "content",
	       "module", "density", "codes", "fps(cpu)", "ms/frame",
	       "fps(wall)");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int w = sizes[i].w, h = sizes[i].h;
		dc_scanner *s = dc_scanner_new(w, h);
		uint8_t *f = malloc((size_t)w * h);
		if (!s || !f)
			return 1;
		for (int c = 0; c < 3; c++) {
			const char *name = c == 0 ? "none" : c == 1 ? "SHC" : "DCC";
			int mod = c == 1 ? sizes[i].shc_mod : sizes[i].hc1_mod;
			/* A grey, uneven background like a lit room. */
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					f[(size_t)y * w + x] =
						(uint8_t)(150 + (x * 60) / w -
							  (y * 40) / h);
			if (c) {
				const char *t = c == 1 ? shc : hc1;
				QRcode *q = QRcode_encodeString(t, 0, QR_ECLEVEL_L,
								QR_MODE_8, 1);
				int side = q ? (q->width + 8) * mod : 0;
				QRcode_free(q);
				if (tu_draw_qr(f, w, h, w, (w - side) / 2,
					       (h - side) / 2, t, mod) < 0) {
					fprintf(stderr, "code does not fit\n");
					return 1;
				}
			}
			tu_noise(f, (size_t)w * h, 10, 42);
			for (int density = 1; density <= 2; density++) {
				int found = 0;
				double wall = 0;
				dc_scanner_set_density(s, density);
				double fps = bench(s, f, w, h, runs, &found,
						   &wall);
				char frame[16], module[8];
				snprintf(frame, sizeof frame, "%dx%d", w, h);
				if (c)
					snprintf(module, sizeof module, "%dpx",
						 mod);
				else
					snprintf(module, sizeof module, "-");
				printf("%-10s %-8s %7s %8d %6d %9.1f %8.2f "
				       "%9.1f\n",
				       frame, name, module, density, found, fps,
				       1000.0 / fps, wall);
			}
		}
		free(f);
		dc_scanner_free(s);
	}
	free(shc);
	free(hc1);
	return 0;
}
