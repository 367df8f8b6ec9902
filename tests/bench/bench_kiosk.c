/*
 * bench-kiosk: milliseconds from the camera frame that first contains a
 * readable code to the result screen rendered (headless, software
 * renderer), split into scan / verify+policy+state machine / render, and
 * the peak resident memory of the kiosk loop (getrusage ru_maxrss).
 *
 *   ./build/tests/bench/bench-kiosk [rounds] [WxH]
 *
 * Frames: the demo cards' camera-sized frames (640x480 and 1280x720);
 * trust: keys/demo. The wall clock is the real one.
 *
 * Two measurements per frame size:
 *  - one code frame straight into an idle loop (the first table);
 *  - at camera rate: a simulated camera delivers a frame every 33.3 ms by
 *    the wall clock, first empty scenes (the corpus's camera-like rooms,
 *    tests/scan/scan_corpus.c) for a second or so, then the code frame;
 *    the loop scans, collects, verifies and renders each frame as the
 *    kiosk does, taking the newest frame when it falls behind (a camera
 *    with a one-frame queue). Latency: from the arrival of the first code
 *    frame to the result screen rendered, so a code that arrives while an
 *    empty frame's costly attempts run waits for them, and one the
 *    scheduler reads only on a later frame counts those frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "dc_collect.h"
#include "dc_image.h"
#include "dc_kiosk.h"
#include "dc_policy.h"
#include "dc_scan.h"
#include "dc_trustload.h"
#include "dc_ui.h"
#include "dc_verify.h"
#ifdef DC_BENCH_CORPUS
#include "scan_corpus.h"
#endif

#define CAM_PERIOD_MS (1000.0 / 30)

typedef struct {
	dc_trust *trust;
	dc_policy *policy;
} ctx;

static void check(void *c, const char *const *texts, const size_t *lens, size_t n,
		  double now, dc_record *rec, dc_policy_result *pol)
{
	ctx *x = c;
	dc_verify_opts o = { .trust = x->trust, .now = now };
	dc_verify_texts(&o, texts, lens, n, rec);
	dc_policy_evaluate(x->policy, rec, now, pol);
}

static double ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void sleep_until(double t_ms)
{
	struct timespec ts;
	ts.tv_sec = (time_t)(t_ms / 1e3);
	ts.tv_nsec = (long)((t_ms - (double)ts.tv_sec * 1e3) * 1e6);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

/* Empty camera-like frames: the corpus's rooms when it is built in, else
 * mid grey with a little pseudo-random sensor noise. */
static void empty_frame(uint8_t *f, int w, int h, unsigned seed)
{
#ifdef DC_BENCH_CORPUS
	sc_render_empty(f, w, h, seed);
#else
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < (size_t)w * h; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		f[i] = (uint8_t)(120 + (x & 7));
	}
#endif
}

static void report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof v[0], cmp);
	printf("  %-26s median %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", what, v[n / 2],
	       v[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1], v[n - 1]);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 50, w = 800, h = 480;
	if (argc > 2 && sscanf(argv[2], "%dx%d", &w, &h) != 2)
		return 2;
	if (rounds < 1)
		rounds = 1;
	char err[512];
	ctx x = { dc_trust_new(), dc_policy_new_default() };
	dc_core_init();
	if (dc_trustload_dir(x.trust, DC_SOURCE_ROOT "/keys/demo", err, sizeof err) != 0) {
		fprintf(stderr, "trust: %s\n", err);
		return 1;
	}
	dc_ui *ui = dc_ui_new(NULL, err, sizeof err);
	dc_canvas cv;
	if (!ui || dc_canvas_open(&cv, w, h) != 0) {
		fprintf(stderr, "ui: %s\n", err);
		return 1;
	}
	static const char *const frames[] = { "frame-640x480.png", "frame-1280x720.png" };
	printf("bench-kiosk: %d rounds per frame size, screen %dx%d (software renderer)\n",
	       rounds, w, h);
	for (size_t f = 0; f < 2; f++) {
		char path[4096];
		dc_grey g;
		snprintf(path, sizeof path, "%s/%s", DC_DEMO_CARDS_DIR, frames[f]);
		if (dc_image_load(path, &g, err, sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		dc_scanner *sc = dc_scanner_new(g.width, g.height);
		dc_collect *col = dc_collect_new(NULL);
		dc_kiosk_config kc = { .check = check, .check_ctx = &x };
		uint64_t t = 0;
		dc_kiosk *k = dc_kiosk_new(&kc, t, (int64_t)time(NULL));
		double *total = calloc((size_t)rounds, sizeof(double));
		double *scan = calloc((size_t)rounds, sizeof(double));
		double *verify = calloc((size_t)rounds, sizeof(double));
		double *render = calloc((size_t)rounds, sizeof(double));
		int passes = 0;
		/* warm up: fonts opened, glyphs cached */
		dc_ui_render(ui, cv.renderer, w, h, dc_kiosk_screen(k));
		for (int r = 0; r < rounds; r++) {
			dc_collect_result res;
			double t0 = ms();
			int n = dc_scanner_scan(sc, g.y, g.width, g.height, g.stride);
			const char *texts[DC_SCAN_MAX_CODES];
			size_t lens[DC_SCAN_MAX_CODES];
			for (int i = 0; i < n; i++)
				texts[i] = dc_scanner_text(sc, i, &lens[i]);
			double t1 = ms();
			if (dc_collect_feed(col, t, texts, lens, n > 0 ? (size_t)n : 0, &res) ==
			    DC_COLLECT_READY)
				dc_kiosk_credential(k, t, (int64_t)time(NULL), res.texts, res.lens, res.n);
			double t2 = ms();
			dc_ui_render(ui, cv.renderer, w, h, dc_kiosk_screen(k));
			double t3 = ms();
			passes += dc_kiosk_screen(k)->kind == DC_SCREEN_PASS;
			total[r] = t3 - t0;
			scan[r] = t1 - t0;
			verify[r] = t2 - t1;
			render[r] = t3 - t2;
			/* the card leaves; the result times out; back to scanning */
			for (int e = 0; e < DC_COLLECT_DEFAULT_GONE_FRAMES + 1; e++) {
				t += 100;
				dc_collect_feed(col, t, NULL, NULL, 0, &res);
			}
			t += DC_KIOSK_DEFAULT_RESULT_MS + DC_COLLECT_KIOSK_GONE_MS;
			dc_kiosk_tick(k, t, (int64_t)time(NULL));
			dc_ui_render(ui, cv.renderer, w, h, dc_kiosk_screen(k));
		}
		printf("%s (%dx%d): %d of %d rounds gave PASS\n", frames[f], g.width, g.height,
		       passes, rounds);
		report("frame -> result rendered", total, rounds);
		report("  scan", scan, rounds);
		report("  verify+policy+kiosk", verify, rounds);
		report("  render", render, rounds);

		/* At camera rate: the same loop fed by a 30 fps clock. */
		enum { NEMPTY = 6 };
		size_t fsz = (size_t)g.width * g.height;
		uint8_t *emp = malloc(fsz * NEMPTY);
		int crounds = rounds < 20 ? rounds : 20;
		double *lat = calloc((size_t)crounds, sizeof(double));
		int *lat_frames = calloc((size_t)crounds, sizeof(int));
		if (!emp || !lat || !lat_frames)
			return 1;
		for (int e = 0; e < NEMPTY; e++)
			empty_frame(emp + fsz * e, g.width, g.height, 2000u + (unsigned)e);
		uint8_t *code = malloc(fsz);
		if (!code)
			return 1;
		for (int row = 0; row < g.height; row++)
			memcpy(code + (size_t)row * g.width, g.y + (size_t)row * g.stride,
			       (size_t)g.width);
		int cpass = 0, dropped = 0;
		for (int r = 0; r < crounds; r++) {
			/* About a second of empty frames, a different count each
			 * round so the code meets every phase of the schedule. */
			int n_empty = 30 + r % 7, done = 0;
			double start = ms() + 5, first_code = 0;
			dc_scanner_wipe(sc);
			for (int fi = 0; !done && fi < n_empty + 30;) {
				sleep_until(start + fi * CAM_PERIOD_MS);
				/* the newest frame the camera has */
				int now_f = (int)((ms() - start) / CAM_PERIOD_MS);
				if (now_f > fi) {
					dropped += now_f - fi;
					fi = now_f;
				}
				if (fi >= n_empty + 30)
					break;
				int is_code = fi >= n_empty;
				if (is_code && first_code == 0)
					first_code = start + n_empty * CAM_PERIOD_MS;
				const uint8_t *fr = is_code ? code : emp + fsz * (size_t)(fi % NEMPTY);
				uint64_t tcam = t + (uint64_t)(fi * CAM_PERIOD_MS);
				dc_collect_result res;
				int n = dc_scanner_scan(sc, fr, g.width, g.height, g.width);
				const char *texts[DC_SCAN_MAX_CODES];
				size_t lens[DC_SCAN_MAX_CODES];
				for (int i = 0; i < n; i++)
					texts[i] = dc_scanner_text(sc, i, &lens[i]);
				int ready = dc_collect_feed(col, tcam, texts, lens,
							    n > 0 ? (size_t)n : 0,
							    &res) == DC_COLLECT_READY;
				if (ready)
					dc_kiosk_credential(k, tcam, (int64_t)time(NULL),
							    res.texts, res.lens, res.n);
				else
					dc_kiosk_tick(k, tcam, (int64_t)time(NULL));
				dc_ui_render(ui, cv.renderer, w, h, dc_kiosk_screen(k));
				if (ready && is_code) {
					lat[r] = ms() - first_code;
					lat_frames[r] = fi - n_empty + 1;
					cpass += dc_kiosk_screen(k)->kind == DC_SCREEN_PASS;
					done = 1;
				}
				fi++;
			}
			if (!done)
				lat[r] = 1e9;
			/* the card leaves; the result times out */
			t += (uint64_t)((n_empty + 30) * CAM_PERIOD_MS);
			for (int e = 0; e < DC_COLLECT_DEFAULT_GONE_FRAMES + 1; e++) {
				t += 100;
				dc_collect_result gone;
				dc_collect_feed(col, t, NULL, NULL, 0, &gone);
			}
			t += DC_KIOSK_DEFAULT_RESULT_MS + DC_COLLECT_KIOSK_GONE_MS;
			dc_kiosk_tick(k, t, (int64_t)time(NULL));
			dc_ui_render(ui, cv.renderer, w, h, dc_kiosk_screen(k));
		}
		printf("  at camera rate (30 fps, %d rounds of ~1 s of empty frames "
		       "then the code; %d of %d gave PASS, %d frames dropped):\n",
		       crounds, cpass, crounds, dropped);
		int maxf = 0, within = 0;
		for (int r = 0; r < crounds; r++) {
			maxf = lat_frames[r] > maxf ? lat_frames[r] : maxf;
			within += lat[r] < CAM_PERIOD_MS;
		}
		report("first code frame -> result", lat, crounds);
		printf("    within one frame (%.1f ms): %d of %d rounds; code frames "
		       "until read (drops included): at most %d\n",
		       CAM_PERIOD_MS, within, crounds, maxf);
		free(lat);
		free(lat_frames);
		free(emp);
		free(code);
		free(total);
		free(scan);
		free(verify);
		free(render);
		dc_kiosk_free(k);
		dc_collect_free(col);
		dc_scanner_free(sc);
		dc_grey_free(&g);
	}
	/* Wall-clock figures depend on what else runs: say how busy it was. */
	FILE *la = fopen("/proc/loadavg", "r");
	double l1, l5;
	if (la && fscanf(la, "%lf %lf", &l1, &l5) == 2)
		printf("load average (1 / 5 min) at the end: %.2f / %.2f\n", l1, l5);
	if (la)
		fclose(la);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory: %ld KiB\n", ru.ru_maxrss);
	dc_canvas_close(&cv);
	dc_ui_free(ui);
	dc_policy_free(x.policy);
	dc_trust_free(x.trust);
	return 0;
}
