/*
 * Verify, then parse (issue 7): a SMART Health Card whose signature does not
 * verify with a key pinned for the issuer it names never reaches the claim
 * and FHIR reader. The reader is counted by wrapping dc_shc_read_claims at
 * link time (-Wl,--wrap, see meson.build): the product code carries no hook.
 */
#include <stdlib.h>
#include <string.h>

#include "dc_shc.h"
#include "dc_shc_priv.h"
#include "dc_test.h"
#include "dc_verify.h"
#include "forge.h"

#define NOW 1767225600.0

static long claims_calls;

dc_err __real_dc_shc_read_claims(const uint8_t *json, size_t len, dc_record *out,
				 dc_shc_claims *c);
dc_err __wrap_dc_shc_read_claims(const uint8_t *json, size_t len, dc_record *out,
				 dc_shc_claims *c);

dc_err __wrap_dc_shc_read_claims(const uint8_t *json, size_t len, dc_record *out,
				 dc_shc_claims *c)
{
	claims_calls++;
	return __real_dc_shc_read_claims(json, len, out, c);
}

static dc_trust *trust;
static forge_key demo, other;

/* Verifies as numeric text and as JWS; returns the reason and how many
 * times the claim reader ran (for the two calls together). */
static dc_err verify(const char *jws, long *calls)
{
	dc_record r;
	dc_verify_opts o = {.trust = trust, .now = NOW};
	char *num = forge_numeric(jws);
	long before = claims_calls;
	dc_err e = dc_verify_text(&o, num, strlen(num), &r);
	dc_err e2 = dc_shc_verify_jws(trust, NOW, jws, strlen(jws), &r);
	CHECK_MSG(e == e2, "numeric %s vs jws %s", dc_err_code(e), dc_err_code(e2));
	*calls = claims_calls - before;
	dc_record_wipe(&r);
	free(num);
	return e;
}

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

/* A card that must not reach the claim reader: its reason is `want`. */
#define UNREAD(jws_expr, want) do { \
	char *j_ = (jws_expr); long c_; dc_err e_ = verify(j_, &c_); \
	CHECK_MSG(e_ == (want), "%s: got %s, want %s", #jws_expr, dc_err_code(e_), dc_err_code(want)); \
	CHECK_MSG(c_ == 0, "%s: claim reader ran %ld times", #jws_expr, c_); \
	free(j_); } while (0)

static char *flip_sig(char *jws)
{
	char *dot = strrchr(jws, '.');
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	return jws;
}

int main(void)
{
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0)
		return 1;
	CHECK_EQ_INT(forge_key_generate(&other, MBEDTLS_ECP_DP_SECP256R1), 0);
	trust = dc_trust_new();
	char f[2048];
	snprintf(f, sizeof f, "{\"issuer\":{\"iss\":\"%s\"},\"keys\":[%s]}", DEMO_ISS, demo.jwk);
	CHECK_EQ_INT(dc_trust_add_issuer_json(trust, (uint8_t *)f, strlen(f)), DC_OK);

	char *good = forge_payload(DEMO_ISS, 1700000000, 0, "AbCdEfGhIjK");
	/* Payloads the claim reader would refuse: if it ran first, their
	 * reason would be theirs, not the signature's. */
	char *bad_fhir = repl(good, "\"resourceType\":\"Bundle\"", "\"resourceType\":\"List\"");
	char *no_date = repl(good, "\"nbf\"", "\"nbX\"");
	char *not_shc = repl(good, "#health-card", "#covid19");
	char hdr[256];
	snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", demo.kid);
	long calls;

	/* The signed card is read once per verification. */
	{
		char *j = forge_jws(&demo, NULL, good, 0);
		CHECK_EQ_INT(verify(j, &calls), DC_OK);
		CHECK_EQ_INT(calls, 2);
		free(j);
		j = forge_jws(&demo, NULL, bad_fhir, 0);
		CHECK_EQ_INT(verify(j, &calls), DC_E_FHIR_BUNDLE); /* signed: read, refused */
		CHECK_EQ_INT(calls, 2);
		free(j);
	}
	/* Bad signatures: never read, whatever the payload holds. */
	const char *payloads[] = {good, bad_fhir, no_date, not_shc};
	for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		UNREAD(flip_sig(forge_jws(&demo, NULL, payloads[i], 0)), DC_E_SIG_MISMATCH);
		UNREAD(forge_jws(&other, hdr, payloads[i], 0), DC_E_SIG_MISMATCH); /* demo kid */
		UNREAD(forge_jws(&other, NULL, payloads[i], 0), DC_E_KID_UNKNOWN); /* each key tried */
		UNREAD(forge_jws(&demo, NULL, payloads[i], FORGE_DER_SIG), DC_E_SIG_LENGTH);
	}
	/* Signed by the demo key but naming an issuer not in the store. */
	{
		char *p = repl(good, DEMO_ISS, "https://unknown.example/issuer");
		UNREAD(forge_jws(&demo, NULL, p, 0), DC_E_ISSUER_UNTRUSTED);
		free(p);
	}
	/* Every single-character change of a signed card: no change reaches
	 * the claim reader (each breaks the signature or what precedes it). */
	{
		char *j = forge_jws(&demo, NULL, good, 0);
		size_t jl = strlen(j);
		long before = claims_calls, accepted = 0;
		static const char b64[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		char *t = malloc(jl);
		for (size_t i = 0; i < jl; i++) {
			memcpy(t, j, jl);
			const char *at = strchr(b64, j[i]);
			t[i] = at ? b64[(at - b64 + 1) % 64] : 'A';
			dc_record r;
			if (dc_shc_verify_jws(trust, NOW, t, jl, &r) == DC_OK)
				accepted++;
			dc_record_wipe(&r);
		}
		free(t);
		CHECK_EQ_INT(accepted, 0);
		CHECK_EQ_INT(claims_calls - before, 0);
		free(j);
	}
	free(good);
	free(bad_fhir);
	free(no_date);
	free(not_shc);
	dc_trust_free(trust);
	forge_key_free(&demo);
	forge_key_free(&other);
	return dc_test_done();
}
