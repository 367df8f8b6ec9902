/*
 * Floor of the scanner's read rate on a small, fixed part of the
 * camera-condition corpus (tests/scan/scan_corpus.c; the full corpus and
 * the figures are bench-scan-rate's, docs/scanner.md): 640x480, the clean
 * frame and the mild level of every degradation, for a demo SHC and a demo
 * DCC. The scheduler runs with a budget no frame reaches, so the attempts
 * it makes do not depend on how fast this machine (or a sanitizer build)
 * is. Asserts, well below what the benchmark shows so it cannot flake:
 *  - the scheduler reads at least as many of these frames as ZBar alone
 *    (the scanner before the scheduler), and at least 90 % of them (it
 *    reads all 26 here);
 *  - it reads every clean and mildly inverted frame (dark mode);
 *  - on the hard levels of tilt (33-35 degrees) and dark mode, and on
 *    medium defocus, it reads at least 3, 3 and 2 of 4 frames (ZBar alone
 *    reads about none of them); on hard motion blur (1.6 module) at least
 *    3 of 4 (it reads 4; 2 without the motion deconvolution);
 *  - dc_qrfind locates every clean and hard-tilt frame's code, with its
 *    width in modules within a tenth of the true one;
 *  - it finds nothing in frames without a code;
 *  - the corpus is deterministic: same seed, same frame.
 *
 * usage: test_scan_rate SHC_DEMO_DIR [DCC_DEMO_DIR] (the demo card folders)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "dc_qrfind.h"
#include "dc_scan.h"
#include "dc_test.h"
#include "scan_corpus.h"

#define W 640
#define H 480

static char *card(const char *dir, const char *file, int line)
{
	char p[1024];
	if (!dir)
		return NULL;
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *t = dc_test_read(p, NULL), *s = t;
	for (int i = 0; s && i < line; i++) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	if (!s || !*s) {
		free(t);
		return NULL;
	}
	s[strcspn(s, "\r\n")] = 0;
	memmove(t, s, strlen(s) + 1);
	return t;
}

static int has(dc_scanner *s, int n, const char *want)
{
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		const char *t = dc_scanner_text(s, i, &len);
		if (t && len == strlen(want) && memcmp(t, want, len) == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct { char *text; int ecc; } cards[2] = {
		{ card(argc > 1 ? argv[1] : NULL, "vaccinated.txt", 0), 0 },
		{ card(argc > 2 ? argv[2] : NULL, "dcc-es256-vaccination.txt", 0), 1 },
	};
	if (!cards[0].text) {
		fprintf(stderr, "usage: test_scan_rate SHC_DEMO_DIR [DCC_DEMO_DIR]\n");
		return 77;
	}
	int nc = cards[1].text ? 2 : 1;

	uint8_t *f = malloc((size_t)W * H), *g = malloc((size_t)W * H);
	dc_scanner *zb = dc_scanner_new(W, H), *sch = dc_scanner_new(W, H);
	CHECK(f && g && zb && sch);
	if (!f || !g || !zb || !sch)
		return dc_test_done();
	dc_scan_config c;
	dc_scan_config_default(&c);
	c.decoders = DC_SCAN_ZBAR;
	c.single = 1;
	CHECK_EQ_INT(dc_scanner_config(zb, &c), 0);
	dc_scan_config_default(&c);
	c.budget_ms = DC_SCAN_BUDGET_MAX_MS;
	CHECK_EQ_INT(dc_scanner_config(sch, &c), 0);

	int total = 0, read_zb = 0, read_sch = 0;
	for (int d = 0; d < SC_NDEG; d++)
		for (int t = 0; t < nc; t++) {
			int lv = d == SC_CLEAN ? 0 : 1;
			uint32_t seed = (uint32_t)(11 + 3 * t);
			CHECK(sc_render(f, W, H, cards[t].text, cards[t].ecc, d, lv,
					seed) > 0);
			total++;
			int n = dc_scanner_scan(zb, f, W, H, W);
			int a = has(zb, n, cards[t].text);
			n = dc_scanner_scan_still(sch, f, W, H, W,
						  DC_SCAN_STILL_FRAMES, NULL);
			int b = has(sch, n, cards[t].text);
			read_zb += a;
			read_sch += b;
			if (d == SC_CLEAN || d == SC_INVERTED)
				CHECK_MSG(b, "%s, card %d: not read",
					  sc_deg_name(d), t);
			printf("%-12s card %d: zbar %d scheduler %d\n",
			       sc_deg_name(d), t, a, b);
		}
	printf("read: zbar-only %d, scheduler %d of %d\n", read_zb, read_sch,
	       total);
	CHECK_MSG(read_sch >= read_zb, "scheduler %d < ZBar alone %d", read_sch,
		  read_zb);
	CHECK_MSG(read_sch * 10 >= total * 9, "scheduler read %d of %d",
		  read_sch, total);

	/* Harder levels where the scheduler's own work (the finder patterns'
	 * homography, deblurring, inverted copies) is what reads. */
	static const struct { int deg, lv, floor; } hard[] = {
		{ SC_PERSPECTIVE, 3, 3 }, { SC_INVERTED, 3, 3 }, { SC_DEFOCUS, 2, 2 },
		{ SC_MOTION, 3, 3 },
	};
	for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++) {
		int got = 0, got_zb = 0, n_tried = 0;
		for (int t = 0; t < nc; t++)
			for (int sd = 0; sd < 4 / nc; sd++) {
				uint32_t seed = (uint32_t)(21 + 5 * t + 17 * sd);
				CHECK(sc_render(f, W, H, cards[t].text, cards[t].ecc,
						hard[i].deg, hard[i].lv, seed) > 0);
				n_tried++;
				int n = dc_scanner_scan(zb, f, W, H, W);
				got_zb += has(zb, n, cards[t].text);
				n = dc_scanner_scan_still(sch, f, W, H, W,
							  DC_SCAN_STILL_FRAMES, NULL);
				got += has(sch, n, cards[t].text);
			}
		printf("%-12s level %d: zbar %d scheduler %d of %d\n",
		       sc_deg_name(hard[i].deg), hard[i].lv, got_zb, got, n_tried);
		CHECK_MSG(got >= hard[i].floor * n_tried / 4,
			  "%s level %d: scheduler read %d of %d",
			  sc_deg_name(hard[i].deg), hard[i].lv, got, n_tried);
	}

	/* The finder patterns' fit on its own. */
	{
		size_t cap = dc_qrfind_thr_size(W, H);
		uint8_t *thr = malloc(cap);
		CHECK(thr != NULL);
		for (int t = 0; thr && t < nc; t++) {
			QRcode *q = QRcode_encodeString(cards[t].text, 0,
							cards[t].ecc ? QR_ECLEVEL_M
								     : QR_ECLEVEL_L,
							QR_MODE_8, 1);
			CHECK(q != NULL);
			if (!q)
				continue;
			for (int k = 0; k < 4; k++) {
				int deg = k < 2 ? SC_CLEAN : SC_PERSPECTIVE;
				CHECK(sc_render(f, W, H, cards[t].text, cards[t].ecc,
						deg, deg == SC_CLEAN ? 0 : 3,
						(uint32_t)(40 + k + 9 * t)) > 0);
				dc_qrquad qq;
				int r = dc_qrfind(f, W, H, W, 0, 0, W, H, 2, thr, cap,
						  &qq);
				CHECK_MSG(r == 1, "%s card %d: dc_qrfind %d",
					  sc_deg_name(deg), t, r);
				if (r == 1)
					CHECK_MSG(qq.modules > 0.9 * q->width &&
							  qq.modules < 1.1 * q->width &&
							  !qq.inverted,
						  "%s card %d: %.1f modules, %d wide",
						  sc_deg_name(deg), t, qq.modules,
						  q->width);
			}
			QRcode_free(q);
		}
		free(thr);
	}

	/* Nothing out of nothing, over enough frames for every attempt. */
	dc_scanner_wipe(sch);
	for (int k = 0; k < 30; k++) {
		sc_render_empty(f, W, H, (uint32_t)(500 + k % 3));
		CHECK_EQ_INT(dc_scanner_scan(sch, f, W, H, W), 0);
	}

	/* Same seed, same frame; another seed, another frame. */
	CHECK(sc_render(f, W, H, cards[0].text, 0, SC_PAPER, 2, 7) > 0);
	CHECK(sc_render(g, W, H, cards[0].text, 0, SC_PAPER, 2, 7) > 0);
	CHECK(memcmp(f, g, (size_t)W * H) == 0);
	CHECK(sc_render(g, W, H, cards[0].text, 0, SC_PAPER, 2, 8) > 0);
	CHECK(memcmp(f, g, (size_t)W * H) != 0);
	CHECK(sc_render(f, W, H, cards[0].text, 0, SC_NDEG, 1, 7) < 0);
	CHECK(sc_render(f, W, H, cards[0].text, 0, SC_NOISE, 4, 7) < 0);

	dc_scanner_free(zb);
	dc_scanner_free(sch);
	free(f);
	free(g);
	for (int t = 0; t < 2; t++)
		free(cards[t].text);
	return dc_test_done();
}
