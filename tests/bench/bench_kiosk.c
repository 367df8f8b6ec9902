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
		report("  scan (ZBar)", scan, rounds);
		report("  verify+policy+kiosk", verify, rounds);
		report("  render", render, rounds);
		free(total);
		free(scan);
		free(verify);
		free(render);
		dc_kiosk_free(k);
		dc_collect_free(col);
		dc_scanner_free(sc);
		dc_grey_free(&g);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory: %ld KiB\n", ru.ru_maxrss);
	dc_canvas_close(&cv);
	dc_ui_free(ui);
	dc_policy_free(x.policy);
	dc_trust_free(x.trust);
	return 0;
}
