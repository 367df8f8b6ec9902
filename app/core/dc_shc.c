/*
 * SMART Health Card: JWS compact -> verified record (see dc_shc.h).
 *
 * Order matters: the issuer is named inside the signed payload, so the
 * payload has to be inflated and its "iss" read before the key can be
 * chosen. Nothing else from the payload is used until the signature has
 * verified with a key pinned for that issuer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "dc_b64.h"
#include "dc_cvx.h"
#include "dc_inflate.h"
#include "dc_shc.h"
#include "dc_verify.h"

/* Accepted disagreement between the issuer's clock and ours for nbf. */
#define DC_SHC_CLOCK_SKEW 300.0
/* A numeric date above this is milliseconds, not seconds (year 5138). */
#define DC_MAX_SECONDS 1e11
#define HEALTH_CARD_TYPE "https://smarthealth.cards#health-card"
#define CVX_SYSTEM "http://hl7.org/fhir/sid/cvx"
#define LOINC_SYSTEM "http://loinc.org"

#define HEADER_MAX 1024

struct jws_parts {
	const char *part[3];
	size_t len[3];
};

static dc_err split_jws(const char *jws, size_t len, struct jws_parts *p)
{
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || jws[i] == '.') {
			if (k == 3)
				return DC_E_JWS_FORMAT;
			p->part[k] = jws + start;
			p->len[k] = i - start;
			if (p->len[k] == 0)
				return DC_E_JWS_FORMAT;
			k++;
			start = i + 1;
		}
	}
	return k == 3 ? DC_OK : DC_E_JWS_FORMAT;
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *jget(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* Header: {"alg":"ES256","zip":"DEF","kid":"..."}; kid copied out. */
static dc_err check_header(const struct jws_parts *p, char *kid, size_t kid_cap)
{
	uint8_t buf[HEADER_MAX];
	size_t n;
	dc_err rc = DC_OK;

	if (p->len[0] > sizeof buf * 4 / 3 ||
	    !dc_b64url_decode(p->part[0], p->len[0], buf, sizeof buf, &n))
		return DC_E_JWS_BASE64;
	cJSON *h = cJSON_ParseWithLength((const char *)buf, n);
	if (!cJSON_IsObject(h)) {
		rc = DC_E_JWS_HEADER;
		goto out;
	}
	const char *alg = jstr(h, "alg"), *zip = jstr(h, "zip"), *k = jstr(h, "kid");
	if (!alg || strcmp(alg, "ES256") != 0)
		rc = DC_E_JWS_ALG;
	else if (!zip || strcmp(zip, "DEF") != 0)
		rc = DC_E_JWS_ZIP;
	else if (!k || !*k || strlen(k) >= kid_cap)
		rc = DC_E_JWS_KID;
	else if (jget(h, "crit"))
		rc = DC_E_JWS_CRIT;
	else
		strcpy(kid, k);
out:
	cJSON_Delete(h);
	return rc;
}

/* A number of seconds: finite, non-negative, not milliseconds. */
static bool seconds_ok(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 &&
	       v->valuedouble < DC_MAX_SECONDS;
}

static bool has_health_card_type(const cJSON *vc)
{
	const cJSON *types = jget(vc, "type"), *t;
	if (!cJSON_IsArray(types))
		return false;
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t) && strcmp(t->valuestring, HEALTH_CARD_TYPE) == 0)
			return true;
	return false;
}

static void set_name(dc_record *r, const cJSON *patient)
{
	const cJSON *names = jget(patient, "name");
	const cJSON *n = cJSON_IsArray(names) ? cJSON_GetArrayItem(names, 0) : NULL;
	char given[sizeof r->given_name] = "";
	size_t gl = 0;

	if (!cJSON_IsObject(n))
		return;
	const cJSON *g, *gs = jget(n, "given");
	if (cJSON_IsArray(gs)) {
		cJSON_ArrayForEach(g, gs) {
			if (!cJSON_IsString(g) || !*g->valuestring)
				continue;
			size_t l = strlen(g->valuestring);
			if (gl + l + 2 > sizeof given)
				break;
			if (gl)
				given[gl++] = ' ';
			memcpy(given + gl, g->valuestring, l);
			gl += l;
			given[gl] = 0;
		}
	}
	const char *family = jstr(n, "family");
	dc_record_copy(r->given_name, sizeof r->given_name, given);
	dc_record_copy(r->family_name, sizeof r->family_name, family);
	if (gl || family) {
		char full[sizeof r->name];
		size_t fl = 0;
		full[0] = 0;
		if (gl) {
			memcpy(full, given, gl + 1);
			fl = gl;
		}
		if (family && *family && fl + 2 < sizeof full) {
			if (fl)
				full[fl++] = ' ';
			dc_record_copy(full + fl, sizeof full - fl, family);
		}
		dc_record_copy(r->name, sizeof r->name, full);
		mbedtls_platform_zeroize(full, sizeof full);
	} else {
		dc_record_copy(r->name, sizeof r->name, jstr(n, "text"));
	}
	mbedtls_platform_zeroize(given, sizeof given);
}

static const cJSON *first_coding(const cJSON *concept)
{
	const cJSON *c = jget(concept, "coding");
	return cJSON_IsArray(c) ? cJSON_GetArrayItem(c, 0) : NULL;
}

static const char *performer_display(const cJSON *res)
{
	const cJSON *p = jget(res, "performer");
	const cJSON *p0 = cJSON_IsArray(p) ? cJSON_GetArrayItem(p, 0) : NULL;
	const char *d = jstr(jget(p0, "actor"), "display");
	return d ? d : jstr(p0, "display");
}

static void add_immunization(dc_record *r, const cJSON *res)
{
	if (r->n_events >= DC_MAX_EVENTS)
		return;
	dc_event *e = &r->events[r->n_events++];
	const cJSON *coding = first_coding(jget(res, "vaccineCode"));
	const char *system = jstr(coding, "system"), *code = jstr(coding, "code");
	e->kind = DC_EVENT_VACCINATION;
	dc_record_copy(e->system, sizeof e->system, system);
	dc_record_copy(e->code, sizeof e->code, code);
	const dc_cvx_info *cvx = system && strcmp(system, CVX_SYSTEM) == 0 ? dc_cvx_lookup(code) : NULL;
	if (cvx) {
		dc_record_copy(e->product, sizeof e->product, cvx->product);
		dc_record_copy(e->manufacturer, sizeof e->manufacturer, cvx->manufacturer);
		dc_record_copy(e->disease, sizeof e->disease, cvx->covid19 ? "COVID-19" : "");
		e->series_doses = cvx->series_doses;
	} else {
		const char *display = jstr(coding, "display");
		dc_record_copy(e->product, sizeof e->product, display ? display : "Unknown vaccine");
	}
	dc_record_copy(e->date, sizeof e->date, jstr(res, "occurrenceDateTime"));
	if (!e->date[0])
		dc_record_copy(e->date, sizeof e->date, jstr(res, "occurrenceString"));
	dc_record_copy(e->status, sizeof e->status, jstr(res, "status"));
	dc_record_copy(e->lot, sizeof e->lot, jstr(res, "lotNumber"));
	dc_record_copy(e->performer, sizeof e->performer, performer_display(res));
}

/* SARS-CoV-2 LOINC codes -> the DCC test type value set, so the policy
 * treats both formats alike. */
static const struct { const char *loinc; const char *tt; const char *name; } covid_loinc[] = {
	{"94500-6", "LP6464-4", "NAAT (RNA)"},
	{"94309-2", "LP6464-4", "NAAT (RNA)"},
	{"94306-8", "LP6464-4", "NAAT (RNA panel)"},
	{"94531-1", "LP6464-4", "NAAT (RNA panel)"},
	{"94533-7", "LP6464-4", "NAAT (N gene)"},
	{"94534-5", "LP6464-4", "NAAT (RdRp gene)"},
	{"94559-2", "LP6464-4", "NAAT (ORF1ab)"},
	{"94565-9", "LP6464-4", "NAAT (RNA)"},
	{"94759-8", "LP6464-4", "NAAT (RNA)"},
	{"94845-5", "LP6464-4", "NAAT (RNA)"},
	{"95406-5", "LP6464-4", "NAAT (RNA)"},
	{"95409-9", "LP6464-4", "NAAT (N gene)"},
	{"95425-5", "LP6464-4", "NAAT (RNA)"},
	{"96094-8", "LP6464-4", "NAAT (RNA)"},
	{"94558-4", "LP217198-3", "Rapid antigen"},
	{"95209-3", "LP217198-3", "Rapid antigen"},
	{"96119-3", "LP217198-3", "Rapid antigen"},
	{"97097-0", "LP217198-3", "Rapid antigen"},
};

static const struct { const char *code; const char *name; } snomed_results[] = {
	{"260385009", "Negative"},
	{"260415000", "Not detected"},
	{"10828004", "Positive"},
	{"260373001", "Detected"},
	{"419984006", "Inconclusive"},
};

static void add_observation(dc_record *r, const cJSON *res)
{
	const cJSON *coding = first_coding(jget(res, "code"));
	const char *system = jstr(coding, "system"), *code = jstr(coding, "code");
	size_t i;

	if (!system || strcmp(system, LOINC_SYSTEM) != 0 || !code)
		return;
	for (i = 0; i < sizeof covid_loinc / sizeof covid_loinc[0]; i++)
		if (strcmp(covid_loinc[i].loinc, code) == 0)
			break;
	if (i == sizeof covid_loinc / sizeof covid_loinc[0] || r->n_events >= DC_MAX_EVENTS)
		return; /* only COVID-19 results are shown */
	dc_event *e = &r->events[r->n_events++];
	e->kind = DC_EVENT_TEST;
	dc_record_copy(e->system, sizeof e->system, system);
	dc_record_copy(e->code, sizeof e->code, code);
	dc_record_copy(e->product, sizeof e->product, covid_loinc[i].name);
	dc_record_copy(e->disease, sizeof e->disease, "COVID-19");
	dc_record_copy(e->test_type_code, sizeof e->test_type_code, covid_loinc[i].tt);
	dc_record_copy(e->test_type, sizeof e->test_type,
		       strcmp(covid_loinc[i].tt, "LP6464-4") == 0 ? "NAAT" : "Rapid antigen");
	dc_record_copy(e->date, sizeof e->date, jstr(res, "effectiveDateTime"));
	dc_record_copy(e->status, sizeof e->status, jstr(res, "status"));
	dc_record_copy(e->performer, sizeof e->performer, performer_display(res));
	const cJSON *value = first_coding(jget(res, "valueCodeableConcept"));
	const char *vcode = jstr(value, "code");
	dc_record_copy(e->result_code, sizeof e->result_code, vcode);
	const char *vname = jstr(value, "display");
	for (size_t k = 0; vcode && k < sizeof snomed_results / sizeof snomed_results[0]; k++)
		if (strcmp(snomed_results[k].code, vcode) == 0)
			vname = snomed_results[k].name;
	dc_record_copy(e->result, sizeof e->result, vname ? vname : "Unknown result");
}

/* A dose that counts towards the COVID-19 series: a known COVID-19 CVX code
 * (add_immunization set the disease) and given ("completed"). A flu shot or a
 * dose entered in error must never move a COVID-19 dose up the series. */
static bool counts_in_series(const dc_event *e)
{
	return e->kind == DC_EVENT_VACCINATION && strcmp(e->disease, "COVID-19") == 0 &&
	       strcmp(e->status, "completed") == 0;
}

/* Numbers counting doses 1..n in date order (ISO dates sort as text);
 * other immunizations keep dose_number 0 ("not part of the series"). */
static void number_doses(dc_record *r)
{
	for (size_t i = 0; i < r->n_events; i++) {
		dc_event *e = &r->events[i];
		if (!counts_in_series(e))
			continue;
		int pos = 1;
		for (size_t j = 0; j < r->n_events; j++) {
			const dc_event *o = &r->events[j];
			if (j == i || !counts_in_series(o))
				continue;
			int c = strcmp(o->date, e->date);
			if (c < 0 || (c == 0 && j < i))
				pos++;
		}
		e->dose_number = pos;
	}
}

static dc_err parse_bundle(const cJSON *vc, dc_record *r)
{
	const cJSON *subject = jget(vc, "credentialSubject");
	const cJSON *bundle = jget(subject, "fhirBundle");
	const cJSON *entries = jget(bundle, "entry"), *entry;
	const char *rt = jstr(bundle, "resourceType");

	if (!cJSON_IsObject(bundle) || !rt || strcmp(rt, "Bundle") != 0 ||
	    !cJSON_IsArray(entries))
		return DC_E_FHIR_BUNDLE;
	bool have_patient = false;
	cJSON_ArrayForEach(entry, entries) {
		const cJSON *res = jget(entry, "resource");
		const char *type = jstr(res, "resourceType");
		if (!cJSON_IsObject(res) || !type)
			return DC_E_FHIR_BUNDLE;
		if (strcmp(type, "Patient") == 0 && !have_patient) {
			have_patient = true;
			set_name(r, res);
			dc_record_copy(r->birth_date, sizeof r->birth_date, jstr(res, "birthDate"));
		} else if (strcmp(type, "Immunization") == 0) {
			add_immunization(r, res);
		} else if (strcmp(type, "Observation") == 0) {
			add_observation(r, res);
		}
	}
	number_doses(r);
	return DC_OK;
}

static bool rid_ok(const char *rid)
{
	size_t n = strlen(rid);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = rid[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Reads iss and checks the JSON shape; shared by both passes. */
static dc_err payload_root(const uint8_t *json, size_t len, cJSON **out)
{
	cJSON *root = cJSON_ParseWithLength((const char *)json, len);
	*out = NULL;
	if (!root)
		return DC_E_PAYLOAD_JSON;
	if (cJSON_IsString(root)) {
		/* Some broken issuers serialise the payload, then serialise the
		 * resulting string again. */
		cJSON *inner = cJSON_Parse(root->valuestring);
		bool is_obj = cJSON_IsObject(inner);
		cJSON_Delete(inner);
		cJSON_Delete(root);
		return is_obj ? DC_E_PAYLOAD_DOUBLE : DC_E_PAYLOAD_JSON;
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return DC_E_PAYLOAD_JSON;
	}
	*out = root;
	return DC_OK;
}

static dc_err check_iss(const char *iss)
{
	if (!iss)
		return DC_E_ISS_MISSING;
	size_t n = strlen(iss);
	if (n <= 8 || n > DC_ISS_MAX || strncmp(iss, "https://", 8) != 0 || iss[n - 1] == '/')
		return DC_E_ISS_INVALID;
	return DC_OK;
}

/* Everything after the signature: dates, type, bundle, rid. */
static dc_err parse_verified(const cJSON *root, double now, dc_record *out,
			     char *rid, size_t rid_cap)
{
	const cJSON *nbf = jget(root, "nbf"), *exp = jget(root, "exp");
	const cJSON *vc = jget(root, "vc");

	if (!nbf)
		return DC_E_NBF_MISSING;
	if (!seconds_ok(nbf))
		return DC_E_NBF_INVALID;
	out->issued_at = (int64_t)nbf->valuedouble;
	if (exp) {
		if (!seconds_ok(exp))
			return DC_E_EXP_INVALID;
		out->expires_at = (int64_t)exp->valuedouble;
	}
	if (!cJSON_IsObject(vc) || !has_health_card_type(vc))
		return DC_E_VC_TYPE;
	const cJSON *r = jget(vc, "rid");
	if (r) {
		if (!cJSON_IsString(r) || !rid_ok(r->valuestring) ||
		    strlen(r->valuestring) >= rid_cap)
			return DC_E_RID_INVALID;
		strcpy(rid, r->valuestring);
	}
	(void)now;
	return parse_bundle(vc, out);
}

/* Validity window; checked after revocation, so that a revoked card is
 * reported as revoked even once it has also expired. */
static dc_err check_window(const cJSON *root, double now)
{
	const cJSON *nbf = jget(root, "nbf"), *exp = jget(root, "exp");
	if (nbf->valuedouble > now + DC_SHC_CLOCK_SKEW)
		return DC_E_NOT_YET_VALID;
	if (exp && exp->valuedouble <= now)
		return DC_E_EXPIRED;
	return DC_OK;
}

dc_err dc_shc_parse_payload(const uint8_t *json, size_t len, double now,
			    dc_record *out, char *rid, size_t rid_cap)
{
	cJSON *root = NULL;
	dc_err e = payload_root(json, len, &root);
	if (e == DC_OK) {
		const char *iss = jstr(root, "iss");
		e = check_iss(iss);
		if (e == DC_OK) {
			dc_record_copy(out->issuer, sizeof out->issuer, iss);
			e = parse_verified(root, now, out, rid, rid_cap);
			if (e == DC_OK)
				e = check_window(root, now);
		}
	}
	cJSON_Delete(root);
	return e;
}

/* Clears everything personal a failed parse may have filled in. */
static dc_err fail(dc_record *r, dc_err e)
{
	dc_record_wipe_holder(r);
	return dc_record_fail(r, e);
}

dc_err dc_shc_verify_jws(const dc_trust *t, double now, const char *jws,
			 size_t len, dc_record *out)
{
	struct jws_parts p;
	char kid[65];
	char rid[65] = "";
	uint8_t sig[160]; /* room for a DER or P-521 signature, to name it */
	size_t sig_len, z_len = 0, json_len = 0;
	uint8_t *z = NULL, *json = NULL;
	cJSON *root = NULL;
	dc_err e;

	dc_record_init(out);
	out->format = DC_FORMAT_SHC;
	if (!jws || !len)
		return fail(out, DC_E_EMPTY);
	if (len > DC_SHC_MAX_JWS)
		return fail(out, DC_E_TOO_LONG);
	if ((e = split_jws(jws, len, &p)) != DC_OK)
		return fail(out, e);
	if ((e = check_header(&p, kid, sizeof kid)) != DC_OK)
		return fail(out, e);
	dc_record_copy(out->kid, sizeof out->kid, kid);
	if (p.len[2] > 200 || !dc_b64url_decode(p.part[2], p.len[2], sig, sizeof sig, &sig_len))
		return fail(out, p.len[2] > 200 ? DC_E_SIG_LENGTH : DC_E_JWS_BASE64);
	if (sig_len != 64)
		return fail(out, DC_E_SIG_LENGTH); /* e.g. a DER-encoded signature */

	size_t z_cap = DC_B64URL_DECODED_MAX(p.len[1]);
	z = malloc(z_cap);
	json = malloc(DC_MAX_INFLATED + 1);
	if (!z || !json) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (!dc_b64url_decode(p.part[1], p.len[1], z, z_cap, &z_len)) {
		e = DC_E_JWS_BASE64;
		goto out;
	}
	e = dc_inflate(DC_INFLATE_RAW, z, z_len, json, DC_MAX_INFLATED, &json_len);
	if (e)
		goto out;
	json[json_len] = 0;
	if ((e = payload_root(json, json_len, &root)) != DC_OK)
		goto out;

	/* Pass 1: only the issuer, to choose the key. */
	const char *iss = jstr(root, "iss");
	if ((e = check_iss(iss)) != DC_OK)
		goto out;
	dc_record_copy(out->issuer, sizeof out->issuer, iss);
	const dc_issuer *issuer = dc_trust_find_issuer(t, iss);
	if (!issuer) {
		e = DC_E_ISSUER_UNTRUSTED;
		goto out;
	}
	dc_record_copy(out->issuer_name, sizeof out->issuer_name, dc_issuer_name(issuer));
	const dc_key *key = dc_issuer_find_key(issuer, kid);
	if (!key) {
		e = DC_E_KID_UNKNOWN;
		goto out;
	}
	/* The signing input is the ASCII "header.payload" exactly as sent. */
	e = dc_key_verify_es256(key, (const uint8_t *)jws, p.len[0] + 1 + p.len[1], sig);
	if (e)
		goto out;

	/* Pass 2: the signature holds; now the content counts. */
	e = parse_verified(root, now, out, rid, sizeof rid);
	if (e == DC_OK && rid[0] &&
	    dc_issuer_rid_revoked(issuer, kid, rid, jget(root, "nbf")->valuedouble))
		e = DC_E_REVOKED;
	if (e == DC_OK)
		e = check_window(root, now);
out:
	cJSON_Delete(root);
	if (z) {
		mbedtls_platform_zeroize(z, z_cap);
		free(z);
	}
	if (json) {
		mbedtls_platform_zeroize(json, DC_MAX_INFLATED + 1);
		free(json);
	}
	mbedtls_platform_zeroize(rid, sizeof rid);
	if (e)
		return fail(out, e);
	return dc_record_fail(out, DC_OK);
}

dc_err dc_shc_verify(const dc_trust *t, double now, const char *const *texts,
		     const size_t *lens, size_t n, dc_record *out)
{
	char *jws = malloc(DC_SHC_MAX_JWS + 1);
	size_t len = 0;
	dc_err e;

	if (!jws) {
		dc_record_init(out);
		out->format = DC_FORMAT_SHC;
		return fail(out, DC_E_NOMEM);
	}
	e = dc_shc_decode(texts, lens, n, jws, DC_SHC_MAX_JWS + 1, &len);
	if (e) {
		dc_record_init(out);
		out->format = DC_FORMAT_SHC;
		fail(out, e);
	} else {
		e = dc_shc_verify_jws(t, now, jws, len, out);
	}
	mbedtls_platform_zeroize(jws, DC_SHC_MAX_JWS + 1);
	free(jws);
	return e;
}
