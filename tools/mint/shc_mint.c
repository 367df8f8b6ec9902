/*
 * doorcheck-mint shc / issuer-file: SMART Health Card (SHC 1.4) demo cards
 * signed by the DEMO issuer key, and the matching project issuer file.
 *
 * Every card is built from fixed fictional data and times relative to --now,
 * so the same key and --now give byte-identical output (RFC 6979 signatures,
 * fixed deflate level, PNGs without time chunks).
 */
#include "dc_qrpng.h"
#include "mint.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#define SHC_TYPE "https://smarthealth.cards#health-card"
#define SHC_CVX "http://hl7.org/fhir/sid/cvx"
#define SHC_LOINC "http://loinc.org"
#define SHC_SNOMED "http://snomed.info/sct"
/* SHC 1.4 legacy chunking: a JWS longer than this is split... */
#define SHC_MAX_SINGLE_JWS 1195
/* ...into chunks of at most this many characters. */
#define SHC_MAX_CHUNK_JWS 1191
#define SHC_MAX_CHUNKS 16
#define DAY 86400LL
#define MAX_DOSES 8
#define PATH_CAP 4096

/* The demo CRL revokes the card of this (fictional) issuer-side patient id. */
#define DEMO_REVOKED_PATIENT "demo-patient-revoked"

typedef enum { EV_NONE, EV_IMMUNIZATION, EV_LAB_NEGATIVE } ev_kind;

typedef struct {
	const char *cvx;
	long long days;   /* occurrence: absolute date (see date_abs) or --now + days */
	const char *date_abs; /* "YYYY-MM-DD", NULL = use days relative to --now */
	const char *lot;
	const char *performer;
} dose;

typedef struct {
	const char *name;        /* output file stem */
	const char *family;
	const char *given;
	const char *birth_date;
	const char *patient_id;  /* issuer-side id; rid is derived from it */
	long long nbf_days;      /* nbf = now + nbf_days * DAY */
	bool has_exp;
	long long exp_days;      /* exp = now + exp_days * DAY */
	ev_kind kind;
	size_t n_doses;
	dose doses[MAX_DOSES];
	bool untrusted;          /* sign with the untrusted key */
	bool tamper;             /* change the payload after signing */
	bool long_performers;    /* pad performer names until 3 chunks */
} card_spec;

#define MODERNA_2(perf) { \
	{ "207", 0, "2021-01-01", "DEMO-MOD-0001A", perf }, \
	{ "207", 0, "2021-01-29", "DEMO-MOD-0002B", perf } }

static const card_spec cards[] = {
	{ .name = "vaccinated", .family = "Demo", .given = "Anna", .birth_date = "1980-01-15",
	  .patient_id = "demo-patient-anna", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 2, .doses = MODERNA_2("Demo Community Vaccination Clinic") },
	{ .name = "partial", .family = "Demo", .given = "Ben", .birth_date = "1975-06-30",
	  .patient_id = "demo-patient-ben", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 1,
	  .doses = { { "208", 0, "2021-05-03", "DEMO-PFE-0101", "Demo Pharmacy" } } },
	{ .name = "janssen", .family = "Demo", .given = "Cara", .birth_date = "1990-11-02",
	  .patient_id = "demo-patient-cara", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 1,
	  .doses = { { "212", 0, "2021-04-10", "DEMO-JSN-0201", "Demo Pharmacy" } } },
	{ .name = "recent", .family = "Demo", .given = "Dan", .birth_date = "2001-03-21",
	  .patient_id = "demo-patient-dan", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 2,
	  .doses = { { "207", -33, NULL, "DEMO-MOD-0301A", "Demo Community Vaccination Clinic" },
		     { "207", -5, NULL, "DEMO-MOD-0302B", "Demo Community Vaccination Clinic" } } },
	{ .name = "test-negative", .family = "Demo", .given = "Eva", .birth_date = "1968-08-08",
	  .patient_id = "demo-patient-eva", .nbf_days = 0, .kind = EV_LAB_NEGATIVE },
	{ .name = "expired", .family = "Demo", .given = "Finn", .birth_date = "1985-02-14",
	  .patient_id = "demo-patient-finn", .nbf_days = -400, .has_exp = true, .exp_days = -1,
	  .kind = EV_IMMUNIZATION, .n_doses = 2,
	  .doses = MODERNA_2("Demo Community Vaccination Clinic") },
	{ .name = "not-yet-valid", .family = "Demo", .given = "Gia", .birth_date = "1995-12-24",
	  .patient_id = "demo-patient-gia", .nbf_days = 30, .kind = EV_IMMUNIZATION,
	  .n_doses = 2, .doses = MODERNA_2("Demo Community Vaccination Clinic") },
	{ .name = "revoked", .family = "Demo", .given = "Hal", .birth_date = "1972-07-04",
	  .patient_id = DEMO_REVOKED_PATIENT, .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 2, .doses = MODERNA_2("Demo Community Vaccination Clinic") },
	{ .name = "tampered", .family = "Demo", .given = "Ida", .birth_date = "1988-09-09",
	  .patient_id = "demo-patient-ida", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 2, .doses = MODERNA_2("Demo Community Vaccination Clinic"), .tamper = true },
	{ .name = "untrusted", .family = "Demo", .given = "Jon", .birth_date = "1979-04-01",
	  .patient_id = "demo-patient-jon", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 2, .doses = MODERNA_2("Demo Community Vaccination Clinic"), .untrusted = true },
	{ .name = "multi", .family = "Demo-Longname", .given = "Kim", .birth_date = "1960-10-10",
	  .patient_id = "demo-patient-kim", .nbf_days = -1, .kind = EV_IMMUNIZATION,
	  .n_doses = 6, .long_performers = true,
	  .doses = { { "207", 0, "2021-01-01", "DEMO-MOD-0601A", "Demo Regional Hospital" },
		     { "207", 0, "2021-01-29", "DEMO-MOD-0602B", "Demo Regional Hospital" },
		     { "207", 0, "2021-10-15", "DEMO-MOD-0603C", "Demo Pharmacy" },
		     { "229", 0, "2022-09-20", "DEMO-MOD-0604D", "Demo Pharmacy" },
		     { "300", 0, "2023-10-02", "DEMO-PFE-0605E", "Demo Community Vaccination Clinic" },
		     { "312", 0, "2024-10-07", "DEMO-MOD-0606F", "Demo Community Vaccination Clinic" } } },
};

typedef struct {
	const char *key_path;
	const char *untrusted_path;
	const char *iss;
	const char *out_dir;
	long long now;
} shc_opts;

/* rid (SHC 1.4): base64url of the first 64 bits of SHA-256 of the
 * issuer-side patient id: stable per person, reveals nothing about them. */
static char *make_rid(const char *patient_id)
{
	uint8_t h[32];
	dc_mint_sha256((const uint8_t *)patient_id, strlen(patient_id), h);
	return dc_mint_b64url(h, 8);
}

static int fmt_date(long long t, bool with_time, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return -1;
	return strftime(out, cap, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm) ? 0 : -1;
}

static cJSON *coding(const char *system, const char *code)
{
	cJSON *cc = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(cc, "coding");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddItemToArray(arr, c);
	cJSON_AddStringToObject(c, "system", system);
	cJSON_AddStringToObject(c, "code", code);
	return cc;
}

static cJSON *entry(cJSON *bundle_entries, int index)
{
	char url[32];
	cJSON *e = cJSON_CreateObject();
	snprintf(url, sizeof url, "resource:%d", index);
	cJSON_AddStringToObject(e, "fullUrl", url);
	cJSON_AddItemToArray(bundle_entries, e);
	return cJSON_AddObjectToObject(e, "resource");
}

/* Deterministic filler for the multi-chunk card's performer names: deflate
 * squeezes repeated text, so the names must carry real entropy to reach
 * three chunks. */
static void filler(int dose_no, size_t len, char *out)
{
	uint8_t h[32];
	char seed[32];
	size_t o = 0;
	snprintf(seed, sizeof seed, "demo-site-%d", dose_no);
	dc_mint_sha256((const uint8_t *)seed, strlen(seed), h);
	while (o < len) {
		char *b = dc_mint_b64url(h, 32);
		if (!b)
			break;
		for (size_t i = 0; b[i] && o < len; i++)
			out[o++] = b[i];
		free(b);
		dc_mint_sha256(h, sizeof h, h);
	}
	out[o] = 0;
}

static cJSON *build_payload(const card_spec *c, const shc_opts *o, size_t pad, const char *rid)
{
	char date[40], perf[1024];
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "iss", o->iss);
	cJSON_AddNumberToObject(p, "nbf", (double)(o->now + c->nbf_days * DAY));
	if (c->has_exp)
		cJSON_AddNumberToObject(p, "exp", (double)(o->now + c->exp_days * DAY));
	cJSON *vc = cJSON_AddObjectToObject(p, "vc");
	cJSON *type = cJSON_AddArrayToObject(vc, "type");
	cJSON_AddItemToArray(type, cJSON_CreateString(SHC_TYPE));
	cJSON *subj = cJSON_AddObjectToObject(vc, "credentialSubject");
	cJSON_AddStringToObject(subj, "fhirVersion", "4.0.1");
	cJSON *bundle = cJSON_AddObjectToObject(subj, "fhirBundle");
	cJSON_AddStringToObject(bundle, "resourceType", "Bundle");
	cJSON_AddStringToObject(bundle, "type", "collection");
	cJSON *entries = cJSON_AddArrayToObject(bundle, "entry");

	cJSON *pat = entry(entries, 0);
	cJSON_AddStringToObject(pat, "resourceType", "Patient");
	cJSON *names = cJSON_AddArrayToObject(pat, "name");
	cJSON *nm = cJSON_CreateObject();
	cJSON_AddItemToArray(names, nm);
	cJSON_AddStringToObject(nm, "family", c->family);
	cJSON *given = cJSON_AddArrayToObject(nm, "given");
	cJSON_AddItemToArray(given, cJSON_CreateString(c->given));
	cJSON_AddStringToObject(pat, "birthDate", c->birth_date);

	if (c->kind == EV_IMMUNIZATION) {
		for (size_t i = 0; i < c->n_doses; i++) {
			const dose *d = &c->doses[i];
			cJSON *im = entry(entries, (int)i + 1);
			cJSON_AddStringToObject(im, "resourceType", "Immunization");
			cJSON_AddStringToObject(im, "status", "completed");
			cJSON_AddItemToObject(im, "vaccineCode", coding(SHC_CVX, d->cvx));
			cJSON_AddItemToObject(im, "patient", cJSON_CreateObject());
			cJSON_AddStringToObject(cJSON_GetObjectItem(im, "patient"), "reference",
						"resource:0");
			if (d->date_abs)
				snprintf(date, sizeof date, "%s", d->date_abs);
			else if (fmt_date(o->now + d->days * DAY, false, date, sizeof date) != 0)
				goto fail;
			cJSON_AddStringToObject(im, "occurrenceDateTime", date);
			cJSON *perfs = cJSON_AddArrayToObject(im, "performer");
			cJSON *pf = cJSON_CreateObject();
			cJSON_AddItemToArray(perfs, pf);
			cJSON *actor = cJSON_AddObjectToObject(pf, "actor");
			if (c->long_performers) {
				char fill[700];
				if (pad >= sizeof fill)
					goto fail;
				filler((int)i + 1, pad, fill);
				snprintf(perf, sizeof perf, "%s, mobile unit %s", d->performer, fill);
			} else {
				snprintf(perf, sizeof perf, "%s", d->performer);
			}
			cJSON_AddStringToObject(actor, "display", perf);
			cJSON_AddStringToObject(im, "lotNumber", d->lot);
		}
	} else if (c->kind == EV_LAB_NEGATIVE) {
		cJSON *ob = entry(entries, 1);
		cJSON_AddStringToObject(ob, "resourceType", "Observation");
		cJSON_AddStringToObject(ob, "status", "final");
		cJSON_AddItemToObject(ob, "code", coding(SHC_LOINC, "94500-6"));
		cJSON *subject = cJSON_AddObjectToObject(ob, "subject");
		cJSON_AddStringToObject(subject, "reference", "resource:0");
		if (fmt_date(o->now - DAY, true, date, sizeof date) != 0)
			goto fail;
		cJSON_AddStringToObject(ob, "effectiveDateTime", date);
		cJSON *perfs = cJSON_AddArrayToObject(ob, "performer");
		cJSON *pf = cJSON_CreateObject();
		cJSON_AddItemToArray(perfs, pf);
		cJSON_AddStringToObject(pf, "display", "Demo Test Laboratory");
		cJSON_AddItemToObject(ob, "valueCodeableConcept", coding(SHC_SNOMED, "260385009"));
	}
	cJSON_AddStringToObject(vc, "rid", rid);
	return p;
fail:
	cJSON_Delete(p);
	return NULL;
}

/* header.payload.signature; the payload is raw-DEFLATEd minified JSON. */
static char *make_jws(const mbedtls_pk_context *key, const char *kid,
		      const char *signed_json, const char *shown_json)
{
	char *jws = NULL, *h64 = NULL, *p64 = NULL, *s64 = NULL, *input = NULL;
	uint8_t *z = NULL, sig[64];
	size_t zlen = 0;
	char header[128];

	int n = snprintf(header, sizeof header, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	if (n < 0 || (size_t)n >= sizeof header)
		goto out;
	h64 = dc_mint_b64url((const uint8_t *)header, (size_t)n);
	if (!h64 || dc_mint_deflate_raw((const uint8_t *)signed_json, strlen(signed_json), &z, &zlen) != 0)
		goto out;
	p64 = dc_mint_b64url(z, zlen);
	if (!p64)
		goto out;
	size_t in_len = strlen(h64) + 1 + strlen(p64);
	input = malloc(in_len + 1);
	if (!input)
		goto out;
	snprintf(input, in_len + 1, "%s.%s", h64, p64);
	if (dc_mint_es256_sign(key, (const uint8_t *)input, in_len, sig) != 0)
		goto out;
	s64 = dc_mint_b64url(sig, sizeof sig);
	if (!s64)
		goto out;
	if (shown_json != signed_json) {
		/* Tampered: keep header and signature, swap in another payload. */
		free(z);
		z = NULL;
		free(p64);
		p64 = NULL;
		if (dc_mint_deflate_raw((const uint8_t *)shown_json, strlen(shown_json), &z, &zlen) != 0)
			goto out;
		p64 = dc_mint_b64url(z, zlen);
		if (!p64)
			goto out;
	}
	size_t jl = strlen(h64) + strlen(p64) + strlen(s64) + 3;
	jws = malloc(jl);
	if (jws)
		snprintf(jws, jl, "%s.%s.%s", h64, p64, s64);
out:
	free(h64);
	free(p64);
	free(s64);
	free(input);
	free(z);
	return jws;
}

/* Splits the JWS into the fewest roughly equal chunks (SHC 1.4) and writes
 * each as "shc:/[C/N/]" + two digits per character (code - 45). */
static int jws_to_texts(const char *jws, char **texts, size_t *n_out)
{
	size_t len = strlen(jws);
	size_t n = len <= SHC_MAX_SINGLE_JWS ? 1 : (len + SHC_MAX_CHUNK_JWS - 1) / SHC_MAX_CHUNK_JWS;
	size_t per = (len + n - 1) / n;

	if (n > SHC_MAX_CHUNKS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t start = i * per, end = start + per > len ? len : start + per;
		size_t cap = 32 + 2 * (end - start);
		char *t = malloc(cap);
		if (!t)
			goto fail;
		int k = n == 1 ? snprintf(t, cap, "shc:/")
			       : snprintf(t, cap, "shc:/%zu/%zu/", i + 1, n);
		size_t o = (size_t)k;
		for (size_t j = start; j < end; j++) {
			int v = (unsigned char)jws[j] - 45;
			if (v < 0 || v > 77) {
				free(t);
				goto fail;
			}
			t[o++] = (char)('0' + v / 10);
			t[o++] = (char)('0' + v % 10);
		}
		t[o] = 0;
		texts[i] = t;
		*n_out = i + 1;
	}
	return 0;
fail:
	for (size_t i = 0; i < *n_out; i++)
		free(texts[i]);
	*n_out = 0;
	return -1;
}

static int write_texts(const char *dir, const char *name, char *const *texts, size_t n)
{
	char path[PATH_CAP];
	size_t total = 0;
	int ret = -1;

	for (size_t i = 0; i < n; i++)
		total += strlen(texts[i]) + 1;
	char *buf = malloc(total + 1), *p = buf;
	if (!buf)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(texts[i]);
		memcpy(p, texts[i], l);
		p[l] = '\n';
		p += l + 1;
	}
	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	ret = dc_mint_write_file(path, buf, total);
	free(buf);
	if (ret != 0)
		return -1;

	for (size_t i = 0; i < n; i++) {
		if (n == 1)
			snprintf(path, sizeof path, "%s/%s.png", dir, name);
		else
			snprintf(path, sizeof path, "%s/%s-%zu.png", dir, name, i + 1);
		dc_qrpng *q = dc_qrpng_new_shc(texts[i], strlen(texts[i]));
		int r = q ? dc_qrpng_write(q, path, DC_QRPNG_DEFAULT_SCALE, DC_QRPNG_QUIET) : -1;
		dc_qrpng_free(q);
		if (r != 0) {
			fprintf(stderr, "doorcheck-mint: cannot draw QR %s\n", path);
			return -1;
		}
	}
	return 0;
}

/* The vaccinated card's code centred on a mid-grey camera-sized frame, for
 * scan benchmarks; scale 4 unless the frame is too small for it. */
static int write_frame(const char *dir, const char *text, int w, int h)
{
	char path[PATH_CAP], stem[64];
	int ret = -1, scale = DC_QRPNG_DEFAULT_SCALE;
	uint8_t *pix = NULL;
	dc_qrpng *q = dc_qrpng_new_shc(text, strlen(text));

	if (!q)
		goto out;
	while (scale > 1 && (dc_qrpng_side(q, scale, DC_QRPNG_QUIET) > w ||
			     dc_qrpng_side(q, scale, DC_QRPNG_QUIET) > h))
		scale--;
	int side = dc_qrpng_side(q, scale, DC_QRPNG_QUIET);
	pix = malloc((size_t)w * (size_t)h);
	if (!pix)
		goto out;
	memset(pix, 128, (size_t)w * (size_t)h);
	if (dc_qrpng_render(q, pix, w, h, (size_t)w, (w - side) / 2, (h - side) / 2, scale,
			    DC_QRPNG_QUIET) != 0)
		goto out;
	snprintf(stem, sizeof stem, "frame-%dx%d", w, h);
	snprintf(path, sizeof path, "%s/%s.png", dir, stem);
	if (dc_qrpng_write_grey(path, pix, w, h, (size_t)w) != 0)
		goto out;
	char *line = malloc(strlen(text) + 2);
	if (!line)
		goto out;
	sprintf(line, "%s\n", text);
	snprintf(path, sizeof path, "%s/%s.txt", dir, stem);
	ret = dc_mint_write_file(path, line, strlen(line));
	free(line);
out:
	if (ret != 0)
		fprintf(stderr, "doorcheck-mint: cannot write frame %dx%d\n", w, h);
	free(pix);
	dc_qrpng_free(q);
	return ret;
}

static int mint_card(const card_spec *c, const shc_opts *o, const mbedtls_pk_context *key,
		     const char *kid, char **vaccinated_text)
{
	int ret = -1;
	char *rid = make_rid(c->patient_id);
	char *texts[SHC_MAX_CHUNKS];
	size_t n = 0;
	size_t pad = c->long_performers ? 200 : 0;

	if (!rid)
		return -1;
	for (;;) {
		char *json = NULL, *shown = NULL, *jws = NULL;
		cJSON *p = build_payload(c, o, pad, rid);
		if (p)
			json = cJSON_PrintUnformatted(p);
		if (json && c->tamper) {
			/* A different birth date: still valid JSON and FHIR, so
			 * only the signature check can catch it. */
			cJSON *bundle = cJSON_GetObjectItem(cJSON_GetObjectItem(
				cJSON_GetObjectItem(p, "vc"), "credentialSubject"), "fhirBundle");
			cJSON *res = cJSON_GetObjectItem(cJSON_GetArrayItem(
				cJSON_GetObjectItem(bundle, "entry"), 0), "resource");
			if (res && cJSON_ReplaceItemInObject(res, "birthDate", cJSON_CreateString("1998-09-09")))
				shown = cJSON_PrintUnformatted(p);
		}
		cJSON_Delete(p);
		if (json && (!c->tamper || shown))
			jws = make_jws(key, kid, json, c->tamper ? shown : json);
		free(json);
		free(shown);
		if (!jws)
			goto out;
		int r = jws_to_texts(jws, texts, &n);
		free(jws);
		if (r != 0)
			goto out;
		if (!c->long_performers || n >= 3)
			break;
		for (size_t i = 0; i < n; i++)
			free(texts[i]);
		n = 0;
		pad += 16;
	}
	if (c->long_performers && n != 3) {
		fprintf(stderr, "doorcheck-mint: %s card came out as %zu chunks, not 3\n", c->name, n);
		goto out;
	}
	if (write_texts(o->out_dir, c->name, texts, n) != 0)
		goto out;
	if (vaccinated_text) {
		*vaccinated_text = texts[0];
		texts[0] = NULL;
	}
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(rid);
	return ret;
}

static void shc_usage(void)
{
	fprintf(stderr,
		"usage: doorcheck-mint shc --key FILE --iss URL --out DIR [--now EPOCH]\n"
		"                          [--untrusted-key FILE]\n"
		"  Writes the demo SMART Health Cards (<name>.txt and <name>.png) into DIR.\n"
		"  --untrusted-key defaults to shc-untrusted.key.pem beside --key.\n");
}

static int mkdir_p(const char *dir)
{
	char tmp[PATH_CAP];
	size_t len = strlen(dir);
	if (len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (tmp[i] == '/' || tmp[i] == 0) {
			char c = tmp[i];
			tmp[i] = 0;
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				return -1;
			tmp[i] = c;
		}
	}
	return 0;
}

int dc_mint_shc_main(int argc, char **argv)
{
	int ret = 1;
	shc_opts o = { 0 };
	char untrusted_buf[PATH_CAP];
	char kid[DC_MINT_KID_MAX], kid_untrusted[DC_MINT_KID_MAX];
	char *vaccinated = NULL;
	mbedtls_pk_context key, key_untrusted;
	bool now_set = false;

	mbedtls_pk_init(&key);
	mbedtls_pk_init(&key_untrusted);
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			shc_usage();
			ret = 0;
			goto out;
		}
		if (!v) {
			shc_usage();
			goto out;
		}
		if (!strcmp(a, "--key"))
			o.key_path = v;
		else if (!strcmp(a, "--untrusted-key"))
			o.untrusted_path = v;
		else if (!strcmp(a, "--iss"))
			o.iss = v;
		else if (!strcmp(a, "--out"))
			o.out_dir = v;
		else if (!strcmp(a, "--now")) {
			if (dc_mint_parse_epoch(v, &o.now) != 0) {
				fprintf(stderr, "doorcheck-mint: --now wants unix seconds\n");
				goto out;
			}
			now_set = true;
		} else {
			shc_usage();
			goto out;
		}
	}
	if (!o.key_path || !o.iss || !o.out_dir) {
		shc_usage();
		goto out;
	}
	if (!now_set)
		o.now = (long long)time(NULL);
	if (!o.untrusted_path) {
		const char *slash = strrchr(o.key_path, '/');
		int dl = slash ? (int)(slash - o.key_path + 1) : 0;
		snprintf(untrusted_buf, sizeof untrusted_buf, "%.*sshc-untrusted.key.pem", dl,
			 o.key_path);
		o.untrusted_path = untrusted_buf;
	}
	if (dc_mint_load_key(o.key_path, &key) != 0 ||
	    dc_mint_load_key(o.untrusted_path, &key_untrusted) != 0)
		goto out;
	if (dc_mint_jwk_thumbprint(&key, kid) != 0 ||
	    dc_mint_jwk_thumbprint(&key_untrusted, kid_untrusted) != 0)
		goto out;
	if (!strcmp(kid, kid_untrusted)) {
		fprintf(stderr, "doorcheck-mint: the untrusted key must differ from --key\n");
		goto out;
	}
	if (mkdir_p(o.out_dir) != 0) {
		fprintf(stderr, "doorcheck-mint: cannot create %s\n", o.out_dir);
		goto out;
	}
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		const card_spec *c = &cards[i];
		bool is_vacc = !strcmp(c->name, "vaccinated");
		if (mint_card(c, &o, c->untrusted ? &key_untrusted : &key,
			      c->untrusted ? kid_untrusted : kid, is_vacc ? &vaccinated : NULL) != 0) {
			fprintf(stderr, "doorcheck-mint: failed on card %s\n", c->name);
			goto out;
		}
	}
	if (!vaccinated || write_frame(o.out_dir, vaccinated, 640, 480) != 0 ||
	    write_frame(o.out_dir, vaccinated, 1280, 720) != 0)
		goto out;
	ret = 0;
out:
	free(vaccinated);
	mbedtls_pk_free(&key);
	mbedtls_pk_free(&key_untrusted);
	return ret;
}

/* --- issuer-file ------------------------------------------------------- */

static void issuer_usage(void)
{
	fprintf(stderr,
		"usage: doorcheck-mint issuer-file --key FILE --iss URL --out FILE [--name NAME]\n"
		"  Writes the project issuer file (public JWK, kid = RFC 7638 thumbprint, and a\n"
		"  CRL revoking the demo 'revoked' card) for the key's public half.\n");
}

int dc_mint_issuer_file_main(int argc, char **argv)
{
	int ret = 1;
	const char *key_path = NULL, *iss = NULL, *out_path = NULL;
	const char *name = "doorcheck demo issuer (not for real use)";
	char kid[DC_MINT_KID_MAX];
	uint8_t x[32], y[32];
	char *xs = NULL, *ys = NULL, *rid = NULL, *text = NULL;
	cJSON *root = NULL;
	mbedtls_pk_context key;

	mbedtls_pk_init(&key);
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			issuer_usage();
			ret = 0;
			goto out;
		}
		if (!v) {
			issuer_usage();
			goto out;
		}
		if (!strcmp(a, "--key"))
			key_path = v;
		else if (!strcmp(a, "--iss"))
			iss = v;
		else if (!strcmp(a, "--out"))
			out_path = v;
		else if (!strcmp(a, "--name"))
			name = v;
		else {
			issuer_usage();
			goto out;
		}
	}
	if (!key_path || !iss || !out_path) {
		issuer_usage();
		goto out;
	}
	if (dc_mint_load_key(key_path, &key) != 0 || dc_mint_jwk_thumbprint(&key, kid) != 0 ||
	    dc_mint_pub_xy(&key, x, y) != 0)
		goto out;
	xs = dc_mint_b64url(x, 32);
	ys = dc_mint_b64url(y, 32);
	rid = make_rid(DEMO_REVOKED_PATIENT);
	if (!xs || !ys || !rid)
		goto out;

	root = cJSON_CreateObject();
	cJSON *issuer = cJSON_AddObjectToObject(root, "issuer");
	cJSON_AddStringToObject(issuer, "iss", iss);
	cJSON_AddStringToObject(issuer, "name", name);
	cJSON *keys = cJSON_AddArrayToObject(root, "keys");
	cJSON *jwk = cJSON_CreateObject();
	cJSON_AddItemToArray(keys, jwk);
	cJSON_AddStringToObject(jwk, "kty", "EC");
	cJSON_AddStringToObject(jwk, "kid", kid);
	cJSON_AddStringToObject(jwk, "use", "sig");
	cJSON_AddStringToObject(jwk, "alg", "ES256");
	cJSON_AddStringToObject(jwk, "crv", "P-256");
	cJSON_AddStringToObject(jwk, "x", xs);
	cJSON_AddStringToObject(jwk, "y", ys);
	cJSON *crls = cJSON_AddArrayToObject(root, "crls");
	cJSON *crl = cJSON_CreateObject();
	cJSON_AddItemToArray(crls, crl);
	cJSON_AddStringToObject(crl, "kid", kid);
	cJSON_AddStringToObject(crl, "method", "rid");
	cJSON_AddNumberToObject(crl, "ctr", 1);
	cJSON *rids = cJSON_AddArrayToObject(crl, "rids");
	cJSON_AddItemToArray(rids, cJSON_CreateString(rid));
	text = cJSON_Print(root);
	if (!text)
		goto out;
	size_t tl = strlen(text);
	char *nl = realloc(text, tl + 2);
	if (!nl)
		goto out;
	text = nl;
	text[tl] = '\n';
	text[tl + 1] = 0;
	if (dc_mint_write_file(out_path, text, tl + 1) != 0)
		goto out;
	ret = 0;
out:
	cJSON_Delete(root);
	free(text);
	free(xs);
	free(ys);
	free(rid);
	mbedtls_pk_free(&key);
	return ret;
}
