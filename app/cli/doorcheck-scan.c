/*
 * doorcheck-scan: the QR texts in still images, read exactly as the kiosk's
 * scan path reads a code held still before its camera (dc_scanner_scan over
 * --frames consecutive frames of the picture; docs/scanner.md).
 *
 * It prints what it decodes -- holder data for a health card -- so it is a
 * developer and operator tool: it never logs, writes no files, and zeroises
 * its copies of the images and texts before exiting.
 *
 * exit: 0 every file gave at least one text, 1 some gave none, 2 usage or
 * an unreadable image.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "dc_image.h"
#include "dc_scan.h"

#ifndef DC_VERSION
#define DC_VERSION "?"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: doorcheck-scan [options] FILE...\n"
		"Prints the QR texts in each PNG or JPEG image, read as the kiosk reads\n"
		"a code held still before its camera. The texts are holder data: this\n"
		"tool never logs and writes no files.\n"
		"\n"
		"  --json             one JSON object per file:\n"
		"                     {\"file\":...,\"texts\":[...],\"frames\":N,\"cpu_ms\":...}\n"
		"  --frames N         frames the still is shown for (1..1000, default %d)\n"
		"  --density N        ZBar density 1..4 (kiosk key scan_density)\n"
		"  --decoders LIST    zbar, zxing or zbar,zxing (default: all built in)\n"
		"  --budget-ms MS     per-frame CPU budget (kiosk key scan_budget_ms;\n"
		"                     0 = by frame size, the default)\n"
		"  --help, --version\n"
		"exit: 0 texts from every file, 1 a file without any, 2 usage or unreadable\n",
		DC_SCAN_STILL_FRAMES);
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A JSON string, escaped as RFC 8259 asks, straight to stdout (no copy). */
static void json_str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int parse_int(const char *a, int lo, int hi, int *out)
{
	char *e;
	long v = strtol(a, &e, 10);
	if (!*a || *e || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

enum { OPT_JSON = 256, OPT_FRAMES, OPT_DENSITY, OPT_DECODERS, OPT_BUDGET,
       OPT_HELP, OPT_VERSION };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, OPT_JSON },
		{ "frames", required_argument, 0, OPT_FRAMES },
		{ "density", required_argument, 0, OPT_DENSITY },
		{ "decoders", required_argument, 0, OPT_DECODERS },
		{ "budget-ms", required_argument, 0, OPT_BUDGET },
		{ "help", no_argument, 0, OPT_HELP },
		{ "version", no_argument, 0, OPT_VERSION },
		{ 0, 0, 0, 0 },
	};
	int json = 0, frames = DC_SCAN_STILL_FRAMES, c;
	dc_scan_config cfg;
	dc_scan_config_default(&cfg);

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *e;
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_FRAMES:
			if (parse_int(optarg, 1, 1000, &frames) != 0) {
				fprintf(stderr, "doorcheck-scan: --frames: 1..1000\n");
				return 2;
			}
			break;
		case OPT_DENSITY:
			if (parse_int(optarg, 1, 4, &cfg.density) != 0) {
				fprintf(stderr, "doorcheck-scan: --density: 1..4\n");
				return 2;
			}
			break;
		case OPT_DECODERS:
			cfg.decoders = dc_scan_decoders_parse(optarg);
			if (!cfg.decoders ||
			    (cfg.decoders & ~dc_scan_decoders_available())) {
				fprintf(stderr, "doorcheck-scan: --decoders: zbar%s "
						"(comma-separated)\n",
					dc_scan_decoders_available() & DC_SCAN_ZXING
						? ", zxing"
						: "; zxing is not built in");
				return 2;
			}
			break;
		case OPT_BUDGET:
			cfg.budget_ms = strtod(optarg, &e);
			if (!*optarg || *e || !(cfg.budget_ms >= 0) ||
			    cfg.budget_ms > DC_SCAN_BUDGET_MAX_MS) {
				fprintf(stderr, "doorcheck-scan: --budget-ms: 0..%.0f\n",
					DC_SCAN_BUDGET_MAX_MS);
				return 2;
			}
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("doorcheck-scan %s\n", DC_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	int rc = 0;
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		char err[256];
		dc_grey g = { 0 };
		if (dc_image_load(path, &g, err, sizeof err) != 0) {
			fprintf(stderr, "doorcheck-scan: %s: %s\n", path, err);
			rc = 2;
			continue;
		}
		dc_scanner *s = dc_scanner_new(g.width, g.height);
		if (!s || dc_scanner_config(s, &cfg) != 0) {
			fprintf(stderr, "doorcheck-scan: %s: cannot start the QR "
					"scanner\n", path);
			dc_scanner_free(s);
			dc_grey_free(&g);
			rc = 2;
			continue;
		}
		int used = 0;
		double t0 = cpu_ms();
		int n = dc_scanner_scan_still(s, g.y, g.width, g.height, g.stride,
					      frames, &used);
		double ms = cpu_ms() - t0;
		if (n <= 0 && rc == 0)
			rc = 1;
		if (json) {
			printf("{\"file\":");
			json_str(path, strlen(path));
			printf(",\"texts\":[");
			for (int k = 0; k < n; k++) {
				size_t len = 0;
				const char *t = dc_scanner_text(s, k, &len);
				if (k)
					putchar(',');
				json_str(t, len);
			}
			printf("],\"frames\":%d,\"cpu_ms\":%.2f}\n", used, ms);
		} else {
			if (n <= 0)
				fprintf(stderr, "doorcheck-scan: %s: no QR code found "
						"in %d frames\n", path, used);
			for (int k = 0; k < n; k++) {
				size_t len = 0;
				const char *t = dc_scanner_text(s, k, &len);
				if (argc - optind > 1)
					printf("%s: ", path);
				fwrite(t, 1, len, stdout);
				putchar('\n');
			}
		}
		fflush(stdout);
		dc_scanner_free(s); /* zeroises the texts and its frame copies */
		dc_grey_free(&g);
	}
	return rc;
}
