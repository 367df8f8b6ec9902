/*
 * Conformance: the SMART Health Cards specification's own examples, read
 * from ../shared/testdata/shc/spec-examples at test time.
 */
#include <stdlib.h>
#include <string.h>

#include "dc_image.h"
#include "dc_scan.h"
#include "dc_shc.h"
#include "dc_test.h"
#include "dc_verify.h"

#define EX "testdata/shc/spec-examples/"
#define SPEC_ISS "https://spec.smarthealth.cards/examples/issuer"
#define NOW 1767225600.0 /* 2026-01-01 */

static char *read_shared(const char *rel, size_t *len)
{
	char *p = dc_test_read(dc_test_path("DC_SHARED", rel), len);
	if (!p) {
		fprintf(stderr, "missing shared test data %s\n", rel);
		exit(77);
	}
	/* strip trailing newline */
	while (*len && (p[*len - 1] == '\n' || p[*len - 1] == '\r'))
		p[--*len] = 0;
	return p;
}

static dc_trust *spec_trust(bool with_crl)
{
	size_t len;
	dc_trust *t = dc_trust_new();
	char *jwks = read_shared(EX "issuer-jwks.json", &len);
	CHECK_EQ_INT(dc_trust_add_jwks(t, SPEC_ISS, "SMART spec examples", (uint8_t *)jwks, len), DC_OK);
	free(jwks);
	if (with_crl) {
		char *crl = read_shared(EX "issuer-crl-3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json", &len);
		CHECK_EQ_INT(dc_trust_add_crl(t, SPEC_ISS, (uint8_t *)crl, len), DC_OK);
		free(crl);
	}
	return t;
}

static void verify_numeric(dc_trust *t, int ex, int chunks, dc_err want, dc_record *r)
{
	char *texts[3];
	size_t lens[3];
	for (int c = 0; c < chunks; c++) {
		char rel[128];
		snprintf(rel, sizeof rel, EX "example-%02d-f-qr-code-numeric-value-%d.txt", ex, c);
		texts[c] = read_shared(rel, &lens[c]);
	}
	dc_verify_opts o = {.trust = t, .now = NOW};
	dc_err e = dc_verify_texts(&o, (const char *const *)texts, lens, (size_t)chunks, r);
	CHECK_MSG(e == want, "example %02d numeric: %s, want %s", ex, dc_err_code(e), dc_err_code(want));
	for (int c = 0; c < chunks; c++)
		free(texts[c]);
}

static void verify_png(dc_trust *t, int ex, int chunks, dc_err want)
{
	char *texts[3] = {0};
	size_t lens[3] = {0};
	int got = 0;
	for (int c = 0; c < chunks; c++) {
		char rel[128], err[256];
		dc_grey g;
		snprintf(rel, sizeof rel, EX "example-%02d-g-qr-code-%d.png", ex, c);
		if (dc_image_load(dc_test_path("DC_SHARED", rel), &g, err, sizeof err) != 0) {
			CHECK_MSG(0, "load %s: %s", rel, err);
			continue;
		}
		dc_scanner *s = dc_scanner_new(g.width, g.height);
		int n = dc_scanner_scan(s, g.y, g.width, g.height, g.stride);
		CHECK_MSG(n == 1, "%s: %d codes", rel, n);
		if (n >= 1) {
			const char *txt = dc_scanner_text(s, 0, &lens[got]);
			texts[got] = strdup(txt);
			got++;
		}
		dc_scanner_free(s);
		dc_grey_free(&g);
	}
	dc_record r;
	dc_verify_opts o = {.trust = t, .now = NOW};
	dc_err e = dc_verify_texts(&o, (const char *const *)texts, lens, (size_t)got, &r);
	CHECK_MSG(e == want, "example %02d png: %s, want %s", ex, dc_err_code(e), dc_err_code(want));
	for (int c = 0; c < got; c++)
		free(texts[c]);
	dc_record_wipe(&r);
}

int main(void)
{
	dc_trust *t = spec_trust(true);
	dc_record r;

	verify_numeric(t, 0, 1, DC_OK, &r);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_VERIFIED);
	CHECK_EQ_INT(r.format, DC_FORMAT_SHC);
	CHECK_STR(r.issuer, SPEC_ISS);
	CHECK_STR(r.issuer_name, "SMART spec examples");
	CHECK_STR(r.name, "John B. Anyperson");
	CHECK_STR(r.family_name, "Anyperson");
	CHECK_STR(r.birth_date, "1951-01-20");
	CHECK_EQ_INT(r.n_events, 3);
	CHECK_EQ_INT(r.events[0].kind, DC_EVENT_VACCINATION);
	CHECK_STR(r.events[0].code, "207");
	CHECK_STR(r.events[0].product, "Moderna COVID-19");
	CHECK_STR(r.events[0].date, "2021-01-01");
	CHECK_STR(r.events[0].lot, "0000001");
	CHECK_STR(r.events[0].performer, "ABC General Hospital");
	CHECK_STR(r.events[0].status, "completed");
	CHECK_EQ_INT(r.events[0].dose_number, 1);
	CHECK_EQ_INT(r.events[0].series_doses, 2);
	CHECK_EQ_INT(r.events[1].dose_number, 2);
	CHECK_EQ_INT(r.events[2].dose_number, 3);
	CHECK_EQ_INT(r.issued_at, 1687450764);
	CHECK_EQ_INT(r.expires_at, 0);
	CHECK_STR(r.kid, "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
	dc_record_wipe(&r);

	verify_numeric(t, 1, 1, DC_OK, &r);
	CHECK_STR(r.name, "John B. Anyperson");
	dc_record_wipe(&r);

	/* 02: three chunks, a lab bundle without a Patient resource */
	verify_numeric(t, 2, 3, DC_OK, &r);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_VERIFIED);
	CHECK_STR(r.name, "");
	dc_record_wipe(&r);

	/* 03: listed in the issuer's CRL as rid.timestamp after its nbf */
	verify_numeric(t, 3, 1, DC_E_REVOKED, &r);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_REVOKED);
	CHECK_STR(r.name, ""); /* nothing personal shown for a revoked card */
	dc_record_wipe(&r);

	/* Without the CRL 03 would verify at a time before its exp. */
	{
		dc_trust *t2 = spec_trust(false);
		char *txt;
		size_t len;
		txt = read_shared(EX "example-03-f-qr-code-numeric-value-0.txt", &len);
		dc_verify_opts o = {.trust = t2, .now = 1700000000};
		CHECK_EQ_INT(dc_verify_text(&o, txt, len, &r), DC_OK);
		/* and at NOW it is past its exp */
		o.now = NOW;
		CHECK_EQ_INT(dc_verify_text(&o, txt, len, &r), DC_E_EXPIRED);
		free(txt);
		dc_record_wipe(&r);
		dc_trust_free(t2);
	}

	/* The same cards from the example JWS files. */
	for (int ex = 0; ex <= 2; ex++) {
		char rel[96];
		size_t len;
		snprintf(rel, sizeof rel, EX "example-%02d-d-jws.txt", ex);
		char *jws = read_shared(rel, &len);
		CHECK_EQ_INT(dc_shc_verify_jws(t, NOW, jws, len, &r), DC_OK);
		free(jws);
		dc_record_wipe(&r);
	}

	/* From the PNG images, through ZBar. */
	verify_png(t, 0, 1, DC_OK);
	verify_png(t, 1, 1, DC_OK);
	verify_png(t, 2, 3, DC_OK);
	verify_png(t, 3, 1, DC_E_REVOKED);

	/* An empty trust store: issuer not trusted, never verified. */
	{
		dc_trust *empty = dc_trust_new();
		verify_numeric(empty, 0, 1, DC_E_ISSUER_UNTRUSTED, &r);
		CHECK_EQ_INT(r.verdict, DC_VERDICT_ISSUER_NOT_TRUSTED);
		CHECK_STR(r.issuer, SPEC_ISS);
		CHECK_STR(r.name, "");
		dc_trust_free(empty);
	}
	dc_trust_free(t);
	return dc_test_done();
}
