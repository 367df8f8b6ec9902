/*
 * Fuzzes the venue policy file parser, and the event date parser behind
 * dc_policy_evaluate.
 *
 * Properties checked beyond "no crash, no sanitizer report":
 *  - a parsed policy written out with dc_policy_write parses back to a policy
 *    that writes the same text (the admin view never lies about the rule);
 *  - a parse error always leaves a non-empty, NUL-terminated message;
 *  - evaluation always yields one of the three outcomes, with a non-empty
 *    code and reason, and never PASS for a record that is not verified.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_policy.h"

static void event_dates(dc_event *e, const uint8_t *data, size_t size)
{
	/* The input (cut to fit) becomes every date field of the event. */
	size_t n = size < sizeof e->date - 1 ? size : sizeof e->date - 1;
	memcpy(e->date, data, n);
	e->date[n] = 0;
	n = size < sizeof e->valid_from - 1 ? size : sizeof e->valid_from - 1;
	memcpy(e->valid_from, data, n);
	e->valid_from[n] = 0;
	memcpy(e->valid_until, data, n);
	e->valid_until[n] = 0;
}

static void check_result(const dc_policy_result *res)
{
	if (res->outcome != DC_POLICY_PASS && res->outcome != DC_POLICY_FAIL &&
	    res->outcome != DC_POLICY_NOT_VALID)
		abort();
	if (!memchr(res->code, 0, sizeof res->code) || !res->code[0])
		abort();
	if (!memchr(res->reason, 0, sizeof res->reason) || !res->reason[0])
		abort();
}

static void evaluate_all(const dc_policy *p, const uint8_t *data, size_t size)
{
	static dc_record r;
	dc_policy_result res;
	/* 2021-07-01T00:00:00Z and a far-future instant. */
	static const double nows[] = {1625097600.0, 4102444800.0};

	memset(&r, 0, sizeof r);
	r.format = DC_FORMAT_DCC;
	r.reason = DC_OK;
	r.verdict = DC_VERDICT_VERIFIED;
	r.n_events = 3;
	r.events[0].kind = DC_EVENT_VACCINATION;
	strcpy(r.events[0].code, "EU/1/20/1528");
	r.events[0].dose_number = 2;
	r.events[0].series_doses = 2;
	r.events[1].kind = DC_EVENT_TEST;
	strcpy(r.events[1].test_type_code, "LP217198-3");
	strcpy(r.events[1].result_code, "260415000");
	r.events[2].kind = DC_EVENT_RECOVERY;
	for (size_t i = 0; i < r.n_events; i++)
		event_dates(&r.events[i], data, size);

	for (size_t i = 0; i < sizeof nows / sizeof nows[0]; i++) {
		dc_policy_evaluate(p, &r, nows[i], &res);
		check_result(&res);
	}
	r.reason = DC_E_REVOKED;
	r.verdict = DC_VERDICT_REVOKED;
	dc_policy_evaluate(p, &r, nows[0], &res);
	check_result(&res);
	if (res.outcome != DC_POLICY_NOT_VALID)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[160];
	static char text1[8192], text2[8192];
	dc_policy *p = NULL, *q = NULL, *def = NULL;

	err[0] = 0;
	p = dc_policy_parse(data, size, err, sizeof err);
	if (!p) {
		if (!memchr(err, 0, sizeof err) || !err[0])
			abort();
	} else {
		size_t n1 = dc_policy_write(p, text1, sizeof text1);
		if (n1 >= sizeof text1)
			abort();
		q = dc_policy_parse((const uint8_t *)text1, n1, err, sizeof err);
		if (!q)
			abort();
		size_t n2 = dc_policy_write(q, text2, sizeof text2);
		if (n1 != n2 || memcmp(text1, text2, n1) != 0)
			abort();
		evaluate_all(p, data, size);
	}

	def = dc_policy_new_default();
	if (def)
		evaluate_all(def, data, size);

	dc_policy_free(p);
	dc_policy_free(q);
	dc_policy_free(def);
	return 0;
}
