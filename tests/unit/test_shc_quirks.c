/*
 * SMART Health Cards as real issuers wrote them in 2021 (issue 12), minted
 * here with the demo issuer's key: a kid that is not the key's thumbprint,
 * iat without nbf (also with a fraction), FHIR 1.0.2 shapes, shc:/1/1/.
 * Each verifies; each negative twin (another issuer's key behind such a
 * kid, an iat in the future, no date at all) does not. Then the same rules
 * against the signed VCI snapshot: a Quebec-style key pinned for Quebec
 * verifies Quebec's cards and never California's.
 */
#include <stdlib.h>
#include <string.h>

#include "dc_policy.h"
#include "dc_shc.h"
#include "dc_test.h"
#include "dc_verify.h"
#include "forge.h"

#define NOW 1767225600.0 /* 2026-01-01T00:00:00Z */
#define OTHER_ISS "https://other.doorcheck.invalid/issuer"
/* Key ids as a 2021 JWKS named them: not RFC 7638 thumbprints. */
#define DEMO_KID_2021 "demo-2021-original-kid"
#define OTHER_KID_2021 "other-2021-original-kid"
#define QC_ISS "https://covid19.quebec.ca/PreuveVaccinaleApi/issuer"
#define QC_THUMBPRINT "2XlWk1UQMqavMtLt-aX35q_q9snFtGgdjH4-Y1gfH1M"
#define CA_ISS "https://myvaccinerecord.cdph.ca.gov/creds"
#define CA_KID "7JvktUpf1_9NPwdM-70FJT3YdyTiSe2IvmVxxgDSRb0"
#define NY_ISS "https://ekeys.ny.gov/epass/doh/dvc/2021"

static forge_key demo, other, stranger;

/* Replaces the first `from` in s with `to` (malloc'd result). */
static char *repl(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	if (!at) {
		fprintf(stderr, "repl: '%s' not found\n", from);
		exit(99);
	}
	size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *o = malloc(n);
	snprintf(o, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return o;
}

static char *header(const char *kid)
{
	static char h[256];
	snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	return h;
}

/* shc:/1/1/ form of a JWS (malloc'd). */
static char *one_of_one(const char *jws)
{
	char *num = forge_numeric(jws);
	size_t n = strlen(num);
	char *o = malloc(n + 5);
	snprintf(o, n + 5, "shc:/1/1/%s", num + 5);
	free(num);
	return o;
}

/* Verifies jws both as numeric text and as JWS; the two must agree, and a
 * card that does not verify shows nothing of its holder. */
static dc_err run_text(dc_trust *t, const char *jws, const char *text, dc_record *r)
{
	dc_verify_opts o = {.trust = t, .now = NOW};
	dc_err e = dc_verify_text(&o, text, strlen(text), r);
	dc_record r2;
	dc_err e2 = dc_shc_verify_jws(t, NOW, jws, strlen(jws), &r2);
	CHECK_MSG(e == e2, "numeric %s vs jws %s", dc_err_code(e), dc_err_code(e2));
	dc_record_wipe(&r2);
	if (e != DC_OK) {
		CHECK(r->verdict != DC_VERDICT_VERIFIED);
		CHECK_STR(r->name, "");
		CHECK_STR(r->birth_date, "");
		CHECK_EQ_INT(r->n_events, 0);
	}
	return e;
}

static dc_err run(dc_trust *t, const char *jws, dc_record *r)
{
	char *num = forge_numeric(jws);
	dc_err e = run_text(t, jws, num, r);
	free(num);
	return e;
}

#define EXPECT(t, jws_expr, want) do { \
	char *j_ = (jws_expr); dc_record r_; dc_err e_ = run((t), j_, &r_); \
	CHECK_MSG(e_ == (want), "%s: got %s, want %s", #jws_expr, dc_err_code(e_), dc_err_code(want)); \
	dc_record_wipe(&r_); free(j_); } while (0)

static dc_err add_issuer(dc_trust *t, const char *iss, const char *name, const char *keys,
			 const char *crls)
{
	char buf[8192];
	snprintf(buf, sizeof buf, "{\"issuer\":{\"iss\":\"%s\",\"name\":\"%s\"},\"keys\":[%s]%s%s%s}",
		 iss, name, keys, crls ? ",\"crls\":[" : "", crls ? crls : "", crls ? "]" : "");
	return dc_trust_add_issuer_json(t, (uint8_t *)buf, strlen(buf));
}

/* Demo issuer with its key listed under DEMO_KID_2021, another issuer with
 * its key listed under OTHER_KID_2021. */
static dc_trust *quirk_trust(void)
{
	dc_trust *t = dc_trust_new();
	char *dj = forge_jwk_with_kid(&demo, DEMO_KID_2021);
	char *oj = forge_jwk_with_kid(&other, OTHER_KID_2021);
	char crl[256];
	/* a CRL filed under the listed kid applies to the key */
	snprintf(crl, sizeof crl, "{\"kid\":\"%s\",\"method\":\"rid\",\"ctr\":1,\"rids\":"
		 "[\"QcRevoked01.1624473500\"]}", DEMO_KID_2021);
	CHECK_EQ_INT(add_issuer(t, DEMO_ISS, "Demo", dj, crl), DC_OK);
	CHECK_EQ_INT(add_issuer(t, OTHER_ISS, "Other", oj, NULL), DC_OK);
	CHECK_EQ_INT(dc_trust_kid_alias_count(t), 2);
	free(dj);
	free(oj);
	return t;
}

static void test_each_quirk(void)
{
	dc_trust *t = quirk_trust();
	char *std = forge_payload(DEMO_ISS, 1700000000, 0, NULL);
	dc_record r;

	/* 1. kid as the 2021 JWKS listed it: found under its listed id */
	{
		char *j = forge_jws(&demo, header(DEMO_KID_2021), std, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.kid, demo.kid); /* reported by thumbprint */
		CHECK_STR(r.name, "Test Q. Forge");
		free(j);
	}
	/* ... and against a store that knows the key only by thumbprint (as
	 * the VCI snapshot does): each of the issuer's keys is tried */
	{
		dc_trust *plain = dc_trust_new();
		CHECK_EQ_INT(add_issuer(plain, DEMO_ISS, "Demo", demo.jwk, NULL), DC_OK);
		CHECK_EQ_INT(dc_trust_kid_alias_count(plain), 0);
		char *j = forge_jws(&demo, header(DEMO_KID_2021), std, 0);
		CHECK_EQ_INT(run(plain, j, &r), DC_OK);
		CHECK_STR(r.kid, demo.kid);
		free(j);
		dc_trust_free(plain);
	}
	/* ... also when the kid is longer than any pinned id can be */
	{
		char longkid[201], h[300];
		memset(longkid, 'k', 200);
		longkid[200] = 0;
		snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", longkid);
		char *j = forge_jws(&demo, h, std, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.kid, demo.kid);
		free(j);
		j = forge_jws(&stranger, h, std, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_E_KID_UNKNOWN);
		free(j);
	}
	/* 2. iat without nbf: iat is the issuance time */
	{
		char *p = repl(std, "\"nbf\":1700000000.000", "\"iat\":1700000000");
		char *j = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_EQ_INT(r.issued_at, 1700000000);
		free(j);
		free(p);
	}
	/* 3. a fractional iat, as Quebec's cards carry */
	{
		char *p = repl(std, "\"nbf\":1700000000.000", "\"iat\":1624473431.7183");
		char *j = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_EQ_INT(r.issued_at, 1624473431);
		free(j);
		free(p);
	}
	/* 4. FHIR 1.0.2 (with nbf, standard kid): read the same way */
	{
		char *p = forge_payload_2021(DEMO_ISS, "\"nbf\":1624473431");
		char *j = forge_jws(&demo, NULL, p, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.family_name, "FORGE TREMBLAY"); /* DSTU2: family is an array */
		CHECK_STR(r.given_name, "MARIE \xC3\x89LODIE");
		CHECK_STR(r.name, "MARIE \xC3\x89LODIE FORGE TREMBLAY");
		CHECK_STR(r.birth_date, "1971-05-06");
		CHECK_EQ_INT(r.n_events, 2);
		CHECK_STR(r.events[0].code, "208");
		CHECK_STR(r.events[0].product, "Pfizer-BioNTech COVID-19");
		CHECK_STR(r.events[0].date, "2021-04-02T04:00:00+00:00"); /* DSTU2 "date" */
		CHECK_STR(r.events[0].status, "Completed");               /* shown raw */
		CHECK_STR(r.events[0].performer, "CIUSSS Forge-Centre"); /* location */
		CHECK_STR(r.events[0].lot, "FA0001");
		CHECK_STR(r.events[1].performer, "Forge Pharmacie");     /* one Reference */
		CHECK_EQ_INT(r.events[0].dose_number, 1);
		CHECK_EQ_INT(r.events[1].dose_number, 2);
		CHECK_EQ_INT(r.events[1].series_doses, 2);
		free(j);
		/* wasNotGiven true: not a dose (R4 status not-done), whatever
		 * its status says */
		char *p2 = repl(p, "\"wasNotGiven\":false", "\"wasNotGiven\":true");
		j = forge_jws(&demo, NULL, p2, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.events[0].status, "not-done");
		CHECK_EQ_INT(r.events[0].dose_number, 0);
		CHECK_EQ_INT(r.events[1].dose_number, 1);
		free(j);
		free(p2);
		/* an unknown vaccine code stays raw, never guessed */
		p2 = repl(p, "\"code\":\"208\"", "\"code\":\"999\"");
		j = forge_jws(&demo, NULL, p2, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.events[0].code, "999");
		CHECK_STR(r.events[0].system, "http://hl7.org/fhir/sid/cvx");
		CHECK_STR(r.events[0].product, "Unknown vaccine");
		CHECK_STR(r.events[0].disease, "");
		CHECK_EQ_INT(r.events[0].dose_number, 0);
		free(j);
		free(p2);
		free(p);
	}
	/* 5. shc:/1/1/: the single card it is */
	{
		char *j = forge_jws(&demo, NULL, std, 0);
		char *txt = one_of_one(j);
		CHECK_EQ_INT(run_text(t, j, txt, &r), DC_OK);
		CHECK_STR(r.name, "Test Q. Forge");
		/* ... but not mixed with anything else, nor as part 2 of 1 */
		dc_verify_opts o = {.trust = t, .now = NOW};
		const char *two[] = {txt, txt};
		size_t lens[] = {strlen(txt), strlen(txt)};
		CHECK(dc_verify_texts(&o, two, lens, 2, &r) != DC_OK);
		txt[5] = '2';
		CHECK_EQ_INT(dc_verify_text(&o, txt, strlen(txt), &r), DC_E_SHC_CHUNK_RANGE);
		free(txt);
		free(j);
	}
	dc_record_wipe(&r);
	free(std);
	dc_trust_free(t);
}

/* All quirks at once, as on a Quebec card of 2021. */
static char *quebec_style(const forge_key *k, const char *iss, const char *kid, const char *dates)
{
	char *p = forge_payload_2021(iss, dates);
	char *j = forge_jws(k, header(kid), p, 0);
	free(p);
	return j;
}

static void test_all_quirks_and_twins(void)
{
	dc_trust *t = quirk_trust();
	dc_record r;

	{
		char *j = quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"iat\":1624473431.7183");
		char *txt = one_of_one(j);
		CHECK_EQ_INT(run_text(t, j, txt, &r), DC_OK);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_VERIFIED);
		CHECK_STR(r.issuer, DEMO_ISS);
		CHECK_STR(r.kid, demo.kid);
		CHECK_EQ_INT(r.issued_at, 1624473431);
		CHECK_STR(r.family_name, "FORGE TREMBLAY");
		/* the venue policy reads "Completed" as completed */
		dc_policy *pol = dc_policy_new_default();
		dc_policy_result pr;
		dc_policy_evaluate(pol, &r, NOW, &pr);
		CHECK_MSG(pr.outcome == DC_POLICY_PASS, "policy: %s", pr.reason);
		dc_policy_free(pol);
		free(txt);
		free(j);
	}

	/* Negative twins: a non-thumbprint kid signed by another issuer's key.
	 * The kid names the demo key: only that key is tried. */
	EXPECT(t, quebec_style(&other, DEMO_ISS, DEMO_KID_2021, "\"iat\":1624473431.7183"),
	       DC_E_SIG_MISMATCH);
	/* The kid names the other issuer's key: none of the demo issuer's keys
	 * made the signature, and no other issuer's key is ever tried. */
	EXPECT(t, quebec_style(&other, DEMO_ISS, OTHER_KID_2021, "\"iat\":1624473431.7183"),
	       DC_E_KID_UNKNOWN);
	EXPECT(t, quebec_style(&stranger, DEMO_ISS, "never-listed-2021-kid", "\"iat\":1624473431.7183"),
	       DC_E_KID_UNKNOWN);
	/* A card naming the other issuer, signed by the demo key, under either
	 * of the demo key's ids or none. */
	EXPECT(t, quebec_style(&demo, OTHER_ISS, DEMO_KID_2021, "\"iat\":1624473431.7183"),
	       DC_E_KID_UNKNOWN);
	EXPECT(t, quebec_style(&demo, OTHER_ISS, demo.kid, "\"iat\":1624473431.7183"),
	       DC_E_KID_UNKNOWN);
	EXPECT(t, quebec_style(&demo, OTHER_ISS, "never-listed-2021-kid", "\"iat\":1624473431.7183"),
	       DC_E_KID_UNKNOWN);
	/* ... while the other issuer's own card verifies under its listed kid */
	EXPECT(t, quebec_style(&other, OTHER_ISS, OTHER_KID_2021, "\"iat\":1624473431.7183"), DC_OK);

	/* Negative twins: issuance time. */
	char future[96], near[96];
	snprintf(future, sizeof future, "\"iat\":%.4f", NOW + 3600.25);
	snprintf(near, sizeof near, "\"iat\":%.4f", NOW + 200.5); /* within clock skew */
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, future), DC_E_NOT_YET_VALID);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, near), DC_OK);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, NULL), DC_E_NBF_MISSING);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"iat\":\"1624473431\""), DC_E_IAT_INVALID);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"iat\":1624473431718"), DC_E_IAT_INVALID);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"iat\":-1"), DC_E_IAT_INVALID);
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"iat\":null"), DC_E_IAT_INVALID);
	/* nbf, when present, is the issuance time: a bad nbf is not excused
	 * by a good iat, and a future nbf is not hidden by a past iat */
	EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, "\"nbf\":\"x\",\"iat\":1624473431"),
	       DC_E_NBF_INVALID);
	{
		char d[128];
		snprintf(d, sizeof d, "\"iat\":1624473431,\"nbf\":%.1f", NOW + 3600);
		EXPECT(t, quebec_style(&demo, DEMO_ISS, DEMO_KID_2021, d), DC_E_NOT_YET_VALID);
	}
	/* Revocation uses the issuance time from iat, and the CRL filed under
	 * the listed kid applies: revoked before 1624473500, not after. */
	{
		char *p = forge_payload_2021(DEMO_ISS, "\"iat\":1624473431.7183");
		char *p2 = repl(p, "\"vc\":{", "\"vc\":{\"rid\":\"QcRevoked01\",");
		char *j = forge_jws(&demo, header(DEMO_KID_2021), p2, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_E_REVOKED);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_REVOKED);
		free(j);
		j = forge_jws(&demo, header(demo.kid), p2, 0); /* thumbprint kid: same key */
		CHECK_EQ_INT(run(t, j, &r), DC_E_REVOKED);
		free(j);
		free(p2);
		p2 = repl(p, "\"vc\":{", "\"vc\":{\"rid\":\"QcRevoked01\",");
		char *p3 = repl(p2, "1624473431.7183", "1624473600.5");
		j = forge_jws(&demo, header(DEMO_KID_2021), p3, 0);
		CHECK_EQ_INT(run(t, j, &r), DC_OK); /* re-issued after the cut-off */
		free(j);
		free(p3);
		free(p2);
		free(p);
	}
	dc_record_wipe(&r);
	dc_trust_free(t);
}

static char *shared(const char *rel, size_t *len)
{
	char *p = dc_test_read(dc_test_path("DC_SHARED", rel), len);
	if (!p) {
		fprintf(stderr, "missing shared data %s\n", rel);
		exit(77);
	}
	return p;
}

/* The shipped VCI snapshot: California, New York and Quebec as listed,
 * plus a Quebec-style key (listed under a non-thumbprint kid, as Quebec's
 * 2021 JWKS did) pinned by the operator for Quebec only. */
static void test_vci_snapshot(void)
{
	size_t jl, sl, cl;
	char *json = shared("trust/vci/vci_snapshot.json", &jl);
	char *sig = shared("trust/vci/vci_snapshot.sig", &sl);
	char *crt = shared("trust/vci/vci_snapshot.crt", &cl);
	dc_trust *t = dc_trust_new();
	size_t skipped = 0;
	CHECK_EQ_INT(dc_trust_add_vci_snapshot(t, (uint8_t *)json, jl, (uint8_t *)sig, sl,
					       (uint8_t *)crt, cl, DC_VCI_PINNED_CERT_SHA256, &skipped),
		     DC_OK);
	CHECK_EQ_INT(skipped, 0);
	CHECK_EQ_INT(dc_trust_kid_alias_count(t), 0); /* the snapshot lists thumbprints */
	/* Two Epic sites list an x of 31 bytes (a leading zero dropped): their
	 * keys load, so their genuine cards can verify. */
	CHECK(dc_issuer_find_key(dc_trust_find_issuer(t,
		"https://soap.bassett.org/FHIR/api/epic/2021/Security/Open/EcKeys/32001/SHC"),
		"-IgAJf77qAqSQGRHMXqAik9MDgFc2jk3JiLZQpuSQ2A") != NULL);
	CHECK(dc_issuer_find_key(dc_trust_find_issuer(t,
		"https://fhir.dchstx.org/FHIR-External/api/epic/2021/Security/Open/EcKeys/32001/SHC"),
		"nCwM-Wnp2Om2Whzqfbenxp67FnraMzPLqmTAzGfYpJM") != NULL);
	const dc_issuer *qc = dc_trust_find_issuer(t, QC_ISS);
	CHECK(qc != NULL);
	CHECK(dc_issuer_find_key(qc, QC_THUMBPRINT) != NULL);
	CHECK_EQ_INT(dc_issuer_key_count(qc), 4);

	/* Quebec's 2021 JWKS named the key QC_THUMBPRINT names by another id;
	 * pinning that JWKS merges into the same key, indexed under both. */
	{
		const char *qc2021 = "{\"keys\":[{\"kid\":\"qFdl0tDZK9JAWP6g9_cAv57c3KWxMKwvxCrRVSzcxvM\","
			"\"alg\":\"ES256\",\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\","
			"\"x\":\"XSxuwW_VI_s6lAw6LAlL8N7REGzQd_zXeIVDHP_j_Do\","
			"\"y\":\"88-aI4WAEl4YmUpew40a9vq_w5OcFvsuaKMxJRLRLL0\"}]}";
		CHECK_EQ_INT(dc_trust_add_jwks(t, QC_ISS, NULL, (const uint8_t *)qc2021, strlen(qc2021)),
			     DC_OK);
		CHECK_EQ_INT(dc_issuer_key_count(qc), 4);
		const dc_key *k = dc_issuer_find_key(qc, "qFdl0tDZK9JAWP6g9_cAv57c3KWxMKwvxCrRVSzcxvM");
		CHECK(k != NULL && k == dc_issuer_find_key(qc, QC_THUMBPRINT));
		CHECK_STR(dc_key_thumbprint(k), QC_THUMBPRINT);
		CHECK_EQ_INT(dc_trust_kid_alias_count(t), 1);
	}
	/* Our own Quebec-style key, for cards we can sign. */
	{
		char *oj = forge_jwk_with_kid(&other, "qc-style-2021-kid");
		char jwks[1024];
		snprintf(jwks, sizeof jwks, "{\"keys\":[%s]}", oj);
		CHECK_EQ_INT(dc_trust_add_jwks(t, QC_ISS, NULL, (uint8_t *)jwks, strlen(jwks)), DC_OK);
		CHECK_EQ_INT(dc_trust_kid_alias_count(t), 2);
		free(oj);
	}
	dc_record r;
	/* Quebec's card verifies, under its listed kid or with none known */
	EXPECT(t, quebec_style(&other, QC_ISS, "qc-style-2021-kid", "\"iat\":1624473431.7183"), DC_OK);
	{
		char *j = quebec_style(&other, QC_ISS, "an-id-quebec-never-listed", "\"iat\":1624473431.7183");
		CHECK_EQ_INT(run(t, j, &r), DC_OK);
		CHECK_STR(r.kid, other.kid);
		CHECK_STR(r.issuer_name, "Gouvernement du Qu\xC3\xA9" "bec - Government of Quebec");
		free(j);
	}
	/* A card naming California (or New York) signed with the Quebec-style
	 * key is rejected, whatever kid it names. */
	const char *isses[] = {CA_ISS, NY_ISS};
	for (int i = 0; i < 2; i++) {
		EXPECT(t, quebec_style(&other, isses[i], "qc-style-2021-kid", "\"iat\":1624473431.7183"),
		       DC_E_KID_UNKNOWN);
		EXPECT(t, quebec_style(&other, isses[i], "qFdl0tDZK9JAWP6g9_cAv57c3KWxMKwvxCrRVSzcxvM",
				       "\"iat\":1624473431.7183"), DC_E_KID_UNKNOWN);
		EXPECT(t, quebec_style(&other, isses[i], QC_THUMBPRINT, "\"iat\":1624473431.7183"),
		       DC_E_KID_UNKNOWN);
		EXPECT(t, quebec_style(&other, isses[i], other.kid, "\"iat\":1624473431.7183"),
		       DC_E_KID_UNKNOWN);
		char *p = forge_payload(isses[i], 1700000000, 0, NULL);
		EXPECT(t, forge_jws(&other, header("qc-style-2021-kid"), p, 0), DC_E_KID_UNKNOWN);
		free(p);
	}
	EXPECT(t, quebec_style(&other, CA_ISS, CA_KID, "\"iat\":1624473431.7183"), DC_E_SIG_MISMATCH);
	dc_record_wipe(&r);
	dc_trust_free(t);
	free(json);
	free(sig);
	free(crt);
}

int main(void)
{
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0) {
		fprintf(stderr, "demo key missing\n");
		return 1;
	}
	CHECK_EQ_INT(forge_key_generate(&other, MBEDTLS_ECP_DP_SECP256R1), 0);
	CHECK_EQ_INT(forge_key_generate(&stranger, MBEDTLS_ECP_DP_SECP256R1), 0);
	test_each_quirk();
	test_all_quirks_and_twins();
	test_vci_snapshot();
	forge_key_free(&demo);
	forge_key_free(&other);
	forge_key_free(&stranger);
	return dc_test_done();
}
