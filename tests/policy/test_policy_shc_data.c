/*
 * The policy on real SMART Health Cards: the specification's examples
 * ($DC_SHARED/testdata/shc/spec-examples) verified by the SHC verifier
 * against the spec issuer's keys, then evaluated at chosen times. This
 * checks the verifier -> policy contract (CVX series length, dose order,
 * status, dates) on cards the project did not write.
 *
 * example-00: Moderna (CVX 207) on 2021-01-01 and 2021-01-29, Moderna
 *             bivalent (CVX 229) on 2022-09-05.
 * example-02: lab results, none of them a COVID-19 test.
 * example-03: revoked by the issuer's CRL.
 */
#include <stdlib.h>
#include <string.h>

#include "dc_policy.h"
#include "dc_test.h"
#include "dc_trust.h"
#include "dc_verify.h"

#define EX "testdata/shc/spec-examples/"
#define SPEC_ISS "https://spec.smarthealth.cards/examples/issuer"
#define VERIFY_AT 1767225600.0 /* 2026-01-01T00:00:00Z */
#define DAY 86400.0
#define T_2022_09_05 1662336000.0 /* 2022-09-05T00:00:00Z */
#define T_2021_01_29 1611878400.0 /* 2021-01-29T00:00:00Z */

static char *read_shared(const char *rel, size_t *len)
{
	char *p = dc_test_read(dc_test_path("DC_SHARED", rel), len);
	if (!p) {
		fprintf(stderr, "missing shared test data %s\n", rel);
		exit(77);
	}
	while (*len && (p[*len - 1] == '\n' || p[*len - 1] == '\r'))
		p[--*len] = 0;
	return p;
}

static dc_err verify(const dc_trust *t, const char *rel, dc_record *r)
{
	size_t len;
	char *text = read_shared(rel, &len);
	dc_verify_opts o = {.trust = t, .now = VERIFY_AT};
	dc_err e = dc_verify_text(&o, text, len, r);
	free(text);
	return e;
}

#define EXPECT(p, r, now, outcome_, code_, reason_) do { \
	dc_policy_result res_; \
	dc_policy_evaluate((p), (r), (now), &res_); \
	CHECK_EQ_INT(res_.outcome, (outcome_)); \
	CHECK_STR(res_.code, (code_)); \
	CHECK_STR(res_.reason, (reason_)); \
} while (0)

int main(void)
{
	size_t len;
	dc_record r;
	char err[160];
	dc_trust *t = dc_trust_new();
	char *jwks = read_shared(EX "issuer-jwks.json", &len);
	CHECK_EQ_INT(dc_trust_add_jwks(t, SPEC_ISS, "SMART spec examples", (uint8_t *)jwks, len),
		     DC_OK);
	free(jwks);
	char *crl = read_shared(EX "issuer-crl-3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
				&len);
	CHECK_EQ_INT(dc_trust_add_crl(t, SPEC_ISS, (uint8_t *)crl, len), DC_OK);
	free(crl);
	dc_core_init();

	dc_policy *def = dc_policy_new_default();
	const char *limited_text = "max_days_after_last_dose = 270\n";
	dc_policy *limited = dc_policy_parse((const uint8_t *)limited_text, strlen(limited_text),
					     err, sizeof err);
	CHECK(limited != NULL);
	const char *pfizer_text = "vaccine_products = 208, 217\n";
	dc_policy *pfizer = dc_policy_parse((const uint8_t *)pfizer_text, strlen(pfizer_text),
					    err, sizeof err);
	CHECK(pfizer != NULL);

	/* example-00: three Moderna doses. */
	CHECK_EQ_INT(verify(t, EX "example-00-f-qr-code-numeric-value-0.txt", &r), DC_OK);
	CHECK_EQ_INT(r.n_events, 3);
	/* Dose 2 completes the 2-dose series: from day 14 on it admits, and
	 * keeps admitting under the default (no upper limit). */
	EXPECT(def, &r, T_2021_01_29 + 14 * DAY, DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	EXPECT(def, &r, T_2022_09_05 + 2 * DAY, DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 586 days ago");
	/* With a 270-day limit the old series no longer admits; the bivalent
	 * dose (the card's third, a one-dose series) does from its day 14. */
	EXPECT(limited, &r, T_2022_09_05 + 2 * DAY, DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 2 days ago (needs 14)");
	EXPECT(limited, &r, T_2022_09_05 + 14 * DAY, DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 3 (booster), 14 days ago");
	EXPECT(limited, &r, T_2022_09_05 + 271 * DAY, DC_POLICY_FAIL, "dose_too_old",
	       "Last dose 271 days ago (limit 270)");
	EXPECT(pfizer, &r, T_2022_09_05 + 30 * DAY, DC_POLICY_FAIL, "product_not_accepted",
	       "Vaccine not accepted here: Moderna COVID-19 bivalent");
	dc_record_wipe(&r);

	/* example-02: a lab report without a COVID-19 result. */
	const char *const chunks[] = {EX "example-02-f-qr-code-numeric-value-0.txt",
				      EX "example-02-f-qr-code-numeric-value-1.txt",
				      EX "example-02-f-qr-code-numeric-value-2.txt"};
	char *texts[3];
	size_t lens[3];
	for (int i = 0; i < 3; i++)
		texts[i] = read_shared(chunks[i], &lens[i]);
	dc_verify_opts o = {.trust = t, .now = VERIFY_AT};
	CHECK_EQ_INT(dc_verify_texts(&o, (const char *const *)texts, lens, 3, &r), DC_OK);
	for (int i = 0; i < 3; i++)
		free(texts[i]);
	EXPECT(def, &r, VERIFY_AT, DC_POLICY_FAIL, "no_qualifying_event",
	       "Record lists no vaccination, test or recovery");
	dc_record_wipe(&r);

	/* example-03: revoked. The verifier's reason, whatever the policy. */
	CHECK_EQ_INT(verify(t, EX "example-03-f-qr-code-numeric-value-0.txt", &r), DC_E_REVOKED);
	EXPECT(def, &r, VERIFY_AT, DC_POLICY_NOT_VALID, "not_valid", "Record was revoked by its issuer");
	dc_record_wipe(&r);

	dc_policy_free(def);
	dc_policy_free(limited);
	dc_policy_free(pfizer);
	dc_trust_free(t);
	return dc_test_done();
}
