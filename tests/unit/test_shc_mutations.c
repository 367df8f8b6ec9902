/*
 * A valid demo card, truncated at every length and changed at every single
 * position (numeric QR text and JWS): none verifies, nothing crashes, and
 * every rejection carries a specific reason (printed as a histogram).
 */
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

int main(void)
{
	forge_key demo;
	if (forge_key_load(&demo, "keys/demo/shc-issuer.key.pem") != 0)
		return 1;
	trust = dc_trust_new();
	char f[2048];
	snprintf(f, sizeof f, "{\"issuer\":{\"iss\":\"%s\"},\"keys\":[%s]}", DEMO_ISS, demo.jwk);
	CHECK_EQ_INT(dc_trust_add_issuer_json(trust, (uint8_t *)f, strlen(f)), DC_OK);

	char *p = forge_payload(DEMO_ISS, 1700000000, 0, "AbCdEfGhIjK");
	char *jws = forge_jws(&demo, NULL, p, 0);
	char *num = forge_numeric(jws);
	size_t jl = strlen(jws), nl = strlen(num);
	dc_record r;
	dc_verify_opts o = {.trust = trust, .now = NOW};
	CHECK_EQ_INT(dc_verify_text(&o, num, nl, &r), DC_OK);
	printf("card: %zu numeric characters, %zu JWS characters\n", nl, jl);

	/* Truncation at every length (heap copies so ASan sees overreads). */
	for (size_t cut = 0; cut < nl; cut++) {
		char *t = malloc(cut ? cut : 1);
		memcpy(t, num, cut);
		check_rejected(t, cut, "numeric truncation", cut);
		free(t);
	}
	for (size_t cut = 0; cut < jl; cut++) {
		char *t = malloc(cut ? cut : 1);
		memcpy(t, jws, cut);
		check_rejected_jws(t, cut, cut);
		free(t);
	}
	/* Every single-character change of the numeric text: each digit to
	 * the digits one above and one below; each prefix character to
	 * another character. */
	char *t = malloc(nl);
	for (size_t i = 0; i < nl; i++) {
		memcpy(t, num, nl);
		if (i < 5) {
			t[i] = t[i] == 'x' ? 'y' : 'x';
			check_rejected(t, nl, "prefix change", i);
			continue;
		}
		for (int d = 1; d <= 9; d += 8) {
			t[i] = (char)('0' + (num[i] - '0' + d) % 10);
			check_rejected(t, nl, "digit change", i);
		}
	}
	free(t);
	/* Every single-character change of the JWS. */
	t = malloc(jl);
	for (size_t i = 0; i < jl; i++) {
		memcpy(t, jws, jl);
		t[i] = jws[i] == '.' ? 'A' : next_b64(jws[i]);
		check_rejected_jws(t, jl, i);
	}
	free(t);

	CHECK_EQ_INT(verified, 0);
	printf("rejection reasons:\n");
	for (int e = 0; e < DC_ERR__COUNT; e++)
		if (hist[e])
			printf("  %-28s %d\n", dc_err_code(e), hist[e]);
	CHECK_EQ_INT(hist[DC_OK], 0);

	free(p);
	free(jws);
	free(num);
	dc_trust_free(trust);
	forge_key_free(&demo);
	return dc_test_done();
}
