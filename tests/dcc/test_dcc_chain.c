/*
 * The HC1 chain, stage by stage, with certificates built and signed here by
 * the demo DSC keys (dcc_build.h): every reason the DCC verifier can give,
 * ES256 and PS256, kid placement, key usage, signer validity, CWT times,
 * revocation by each hash type, and the integrity properties (every single
 * character change and every truncation is rejected).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>

#include "dc_hash.h"
#include "dc_base45.h"
#include "dc_cose.h"
#include "dc_dcc.h"
#include "dc_hcert.h"
#include "dc_inflate.h"
#include "dc_test.h"
#include "dc_time.h"
#include "dc_trust.h"
#include "dc_valuesets.h"
#include "dc_verify.h"
#include "dc_policy.h"
#include "dcc_build.h"

static double T; /* validation time: 2027-06-01T00:00:00Z */

enum kind { KV, KT, KR };

typedef struct {
	enum kind kind;
	int64_t iat, exp;
	bool no_iat, no_exp, no_hcert, hcert_not_map, claims_not_map, iat_text;
	bool dup_claim, dup_ver;
	const char *iss;
	const char *ver;      /* NULL: omitted */
	bool no_nam, no_fnt;
	const char *fnt, *gnt, *fn, *gn;
	const char *dob;      /* NULL: omitted */
	int entries;          /* entries in the group */
	bool two_groups;
	const char *omit;     /* entry field left out */
	int64_t dn;
	const char *ci;
	const char *dt;
	const char *mp, *tt, *fr, *ma_dev; /* NULL: the usual demo values */
} pl;

static pl base(enum kind k)
{
	pl p = {.kind = k, .iat = 0, .exp = 0, .iss = "XX", .ver = "1.3.0", .fnt = "DEMO<MUSTER",
		.gnt = "ERIKA", .fn = "Démo-Muster", .gn = "Erika", .dob = "1964-08-12",
		.entries = 1, .dn = 2, .ci = "URN:UVCI:01:XX:DEMOCHAIN#K", .dt = "2027-05-01"};
	p.iat = (int64_t)T - 3600;
	p.exp = (int64_t)T + 86400 * 30;
	return p;
}

static void entry(cw *w, enum kind k, const pl *p)
{
	const char *keys[12], *vals[12];
	int n = 0;
#define F(key, val) do { if (!p->omit || strcmp(p->omit, key)) { keys[n] = key; vals[n] = val; n++; } } while (0)
	F("tg", "840539006");
	if (k == KV) {
		F("vp", "1119349007");
		F("mp", p->mp ? p->mp : "EU/1/20/1528");
		F("ma", "ORG-100030215");
		F("dt", p->dt);
	} else if (k == KT) {
		F("tt", p->tt ? p->tt : "LP6464-4");
		if (p->ma_dev)
			F("ma", p->ma_dev);
		F("nm", "DEMO PCR");
		F("sc", "2027-05-31T20:00:00Z");
		F("tr", "260415000");
		F("tc", "DEMO test centre");
	} else {
		F("fr", p->fr ? p->fr : "2027-05-01");
		F("df", "2027-05-12");
		F("du", "2027-10-28");
	}
	F("co", "XX");
	F("is", "DEMO ministry");
	F("ci", p->ci);
#undef F
	bool doses = k == KV;
	bool has_dn = doses && (!p->omit || strcmp(p->omit, "dn"));
	bool has_sd = doses && (!p->omit || strcmp(p->omit, "sd"));
	cw_head(w, 5, (uint64_t)(n + has_dn + has_sd));
	for (int i = 0; i < n; i++)
		cw_kv(w, keys[i], vals[i]);
	if (has_dn) {
		cw_text(w, "dn");
		cw_int(w, p->dn);
	}
	if (has_sd) {
		cw_text(w, "sd");
		cw_int(w, 2);
	}
}

static void group(cw *w, enum kind k, const pl *p)
{
	cw_text(w, k == KV ? "v" : k == KT ? "t" : "r");
	cw_head(w, 4, (uint64_t)p->entries);
	for (int i = 0; i < p->entries; i++)
		entry(w, k, p);
}

static void payload(cw *w, const pl *p)
{
	memset(w, 0, sizeof *w);
	if (p->claims_not_map) {
		cw_head(w, 4, 0);
		return;
	}
	cw_head(w, 5, (uint64_t)(1 + p->dup_claim + !p->no_iat + !p->no_exp + !p->no_hcert));
	cw_int(w, 1);
	cw_text(w, p->iss);
	if (p->dup_claim) {
		cw_int(w, 1);
		cw_text(w, "YY");
	}
	if (!p->no_exp) {
		cw_int(w, 4);
		cw_int(w, p->exp);
	}
	if (!p->no_iat) {
		cw_int(w, 6);
		if (p->iat_text)
			cw_text(w, "yesterday");
		else
			cw_int(w, p->iat);
	}
	if (p->no_hcert)
		return;
	cw_int(w, -260);
	if (p->hcert_not_map) {
		cw_int(w, 1);
		return;
	}
	cw_head(w, 5, 1);
	cw_int(w, 1);
	cw_head(w, 5, (uint64_t)((p->ver != NULL) + p->dup_ver + !p->no_nam + (p->dob != NULL) + 1 +
				 p->two_groups));
	if (p->ver)
		cw_kv(w, "ver", p->ver);
	if (p->dup_ver)
		cw_kv(w, "ver", "9.9.9");
	if (!p->no_nam) {
		cw_text(w, "nam");
		cw_head(w, 5, (uint64_t)(3 + !p->no_fnt));
		cw_kv(w, "fn", p->fn);
		cw_kv(w, "gn", p->gn);
		cw_kv(w, "gnt", p->gnt);
		if (!p->no_fnt)
			cw_kv(w, "fnt", p->fnt);
	}
	if (p->dob)
		cw_kv(w, "dob", p->dob);
	group(w, p->kind, p);
	if (p->two_groups)
		group(w, p->kind == KV ? KT : KV, p);
}

static signer es, ps, testonly, altoid, shortlived, p384, p521, k256, emptyeku;
static dc_trust *trust;

static char *make(signer *s, const pl *p, const build_opts *o)
{
	static cw w;
	payload(&w, p);
	build_opts def = {0};
	return build_hc1(s, &w, o ? o : &def, NULL);
}

static dc_err verify_at(const dc_trust *t, const char *text, double now, dc_record *r)
{
	return dc_dcc_verify(t, now, text, strlen(text), r);
}

static dc_err verify(const char *text, dc_record *r)
{
	return verify_at(trust, text, T, r);
}

#define EXPECT(text, want) do { \
	dc_record r_; char *t_ = (text); dc_err e_ = verify(t_, &r_); \
	CHECK_MSG(e_ == (want), "%s: got %s, want %s", #text, dc_err_code(e_), dc_err_code(want)); \
	CHECK_EQ_INT(r_.reason, e_); \
	CHECK_EQ_INT(r_.verdict, dc_err_verdict(e_)); \
	if (e_ != DC_OK) CHECK(r_.name[0] == 0 && r_.n_events == 0); \
	dc_record_wipe(&r_); free(t_); } while (0)

static void test_valid(signer *s, const char *label)
{
	dc_record r;
	for (int k = KV; k <= KR; k++) {
		pl p = base((enum kind)k);
		char *t = make(s, &p, NULL);
		dc_err e = verify(t, &r);
		CHECK_MSG(e == DC_OK, "%s kind %d: %s", label, k, dc_err_code(e));
		CHECK_EQ_INT(r.verdict, DC_VERDICT_VERIFIED);
		CHECK_EQ_INT(r.format, DC_FORMAT_DCC);
		CHECK_STR(r.name, "Erika Démo-Muster");
		CHECK_STR(r.family_name, "Démo-Muster");
		CHECK_STR(r.given_name, "Erika");
		CHECK_STR(r.name_std, "DEMO<MUSTER<<ERIKA");
		CHECK_STR(r.birth_date, "1964-08-12");
		CHECK_STR(r.issuer, "XX");
		CHECK_EQ_INT(r.issued_at, p.iat);
		CHECK_EQ_INT(r.expires_at, p.exp);
		char kid64[16];
		size_t kl;
		mbedtls_base64_encode((unsigned char *)kid64, sizeof kid64, &kl, s->kid, 8);
		CHECK_STR(r.kid, kid64);
		CHECK_EQ_INT(r.n_events, 1);
		const dc_event *ev = &r.events[0];
		CHECK_STR(ev->disease, "COVID-19");
		CHECK_STR(ev->country, "XX");
		if (k == KV) {
			CHECK_EQ_INT(ev->kind, DC_EVENT_VACCINATION);
			CHECK_STR(ev->code, "EU/1/20/1528");
			CHECK_STR(ev->product, "Comirnaty (BioNTech/Pfizer)");
			CHECK_STR(ev->manufacturer, "BioNTech Manufacturing GmbH");
			CHECK_EQ_INT(ev->dose_number, 2);
			CHECK_EQ_INT(ev->series_doses, 2);
			CHECK_STR(ev->date, "2027-05-01");
			CHECK_STR(ev->performer, "DEMO ministry");
		} else if (k == KT) {
			CHECK_EQ_INT(ev->kind, DC_EVENT_TEST);
			CHECK_STR(ev->test_type_code, "LP6464-4");
			CHECK_STR(ev->test_type, "NAAT (PCR)");
			CHECK_STR(ev->result_code, "260415000");
			CHECK_STR(ev->result, "Not detected");
			CHECK_STR(ev->date, "2027-05-31T20:00:00Z");
			CHECK_STR(ev->performer, "DEMO test centre");
			CHECK_STR(ev->product, "DEMO PCR");
		} else {
			CHECK_EQ_INT(ev->kind, DC_EVENT_RECOVERY);
			CHECK_STR(ev->date, "2027-05-01");
			CHECK_STR(ev->valid_from, "2027-05-12");
			CHECK_STR(ev->valid_until, "2027-10-28");
		}
		dc_record_wipe(&r);
		free(t);
	}
}

static void test_headers(void)
{
	pl p = base(KV);
	build_opts o = {0};
	o.kid = KID_UNPROTECTED;
	EXPECT(make(&es, &p, &o), DC_OK);
	o.kid = KID_BOTH;
	EXPECT(make(&es, &p, &o), DC_OK);
	o.kid = KID_NONE;
	EXPECT(make(&es, &p, &o), DC_E_COSE_KID);
	o = (build_opts){.untagged = true};
	EXPECT(make(&es, &p, &o), DC_OK);
	o = (build_opts){.cwt_tag = true};
	EXPECT(make(&es, &p, &o), DC_OK);
	o = (build_opts){.no_compress = true};
	EXPECT(make(&es, &p, &o), DC_OK);
	o = (build_opts){.corrupt_sig = true};
	EXPECT(make(&es, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.corrupt_sig = true};
	EXPECT(make(&ps, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.short_sig = true};
	EXPECT(make(&es, &p, &o), DC_E_COSE_SIG_LENGTH);
	o = (build_opts){.short_sig = true};
	EXPECT(make(&ps, &p, &o), DC_E_COSE_SIG_LENGTH);
	/* PSS: the salt is the hash length (RFC 8230); another salt length is
	 * a signature that does not match, not one read from the signature. */
	o = (build_opts){.pss_salt = 32};
	EXPECT(make(&ps, &p, &o), DC_OK);
	o = (build_opts){.pss_salt = 20};
	EXPECT(make(&ps, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.pss_salt = 64};
	EXPECT(make(&ps, &p, &o), DC_E_SIG_MISMATCH);
	/* alg in the header that does not fit the key: its own reason */
	o = (build_opts){.alg_override = -37};
	EXPECT(make(&es, &p, &o), DC_E_DSC_ALG_KEY);
	o = (build_opts){.alg_override = -7};
	EXPECT(make(&ps, &p, &o), DC_E_DSC_ALG_KEY);
	o = (build_opts){.alg_override = -36};
	EXPECT(make(&ps, &p, &o), DC_E_DSC_ALG_KEY);
	/* EdDSA is not an hcert algorithm */
	o = (build_opts){.alg_override = -8};
	EXPECT(make(&es, &p, &o), DC_E_COSE_ALG);

	/* Protected wins: the doorcheck-mint variants are checked in
	 * test_dcc_demo; here the same with raw COSE on the parser. */
	static const uint8_t both[] = {0x84, 0x4d, 0xa2, 0x01, 0x26, 0x04, 0x48, 1, 2, 3, 4, 5, 6,
				       7, 8, 0xa1, 0x04, 0x48, 9, 9, 9, 9, 9, 9, 9, 9, 0x40, 0x40};
	dc_cose_sign1 c;
	CHECK_EQ_INT(dc_cose_parse(both, sizeof both, &c), DC_OK);
	CHECK(c.kid_protected && c.kid_len == 8 && c.kid[0] == 1 && c.alg == -7);
	dc_cose_free(&c);
	static const uint8_t unprot[] = {0x84, 0x43, 0xa1, 0x01, 0x26, 0xa1, 0x04, 0x48, 9, 9, 9,
					 9, 9, 9, 9, 9, 0x40, 0x40};
	CHECK_EQ_INT(dc_cose_parse(unprot, sizeof unprot, &c), DC_OK);
	CHECK(!c.kid_protected && c.kid_len == 8 && c.kid[0] == 9);
	dc_cose_free(&c);
}

static void test_trust_and_keys(void)
{
	pl p = base(KV);
	dc_record r;

	/* unknown signer: not trusted */
	dc_trust *empty = dc_trust_new();
	char *t = make(&es, &p, NULL);
	CHECK_EQ_INT(verify_at(empty, t, T, &r), DC_E_DSC_UNKNOWN);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_ISSUER_NOT_TRUSTED);
	CHECK_STR(dc_strerror(DC_E_DSC_UNKNOWN), "No signer certificate with this key id");
	dc_trust_free(empty);
	free(t);

	/* key usage: test-only signer */
	EXPECT(make(&testonly, &p, NULL), DC_E_DSC_KEY_USAGE);
	pl pt = base(KT);
	EXPECT(make(&testonly, &pt, NULL), DC_OK);
	pl pr = base(KR);
	EXPECT(make(&testonly, &pr, NULL), DC_E_DSC_KEY_USAGE);
	/* alternative OID arc: vaccination only */
	EXPECT(make(&altoid, &p, NULL), DC_OK);
	EXPECT(make(&altoid, &pt, NULL), DC_E_DSC_KEY_USAGE);

	/* signer validity: the short-lived DSC (2026-11-23 .. 2026-11-25) */
	pl ps2 = base(KV);
	double inside;
	CHECK(dc_time_parse("2026-11-24T12:00:00Z", 20, &inside));
	ps2.iat = (int64_t)inside - 3600;
	ps2.exp = (int64_t)inside + 86400 * 30;
	t = make(&shortlived, &ps2, NULL);
	CHECK_EQ_INT(verify_at(trust, t, inside, &r), DC_OK);
	dc_record_wipe(&r);
	CHECK_EQ_INT(verify_at(trust, t, inside + 86400 * 5, &r), DC_E_DSC_TIME);
	CHECK_EQ_INT(verify_at(trust, t, inside - 86400 * 5, &r), DC_E_DSC_TIME);
	free(t);

	/* Two DSCs sharing nothing but a kid would both be tried: loading the
	 * same certificate twice must not break verification. */
	dc_trust *twice = dc_trust_new();
	CHECK_EQ_INT(dc_trust_add_dsc(twice, es.cert, es.cert_len), DC_OK);
	CHECK_EQ_INT(dc_trust_add_dsc(twice, es.cert, es.cert_len), DC_OK);
	CHECK_EQ_INT(dc_trust_dsc_count(twice), 2);
	t = make(&es, &p, NULL);
	CHECK_EQ_INT(verify_at(twice, t, T, &r), DC_OK);
	dc_record_wipe(&r);
	free(t);
	/* a DSC with a kid match whose key does not verify: the ES256 cert is
	 * tried, the mismatch reported */
	dc_trust_free(twice);

	/* DSC loading */
	dc_trust *x = dc_trust_new();
	CHECK_EQ_INT(dc_trust_add_dsc(x, (const uint8_t *)"junk", 4), DC_E_DSC_INVALID);
	CHECK_EQ_INT(dc_trust_add_dsc(x, es.cert, es.cert_len / 2), DC_E_DSC_INVALID);
	CHECK_EQ_INT(dc_trust_dsc_count(x), 0);
	CHECK_EQ_INT(dc_trust_add_dsc(NULL, es.cert, es.cert_len), DC_E_ARG);
	dc_trust_free(x);
}

static void test_times(void)
{
	pl p = base(KV);
	p.exp = (int64_t)T - 1;
	EXPECT(make(&es, &p, NULL), DC_E_CWT_EXPIRED);
	p = base(KV);
	p.iat = (int64_t)T + 3600;
	EXPECT(make(&es, &p, NULL), DC_E_CWT_NOT_YET);
	p = base(KV);
	p.exp = (int64_t)T; /* the last second is still valid */
	EXPECT(make(&es, &p, NULL), DC_OK);
}

static void test_claims_and_schema(void)
{
	pl p;
#define CASE(setup, want) do { p = base(KV); setup; EXPECT(make(&es, &p, NULL), want); } while (0)
	CASE(p.claims_not_map = true, DC_E_CWT);
	CASE(p.no_iat = true, DC_E_CWT);
	CASE(p.no_exp = true, DC_E_CWT);
	CASE(p.iat_text = true, DC_E_CWT);
	CASE(p.dup_claim = true, DC_E_CWT);
	CASE(p.dup_ver = true, DC_E_DCC_SCHEMA);
	CASE(p.no_hcert = true, DC_E_HCERT_MISSING);
	CASE(p.hcert_not_map = true, DC_E_HCERT_MISSING);
	CASE(p.ver = NULL, DC_E_DCC_VER);
	CASE(p.no_nam = true, DC_E_DCC_NAME);
	CASE(p.no_fnt = true, DC_E_DCC_NAME);
	CASE(p.fnt = "demo muster", DC_E_DCC_SCHEMA);
	CASE(p.dob = NULL, DC_E_DCC_DOB);
	CASE(p.dob = "1964-13-01", DC_E_DCC_DOB);
	CASE(p.dob = "1964-08-12T00:00:00", DC_E_DCC_DOB);
	CASE(p.dob = "64-08-12", DC_E_DCC_DOB);
	CASE(p.entries = 2, DC_E_DCC_MULTIPLE);
	CASE(p.two_groups = true, DC_E_DCC_MULTIPLE);
	CASE(p.entries = 0, DC_E_DCC_NO_ENTRIES);
	CASE(p.omit = "ci", DC_E_DCC_FIELD);
	CASE(p.omit = "mp", DC_E_DCC_FIELD);
	CASE(p.omit = "dn", DC_E_DCC_FIELD);
	CASE(p.dn = 0, DC_E_DCC_SCHEMA);
	CASE(p.dn = 10, DC_E_DCC_SCHEMA);
	CASE(p.dt = "01.05.2027", DC_E_DCC_SCHEMA);
	CASE((p.kind = KT, p.omit = "tt"), DC_E_DCC_FIELD);
	CASE((p.kind = KT, p.omit = "sc"), DC_E_DCC_FIELD);
	CASE((p.kind = KR, p.omit = "du"), DC_E_DCC_FIELD);
	/* partial and empty birth dates are shown as written */
	dc_record r;
	const char *dobs[] = {"1964", "1964-08", ""};
	for (int i = 0; i < 3; i++) {
		p = base(KV);
		p.dob = dobs[i];
		char *t = make(&es, &p, NULL);
		CHECK_EQ_INT(verify(t, &r), DC_OK);
		CHECK_STR(r.birth_date, dobs[i]);
		dc_record_wipe(&r);
		free(t);
	}
	/* names: only the standardised ones */
	p = base(KV);
	p.fn = "";
	p.gn = "";
	char *t = make(&es, &p, NULL);
	CHECK_EQ_INT(verify(t, &r), DC_OK);
	CHECK_STR(r.name, "DEMO<MUSTER<<ERIKA");
	dc_record_wipe(&r);
	free(t);
#undef CASE
}

static dc_err verify_with(const dc_trust *t, const pl *p, dc_record *r)
{
	char *txt = make(&es, p, NULL);
	dc_err e = verify_at(t, txt, T, r);
	free(txt);
	return e;
}

static dc_policy_outcome policy_of(const dc_record *r, char *code, size_t cap)
{
	dc_policy *pol = dc_policy_new_default();
	dc_policy_result res;
	dc_policy_evaluate(pol, r, T, &res);
	snprintf(code, cap, "%s", res.code);
	dc_policy_free(pol);
	return res.outcome;
}

/* Content as the reference verifiers treat it. */
static void test_content_rules(void)
{
	dc_record r;
	pl p;
	char code[64];
	/* a date-time where the schema declares a date: accepted, shown as the date */
	p = base(KV);
	p.dt = "2027-05-01T22:54:00+02:00";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].date, "2027-05-01");
	dc_record_wipe(&r);
	p = base(KR);
	p.fr = "2027-05-01T08:00:00Z";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].date, "2027-05-01");
	dc_record_wipe(&r);
	p = base(KV);
	p.dt = "2027-05-01T25:00:00Z";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_E_DCC_SCHEMA);
	p.dt = "2027-05-01Tnoon";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_E_DCC_SCHEMA);

	/* born after the certificate was issued (iat 2027-05-31T23:00Z) */
	const struct { const char *dob; dc_err want; } dobs[] = {
		{"2027-06-02", DC_E_DCC_DOB_AFTER_ISSUE}, {"2028", DC_E_DCC_DOB_AFTER_ISSUE},
		{"2027-07", DC_E_DCC_DOB_AFTER_ISSUE},
		{"2027-06-01", DC_OK}, /* UTC+14 is already 1 June */
		{"2027-05-31", DC_OK}, {"2027", DC_OK}, {"2027-05", DC_OK}, {"", DC_OK},
	};
	for (size_t i = 0; i < sizeof dobs / sizeof dobs[0]; i++) {
		p = base(KT);
		p.dob = dobs[i].dob;
		dc_err e = verify_with(trust, &p, &r);
		CHECK_MSG(e == dobs[i].want, "dob %s: %s", dobs[i].dob, dc_err_code(e));
		if (e != DC_OK)
			CHECK(r.birth_date[0] == 0 && r.n_events == 0);
		dc_record_wipe(&r);
	}
	CHECK_STR(dc_err_code(DC_E_DCC_DOB_AFTER_ISSUE), "dcc_dob_after_issue");

	/* dose number / series 0 */
	p = base(KV);
	p.dn = 0;
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_E_DCC_SCHEMA);

	/* value-set codes: known ones named, unknown ones shown raw; the record
	 * verifies (as in the reference verifiers) but never admits */
	p = base(KV);
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].unknown_code, "");
	CHECK_EQ_INT(policy_of(&r, code, sizeof code), DC_POLICY_PASS);
	dc_record_wipe(&r);
	p.mp = "EU/1/99/9999";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].product, "EU/1/99/9999");
	CHECK_STR(r.events[0].unknown_code, "mp");
	CHECK_EQ_INT(policy_of(&r, code, sizeof code), DC_POLICY_FAIL);
	CHECK_STR(code, "unknown_code");
	dc_record_wipe(&r);
	p = base(KT);
	p.tt = "LP0000-0";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].test_type, "LP0000-0");
	CHECK_STR(r.events[0].unknown_code, "tt");
	CHECK_EQ_INT(policy_of(&r, code, sizeof code), DC_POLICY_FAIL);
	dc_record_wipe(&r);
	/* the built-in device table is an excerpt: a device missing from it
	 * is not "unknown" until a complete set is loaded */
	p = base(KT);
	p.ma_dev = "9999";
	CHECK_EQ_INT(verify_with(trust, &p, &r), DC_OK);
	CHECK_STR(r.events[0].unknown_code, "");
	dc_record_wipe(&r);

	/* value sets as trust data: the loaded set replaces the built-in one */
	static const char vs_json[] =
		"{\"valueSets\":[{\"valueSetId\":\"vaccines-covid-19-names\",\"valueSetDate\":\"2027-01-01\","
		"\"valueSetValues\":{\"EU/1/20/1528\":{\"display\":\"Comirnaty\",\"active\":true},"
		"\"EU/1/99/9999\":{\"display\":\"Demo vaccine 2027\",\"active\":true}}},"
		"{\"valueSetId\":\"covid-19-lab-test-manufacturer-and-name\",\"valueSetValues\":"
		"{\"1232\":{\"display\":\"Abbott Panbio\"}}},"
		"{\"valueSetId\":\"some-future-set\",\"valueSetValues\":{}}]}";
	dc_trust *t2 = dc_trust_new();
	CHECK_EQ_INT(dc_trust_add_dsc(t2, es.cert, es.cert_len), DC_OK);
	CHECK(dc_trust_dcc_valuesets(t2) == NULL);
	CHECK_EQ_INT(dc_trust_add_dcc_valuesets(t2, (const uint8_t *)vs_json, sizeof vs_json - 1),
		     DC_OK);
	CHECK_EQ_INT(dc_valuesets_loaded(dc_trust_dcc_valuesets(t2)), 2);
	p = base(KV);
	p.mp = "EU/1/99/9999";
	CHECK_EQ_INT(verify_with(t2, &p, &r), DC_OK);
	CHECK_STR(r.events[0].product, "Demo vaccine 2027");
	CHECK_STR(r.events[0].unknown_code, "");
	CHECK_STR(r.events[0].manufacturer, "BioNTech Manufacturing GmbH"); /* built-in */
	CHECK_EQ_INT(policy_of(&r, code, sizeof code), DC_POLICY_PASS);
	dc_record_wipe(&r);
	p = base(KT);
	p.ma_dev = "9999";
	CHECK_EQ_INT(verify_with(t2, &p, &r), DC_OK);
	CHECK_STR(r.events[0].unknown_code, "ma");
	dc_record_wipe(&r);
	p.ma_dev = "1232";
	CHECK_EQ_INT(verify_with(t2, &p, &r), DC_OK);
	CHECK_STR(r.events[0].product, "DEMO PCR"); /* nm wins over the device name */
	CHECK_STR(r.events[0].manufacturer, "Abbott Panbio");
	dc_record_wipe(&r);
	/* refused files keep what was loaded */
	const char *bad[] = {
		"", "[", "{}", "{\"valueSets\":{}}", "{\"valueSets\":[1]}",
		"{\"valueSets\":[{\"valueSetId\":\"covid-19-lab-result\"}]}",
		"{\"valueSets\":[{\"valueSetId\":\"covid-19-lab-result\",\"valueSetValues\":{\"x\":1}}]}",
		"{\"valueSets\":[{\"valueSetId\":\"covid-19-lab-result\",\"valueSetValues\":{\"x\":{\"display\":2}}}]}",
		"{\"valueSets\":[{\"valueSetId\":\"covid-19-lab-result\",\"valueSetValues\":{\"x\":{},\"x\":{}}}]}",
		"{\"valueSets\":[{\"valueSetId\":\"covid-19-lab-result\",\"valueSetValues\":{}},"
		"{\"valueSetId\":\"covid-19-lab-result\",\"valueSetValues\":{}}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_MSG(dc_trust_add_dcc_valuesets(t2, (const uint8_t *)bad[i], strlen(bad[i])) ==
				  DC_E_VALUESET_FORMAT, "bad value sets %zu", i);
	CHECK_EQ_INT(dc_valuesets_loaded(dc_trust_dcc_valuesets(t2)), 2);
	p = base(KV);
	p.mp = "EU/1/99/9999";
	CHECK_EQ_INT(verify_with(t2, &p, &r), DC_OK);
	CHECK_STR(r.events[0].product, "Demo vaccine 2027");
	dc_record_wipe(&r);
	dc_trust_free(t2);
}

static void revocation_json(const char *type, const uint8_t h[16], char *out, size_t cap)
{
	char b64[64];
	size_t n;
	mbedtls_base64_encode((unsigned char *)b64, sizeof b64, &n, h, 16);
	snprintf(out, cap, "{\"entries\":[{\"type\":\"%s\",\"hash\":\"%s\"}]}", type, b64);
}

static void sha16(const void *a, size_t al, const void *b, size_t bl, uint8_t out[16])
{
	uint8_t h[32];
	dc_sha256_2(a, al, b, bl, h);
	memcpy(out, h, 16);
}

static void test_revocation(signer *s)
{
	pl p = base(KV);
	static cw w;
	cw cose;
	build_opts o = {0};
	payload(&w, &p);
	char *t = build_hc1(s, &w, &o, &cose);
	dc_cose_sign1 c;
	CHECK_EQ_INT(dc_cose_parse(cose.b, cose.n, &c), DC_OK);
	uint8_t h[3][16];
	sha16(p.ci, strlen(p.ci), NULL, 0, h[0]);
	sha16("XX", 2, p.ci, strlen(p.ci), h[1]);
	sha16(c.signature, s->alg == -7 ? 32 : c.signature_len, NULL, 0, h[2]);
	dc_cose_free(&c);
	const char *types[] = {"UCI", "COUNTRYCODEUCI", "SIGNATURE"};
	for (int i = 0; i < 3; i++) {
		char json[256];
		dc_record r;
		dc_trust *rt = dc_trust_new();
		CHECK_EQ_INT(dc_trust_add_dsc(rt, s->cert, s->cert_len), DC_OK);
		CHECK_EQ_INT(verify_at(rt, t, T, &r), DC_OK);
		dc_record_wipe(&r);
		/* an entry of another type with the same hash does not match */
		revocation_json(types[(i + 1) % 3], h[i], json, sizeof json);
		CHECK_EQ_INT(dc_trust_add_dcc_revocations(rt, (const uint8_t *)json, strlen(json)), DC_OK);
		CHECK_EQ_INT(verify_at(rt, t, T, &r), DC_OK);
		dc_record_wipe(&r);
		revocation_json(types[i], h[i], json, sizeof json);
		CHECK_EQ_INT(dc_trust_add_dcc_revocations(rt, (const uint8_t *)json, strlen(json)), DC_OK);
		CHECK_MSG(verify_at(rt, t, T, &r) == DC_E_DCC_REVOKED, "revoked by %s", types[i]);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_REVOKED);
		CHECK(r.name[0] == 0);
		dc_record_wipe(&r);
		dc_trust_free(rt);
	}
	free(t);

	/* malformed lists are refused whole */
	dc_trust *rt = dc_trust_new();
	const char *bad[] = {"", "[]", "{\"entries\":{}}", "{\"entries\":[{\"type\":\"UCI\"}]}",
			     "{\"entries\":[{\"type\":\"FOO\",\"hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}]}",
			     "{\"entries\":[{\"type\":\"UCI\",\"hash\":\"AAAA\"}]}",
			     "{\"entries\":[{\"type\":\"UCI\",\"hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"},1]}"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_EQ_INT(dc_trust_add_dcc_revocations(rt, (const uint8_t *)bad[i], strlen(bad[i])),
			     DC_E_DCC_REVOCATION_FORMAT);
	uint8_t zero[16] = {0};
	CHECK(!dc_trust_dcc_revoked(rt, DC_DCC_HASH_UCI, zero));
	const char *ok = "{\"entries\":[]}";
	CHECK_EQ_INT(dc_trust_add_dcc_revocations(rt, (const uint8_t *)ok, strlen(ok)), DC_OK);
	dc_trust_free(rt);
}

static void test_encoding_layers(void)
{
	dc_record r;
	pl p = base(KV);
	char *good = make(&es, &p, NULL);
	size_t gl = strlen(good);
	char buf[8192];

	/* prefixes */
	const char *pfx[] = {"HC2:", "hc1:", "HL0:", "", "HC1"};
	for (int i = 0; i < 5; i++) {
		snprintf(buf, sizeof buf, "%s%s", pfx[i], good + 4);
		CHECK_EQ_INT(dc_dcc_verify(trust, T, buf, strlen(buf), &r), DC_E_DCC_PREFIX);
	}
	CHECK_EQ_INT(dc_dcc_verify(trust, T, "HC1:", 4, &r), DC_E_BASE45);
	CHECK_EQ_INT(dc_dcc_verify(trust, T, good, DC_MAX_QR_TEXT + 1, &r), DC_E_TOO_LONG);

	/* Base45 */
	snprintf(buf, sizeof buf, "%s", good);
	buf[10] = 'a';
	CHECK_EQ_INT(dc_dcc_verify(trust, T, buf, gl, &r), DC_E_BASE45);
	CHECK_EQ_INT(dc_dcc_verify(trust, T, "HC1:GGW", 7, &r), DC_E_BASE45); /* 65536 */
	CHECK_EQ_INT(dc_dcc_verify(trust, T, "HC1:GG", 6, &r), DC_E_BASE45);  /* 736 > 255 */
	CHECK_EQ_INT(dc_dcc_verify(trust, T, "HC1:0", 5, &r), DC_E_BASE45);   /* 1 mod 3 */
	uint8_t out[8];
	size_t ol;
	CHECK(dc_base45_decode("FGW", 3, out, sizeof out, &ol) && ol == 2 && out[0] == 0xff &&
	      out[1] == 0xff);
	CHECK(dc_base45_decode("U5", 2, out, sizeof out, &ol) && ol == 1 && out[0] == 0xff);
	CHECK(!dc_base45_decode("V5", 2, out, sizeof out, &ol));
	CHECK(dc_base45_decode("BB8", 3, out, sizeof out, &ol) && ol == 2 && !memcmp(out, "AB", 2));
	CHECK(!dc_base45_decode("BB8", 3, out, 1, &ol)); /* cap */
	char enc[16];
	CHECK_EQ_INT(dc_base45_encode((const uint8_t *)"ietf!", 5, enc, sizeof enc), 8);
	CHECK_STR(enc, "QED8WEX0");

	/* compression */
	uint8_t junk[] = {0x01, 0x02, 0x03, 0x04};
	char *t = hc1_of_bytes(junk, sizeof junk, false);
	EXPECT(t, DC_E_INFLATE); /* neither zlib nor COSE */
	uint8_t broken[] = {0x78, 0xda, 0x01, 0x02, 0x03, 0x04, 0x05};
	t = hc1_of_bytes(broken, sizeof broken, false);
	EXPECT(t, DC_E_INFLATE);
	uint8_t *zeros = calloc(1, DC_MAX_INFLATED + 1024);
	t = hc1_of_bytes(zeros, DC_MAX_INFLATED + 1024, true);
	EXPECT(t, DC_E_INFLATE_LIMIT);
	free(zeros);

	/* CBOR / COSE structure */
	uint8_t notcbor[] = {0xff, 0xff};
	EXPECT(hc1_of_bytes(notcbor, 2, true), DC_E_CBOR);
	uint8_t lies[] = {0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
	EXPECT(hc1_of_bytes(lies, sizeof lies, true), DC_E_CBOR); /* 2^64-1 items in 1 byte */
	uint8_t three[] = {0xd2, 0x83, 0x40, 0xa0, 0x40};
	EXPECT(hc1_of_bytes(three, sizeof three, true), DC_E_COSE);
	uint8_t wrongtag[] = {0xd8, 0x62, 0x84, 0x40, 0xa0, 0x40, 0x40};
	EXPECT(hc1_of_bytes(wrongtag, sizeof wrongtag, true), DC_E_COSE);
	uint8_t noalg[] = {0x84, 0x40, 0xa1, 0x04, 0x41, 0x00, 0x40, 0x40};
	EXPECT(hc1_of_bytes(noalg, sizeof noalg, true), DC_E_COSE_ALG);
	uint8_t trailing[] = {0x84, 0x43, 0xa1, 0x01, 0x26, 0xa0, 0x40, 0x40, 0x00};
	EXPECT(hc1_of_bytes(trailing, sizeof trailing, true), DC_E_CBOR);
	uint8_t deep[40];
	memset(deep, 0x81, sizeof deep);
	deep[39] = 0x00;
	EXPECT(hc1_of_bytes(deep, sizeof deep, true), DC_E_CBOR);
	uint8_t kidtype[] = {0x84, 0x45, 0xa2, 0x01, 0x26, 0x04, 0x01, 0xa0, 0x40, 0x40};
	EXPECT(hc1_of_bytes(kidtype, sizeof kidtype, true), DC_E_COSE);

	/* The report separates zlib from bare COSE */
	dc_dcc_report rep = {0};
	CHECK_EQ_INT(dc_dcc_verify_report(trust, T, good, gl, &r, &rep), DC_OK);
	CHECK(rep.compressed == 1);
	for (int s = 0; s < DC_DCC_STAGES; s++)
		CHECK(rep.reached[s] && rep.result[s] == DC_OK);
	dc_record_wipe(&r);
	build_opts o = {.no_compress = true};
	t = make(&es, &p, &o);
	CHECK_EQ_INT(dc_dcc_verify_report(trust, T, t, strlen(t), &r, &rep), DC_OK);
	CHECK(rep.compressed == 0);
	dc_record_wipe(&r);
	free(t);
	free(good);
}

static const char b45chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static void test_integrity(signer *s, bool compressed, int alternatives)
{
	pl p = base(KT);
	build_opts o = {.no_compress = !compressed};
	char *t = make(s, &p, &o);
	size_t len = strlen(t);
	char *m = malloc(len + 1);
	dc_record r;
	long verified = 0, tried = 0;

	CHECK_EQ_INT(dc_dcc_verify(trust, T, t, len, &r), DC_OK);
	dc_record_wipe(&r);
	for (size_t i = 0; i < len; i++) {
		const char *pos = strchr(b45chars, t[i]);
		int base_idx = pos ? (int)(pos - b45chars) : 0;
		for (int a = 1; a <= alternatives; a++) {
			memcpy(m, t, len + 1);
			m[i] = b45chars[(base_idx + a * (44 / alternatives)) % 45];
			if (m[i] == t[i])
				continue;
			tried++;
			if (dc_dcc_verify(trust, T, m, len, &r) == DC_OK)
				verified++;
			dc_record_wipe(&r);
		}
	}
	CHECK_MSG(verified == 0, "%ld of %ld single-character changes verified", verified, tried);
	CHECK(tried >= (long)(len * (size_t)alternatives) - (long)len);
	for (size_t l = 0; l < len; l++) {
		if (dc_dcc_verify(trust, T, t, l, &r) == DC_OK)
			verified++;
		dc_record_wipe(&r);
	}
	CHECK_MSG(verified == 0, "a truncated text verified");
	printf("integrity (%s, %s): %ld changes and %zu truncations rejected\n",
	       s->alg == -7 ? "ES256" : "PS256", compressed ? "zlib" : "bare COSE", tried, len);
	free(m);
	free(t);
}

static void test_dispatcher(void)
{
	/* The lead's dc_verify_text hands HC1: texts to this verifier. */
	pl p = base(KR);
	char *t = make(&ps, &p, NULL);
	dc_verify_opts vo = {.trust = trust, .now = T};
	dc_record r;
	CHECK_EQ_INT(dc_classify(t, strlen(t)), DC_FORMAT_DCC);
	CHECK_EQ_INT(dc_verify_text(&vo, t, strlen(t), &r), DC_OK);
	CHECK_EQ_INT(r.format, DC_FORMAT_DCC);
	CHECK_EQ_INT(r.events[0].kind, DC_EVENT_RECOVERY);
	dc_record_wipe(&r);
	t[strlen(t) - 1] = t[strlen(t) - 1] == '0' ? '1' : '0';
	CHECK(dc_verify_text(&vo, t, strlen(t), &r) != DC_OK);
	CHECK_EQ_INT(r.format, DC_FORMAT_DCC);
	dc_record_wipe(&r);
	free(t);
}

static void test_valuesets(void)
{
	CHECK_STR(dc_valueset_name(DC_VS_VACCINE_PRODUCT, "EU/1/21/1529"), "Vaxzevria (AstraZeneca)");
	CHECK_STR(dc_valueset_name(DC_VS_MANUFACTURER, "ORG-100031184"), "Moderna Biotech Spain S.L.");
	CHECK_STR(dc_valueset_name(DC_VS_TEST_TYPE, "LP217198-3"), "Rapid antigen test");
	CHECK_STR(dc_valueset_name(DC_VS_TEST_RESULT, "260373001"), "Detected");
	CHECK_STR(dc_valueset_name(DC_VS_DISEASE, "840539006"), "COVID-19");
	CHECK_STR(dc_valueset_name(DC_VS_VACCINE_PRODUCT, "EU/9/99/9999"), "EU/9/99/9999");
	CHECK(dc_valueset_lookup(DC_VS__COUNT, "x") == NULL);
	CHECK(dc_hcert_datetime_valid("2021-06-04T08:13:51Z"));
	CHECK(dc_hcert_datetime_valid("2021-06-04T08:13:51.123+02:00"));
	CHECK(!dc_hcert_datetime_valid("2021-06-04"));
	CHECK(!dc_hcert_date_valid("2021-6-04"));
}

/* ES256 means ECDSA with SHA-256 on any curve (RFC 9053); ES384/ES512 take
 * any EC key too; the pair of an EC algorithm and an RSA key (or the other
 * way round) is its own reason. */
static void test_curves(void)
{
	pl p = base(KV);
	build_opts o = {0};
	EXPECT(make(&p384, &p, &o), DC_OK);            /* ES256, P-384 */
	EXPECT(make(&p521, &p, &o), DC_OK);            /* ES256, P-521 */
	o = (build_opts){.alg_override = -35};
	EXPECT(make(&p384, &p, &o), DC_OK);
	EXPECT(make(&es, &p, &o), DC_OK);              /* ES384, P-256 */
	o = (build_opts){.alg_override = -36};
	EXPECT(make(&p521, &p, &o), DC_OK);
	EXPECT(make(&p384, &p, &o), DC_OK);
	/* the digest is the one the header names */
	o = (build_opts){.alg_override = -35, .sign_alg = -7};
	EXPECT(make(&p384, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.alg_override = -7, .sign_alg = -36};
	EXPECT(make(&p521, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.corrupt_sig = true};
	EXPECT(make(&p521, &p, &o), DC_E_SIG_MISMATCH);
	o = (build_opts){.short_sig = true};
	EXPECT(make(&p384, &p, &o), DC_E_COSE_SIG_LENGTH);
	o = (build_opts){.alg_override = -37};
	EXPECT(make(&p384, &p, &o), DC_E_DSC_ALG_KEY);
	o = (build_opts){.alg_override = -35};
	EXPECT(make(&ps, &p, &o), DC_E_DSC_ALG_KEY);
	/* every content type with the larger curves */
	for (int k = KV; k <= KR; k++) {
		pl q = base((enum kind)k);
		o = (build_opts){.alg_override = -36};
		EXPECT(make(&p521, &q, &o), DC_OK);
		o = (build_opts){.alg_override = -35, .kid = KID_UNPROTECTED};
		EXPECT(make(&p384, &q, &o), DC_OK);
	}
}

static char *cat3(const signer *a, const char *mid, const signer *b)
{
	size_t n = a->cert_len + strlen(mid) + b->cert_len + 1;
	char *o = malloc(n);
	snprintf(o, n, "%.*s%s%.*s", (int)a->cert_len, (const char *)a->cert, mid,
		 (int)b->cert_len, (const char *)b->cert);
	return o;
}

/* One unusable certificate costs only itself: the rest of the file loads,
 * the skip is counted by reason, and a card signed by the skipped one gets
 * "signer certificate unusable". */
static void test_lenient_load(void)
{
	static const char junk[] = "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n";
	dc_trust *t = dc_trust_new();
	dc_dsc_load_stats st = {0};
	char *pem = cat3(&k256, junk, &es);
	char *pem2 = cat3(&emptyeku, "", &p384);
	CHECK_EQ_INT(dc_trust_add_dscs(t, (const uint8_t *)pem, strlen(pem), &st), DC_OK);
	CHECK_EQ_INT(dc_trust_add_dscs(t, (const uint8_t *)pem2, strlen(pem2), &st), DC_OK);
	CHECK_EQ_INT(dc_trust_add_dscs(t, (const uint8_t *)"junk", 4, &st), DC_OK);
	CHECK_EQ_INT(st.added, 3);
	CHECK_EQ_INT(st.skipped[DC_DSC_SKIP_KEY], 1);
	CHECK_EQ_INT(st.skipped[DC_DSC_SKIP_MALFORMED], 2);
	CHECK_EQ_INT(st.empty_eku, 1);
	CHECK_EQ_INT(dc_dsc_load_stats_skipped(&st), 3);
	char why[128];
	dc_dsc_load_stats_format(&st, why, sizeof why);
	CHECK_STR(why, "2 malformed, 1 unsupported key");
	CHECK_EQ_INT(dc_trust_dsc_count(t), 3);
	/* the strict call keeps refusing the whole file */
	dc_trust *strict = dc_trust_new();
	CHECK_EQ_INT(dc_trust_add_dsc(strict, (const uint8_t *)pem, strlen(pem)), DC_E_DSC_INVALID);
	CHECK_EQ_INT(dc_trust_dsc_count(strict), 0);
	dc_trust_free(strict);

	dc_record r;
	pl p = base(KV);
	char *txt = make(&es, &p, NULL);
	CHECK_EQ_INT(verify_at(t, txt, T, &r), DC_OK);
	dc_record_wipe(&r);
	free(txt);
	txt = make(&emptyeku, &p, NULL); /* empty EKU: no restriction */
	CHECK_EQ_INT(verify_at(t, txt, T, &r), DC_OK);
	dc_record_wipe(&r);
	free(txt);
	pl pt = base(KT);
	txt = make(&emptyeku, &pt, NULL);
	CHECK_EQ_INT(verify_at(t, txt, T, &r), DC_OK);
	dc_record_wipe(&r);
	free(txt);
	txt = make(&k256, &p, NULL);
	CHECK_EQ_INT(verify_at(t, txt, T, &r), DC_E_DSC_UNUSABLE);
	CHECK_EQ_INT(r.reason, DC_E_DSC_UNUSABLE);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_NOT_VERIFIED);
	CHECK(r.name[0] == 0);
	CHECK_STR(dc_err_code(DC_E_DSC_UNUSABLE), "dsc_unusable");
	CHECK_STR(dc_strerror(DC_E_DSC_UNUSABLE), "Signer certificate unusable");
	dc_record_wipe(&r);
	/* a store without that skip: the same card is just unknown */
	CHECK_EQ_INT(verify_at(trust, txt, T, &r), DC_E_DSC_UNKNOWN);
	dc_record_wipe(&r);
	free(txt);
	free(pem);
	free(pem2);
	dc_trust_free(t);
}

int main(void)
{
	const char *kd = dc_test_path("DC_SOURCE_ROOT", "keys/demo");
	char k[4096], c[4096];
#define LOAD(s, name) do { \
	snprintf(k, sizeof k, "%s/dcc-dsc-%s.key.pem", kd, name); \
	snprintf(c, sizeof c, "%s/dcc-dsc-%s.crt.pem", kd, name); \
	if (signer_load(&s, k, c) != 0) { fprintf(stderr, "cannot load %s\n", name); return 1; } \
	CHECK_EQ_INT(dc_trust_add_dsc(trust, s.cert, s.cert_len), DC_OK); } while (0)

	CHECK(dc_time_parse("2027-06-01T00:00:00Z", 20, &T));
	trust = dc_trust_new();
	LOAD(es, "es256");
	LOAD(ps, "ps256");
	LOAD(testonly, "testonly");
	LOAD(altoid, "altoid");
	LOAD(shortlived, "shortlived");
	CHECK_EQ_INT(dc_trust_dsc_count(trust), 5);
	CHECK(es.alg == -7 && ps.alg == -37);
	LOAD(p384, "p384");
	LOAD(p521, "p521");
#define LOAD_KEY(s, name) do { \
	snprintf(k, sizeof k, "%s/dcc-dsc-%s.key.pem", kd, name); \
	snprintf(c, sizeof c, "%s/dcc-dsc-%s.crt.pem", kd, name); \
	if (signer_load(&s, k, c) != 0) { fprintf(stderr, "cannot load %s\n", name); return 1; } \
	} while (0)
	LOAD_KEY(k256, "k256");
	LOAD_KEY(emptyeku, "emptyeku");
	CHECK_EQ_INT(dc_trust_add_dsc(trust, k256.cert, k256.cert_len), DC_E_DSC_INVALID);
	CHECK_EQ_INT(dc_trust_dsc_count(trust), 7);

	test_valid(&es, "ES256");
	test_valid(&ps, "PS256");
	test_headers();
	test_curves();
	test_lenient_load();
	test_trust_and_keys();
	test_times();
	test_claims_and_schema();
	test_content_rules();
	test_revocation(&es);
	test_revocation(&ps);
	test_encoding_layers();
	test_valuesets();
	test_dispatcher();
	test_integrity(&es, true, 44);
	test_integrity(&ps, true, 44);
	test_integrity(&es, false, 4);

	signer_free(&es);
	signer_free(&ps);
	signer_free(&testonly);
	signer_free(&altoid);
	signer_free(&shortlived);
	signer_free(&p384);
	signer_free(&p521);
	signer_free(&k256);
	signer_free(&emptyeku);
	dc_trust_free(trust);
	return dc_test_done();
}
