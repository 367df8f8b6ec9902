/*
 * Every kind of bad SMART Health Card, minted here with the demo issuer's
 * key: each gets its own specific reason and none verifies.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "dc_b64.h"
#include "dc_shc.h"
#include "dc_test.h"
#include "dc_verify.h"
#include "forge.h"

#define NOW 1767225600.0 /* 2026-01-01T00:00:00Z */
#define SPEC_KID "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"

static forge_key demo, other, p384;
static dc_trust *trust;

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

static dc_err run(const char *jws, dc_record *r)
{
	dc_verify_opts o = {.trust = trust, .now = NOW};
	char *num = forge_numeric(jws);
	dc_err e = dc_verify_text(&o, num, strlen(num), r);
	/* the JWS entry point agrees with the numeric one */
	dc_record r2;
	dc_err e2 = dc_shc_verify_jws(trust, NOW, jws, strlen(jws), &r2);
	CHECK_MSG(e == e2, "numeric %s vs jws %s", dc_err_code(e), dc_err_code(e2));
	free(num);
	if (e != DC_OK) {
		CHECK(r->verdict != DC_VERDICT_VERIFIED);
		CHECK_STR(r->name, "");
		CHECK_STR(r->birth_date, "");
		CHECK_EQ_INT(r->n_events, 0);
	}
	return e;
}

#define EXPECT_JWS(jws_expr, want) do { \
	char *j_ = (jws_expr); dc_record r_; dc_err e_ = run(j_, &r_); \
	CHECK_MSG(e_ == (want), "%s: got %s, want %s", #jws_expr, dc_err_code(e_), dc_err_code(want)); \
	free(j_); } while (0)

/* Signs payload p (consumed) with the demo key and the standard header. */
static char *signed_payload(char *p, int flags)
{
	char *j = forge_jws(&demo, NULL, p, flags);
	free(p);
	return j;
}

static char *hdr(const char *h, const char *p)
{
	return forge_jws(&demo, h, p, 0);
}

/* JWS with its parts given as raw (already compressed) bytes. */
static char *raw_jws(const char *header, const uint8_t *z, size_t zl)
{
	char h[512], *p = malloc(zl * 2 + 8), *s = malloc(8192);
	dc_b64url_encode((const uint8_t *)header, strlen(header), h, sizeof h);
	dc_b64url_encode(z, zl, p, zl * 2 + 8);
	snprintf(s, 8192, "%s.%s.%s", h, p,
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	free(p);
	return s;
}

int main(void)
{
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0)
		return 1;
	forge_key_generate(&other, MBEDTLS_ECP_DP_SECP256R1);
	forge_key_generate(&p384, MBEDTLS_ECP_DP_SECP384R1);
	trust = dc_trust_new();
	{
		char f[2048];
		snprintf(f, sizeof f, "{\"issuer\":{\"iss\":\"%s\",\"name\":\"Demo\"},\"keys\":[%s]}", DEMO_ISS, demo.jwk);
		CHECK_EQ_INT(dc_trust_add_issuer_json(trust, (uint8_t *)f, strlen(f)), DC_OK);
		size_t len;
		char *jwks = dc_test_read(dc_test_path("DC_SHARED", "testdata/shc/spec-examples/issuer-jwks.json"), &len);
		if (!jwks)
			return 77;
		CHECK_EQ_INT(dc_trust_add_jwks(trust, "https://spec.smarthealth.cards/examples/issuer", NULL,
					       (uint8_t *)jwks, len), DC_OK);
		free(jwks);
	}
	const char *std = NULL;
	char *P = forge_payload(DEMO_ISS, 1700000000.25, 0, "AbCdEfGhIjK");
	std = P;
	char kidhdr[256];
	snprintf(kidhdr, sizeof kidhdr, "\"kid\":\"%s\"", demo.kid);

	/* The valid card, and what it shows. */
	{
		char *jws = forge_jws(&demo, NULL, std, 0);
		dc_record r;
		CHECK_EQ_INT(run(jws, &r), DC_OK);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_VERIFIED);
		CHECK_STR(r.name, "Test Q. Forge");
		CHECK_STR(r.given_name, "Test Q.");
		CHECK_STR(r.birth_date, "1970-03-04");
		CHECK_STR(r.issuer_name, "Demo");
		CHECK_EQ_INT(r.n_events, 2);
		/* listed out of order: numbered by date */
		CHECK_STR(r.events[0].date, "2021-02-01");
		CHECK_EQ_INT(r.events[0].dose_number, 2);
		CHECK_EQ_INT(r.events[1].dose_number, 1);
		CHECK_EQ_INT(r.issued_at, 1700000000);
		free(jws);
	}
	/* Dates and names exactly as written (no time-zone shifts). */
	{
		char *p1 = repl(std, "\"2021-02-01\"", "\"2021-01-31T23:30:00-08:00\"");
		char *p2 = repl(p1, "\"1970-03-04\"", "\"1970-03\"");
		char *jws = forge_jws(&demo, NULL, p2, 0);
		dc_record r;
		CHECK_EQ_INT(run(jws, &r), DC_OK);
		CHECK_STR(r.events[0].date, "2021-01-31T23:30:00-08:00");
		CHECK_STR(r.birth_date, "1970-03");
		free(p1); free(p2); free(jws);
	}

	/* Only given COVID-19 doses are numbered: a flu shot (CVX 140) dated
	 * earlier and a dose entered in error do not move a dose up the series. */
	{
		char *p1 = repl(std, "\"code\":\"207\"}]},\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\"",
				"\"code\":\"140\"}]},\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\"");
		char *jws = forge_jws(&demo, NULL, p1, 0);
		dc_record r;
		CHECK_EQ_INT(run(jws, &r), DC_OK);
		CHECK_STR(r.events[0].code, "207");
		CHECK_EQ_INT(r.events[0].dose_number, 1);
		CHECK_STR(r.events[1].code, "140");
		CHECK_EQ_INT(r.events[1].dose_number, 0);
		CHECK_STR(r.events[1].disease, "");
		free(jws);
		char *p2 = repl(std, "\"status\":\"completed\"", "\"status\":\"entered-in-error\"");
		jws = forge_jws(&demo, NULL, p2, 0);
		CHECK_EQ_INT(run(jws, &r), DC_OK);
		CHECK_EQ_INT(r.events[0].dose_number, 0); /* the error entry (2021-02-01) */
		CHECK_EQ_INT(r.events[1].dose_number, 1);
		free(jws); free(p1); free(p2);
	}

	/* Signature */
	{
		char *jws = forge_jws(&demo, NULL, std, 0);
		char *dot = strrchr(jws, '.');
		dot[5] = dot[5] == 'A' ? 'B' : 'A';
		EXPECT_JWS(jws, DC_E_SIG_MISMATCH);
	}
	EXPECT_JWS(forge_jws(&demo, NULL, std, FORGE_DER_SIG), DC_E_SIG_LENGTH);
	EXPECT_JWS(forge_jws(&p384, NULL, std, 0), DC_E_SIG_LENGTH); /* P-384 key: 96-byte sig */
	{
		char h[256];
		snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", demo.kid);
		EXPECT_JWS(forge_jws(&other, h, std, 0), DC_E_SIG_MISMATCH); /* another key, demo kid */
	}
	/* Keys */
	EXPECT_JWS(forge_jws(&other, NULL, std, 0), DC_E_KID_UNKNOWN);
	/* A kid none of the issuer's keys has, on a card the issuer's key did
	 * sign: each of that issuer's keys is tried (issue 12), so it verifies
	 * and the record names the key that did by its thumbprint. This holds
	 * also for a kid that is another issuer's (SPEC_KID): authenticity is
	 * bound to iss and its pinned keys, not to the kid string. */
	{
		const char *kids[] = {"no-such-kid", SPEC_KID};
		for (int i = 0; i < 2; i++) {
			char h[256];
			snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kids[i]);
			char *j = hdr(h, std);
			dc_record r;
			CHECK_EQ_INT(run(j, &r), DC_OK);
			CHECK_STR(r.kid, demo.kid);
			free(j);
		}
	}
	{
		char *p = repl(std, DEMO_ISS, "https://unknown.example/issuer");
		EXPECT_JWS(signed_payload(p, 0), DC_E_ISSUER_UNTRUSTED);
	}
	/* Header */
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"kid\":\"x\"}", std), DC_E_JWS_ALG);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"none\",\"kid\":\"x\"}", std), DC_E_JWS_ALG);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"ES384\",\"kid\":\"x\"}", std), DC_E_JWS_ALG);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"RS256\",\"kid\":\"x\"}", std), DC_E_JWS_ALG);
	EXPECT_JWS(hdr("{\"alg\":\"ES256\",\"kid\":\"x\"}", std), DC_E_JWS_ZIP);
	EXPECT_JWS(hdr("{\"zip\":\"GZIP\",\"alg\":\"ES256\",\"kid\":\"x\"}", std), DC_E_JWS_ZIP);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"ES256\"}", std), DC_E_JWS_KID);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"\"}", std), DC_E_JWS_KID);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":7}", std), DC_E_JWS_KID);
	EXPECT_JWS(hdr("{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"x\",\"crit\":[\"b64\"]}", std), DC_E_JWS_CRIT);
	EXPECT_JWS(hdr("not json", std), DC_E_JWS_HEADER);
	EXPECT_JWS(hdr("[\"ES256\"]", std), DC_E_JWS_HEADER);
	/* JWS shape */
	EXPECT_JWS(strdup("abc.def"), DC_E_JWS_FORMAT);
	EXPECT_JWS(strdup("abc.def.ghi.jkl"), DC_E_JWS_FORMAT);
	EXPECT_JWS(strdup("abc..ghi"), DC_E_JWS_FORMAT);
	EXPECT_JWS(strdup(".def.ghi"), DC_E_JWS_FORMAT);
	/* Compression */
	EXPECT_JWS(forge_jws(&demo, NULL, std, FORGE_NO_DEFLATE), DC_E_INFLATE);
	EXPECT_JWS(forge_jws(&demo, NULL, std, FORGE_ZLIB), DC_E_INFLATE);
	EXPECT_JWS(forge_jws(&demo, NULL, std, FORGE_CORRUPT_DEFLATE), DC_E_INFLATE);
	{
		/* a decompression bomb behind a well-formed header */
		size_t big = 1u << 20;
		uint8_t *zeros = calloc(1, big), *z = malloc(65536);
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
		zs.next_in = zeros; zs.avail_in = (uInt)big; zs.next_out = z; zs.avail_out = 65536;
		deflate(&zs, Z_FINISH);
		size_t zl = zs.total_out;
		deflateEnd(&zs);
		char h[256];
		snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", demo.kid);
		EXPECT_JWS(raw_jws(h, z, zl), DC_E_INFLATE_LIMIT);
		free(zeros);
		free(z);
	}
	/* Payload JSON */
	{
		/* encoded twice: the payload is a JSON string holding the JSON */
		size_t n = strlen(std);
		char *twice = malloc(2 * n + 3), *q = twice;
		*q++ = '"';
		for (size_t i = 0; i < n; i++) {
			if (std[i] == '"' || std[i] == '\\')
				*q++ = '\\';
			*q++ = std[i];
		}
		*q++ = '"';
		*q = 0;
		EXPECT_JWS(signed_payload(twice, 0), DC_E_PAYLOAD_DOUBLE);
	}
	EXPECT_JWS(signed_payload(strdup("{\"iss\":"), 0), DC_E_PAYLOAD_JSON);
	EXPECT_JWS(signed_payload(strdup("[1,2,3]"), 0), DC_E_PAYLOAD_JSON);
	EXPECT_JWS(signed_payload(strdup("\"just text\""), 0), DC_E_PAYLOAD_JSON);
	/* iss */
	EXPECT_JWS(signed_payload(repl(std, "\"iss\"", "\"isz\""), 0), DC_E_ISS_MISSING);
	EXPECT_JWS(signed_payload(repl(std, "https://demo", "http://demo"), 0), DC_E_ISS_INVALID);
	EXPECT_JWS(signed_payload(repl(std, "/issuer\"", "/issuer/\""), 0), DC_E_ISS_INVALID);
	/* nbf / exp */
	EXPECT_JWS(signed_payload(repl(std, "\"nbf\"", "\"nbX\""), 0), DC_E_NBF_MISSING);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000250"), 0), DC_E_NBF_INVALID);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "\"1700000000\""), 0), DC_E_NBF_INVALID);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "-5"), 0), DC_E_NBF_INVALID);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1800000000"), 0), DC_E_NOT_YET_VALID);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1767225700"), 0), DC_OK); /* within skew */
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000"), 0), DC_OK); /* integer */
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000.250,\"exp\":1767225599"), 0), DC_E_EXPIRED);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000.250,\"exp\":1767225600"), 0), DC_E_EXPIRED);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000.250,\"exp\":1767225601"), 0), DC_OK);
	EXPECT_JWS(signed_payload(repl(std, "1700000000.250", "1700000000.250,\"exp\":1767225601000"), 0), DC_E_EXP_INVALID);
	/* vc */
	EXPECT_JWS(signed_payload(repl(std, "https://smarthealth.cards#health-card", "https://smarthealth.cards#covid19"), 0), DC_E_VC_TYPE);
	EXPECT_JWS(signed_payload(repl(std, "\"type\":[", "\"typo\":["), 0), DC_E_VC_TYPE);
	EXPECT_JWS(signed_payload(repl(std, "\"fhirBundle\"", "\"fhirBundel\""), 0), DC_E_FHIR_BUNDLE);
	EXPECT_JWS(signed_payload(repl(std, "\"resourceType\":\"Bundle\"", "\"resourceType\":\"List\""), 0), DC_E_FHIR_BUNDLE);
	EXPECT_JWS(signed_payload(repl(std, "\"rid\":\"AbCdEfGhIjK\"", "\"rid\":\"Ab/Cd\""), 0), DC_E_RID_INVALID);
	EXPECT_JWS(signed_payload(repl(std, "\"rid\":\"AbCdEfGhIjK\"", "\"rid\":12"), 0), DC_E_RID_INVALID);

	/* Too long for any card */
	{
		char *big = malloc(DC_SHC_MAX_JWS + 10);
		memset(big, 'A', DC_SHC_MAX_JWS + 9);
		big[DC_SHC_MAX_JWS + 9] = 0;
		dc_record r;
		CHECK_EQ_INT(dc_shc_verify_jws(trust, NOW, big, strlen(big), &r), DC_E_TOO_LONG);
		free(big);
	}
	/* Not a credential at all */
	{
		dc_record r;
		dc_verify_opts o = {.trust = trust, .now = NOW};
		const char *url = "https://www.example.org/wallet/pass/12345";
		CHECK_EQ_INT(dc_verify_text(&o, url, strlen(url), &r), DC_E_URL);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_NOT_A_CREDENTIAL);
		CHECK_EQ_INT(r.format, DC_FORMAT_URL);
		CHECK_EQ_INT(dc_verify_text(&o, "hello", 5, &r), DC_E_UNKNOWN_FORMAT);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_NOT_A_CREDENTIAL);
		CHECK_EQ_INT(dc_verify_text(&o, "", 0, &r), DC_E_EMPTY);
		const char *mixed[] = {"shc:/5676", "https://x.example"};
		size_t ml[] = {9, 17};
		CHECK_EQ_INT(dc_verify_texts(&o, mixed, ml, 2, &r), DC_E_MIXED_FORMATS);
	}

	free(P);
	dc_trust_free(trust);
	forge_key_free(&demo);
	forge_key_free(&other);
	forge_key_free(&p384);
	return dc_test_done();
}
