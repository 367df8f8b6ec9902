/*
 * The policy on real EU DCC records: every eHealth Network test vector
 * ($DC_SHARED/testdata/dcc/dgc-testdata) that the DCC verifier accepts at
 * its TESTCTX.VALIDATIONCLOCK (with TESTCTX.CERTIFICATE as the only pinned
 * DSC) is evaluated with the default policy at several times. The expected
 * reason code is computed independently from the vector's decoded "JSON"
 * payload and dc_time_parse (not the policy's own date code), so this checks
 * the verifier -> policy contract (which fields carry what) on national data,
 * not just on records the policy tests fill in by hand.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>

#include "dc_policy.h"
#include "dc_test.h"
#include "dc_time.h"
#include "dc_trust.h"
#include "dc_dcc.h"

static int verified, evaluated, by_kind[3], passes;

static const cJSON *get_ci(const cJSON *obj, const char *key)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, obj)
		if (it->string && strcasecmp(it->string, key) == 0)
			return it;
	return NULL;
}

static bool cert_der(const char *b64, uint8_t *der, size_t cap, size_t *len)
{
	size_t n = 0;
	char *clean = malloc(strlen(b64) + 1);
	if (!clean)
		return false;
	for (const char *p = b64; *p; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			clean[n++] = *p;
	int rc = mbedtls_base64_decode(der, cap, len, (unsigned char *)clean, n);
	free(clean);
	return rc == 0;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static double when(const char *s, bool *ok)
{
	double t = 0;
	if (!dc_time_parse(s, strlen(s), &t))
		*ok = false;
	return t;
}

/* The default policy, restated from docs/policy.md on the raw payload. */
static const char *oracle(const cJSON *payload, double now)
{
	const cJSON *g;
	bool ok = true;
	const int64_t day = 86400;
	if ((g = cJSON_GetObjectItemCaseSensitive(payload, "v")) && cJSON_GetArraySize(g) == 1) {
		const cJSON *v = cJSON_GetArrayItem(g, 0);
		int dn = cJSON_GetObjectItemCaseSensitive(v, "dn")->valueint;
		int sd = cJSON_GetObjectItemCaseSensitive(v, "sd")->valueint;
		double t = when(str(v, "dt"), &ok);
		if (!ok)
			return "date_unreadable";
		if (strcmp(str(v, "tg"), "840539006") != 0)
			return "product_not_accepted";
		if (dn < sd)
			return "series_incomplete";
		if (now < t)
			return "dose_too_recent";
		int64_t days = (int64_t)(floor(now) - t) / day;
		return days < 14 ? "dose_too_recent" : "pass";
	}
	if ((g = cJSON_GetObjectItemCaseSensitive(payload, "t")) && cJSON_GetArraySize(g) == 1) {
		const cJSON *t = cJSON_GetArrayItem(g, 0);
		const char *tt = str(t, "tt"), *tr = str(t, "tr");
		double sc = floor(when(str(t, "sc"), &ok));
		if (!ok)
			return "date_unreadable";
		int limit = strcmp(tt, "LP6464-4") == 0 ? 72 : strcmp(tt, "LP217198-3") == 0 ? 24 : 0;
		if (!limit)
			return "test_type_not_accepted";
		if (strcmp(tr, "260373001") == 0)
			return "test_positive";
		if (strcmp(tr, "260415000") != 0)
			return "test_result_unknown";
		if (floor(now) < sc)
			return "test_in_future";
		return floor(now) - sc > limit * 3600.0 ? "test_too_old" : "pass";
	}
	if ((g = cJSON_GetObjectItemCaseSensitive(payload, "r")) && cJSON_GetArraySize(g) == 1) {
		const cJSON *r = cJSON_GetArrayItem(g, 0);
		double fr = when(str(r, "fr"), &ok), df = when(str(r, "df"), &ok);
		double du = when(str(r, "du"), &ok);
		if (!ok)
			return "date_unreadable";
		if (strlen(str(r, "du")) == 10)
			du += day - 1; /* a date-only du is the last valid day */
		if (floor(now) < df)
			return "recovery_not_yet_valid";
		if (floor(now) > du)
			return "recovery_expired";
		if (floor(now) < fr)
			return "recovery_not_yet_valid";
		int64_t days = (int64_t)(floor(now) - fr) / day;
		if (days < 11)
			return "recovery_not_yet_valid";
		return days > 180 ? "recovery_expired" : "pass";
	}
	return "no_qualifying_event";
}

static void run_file(const dc_policy *pol, const char *path, const char *rel)
{
	size_t len;
	char *txt = dc_test_read(path, &len);
	cJSON *root = txt ? cJSON_ParseWithLength(txt, len) : NULL;
	free(txt);
	const cJSON *ctx = get_ci(root, "TESTCTX");
	const cJSON *cert = get_ci(ctx, "CERTIFICATE");
	const cJSON *clock = get_ci(ctx, "VALIDATIONCLOCK");
	const cJSON *prefix = get_ci(root, "PREFIX");
	const cJSON *payload = get_ci(root, "JSON");
	double now = 0;
	uint8_t der[8192];
	size_t dl;
	dc_record rec;
	dc_trust *t = NULL;

	memset(&rec, 0, sizeof rec);
	if (!cJSON_IsString(clock) || !cJSON_IsString(cert) || !cJSON_IsString(prefix) ||
	    !cJSON_IsObject(payload) ||
	    !dc_time_parse(clock->valuestring, strlen(clock->valuestring), &now) ||
	    !cert_der(cert->valuestring, der, sizeof der, &dl))
		goto out;
	t = dc_trust_new();
	if (!t || dc_trust_add_dsc(t, der, dl) != DC_OK)
		goto out;
	if (dc_dcc_verify(t, now, prefix->valuestring, strlen(prefix->valuestring), &rec) != DC_OK)
		goto out;
	verified++;
	CHECK_MSG(rec.n_events == 1, "%s: %zu events", rel, rec.n_events);
	if (rec.n_events >= 1 && rec.events[0].kind <= DC_EVENT_RECOVERY)
		by_kind[rec.events[0].kind]++;

	/* At the vector's own clock, and later: a week, a month, a year. */
	static const double later[] = {0, 7 * 86400.0, 30 * 86400.0, 365 * 86400.0};
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
		dc_policy_result res;
		const char *want = oracle(payload, now + later[i]);
		dc_policy_evaluate(pol, &rec, now + later[i], &res);
		evaluated++;
		passes += res.outcome == DC_POLICY_PASS;
		CHECK_MSG(strcmp(res.code, want) == 0, "%s at clock+%.0fd: policy %s (%s), expected %s",
			  rel, later[i] / 86400, res.code, res.reason, want);
		CHECK_MSG((res.outcome == DC_POLICY_PASS) == (strcmp(want, "pass") == 0),
			  "%s: outcome %d for %s", rel, res.outcome, res.code);
	}
out:
	dc_record_wipe(&rec);
	dc_trust_free(t);
	cJSON_Delete(root);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const dc_policy *pol, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	char *names[1024];
	size_t n = 0;
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d)) && n < 1024)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		char path[2048], r[1024];
		struct stat st;
		size_t l = strlen(names[i]);
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			walk(pol, path, r);
		else if (l > 5 && strcmp(names[i] + l - 5, ".json") == 0)
			run_file(pol, path, r);
		free(names[i]);
	}
}

int main(void)
{
	const char *root = dc_test_path("DC_SHARED", "testdata/dcc/dgc-testdata");
	struct stat st;
	if (stat(root, &st) != 0) {
		printf("no test data at %s\n", root);
		return 77;
	}
	dc_policy *pol = dc_policy_new_default();
	walk(pol, root, "");
	dc_policy_free(pol);
	printf("%d vectors verified (%d vaccination, %d test, %d recovery); "
	       "%d evaluations, %d PASS\n", verified, by_kind[0], by_kind[1], by_kind[2],
	       evaluated, passes);
	/* The data set holds all three kinds; if the verifier accepts none of
	 * one kind, this test no longer checks what it claims to. */
	CHECK(by_kind[DC_EVENT_VACCINATION] > 20);
	CHECK(by_kind[DC_EVENT_TEST] > 10);
	CHECK(by_kind[DC_EVENT_RECOVERY] > 5);
	return dc_test_done();
}
