/*
 * A valid demo card, truncated at every length and changed at every single
 * position (numeric QR text and JWS), and the quirky cards of issue 12
 * (non-thumbprint kid, iat without nbf, fractional iat, FHIR 1.0.2,
 * shc:/1/1/, all at once) changed at every single position: none verifies,
 * nothing crashes, and every rejection carries a specific reason (printed
 * as a histogram).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dc_shc.h"
#include "dc_test.h"
#include "dc_verify.h"
#include "forge.h"

#define NOW 1767225600.0

static dc_trust *trust;
static int hist[DC_ERR__COUNT];
static long verified;

static void check_rejected(const char *text, size_t len, const char *what, size_t pos)
{
	dc_record r;
	dc_verify_opts o = {.trust = trust, .now = NOW};
	dc_err e = dc_verify_text(&o, text, len, &r);
	if (e == DC_OK || r.verdict == DC_VERDICT_VERIFIED) {
		verified++;
		fprintf(stderr, "%s at %zu verified!\n", what, pos);
	}
	/* generic failures would hide the real reason */
	if (e == DC_E_NOMEM || e == DC_E_ARG)
		fprintf(stderr, "%s at %zu: generic reason %s\n", what, pos, dc_err_code(e));
	CHECK(e != DC_E_NOMEM && e != DC_E_ARG);
	hist[e]++;
}

static void check_rejected_jws(const char *jws, size_t len, size_t pos)
{
	dc_record r;
	dc_err e = dc_shc_verify_jws(trust, NOW, jws, len, &r);
	if (e == DC_OK || r.verdict == DC_VERDICT_VERIFIED) {
		verified++;
		fprintf(stderr, "jws change at %zu verified!\n", pos);
	}
	hist[e]++;
}

static char next_b64(char c)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *p = strchr(a, c);
	return p ? a[((p - a) + 1) % 64] : 'A';
}

/* Every single-character change of the numeric text (each digit to the
 * digits one above and one below, each prefix character to another) and of
 * the JWS; with `truncate`, also every truncation of both. */
static void sweep(const char *what, const char *jws, const char *num, bool truncate)
{
	size_t jl = strlen(jws), nl = strlen(num);
	long before = verified;
	dc_record r;
	dc_verify_opts o = {.trust = trust, .now = NOW};
	CHECK_MSG(dc_verify_text(&o, num, nl, &r) == DC_OK, "%s: the unchanged card verifies", what);
	dc_record_wipe(&r);
	printf("%s: %zu numeric characters, %zu JWS characters\n", what, nl, jl);

	/* Truncation at every length (heap copies so ASan sees overreads). */
	for (size_t cut = 0; truncate && cut < nl; cut++) {
		char *t = malloc(cut ? cut : 1);
		memcpy(t, num, cut);
		check_rejected(t, cut, "numeric truncation", cut);
		free(t);
	}
	for (size_t cut = 0; truncate && cut < jl; cut++) {
		char *t = malloc(cut ? cut : 1);
		memcpy(t, jws, cut);
		check_rejected_jws(t, cut, cut);
		free(t);
	}
	char *t = malloc(nl);
	for (size_t i = 0; i < nl; i++) {
		memcpy(t, num, nl);
		if (i < 5) {
			t[i] = t[i] == 'x' ? 'y' : 'x';
			check_rejected(t, nl, "prefix change", i);
			continue;
		}
		for (int d = 1; d <= 9; d += 8) {
			/* digits (and the '/' of a chunk header) move to another
			 * character */
			t[i] = num[i] >= '0' && num[i] <= '9' ? (char)('0' + (num[i] - '0' + d) % 10)
							      : (d == 1 ? '0' : 'x');
			check_rejected(t, nl, "digit change", i);
		}
	}
	free(t);
	t = malloc(jl);
	for (size_t i = 0; i < jl; i++) {
		memcpy(t, jws, jl);
		t[i] = jws[i] == '.' ? 'A' : next_b64(jws[i]);
		check_rejected_jws(t, jl, i);
	}
	free(t);
	CHECK_MSG(verified == before, "%s: %ld changed cards verified", what, verified - before);
}

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

#define KID_2021 "demo-2021-original-kid"

/* Signs payload p (consumed) with the demo key under header kid `kid`
 * (NULL: the thumbprint), and sweeps it; one_of_one: as shc:/1/1/. */
static void sweep_card(const forge_key *k, const char *what, char *p, const char *kid,
		       bool one_of_one)
{
	char h[256];
	snprintf(h, sizeof h, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid ? kid : k->kid);
	char *jws = forge_jws(k, h, p, 0);
	char *num = forge_numeric(jws);
	if (one_of_one) {
		size_t n = strlen(num);
		char *o = malloc(n + 5);
		snprintf(o, n + 5, "shc:/1/1/%s", num + 5);
		free(num);
		num = o;
	}
	sweep(what, jws, num, false);
	free(num);
	free(jws);
	free(p);
}

int main(void)
{
	forge_key demo;
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0)
		return 1;
	trust = dc_trust_new();
	/* The demo key as a 2021 JWKS listed it: under a kid that is not its
	 * thumbprint (so the store knows it by both). */
	char *jwk = forge_jwk_with_kid(&demo, KID_2021);
	char f[2048];
	snprintf(f, sizeof f, "{\"issuer\":{\"iss\":\"%s\"},\"keys\":[%s]}", DEMO_ISS, jwk);
	free(jwk);
	CHECK_EQ_INT(dc_trust_add_issuer_json(trust, (uint8_t *)f, strlen(f)), DC_OK);

	/* The regular demo card, also truncated at every length. */
	char *p = forge_payload(DEMO_ISS, 1700000000, 0, "AbCdEfGhIjK");
	char *jws = forge_jws(&demo, NULL, p, 0);
	char *num = forge_numeric(jws);
	sweep("regular card", jws, num, true);
	free(jws);
	free(num);

	/* The quirky cards of issue 12, one quirk each, then all at once. */
	sweep_card(&demo, "listed non-thumbprint kid", strdup(p), KID_2021, false);
	sweep_card(&demo, "kid no key has (each key tried)", strdup(p), "never-listed-kid", false);
	sweep_card(&demo, "iat without nbf", repl(p, "\"nbf\":1700000000.000", "\"iat\":1700000000"),
		   NULL, false);
	sweep_card(&demo, "fractional iat", repl(p, "\"nbf\":1700000000.000", "\"iat\":1624473431.7183"),
		   NULL, false);
	sweep_card(&demo, "FHIR 1.0.2", forge_payload_2021(DEMO_ISS, "\"nbf\":1624473431"), NULL, false);
	sweep_card(&demo, "shc:/1/1/", strdup(p), NULL, true);
	sweep_card(&demo, "all quirks (Quebec 2021 style)",
		   forge_payload_2021(DEMO_ISS, "\"iat\":1624473431.7183"), KID_2021, true);
	free(p);

	CHECK_EQ_INT(verified, 0);
	printf("rejection reasons:\n");
	for (int e = 0; e < DC_ERR__COUNT; e++)
		if (hist[e])
			printf("  %-28s %d\n", dc_err_code(e), hist[e]);
	CHECK_EQ_INT(hist[DC_OK], 0);

	dc_trust_free(trust);
	forge_key_free(&demo);
	return dc_test_done();
}
