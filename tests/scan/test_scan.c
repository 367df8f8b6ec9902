/* dc_scan on QR codes rendered here with libqrencode, and on the SMART
 * Health Card specification's own example QR images. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_image.h"
#include "dc_scan.h"
#include "dc_test.h"
#include "scan_testutil.h"

#define FW 640
#define FH 480

static const char *HC1_TEXT =
	"HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9G4G50PHZF0AT4V22F"
	"/8X*G3M9JUPY0BX/KR96R/S09T./0LWTKD33236J3TA3M*4VV2 73-E3GG396B-43O"
	"058YIB73A*G3W19UEBY5:PI0EGSP4*2DN43U*0CEBQ/GXQFY73CIBC:G 7376BXBJBAJ";

static char *shc_text; /* example-00, from the shared test data */

/* This test checks what is read, not how fast: a scanner here has a budget
 * no frame reaches. With the default budget the attempts a frame gets
 * depend on the CPU (the budget is thread CPU time), and under
 * qemu-aarch64, 10 to 30 times slower, a loaded machine skipped the later
 * attempts. Speed is bench-scan-rate's; the default budget's reads are
 * scan_rate's and bench-scan-rate's. */
static dc_scanner *scanner_new(int w, int h)
{
	dc_scanner *s = dc_scanner_new(w, h);
	dc_scan_config c;
	dc_scan_config_default(&c);
	c.budget_ms = DC_SCAN_BUDGET_MAX_MS;
	if (s && dc_scanner_config(s, &c) != 0) {
		dc_scanner_free(s);
		return NULL;
	}
	return s;
}

static int has_text(dc_scanner *s, int n, const char *want)
{
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		const char *t = dc_scanner_text(s, i, &len);
		if (t && len == strlen(want) && memcmp(t, want, len) == 0 &&
		    t[len] == 0)
			return 1;
	}
	return 0;
}

static void test_normal_and_inverted(dc_scanner *s)
{
	uint8_t *f = tu_blank(FW, FH, 255);
	CHECK(tu_draw_qr(f, FW, FH, FW, 100, 10, shc_text, 4) > 0);
	tu_noise(f, (size_t)FW * FH, 12, 1);
	int n = dc_scanner_scan(s, f, FW, FH, FW);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(s, n, shc_text));
	size_t len = 0;
	CHECK(dc_scanner_text(s, 1, &len) == NULL && len == 0);

	/* Inverted (dark mode) is one of the later attempts: read within the
	 * frames of a held code. */
	tu_invert(f, (size_t)FW * FH);
	int used = 0;
	n = dc_scanner_scan_still(s, f, FW, FH, FW, DC_SCAN_STILL_FRAMES, &used);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(s, n, shc_text));
	CHECK(used >= 1 && used <= DC_SCAN_STILL_FRAMES);
	free(f);
}

static void test_hc1_rotated(dc_scanner *s)
{
	uint8_t *f = tu_blank(FW, FH, 255);
	CHECK(tu_draw_qr(f, FW, FH, FW, 150, 60, HC1_TEXT, 4) > 0);
	int n = dc_scanner_scan(s, f, FW, FH, FW);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(s, n, HC1_TEXT));

	/* 90°: the rotated frame is 480x640, so the scanner needs room. */
	uint8_t *r = tu_rotate90(f, FW, FH);
	dc_scanner *big = scanner_new(FW, FW);
	CHECK(big != NULL);
	n = dc_scanner_scan(big, r, FH, FW, FH);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(big, n, HC1_TEXT));
	dc_scanner_free(big);
	free(r);
	free(f);
}

static void test_two_codes_and_none(dc_scanner *s)
{
	uint8_t *f = tu_blank(FW, FH, 255);
	const char *a = "https://example.org/not-a-record";
	const char *b = "shc:/56762909524320603460292437404460";
	CHECK(tu_draw_qr(f, FW, FH, FW, 10, 10, a, 6) > 0);
	CHECK(tu_draw_qr(f, FW, FH, FW, 340, 200, b, 6) > 0);
	int n = dc_scanner_scan(s, f, FW, FH, FW);
	CHECK_EQ_INT(n, 2);
	CHECK(has_text(s, n, a));
	CHECK(has_text(s, n, b));

	/* No code: blank, then noise. Earlier texts are gone. */
	memset(f, 200, (size_t)FW * FH);
	CHECK_EQ_INT(dc_scanner_scan(s, f, FW, FH, FW), 0);
	CHECK(dc_scanner_text(s, 0, NULL) == NULL);
	tu_noise(f, (size_t)FW * FH, 100, 7);
	CHECK_EQ_INT(dc_scanner_scan(s, f, FW, FH, FW), 0);
	free(f);
}

static void test_stride_limits_wipe(dc_scanner *s)
{
	/* A strided plane (as V4L2 and libcamera deliver) is packed first. */
	int stride = 704;
	uint8_t *f = tu_blank(stride, 300, 255);
	memset(f, 0, (size_t)stride * 300);
	for (int y = 0; y < 300; y++)
		memset(f + (size_t)y * stride, 255, 600);
	CHECK(tu_draw_qr(f, 600, 300, stride, 200, 10, HC1_TEXT, 3) > 0);
	int n = dc_scanner_scan(s, f, 600, 300, stride);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(s, n, HC1_TEXT));

	/* Larger than sized, bad arguments. */
	CHECK_EQ_INT(dc_scanner_scan(s, f, FW + 1, FH, FW + 1), -1);
	CHECK_EQ_INT(dc_scanner_scan(s, f, 600, 300, 599), -1);
	CHECK_EQ_INT(dc_scanner_scan(s, NULL, 600, 300, 600), -1);

	/* Wipe: the texts are gone and zeroed. */
	n = dc_scanner_scan(s, f, 600, 300, stride);
	CHECK_EQ_INT(n, 1);
	const char *t = dc_scanner_text(s, 0, NULL);
	dc_scanner_wipe(s);
	CHECK(dc_scanner_text(s, 0, NULL) == NULL);
	CHECK(t && t[0] == 0 && t[10] == 0); /* storage is the scanner's */
	free(f);

	/* Density 2 still finds 3 px modules; out-of-range values refused. */
	CHECK_EQ_INT(dc_scanner_set_density(s, 0), -1);
	CHECK_EQ_INT(dc_scanner_set_density(s, 5), -1);
	CHECK_EQ_INT(dc_scanner_set_density(s, 2), 0);
	f = tu_blank(FW, FH, 255);
	CHECK(tu_draw_qr(f, FW, FH, FW, 100, 10, shc_text, 3) > 0);
	tu_noise(f, (size_t)FW * FH, 12, 3);
	n = dc_scanner_scan(s, f, FW, FH, FW);
	CHECK_EQ_INT(n, 1);
	CHECK(has_text(s, n, shc_text));
	tu_invert(f, (size_t)FW * FH);
	CHECK_EQ_INT(dc_scanner_scan_still(s, f, FW, FH, FW, DC_SCAN_STILL_FRAMES,
					   NULL), 1);
	CHECK_EQ_INT(dc_scanner_set_density(s, 1), 0);
	free(f);

	CHECK(dc_scanner_new(0, 10) == NULL);
	CHECK(dc_scanner_new(100000, 100000) == NULL);
	CHECK(dc_scanner_new(8193, 8192) == NULL);
	dc_scanner_free(NULL);
}

static void test_spec_examples(void)
{
	static const struct { int ex, chunk; } ex[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 0 }, { 2, 1 }, { 2, 2 }, { 3, 0 },
	};
	dc_scanner *s = scanner_new(1024, 1024);
	CHECK(s != NULL);
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		char rel[128], err[160];
		snprintf(rel, sizeof rel,
			 "testdata/shc/spec-examples/example-%02d-g-qr-code-%d.png",
			 ex[i].ex, ex[i].chunk);
		dc_grey g;
		int rc = dc_image_load(dc_test_path("DC_SHARED", rel), &g, err,
				       sizeof err);
		CHECK_MSG(rc == 0, "%s: %s", rel, err);
		if (rc)
			continue;
		snprintf(rel, sizeof rel,
			 "testdata/shc/spec-examples/"
			 "example-%02d-f-qr-code-numeric-value-%d.txt",
			 ex[i].ex, ex[i].chunk);
		size_t len = 0;
		char *want = dc_test_read(dc_test_path("DC_SHARED", rel), &len);
		CHECK_MSG(want != NULL, "%s missing", rel);
		if (want)
			tu_chomp(want, len);
		int n = dc_scanner_scan(s, g.y, g.width, g.height, g.stride);
		CHECK_MSG(n == 1, "%s: %d codes", rel, n);
		CHECK_MSG(want && has_text(s, n, want),
			  "example %d chunk %d: text differs", ex[i].ex,
			  ex[i].chunk);
		free(want);
		dc_grey_free(&g);
	}
	dc_scanner_free(s);
}

int main(void)
{
	size_t len = 0;
	shc_text = dc_test_read(
		dc_test_path("DC_SHARED", "testdata/shc/spec-examples/"
					  "example-00-f-qr-code-numeric-value-0.txt"),
		&len);
	if (!shc_text) {
		fprintf(stderr, "example-00 text missing\n");
		return 1;
	}
	tu_chomp(shc_text, len);

	dc_scanner *s = scanner_new(FW, FH);
	CHECK(s != NULL);
	if (!s)
		return dc_test_done();
	test_normal_and_inverted(s);
	test_hc1_rotated(s);
	test_two_codes_and_none(s);
	test_stride_limits_wipe(s);
	dc_scanner_free(s);
	test_spec_examples();
	free(shc_text);
	return dc_test_done();
}
