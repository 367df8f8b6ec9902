/*
 * Stills are read as a code held still: the SMART Health Cards spec's
 * example-00 QR image shrunk to a 137x137 photo (1.2 px per module, with a
 * little sensor noise), made here from the shared 600x600 PNG, is
 *  - read by dc_scanner_scan_still within DC_SCAN_STILL_FRAMES frames,
 *    though ZBar alone (the scanner before the scheduler) reads nothing;
 *  - verified by `doorcheck-verify --image` with the spec issuer pinned;
 *  - printed by `doorcheck-scan --json` as one line with its text.
 *
 * usage: test_still DOORCHECK_VERIFY DOORCHECK_SCAN (meson passes both)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dc_image.h"
#include "dc_scan.h"
#include "dc_test.h"
#include "scan_testutil.h"

#define EX "testdata/shc/spec-examples/"
#define SPEC_ISS "https://spec.smarthealth.cards/examples/issuer"
#define SIDE 137

/* Area-average resample of a square grey image to SIDE x SIDE. */
static void shrink(const dc_grey *g, uint8_t *out)
{
	double sx = (double)g->width / SIDE, sy = (double)g->height / SIDE;
	for (int y = 0; y < SIDE; y++)
		for (int x = 0; x < SIDE; x++) {
			double x0 = x * sx, x1 = x0 + sx, y0 = y * sy, y1 = y0 + sy;
			double a = 0, n = 0;
			for (int yy = (int)y0; yy < (int)y1 + 1 && yy < g->height; yy++)
				for (int xx = (int)x0; xx < (int)x1 + 1 && xx < g->width;
				     xx++) {
					double wx = (xx + 1 < x1 ? xx + 1 : x1) -
						    (xx > x0 ? xx : x0);
					double wy = (yy + 1 < y1 ? yy + 1 : y1) -
						    (yy > y0 ? yy : y0);
					if (wx > 0 && wy > 0) {
						a += wx * wy *
						     g->y[(size_t)yy * g->stride + xx];
						n += wx * wy;
					}
				}
			out[y * SIDE + x] = (uint8_t)(a / n + 0.5);
		}
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

/* Runs argv, its stdout into out (NUL-terminated); returns the exit code. */
static int run(char *const argv[], char *out, size_t cap)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		/* Cross builds: meson's MESON_EXE_WRAPPER (shell-quoted, e.g.
		 * qemu-aarch64-run SYSROOT) runs the tool. */
		const char *wrap = getenv("MESON_EXE_WRAPPER");
		if (wrap && *wrap) {
			char cmd[4096];
			snprintf(cmd, sizeof cmd, "%s \"$0\" \"$@\"", wrap);
			char *sa[16] = { "sh", "-c", cmd };
			int k = 3;
			for (int i = 0; argv[i] && k < 15; i++)
				sa[k++] = argv[i];
			sa[k] = NULL;
			execv("/bin/sh", sa);
		} else {
			execv(argv[0], argv);
		}
		_exit(127);
	}
	close(p[1]);
	size_t n = 0;
	ssize_t r;
	while ((r = read(p[0], out + n, cap - 1 - n)) > 0 && n < cap - 1)
		n += (size_t)r;
	out[n] = 0;
	close(p[0]);
	int st = 0;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_still DOORCHECK_VERIFY DOORCHECK_SCAN\n");
		return 2;
	}
	if (!(dc_scan_decoders_available() & DC_SCAN_ZXING)) {
		/* ZBar alone does not read 1.2 px modules: that needs zxing. */
		fprintf(stderr, "zxing not built in: skipped\n");
		return 77;
	}
	char err[160];
	dc_grey g;
	if (dc_image_load(dc_test_path("DC_SHARED", EX "example-00-g-qr-code-0.png"),
			  &g, err, sizeof err) != 0) {
		fprintf(stderr, "missing shared test data: %s\n", err);
		return 77;
	}
	size_t len = 0;
	char *want = dc_test_read(
		dc_test_path("DC_SHARED", EX "example-00-f-qr-code-numeric-value-0.txt"),
		&len);
	if (!want)
		return 77;
	tu_chomp(want, len);

	uint8_t small[SIDE * SIDE];
	shrink(&g, small);
	tu_noise(small, sizeof small, 3, 137);
	dc_grey_free(&g);

	/* The scheduler reads it as a held code; ZBar alone does not. */
	dc_scanner *s = dc_scanner_new(SIDE, SIDE);
	CHECK(s != NULL);
	int used = 0;
	int n = dc_scanner_scan_still(s, small, SIDE, SIDE, SIDE,
				      DC_SCAN_STILL_FRAMES, &used);
	CHECK_EQ_INT(n, 1);
	CHECK(has(s, n, want));
	CHECK(used >= 1 && used <= DC_SCAN_STILL_FRAMES);
	dc_scan_config c;
	dc_scan_config_default(&c);
	c.decoders = DC_SCAN_ZBAR;
	c.single = 1;
	CHECK_EQ_INT(dc_scanner_config(s, &c), 0);
	CHECK_EQ_INT(dc_scanner_scan_still(s, small, SIDE, SIDE, SIDE, 3, NULL), 0);
	dc_scanner_free(s);

	/* Through the tools, from a PNG file. */
	char dir[] = "/tmp/dc-still-XXXXXX", png[64];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(png, sizeof png, "%s/spec-137.png", dir);
	size_t plen = 0;
	uint8_t *p = tu_png(small, SIDE, SIDE, PNG_FORMAT_GRAY, &plen);
	CHECK(p && tu_write_file(png, p, plen) == 0);
	free(p);

	char issuer[1024];
	snprintf(issuer, sizeof issuer, "%s=%s", SPEC_ISS,
		 dc_test_path("DC_SHARED", EX "issuer-jwks.json"));
	static char out[65536];
	char *va[] = { argv[1], "--image", png, "--issuer", issuer,
		       "--at", "2026-01-01T00:00:00Z", NULL };
	int rc = run(va, out, sizeof out);
	CHECK_MSG(rc == 0, "doorcheck-verify --image exit %d: %.200s", rc, out);
	CHECK(strstr(out, "VERIFIED") != NULL);

	char *sa[] = { argv[2], "--json", png, NULL };
	rc = run(sa, out, sizeof out);
	CHECK_EQ_INT(rc, 0);
	CHECK(strncmp(out, "{\"file\":\"", 9) == 0);
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "\"frames\":") != NULL && strstr(out, "\"cpu_ms\":"));
	CHECK(strchr(out, '\n') == out + strlen(out) - 1); /* one line */

	/* ZBar alone through the tool: no text, exit 1. */
	char *za[] = { argv[2], "--json", "--decoders", "zbar", "--frames", "2",
		       png, NULL };
	rc = run(za, out, sizeof out);
	CHECK_EQ_INT(rc, 1);
	CHECK(strstr(out, "\"texts\":[]") != NULL);
	CHECK(strstr(out, "\"frames\":2") != NULL);

	unlink(png);
	rmdir(dir);
	free(want);
	return dc_test_done();
}
