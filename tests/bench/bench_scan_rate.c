/*
 * bench-scan-rate: read rate and CPU per frame of three scanner
 * configurations side by side on the camera-condition corpus
 * (tests/scan/scan_corpus.c): ZBar alone as before the scheduler (one
 * whole-frame pass per frame), zxing alone (its fast pass on the whole
 * frame) and the scheduler (both decoders, default budget).
 *
 * Each corpus frame is shown as a code held still for 15 frames (0.5 s at
 * 30 fps): a configuration reads it if any of those frames yields the
 * code's text. The single-pass configurations are stateless, so one frame
 * tells; the scheduler runs until it reads (or 15 frames). CPU per frame is
 * the thread's CPU time of each dc_scanner_scan() call: on code frames (all
 * calls made on frames holding a code) and on empty frames (a stream of
 * camera-like frames with no code), median and p95, per resolution.
 *
 * usage: bench-scan-rate [--seeds N] [--res WxH] [--deg NAME] [--frames N]
 *                        [--cfg NAME] [--misses]
 * (--misses: one line per frame the scheduler did not read, to find it
 * again with --res and --deg. --cfg: run only that configuration, for
 * faster iteration; the others' columns then read 0. The default runs all
 * three side by side.
 * BENCH_BUDGET_MS in the environment sets the scheduler's budget, to see
 * what its attempt lists read without one: an experiment, not a figure.)
 * Texts: the demo cards minted at build time (DC_DEMO_CARDS_DIR,
 * DC_DCC_DEMO_CARDS_DIR; override with the environment variables of the
 * same names). Not a test: figures depend on the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dc_scan.h"
#include "dc_test.h"
#include "scan_corpus.h"

#ifndef DC_DEMO_CARDS_DIR
#define DC_DEMO_CARDS_DIR "build/tools/demo"
#endif
#ifndef DC_DCC_DEMO_CARDS_DIR
#define DC_DCC_DEMO_CARDS_DIR ""
#endif

#define NCFG 3
#define MAXT 8

static const char *cfg_name[NCFG] = { "zbar-only", "zxing-only", "scheduler" };

typedef struct {
	double *v;
	size_t n, cap;
} samples;

static void push(samples *s, double x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			exit(1);
	}
	s->v[s->n++] = x;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(samples *s, double p)
{
	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof *s->v, cmpd);
	size_t i = (size_t)(p * (double)(s->n - 1) + 0.5);
	return s->v[i];
}

static double mean(const samples *s)
{
	double a = 0;
	for (size_t i = 0; i < s->n; i++)
		a += s->v[i];
	return s->n ? a / (double)s->n : 0;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
	char *text;
	int ecc;
	const char *name;
} card;

static int load_card(card *c, const char *dir, const char *file, int line,
		     int ecc, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *t = dc_test_read(p, NULL);
	if (!t)
		return -1;
	char *s = t;
	for (int i = 0; i < line && s; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s) {
		free(t);
		return -1;
	}
	size_t n = strcspn(s, "\r\n");
	c->text = malloc(n + 1);
	if (!c->text) {
		free(t);
		return -1;
	}
	memcpy(c->text, s, n);
	c->text[n] = 0;
	c->ecc = ecc;
	c->name = name;
	free(t);
	return 0;
}

static int has(dc_scanner *s, int n, const char *want)
{
	size_t wl = strlen(want);
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		const char *t = dc_scanner_text(s, i, &len);
		if (t && len == wl && memcmp(t, want, wl) == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int seeds = 2, frames = DC_SCAN_STILL_FRAMES, only_deg = -1, only_cfg = -1;
	int resw = 0, resh = 0, misses = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
			seeds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--misses"))
			misses = 1;
		else if (!strcmp(argv[i], "--frames") && i + 1 < argc)
			frames = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--res") && i + 1 < argc) {
			if (sscanf(argv[++i], "%dx%d", &resw, &resh) != 2)
				return 2;
		} else if (!strcmp(argv[i], "--cfg") && i + 1 < argc) {
			const char *cn = argv[++i];
			for (int c = 0; c < NCFG; c++)
				if (!strcmp(cn, cfg_name[c]))
					only_cfg = c;
			if (only_cfg < 0) {
				fprintf(stderr, "unknown --cfg %s\n", cn);
				return 2;
			}
		} else if (!strcmp(argv[i], "--deg") && i + 1 < argc) {
			const char *d = argv[++i];
			for (int k = 0; k < SC_NDEG; k++)
				if (!strcmp(d, sc_deg_name(k)))
					only_deg = k;
			if (only_deg < 0)
				return 2;
		} else {
			fprintf(stderr, "usage: bench-scan-rate [--seeds N] "
					"[--res WxH] [--deg NAME] [--frames N] "
					"[--cfg NAME] [--misses]\n");
			return 2;
		}
	}
	if (seeds < 1 || frames < 1)
		return 2;
	const char *shc_dir = getenv("DC_DEMO_CARDS_DIR");
	const char *dcc_dir = getenv("DC_DCC_DEMO_CARDS_DIR");
	if (!shc_dir)
		shc_dir = DC_DEMO_CARDS_DIR;
	if (!dcc_dir)
		dcc_dir = DC_DCC_DEMO_CARDS_DIR;
	card cards[MAXT];
	int nc = 0;
	if (load_card(&cards[nc], shc_dir, "vaccinated.txt", 0, 0, "shc") == 0)
		nc++;
	if (load_card(&cards[nc], shc_dir, "multi.txt", 1, 0, "shc-chunk") == 0)
		nc++;
	if (load_card(&cards[nc], dcc_dir, "dcc-es256-vaccination.txt", 0, 1,
		      "dcc-es256") == 0)
		nc++;
	if (load_card(&cards[nc], dcc_dir, "dcc-ps256-test.txt", 0, 1,
		      "dcc-ps256") == 0)
		nc++;
	if (nc == 0) {
		fprintf(stderr, "bench-scan-rate: no demo cards in %s\n", shc_dir);
		return 1;
	}

	static const int sizes[2][2] = { { 640, 480 }, { 1280, 720 } };
	unsigned avail = dc_scan_decoders_available();
	double t_start = wall_s();

	/* read[cfg][deg][level], tried[deg][level] */
	static int readn[NCFG][SC_NDEG][4], first[NCFG], tried[SC_NDEG][4];
	int total = 0;
	samples code_t[NCFG][2], empty_t[NCFG][2];
	memset(code_t, 0, sizeof code_t);
	memset(empty_t, 0, sizeof empty_t);
	int frames_to_read[DC_SCAN_STILL_FRAMES + 1] = { 0 };

	for (int si = 0; si < 2; si++) {
		int w = sizes[si][0], h = sizes[si][1];
		if (resw && (w != resw || h != resh))
			continue;
		uint8_t *f = malloc((size_t)w * h);
		dc_scanner *sc[NCFG];
		for (int c = 0; c < NCFG; c++) {
			sc[c] = dc_scanner_new(w, h);
			dc_scan_config cf;
			dc_scan_config_default(&cf);
			cf.single = c < 2;
			if (getenv("BENCH_BUDGET_MS")) /* see the top */
				cf.budget_ms = atof(getenv("BENCH_BUDGET_MS"));
			cf.decoders = c == 0 ? DC_SCAN_ZBAR
				      : c == 1 ? DC_SCAN_ZXING
					       : avail;
			if (!sc[c] || (c == 1 && !(avail & DC_SCAN_ZXING)))
				continue;
			if (dc_scanner_config(sc[c], &cf) != 0) {
				fprintf(stderr, "config %s refused\n", cfg_name[c]);
				return 1;
			}
		}
		if (!f)
			return 1;
		for (int d = 0; d < SC_NDEG; d++) {
			if (only_deg >= 0 && d != only_deg && d != SC_CLEAN)
				continue;
			for (int lv = d == SC_CLEAN ? 0 : 1;
			     lv <= (d == SC_CLEAN ? 0 : 3); lv++)
				for (int t = 0; t < nc; t++)
					for (int seed = 0; seed < seeds; seed++) {
			uint32_t sd = (uint32_t)(seed * 7919 + t * 104729 + si * 31);
			if (sc_render(f, w, h, cards[t].text, cards[t].ecc, d, lv,
				      sd) < 0) {
				fprintf(stderr, "%s %s/%d %dx%d: does not fit\n",
					cards[t].name, sc_deg_name(d), lv, w, h);
				continue;
			}
			tried[d][lv]++;
			total++;
			for (int c = 0; c < NCFG; c++) {
				if ((c == 1 && !(avail & DC_SCAN_ZXING)) ||
				    (only_cfg >= 0 && c != only_cfg))
					continue;
				dc_scanner_wipe(sc[c]);
				int nf = c < 2 ? 1 : frames, got = 0;
				for (int k = 0; k < nf && !got; k++) {
					double t0 = cpu_ms();
					int n = dc_scanner_scan(sc[c], f, w, h, w);
					push(&code_t[c][si], cpu_ms() - t0);
					got = has(sc[c], n, cards[t].text);
					if (got && k == 0)
						first[c]++;
					if (got && c == 2)
						frames_to_read[k + 1]++;
				}
				readn[c][d][lv] += got;
				if (misses && c == 2 && !got)
					printf("miss: %dx%d %s %s/%d seed %d\n", w, h,
					       cards[t].name, sc_deg_name(d), lv, seed);
			}
					}
		}
		/* Empty frames: 12 different scenes, 240 frames in a row. */
		uint8_t *empties = malloc((size_t)w * h * 12);
		if (!empties)
			return 1;
		for (int e = 0; e < 12; e++)
			sc_render_empty(empties + (size_t)e * w * h, w, h,
					(uint32_t)(1000 + e));
		for (int c = 0; c < NCFG; c++) {
			if ((c == 1 && !(avail & DC_SCAN_ZXING)) ||
			    (only_cfg >= 0 && c != only_cfg))
				continue;
			dc_scanner_wipe(sc[c]);
			for (int k = 0; k < 240; k++) {
				double t0 = cpu_ms();
				dc_scanner_scan(sc[c], empties + (size_t)(k % 12) * w * h,
						w, h, w);
				push(&empty_t[c][si], cpu_ms() - t0);
			}
		}
		free(empties);
		for (int c = 0; c < NCFG; c++)
			dc_scanner_free(sc[c]);
		free(f);
	}

	printf("bench-scan-rate: %d corpus frames (%d cards x %d seeds per "
	       "degradation x level x resolution), each held %d frames; "
	       "decoders built: %s\n",
	       total, nc, seeds, frames,
	       avail & DC_SCAN_ZXING ? "zbar, zxing" : "zbar");
	printf("\nread rate (%% of frames read)\n%-12s %-6s %5s", "degradation",
	       "level", "n");
	for (int c = 0; c < NCFG; c++)
		printf(" %11s", cfg_name[c]);
	printf("\n");
	static const char *lvn[4] = { "-", "mild", "medium", "hard" };
	for (int d = 0; d < SC_NDEG; d++)
		for (int lv = 0; lv < 4; lv++) {
			if (!tried[d][lv])
				continue;
			printf("%-12s %-6s %5d", sc_deg_name(d), lvn[lv],
			       tried[d][lv]);
			for (int c = 0; c < NCFG; c++)
				printf(" %10.1f%%",
				       100.0 * readn[c][d][lv] / tried[d][lv]);
			printf("\n");
		}
	printf("%-12s %-6s %5d", "overall", "", total);
	for (int c = 0; c < NCFG; c++) {
		int r = 0;
		for (int d = 0; d < SC_NDEG; d++)
			for (int lv = 0; lv < 4; lv++)
				r += readn[c][d][lv];
		printf(" %10.1f%%", total ? 100.0 * r / total : 0);
	}
	printf("\n%-12s %-6s %5d", "first frame", "", total);
	for (int c = 0; c < NCFG; c++)
		printf(" %10.1f%%", total ? 100.0 * first[c] / total : 0);
	printf("\nscheduler: frames until read:");
	for (int k = 1; k <= DC_SCAN_STILL_FRAMES; k++)
		printf(" %d:%d", k, frames_to_read[k]);

	printf("\n\nCPU ms per frame (thread CPU time), median / p95\n");
	printf("%-10s %-6s", "frames", "size");
	for (int c = 0; c < NCFG; c++)
		printf(" %15s", cfg_name[c]);
	printf("\n");
	for (int si = 0; si < 2; si++) {
		char sz[16];
		snprintf(sz, sizeof sz, "%dx%d", sizes[si][0], sizes[si][1]);
		for (int kind = 0; kind < 2; kind++) {
			printf("%-10s %-6s", kind ? "empty" : "with code", sz);
			for (int c = 0; c < NCFG; c++) {
				samples *s = kind ? &empty_t[c][si] : &code_t[c][si];
				printf("   %5.2f / %5.2f", pct(s, 0.5), pct(s, 0.95));
			}
			printf("\n");
		}
	}
	printf("\nempty frames per second (1 / mean CPU per frame)\n");
	for (int si = 0; si < 2; si++) {
		printf("%dx%d ", sizes[si][0], sizes[si][1]);
		for (int c = 0; c < NCFG; c++) {
			double m = mean(&empty_t[c][si]);
			printf("  %s %.0f", cfg_name[c], m > 0 ? 1000.0 / m : 0);
		}
		printf("\n");
	}
	printf("\nbench wall time: %.1f s\n", wall_s() - t_start);
	for (int t = 0; t < nc; t++)
		free(cards[t].text);
	for (int c = 0; c < NCFG; c++)
		for (int si = 0; si < 2; si++) {
			free(code_t[c][si].v);
			free(empty_t[c][si].v);
		}
	return 0;
}
