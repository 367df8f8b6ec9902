/*
 * Verify, then parse: a payload whose signature does not verify never
 * reaches the CWT claim parser or the DCC content parser. This program is
 * linked with its own copies of dc_dcc.c and dc_hcert.c built with
 * DC_TEST_HOOKS, which count every entry into those parsers
 * (dc_test_hcert_parses). Meant to pass under ASan as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc_dcc.h"
#include "dc_hcert.h"
#include "dc_test.h"
#include "dc_time.h"
#include "dc_trust.h"
#include "dcc_build.h"

static void claims(cw *w, int64_t iat)
{
	memset(w, 0, sizeof *w);
	cw_head(w, 5, 4);
	cw_int(w, 1);
	cw_text(w, "XX");
	cw_int(w, 4);
	cw_int(w, iat + 86400 * 30);
	cw_int(w, 6);
	cw_int(w, iat);
	cw_int(w, -260);
	cw_head(w, 5, 1);
	cw_int(w, 1);
	cw_head(w, 5, 4);
	cw_kv(w, "ver", "1.3.0");
	cw_text(w, "nam");
	cw_head(w, 5, 1);
	cw_kv(w, "fnt", "DEMO<ORDER");
	cw_kv(w, "dob", "1970-01-01");
	cw_text(w, "r");
	cw_head(w, 4, 1);
	cw_head(w, 5, 7);
	cw_kv(w, "tg", "840539006");
	cw_kv(w, "fr", "2027-05-01");
	cw_kv(w, "df", "2027-05-11");
	cw_kv(w, "du", "2027-10-01");
	cw_kv(w, "co", "XX");
	cw_kv(w, "is", "doorcheck DEMO");
	cw_kv(w, "ci", "URN:UVCI:01:XX:ORDER#1");
}

static dc_err run(const dc_trust *t, double now, const char *text, unsigned long *parses,
		  int diagnose)
{
	dc_record r;
	dc_dcc_report rep = {.diagnose = diagnose};
	unsigned long before = dc_test_hcert_parses;
	dc_err e = dc_dcc_verify_report(t, now, text, strlen(text), &r, &rep);
	*parses = dc_test_hcert_parses - before;
	if (e != DC_OK)
		CHECK(r.name[0] == 0 && r.n_events == 0);
	dc_record_wipe(&r);
	return e;
}

int main(void)
{
	const char *kd = dc_test_path("DC_SOURCE_ROOT", "keys/demo");
	char k[4096], c[4096];
	signer es, k256;
	double T;
	unsigned long n;
	static cw w;

	CHECK(dc_time_parse("2027-06-01T00:00:00Z", 20, &T));
	snprintf(k, sizeof k, "%s/dcc-dsc-es256.key.pem", kd);
	snprintf(c, sizeof c, "%s/dcc-dsc-es256.crt.pem", kd);
	CHECK(signer_load(&es, k, c) == 0);
	snprintf(k, sizeof k, "%s/dcc-dsc-k256.key.pem", kd);
	snprintf(c, sizeof c, "%s/dcc-dsc-k256.crt.pem", kd);
	CHECK(signer_load(&k256, k, c) == 0);
	dc_trust *t = dc_trust_new();
	CHECK_EQ_INT(dc_trust_add_dscs(t, es.cert, es.cert_len, NULL), DC_OK);
	CHECK_EQ_INT(dc_trust_add_dscs(t, k256.cert, k256.cert_len, NULL), DC_OK);
	claims(&w, (int64_t)T - 3600);

	/* A good card goes through both parsers: the hook counts. */
	build_opts o = {0};
	char *good = build_hc1(&es, &w, &o, NULL);
	CHECK_EQ_INT(run(t, T, good, &n, 0), DC_OK);
	CHECK_EQ_INT(n, 2);

	/* Bad signature, short signature, unknown and unusable signer, wrong
	 * algorithm for the key: no parser entered. */
	struct { build_opts o; signer *s; dc_err want; } bad[] = {
		{{.corrupt_sig = true}, &es, DC_E_SIG_MISMATCH},
		{{.short_sig = true}, &es, DC_E_COSE_SIG_LENGTH},
		{{.alg_override = -37}, &es, DC_E_DSC_ALG_KEY},
		{{.kid = KID_NONE}, &es, DC_E_COSE_KID},
		{{0}, &k256, DC_E_DSC_UNUSABLE},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *txt = build_hc1(bad[i].s, &w, &bad[i].o, NULL);
		CHECK_EQ_INT(run(t, T, txt, &n, 0), bad[i].want);
		CHECK_MSG(n == 0, "case %zu: %lu parser entries before a verified signature", i, n);
		/* dc_dcc_verify (no report) takes the same path */
		dc_record r;
		unsigned long before = dc_test_hcert_parses;
		CHECK_EQ_INT(dc_dcc_verify(t, T, txt, strlen(txt), &r), bad[i].want);
		CHECK_EQ_INT(dc_test_hcert_parses - before, 0);
		dc_record_wipe(&r);
		free(txt);
	}
	dc_trust *empty = dc_trust_new();
	CHECK_EQ_INT(run(empty, T, good, &n, 0), DC_E_DSC_UNKNOWN);
	CHECK_EQ_INT(n, 0);
	dc_trust_free(empty);

	/* Every signature byte flipped in turn: never a parser entry. */
	size_t flips = 0;
	for (int pos = 0; pos < 64; pos++) {
		build_opts f = {0};
		static cw cose;
		char *txt = build_hc1(&es, &w, &f, &cose);
		free(txt);
		cose.b[cose.n - 64 + (size_t)pos] ^= 0x5a;
		txt = hc1_of_bytes(cose.b, cose.n, true);
		CHECK_EQ_INT(run(t, T, txt, &n, 0), DC_E_SIG_MISMATCH);
		CHECK_EQ_INT(n, 0);
		flips++;
		free(txt);
	}
	printf("%zu tampered signatures: no claim or content parsing\n", flips);

	/* Only an explicit diagnostic report parses after a bad signature
	 * (for the conformance comparison), and its record stays empty. */
	o = (build_opts){.corrupt_sig = true};
	char *txt = build_hc1(&es, &w, &o, NULL);
	CHECK_EQ_INT(run(t, T, txt, &n, 1), DC_E_SIG_MISMATCH);
	CHECK_EQ_INT(n, 2);
	free(txt);

	free(good);
	signer_free(&es);
	signer_free(&k256);
	dc_trust_free(t);
	return dc_test_done();
}
