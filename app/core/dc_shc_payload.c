/*
 * SMART Health Card payload JSON (see dc_shc_priv.h): the issuer, read
 * before the signature to choose the key, and the claims and FHIR bundle,
 * read only after it verified.
 *
 * FHIR versions: SHC 1.x asks for R4 (fhirVersion 4.0.1), but genuine cards
 * of 2021 carry earlier versions with the same Patient/Immunization shape
 * (Quebec: 1.0.2, DSTU2). The fields that differ are read from either form:
 *   HumanName.family   string (STU3+) or array of strings (DSTU2)
 *   Immunization date  occurrenceDateTime / occurrenceString (R4), date (<= STU3)
 *   not given          status "not-done" (R4), wasNotGiven (DSTU2) or
 *                      notGiven (STU3) true: recorded as status "not-done"
 *   performer          performer[].actor (R4), performer Reference (DSTU2),
 *                      practitioner[].actor (STU3), else location.display
 * Everything else is shown as written; codes the reader does not know keep
 * their raw system and code, never a guessed meaning.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/platform_util.h>

#include "dc_cvx.h"
#include "dc_json.h"
#include "dc_shc_priv.h"

/* Accepted disagreement between the issuer's clock and ours for nbf/iat. */
#define DC_SHC_CLOCK_SKEW 300.0
/* A numeric date above this is milliseconds, not seconds (year 5138). */
#define DC_MAX_SECONDS 1e11
#define HEALTH_CARD_TYPE "https://smarthealth.cards#health-card"
#define CVX_SYSTEM "http://hl7.org/fhir/sid/cvx"
#define LOINC_SYSTEM "http://loinc.org"

#define jget dc_json_get
#define jstr dc_json_str

/* A number of seconds: finite, non-negative, not milliseconds. A fraction
 * is fine (NumericDate allows it; Quebec's iat has one). */
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

/* Appends the non-empty strings of v (a string, or an array of strings)
 * to buf, separated by spaces; stops before a part that does not fit.
 * Returns the new length. */
static size_t join_parts(const cJSON *v, char *buf, size_t cap, size_t len)
{
	const cJSON *one = cJSON_IsString(v) ? v : NULL, *p;
	const cJSON *list = cJSON_IsArray(v) ? v : NULL;
	for (p = one ? one : (list ? list->child : NULL); p; p = one ? NULL : p->next) {
		if (!cJSON_IsString(p) || !*p->valuestring)
			continue;
		size_t l = strlen(p->valuestring);
		if (len + l + 2 > cap)
			break;
		if (len)
			buf[len++] = ' ';
		memcpy(buf + len, p->valuestring, l);
		len += l;
		buf[len] = 0;
	}
	return len;
}

static void set_name(dc_record *r, const cJSON *patient)
{
	const cJSON *names = jget(patient, "name");
	const cJSON *n = cJSON_IsArray(names) ? cJSON_GetArrayItem(names, 0) : NULL;
	char given[sizeof r->given_name] = "", family[sizeof r->family_name] = "";

	if (!cJSON_IsObject(n))
		return;
	size_t gl = join_parts(jget(n, "given"), given, sizeof given, 0);
	size_t fl = join_parts(jget(n, "family"), family, sizeof family, 0);
	dc_record_copy(r->given_name, sizeof r->given_name, given);
	dc_record_copy(r->family_name, sizeof r->family_name, family);
	if (gl || fl) {
		char full[sizeof r->name];
		snprintf(full, sizeof full, "%s%s%s", given, gl && fl ? " " : "", family);
		dc_record_copy(r->name, sizeof r->name, full);
		mbedtls_platform_zeroize(full, sizeof full);
	} else {
		dc_record_copy(r->name, sizeof r->name, jstr(n, "text"));
	}
	mbedtls_platform_zeroize(given, sizeof given);
	mbedtls_platform_zeroize(family, sizeof family);
}

/* The coding of a CodeableConcept in `system` if it has one, else its
 * first: issuers may list a local or SNOMED code before the CVX one. */
static const cJSON *pick_coding(const cJSON *concept, const char *system)
{
	const cJSON *list = jget(concept, "coding"), *c;
	if (!cJSON_IsArray(list))
		return NULL;
	cJSON_ArrayForEach(c, list) {
		const char *s = jstr(c, "system");
		if (s && strcmp(s, system) == 0)
			return c;
	}
	return cJSON_GetArrayItem(list, 0);
}

/* First element of an array, or the value itself when it is an object. */
static const cJSON *first_of(const cJSON *v)
{
	return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : (cJSON_IsObject(v) ? v : NULL);
}

static const char *performer_display(const cJSON *res)
{
	const cJSON *p0 = first_of(jget(res, "performer"));
	const char *d = jstr(jget(p0, "actor"), "display");
	if (!d)
		d = jstr(p0, "display");
	if (!d)
		d = jstr(jget(first_of(jget(res, "practitioner")), "actor"), "display");
	if (!d)
		d = jstr(jget(res, "location"), "display");
	return d;
}

static void add_immunization(dc_record *r, const cJSON *res)
{
	if (r->n_events >= DC_MAX_EVENTS)
		return;
	dc_event *e = &r->events[r->n_events++];
	const cJSON *coding = pick_coding(jget(res, "vaccineCode"), CVX_SYSTEM);
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
	const char *date = jstr(res, "occurrenceDateTime");
	if (!date)
		date = jstr(res, "occurrenceString");
	if (!date)
		date = jstr(res, "date"); /* DSTU2, STU3 */
	dc_record_copy(e->date, sizeof e->date, date);
	if (cJSON_IsTrue(jget(res, "wasNotGiven")) || cJSON_IsTrue(jget(res, "notGiven")))
		dc_record_copy(e->status, sizeof e->status, "not-done");
	else
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
	const cJSON *coding = pick_coding(jget(res, "code"), LOINC_SYSTEM);
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
	const cJSON *value = first_of(jget(jget(res, "valueCodeableConcept"), "coding"));
	const char *vcode = jstr(value, "code");
	dc_record_copy(e->result_code, sizeof e->result_code, vcode);
	const char *vname = jstr(value, "display");
	for (size_t k = 0; vcode && k < sizeof snomed_results / sizeof snomed_results[0]; k++)
		if (strcmp(snomed_results[k].code, vcode) == 0)
			vname = snomed_results[k].name;
	dc_record_copy(e->result, sizeof e->result, vname ? vname : "Unknown result");
}

/* A dose that counts towards the COVID-19 series: a known COVID-19 CVX code
 * (add_immunization set the disease) and given ("completed"; Quebec's 2021
 * cards write "Completed", and the policy compares without case too). A flu shot or a
 * dose entered in error must never move a COVID-19 dose up the series. */
static bool counts_in_series(const dc_event *e)
{
	return e->kind == DC_EVENT_VACCINATION && strcmp(e->disease, "COVID-19") == 0 &&
	       strcasecmp(e->status, "completed") == 0;
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

	/* fhirVersion is not checked: R4 and earlier read alike (see top). */
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

/* The payload as a JSON object (both passes parse the same bytes). */
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
	return dc_trust_iss_valid(iss) ? DC_OK : DC_E_ISS_INVALID;
}

dc_err dc_shc_payload_iss(const uint8_t *json, size_t len, char *iss, size_t cap)
{
	cJSON *root = NULL;
	dc_err e = payload_root(json, len, &root);
	if (e == DC_OK) {
		const char *s = jstr(root, "iss");
		e = check_iss(s);
		if (e == DC_OK && strlen(s) >= cap)
			e = DC_E_ISS_INVALID;
		if (e == DC_OK)
			strcpy(iss, s);
	}
	cJSON_Delete(root);
	return e;
}

/* Issuance time: nbf; when a card has none, its iat (a tolerance for the
 * cards of 2021, Quebec's among them: see docs/shc.md). Both absent: no
 * issuance time, refused. */
static dc_err issuance(const cJSON *root, double *issued)
{
	const cJSON *nbf = jget(root, "nbf"), *iat = jget(root, "iat");
	if (nbf) {
		if (!seconds_ok(nbf))
			return DC_E_NBF_INVALID;
		*issued = nbf->valuedouble;
	} else if (iat) {
		if (!seconds_ok(iat))
			return DC_E_IAT_INVALID;
		*issued = iat->valuedouble;
	} else {
		return DC_E_NBF_MISSING;
	}
	return DC_OK;
}

static dc_err read_claims(const cJSON *root, dc_record *out, dc_shc_claims *c)
{
	const cJSON *exp = jget(root, "exp"), *vc = jget(root, "vc");
	const char *iss = jstr(root, "iss");
	dc_err e;

	if ((e = check_iss(iss)) != DC_OK)
		return e;
	dc_record_copy(out->issuer, sizeof out->issuer, iss);
	if ((e = issuance(root, &c->issued)) != DC_OK)
		return e;
	out->issued_at = (int64_t)c->issued;
	if (exp) {
		if (!seconds_ok(exp))
			return DC_E_EXP_INVALID;
		c->has_exp = true;
		c->exp = exp->valuedouble;
		out->expires_at = (int64_t)c->exp;
	}
	if (!cJSON_IsObject(vc) || !has_health_card_type(vc))
		return DC_E_VC_TYPE;
	const cJSON *r = jget(vc, "rid");
	if (r) {
		if (!cJSON_IsString(r) || !dc_trust_id_valid(r->valuestring, DC_SHC_RID_MAX) ||
		    strlen(r->valuestring) >= sizeof c->rid)
			return DC_E_RID_INVALID;
		strcpy(c->rid, r->valuestring);
	}
	return parse_bundle(vc, out);
}

dc_err dc_shc_read_claims(const uint8_t *json, size_t len, dc_record *out,
			  dc_shc_claims *c)
{
	cJSON *root = NULL;
	memset(c, 0, sizeof *c);
	dc_err e = payload_root(json, len, &root);
	if (e == DC_OK)
		e = read_claims(root, out, c);
	cJSON_Delete(root);
	return e;
}

/* Checked after revocation, so that a revoked card is reported as revoked
 * even once it has also expired. */
dc_err dc_shc_check_window(const dc_shc_claims *c, double now)
{
	if (c->issued > now + DC_SHC_CLOCK_SKEW)
		return DC_E_NOT_YET_VALID;
	if (c->has_exp && c->exp <= now)
		return DC_E_EXPIRED;
	return DC_OK;
}

dc_err dc_shc_parse_payload(const uint8_t *json, size_t len, double now,
			    dc_record *out, char *rid, size_t rid_cap)
{
	dc_shc_claims c;
	dc_err e = dc_shc_read_claims(json, len, out, &c);
	if (e == DC_OK && c.rid[0] && strlen(c.rid) >= rid_cap)
		e = DC_E_RID_INVALID;
	if (e == DC_OK) {
		if (rid_cap)
			snprintf(rid, rid_cap, "%s", c.rid);
		e = dc_shc_check_window(&c, now);
	}
	mbedtls_platform_zeroize(&c, sizeof c);
	return e;
}
