/*
 * bench-verify: median microseconds for one QR text -> verdict (SHC demo
 * card; DCC ES256 and PS256 from the EU conformance set), and for decoding
 * one 640x480 QR image (PNG -> grey, grey -> text with ZBar).
 *
 *   bench-verify [ITERATIONS]     (default 300)
 *
 * A program that prints figures, not a test: numbers depend on the machine,
 * which it prints first.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>
#include <mbedtls/x509_crt.h>

#include "dc_image.h"
#include "dc_scan.h"
#include "dc_test.h"
#include "dc_time.h"
#include "dc_trustload.h"
#include "dc_verify.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void machine(void)
{
	char line[256], model[256] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "model name", 10) == 0) {
			char *c = strchr(line, ':');
			snprintf(model, sizeof model, "%s", c ? c + 2 : line);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (f)
		fclose(f);
	printf("machine: %s, %ld cores online\n", model, sysconf(_SC_NPROCESSORS_ONLN));
}

static int iters = 300;

/* Median time of dc_verify_text on one text. */
static void bench_text(const char *label, const dc_trust *t, double at, const char *text)
{
	double *v = malloc(sizeof *v * (size_t)iters);
	dc_verify_opts o = {.trust = t, .now = at};
	dc_record r;
	dc_err e = DC_OK;
	for (int i = 0; i < iters; i++) {
		double s = now_us();
		e = dc_verify_text(&o, text, strlen(text), &r);
		v[i] = now_us() - s;
	}
	printf("%-44s %9.1f us   (%s)\n", label, median(v, iters), dc_err_code(e));
	dc_record_wipe(&r);
	free(v);
}

/* First DCC in the conformance set that verifies with a DSC of key type
 * `rsa` at its own validation clock. */
static int find_dcc(const char *shared, int rsa, char **text, dc_trust **trust, double *at)
{
	char base[4096];
	snprintf(base, sizeof base, "%s/testdata/dcc/dgc-testdata", shared);
	DIR *d = opendir(base);
	struct dirent *cc;
	int found = 0;
	while (d && !found && (cc = readdir(d))) {
		if (cc->d_name[0] == '.')
			continue;
		char dir[4600];
		snprintf(dir, sizeof dir, "%s/%s/2DCode/raw", base, cc->d_name);
		DIR *r = opendir(dir);
		struct dirent *fe;
		while (r && !found && (fe = readdir(r))) {
			char path[5200];
			size_t len;
			if (!strstr(fe->d_name, ".json"))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, fe->d_name);
			char *j = dc_test_read(path, &len);
			cJSON *root = j ? cJSON_ParseWithLength(j, len) : NULL;
			cJSON *ctx = cJSON_GetObjectItem(root, "TESTCTX");
			cJSON *cert = cJSON_GetObjectItem(ctx, "CERTIFICATE");
			cJSON *clock = cJSON_GetObjectItem(ctx, "VALIDATIONCLOCK");
			cJSON *prefix = cJSON_GetObjectItem(root, "PREFIX");
			if (cJSON_IsString(cert) && cJSON_IsString(clock) && cJSON_IsString(prefix)) {
				uint8_t der[4096];
				size_t dl;
				mbedtls_x509_crt crt;
				mbedtls_x509_crt_init(&crt);
				if (mbedtls_base64_decode(der, sizeof der, &dl, (const uint8_t *)cert->valuestring,
							  strlen(cert->valuestring)) == 0 &&
				    mbedtls_x509_crt_parse_der(&crt, der, dl) == 0 &&
				    (mbedtls_pk_get_type(&crt.pk) == MBEDTLS_PK_RSA) == rsa &&
				    dc_time_parse(clock->valuestring, strlen(clock->valuestring), at)) {
					dc_trust *t = dc_trust_new();
					dc_record rec;
					dc_verify_opts o = {.trust = t, .now = *at};
					if (dc_trust_add_dsc(t, der, dl) == DC_OK &&
					    dc_verify_text(&o, prefix->valuestring, strlen(prefix->valuestring), &rec) == DC_OK) {
						*text = strdup(prefix->valuestring);
						*trust = t;
						found = 1;
						printf("DCC %s sample: %s/%s\n", rsa ? "PS256" : "ES256", cc->d_name, fe->d_name);
					} else {
						dc_trust_free(t);
					}
					dc_record_wipe(&rec);
				}
				mbedtls_x509_crt_free(&crt);
			}
			cJSON_Delete(root);
			free(j);
		}
		if (r)
			closedir(r);
	}
	if (d)
		closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	const char *shared = getenv("DC_SHARED") ? getenv("DC_SHARED") : DC_SHARED_DEFAULT;
	char err[256], path[4096];
	if (argc > 1)
		iters = atoi(argv[1]) > 10 ? atoi(argv[1]) : 10;
	dc_core_init();
	machine();
	printf("iterations: %d, median per operation\n\n", iters);

	/* SHC: the demo vaccinated card, demo trust and the VCI directory. */
	dc_trust *t = dc_trust_new();
	snprintf(path, sizeof path, "%s/vci_snapshot.json", "");
	if (dc_trustload_dir(t, DC_SOURCE_ROOT "/keys/demo", err, sizeof err) != 0)
		fprintf(stderr, "demo trust: %s\n", err);
	snprintf(path, sizeof path, "%s/trust/vci/vci_snapshot.json", shared);
	if (dc_trustload_vci(t, path, err, sizeof err) != 0)
		fprintf(stderr, "(VCI snapshot not loaded: %s)\n", err);
	size_t len;
	char *card = dc_test_read(DC_DEMO_CARDS_DIR "/vaccinated.txt", &len);
	if (card) {
		card[strcspn(card, "\r\n")] = 0;
		bench_text("SHC text -> verdict (demo card, ES256)", t, 1767225600.0, card);
		free(card);
	} else {
		printf("SHC: demo cards not built (%s)\n", DC_DEMO_CARDS_DIR);
	}

	/* 640x480 image: PNG decode and ZBar scan, separately. */
	double *v = malloc(sizeof *v * (size_t)iters), *w = malloc(sizeof *w * (size_t)iters);
	dc_grey g = {0};
	dc_scanner *s = dc_scanner_new(640, 480);
	int ok = 0;
	for (int i = 0; i < iters; i++) {
		double a = now_us();
		if (g.y)
			dc_grey_free(&g);
		if (dc_image_load(DC_DEMO_CARDS_DIR "/frame-640x480.png", &g, err, sizeof err) != 0) {
			printf("640x480 frame: %s\n", err);
			break;
		}
		double b = now_us();
		ok = dc_scanner_scan(s, g.y, g.width, g.height, g.stride);
		double c = now_us();
		v[i] = b - a;
		w[i] = c - b;
	}
	if (g.y) {
		printf("%-44s %9.1f us\n", "640x480 PNG -> grey (libpng)", median(v, iters));
		printf("%-44s %9.1f us   (%d code)\n", "640x480 grey -> QR text (ZBar)", median(w, iters), ok);
		dc_grey_free(&g);
	}
	dc_scanner_free(s);
	free(v);
	free(w);
	dc_trust_free(t);

	/* DCC */
	for (int rsa = 0; rsa <= 1; rsa++) {
		char *text;
		dc_trust *dt;
		double at;
		if (find_dcc(shared, rsa, &text, &dt, &at)) {
			bench_text(rsa ? "DCC text -> verdict (PS256)" : "DCC text -> verdict (ES256)", dt, at, text);
			free(text);
			dc_trust_free(dt);
		} else {
			printf("DCC %s: no sample verified\n", rsa ? "PS256" : "ES256");
		}
	}
	return 0;
}
