/*
 * Venue policy tests. Records are filled in here, shaped the way the SHC and
 * DCC verifiers agreed to fill them (see dc_record.h and docs/policy.md), so
 * these tests do not depend on either verifier. Times come from timegm(), an
 * oracle independent of the policy's own date arithmetic.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "dc_test.h"
#include "dc_policy.h"

#define CVX "http://hl7.org/fhir/sid/cvx"
#define EU_MP "https://ec.europa.eu/health/documents/community-register/html/"
#define NAAT "LP6464-4"
#define ANTIGEN "LP217198-3"
#define NOT_DETECTED "260415000"
#define NEGATIVE_SHC "260385009"
#define DETECTED "260373001"
#define POSITIVE_SHC "10828004"

#define HOUR 3600.0
#define DAY 86400.0

static double at(int y, int mo, int d, int hh, int mm, int ss)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return (double)timegm(&tm);
}

static void rec(dc_record *r, dc_format f)
{
	memset(r, 0, sizeof *r);
	r->format = f;
	r->reason = DC_OK;
	r->verdict = DC_VERDICT_VERIFIED;
}

static dc_event *ev(dc_record *r, dc_event_kind k)
{
	dc_event *e = &r->events[r->n_events++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	return e;
}

/* SHC immunization: CVX code, FHIR status, position among COVID-19 doses. */
static void shc_dose(dc_record *r, const char *cvx, const char *product, const char *date,
		     int dose, int series, const char *status)
{
	dc_event *e = ev(r, DC_EVENT_VACCINATION);
	snprintf(e->system, sizeof e->system, "%s", CVX);
	snprintf(e->code, sizeof e->code, "%s", cvx);
	snprintf(e->product, sizeof e->product, "%s", product);
	snprintf(e->date, sizeof e->date, "%s", date);
	snprintf(e->status, sizeof e->status, "%s", status);
	/* As dc_shc fills it from the CVX table's covid19 flag. */
	snprintf(e->disease, sizeof e->disease, "%s", series ? "COVID-19" : "");
	e->dose_number = dose;
	e->series_doses = series;
}

/* DCC v entry: mp, dn/sd, dt; no status. */
static void dcc_dose(dc_record *r, const char *mp, const char *product, const char *dt,
		     int dn, int sd)
{
	dc_event *e = ev(r, DC_EVENT_VACCINATION);
	snprintf(e->system, sizeof e->system, "%s", EU_MP);
	snprintf(e->code, sizeof e->code, "%s", mp);
	snprintf(e->product, sizeof e->product, "%s", product);
	snprintf(e->date, sizeof e->date, "%s", dt);
	snprintf(e->disease, sizeof e->disease, "COVID-19");
	e->dose_number = dn;
	e->series_doses = sd;
}

static void test_event(dc_record *r, const char *type, const char *result, const char *sc)
{
	dc_event *e = ev(r, DC_EVENT_TEST);
	snprintf(e->test_type_code, sizeof e->test_type_code, "%s", type);
	snprintf(e->result_code, sizeof e->result_code, "%s", result);
	snprintf(e->date, sizeof e->date, "%s", sc);
}

static void recovery(dc_record *r, const char *fr, const char *df, const char *du)
{
	dc_event *e = ev(r, DC_EVENT_RECOVERY);
	snprintf(e->date, sizeof e->date, "%s", fr);
	snprintf(e->valid_from, sizeof e->valid_from, "%s", df);
	snprintf(e->valid_until, sizeof e->valid_until, "%s", du);
}

static dc_policy *parse(const char *text)
{
	char err[200] = "";
	dc_policy *p = dc_policy_parse((const uint8_t *)text, strlen(text), err, sizeof err);
	CHECK_MSG(p != NULL, "policy did not parse: %s", err);
	return p;
}

/* Expects a parse error with exactly this message. */
static void parse_err(const char *text, size_t len, const char *want)
{
	char err[200] = "";
	dc_policy *p = dc_policy_parse((const uint8_t *)text, len, err, sizeof err);
	CHECK_MSG(p == NULL, "policy parsed but should fail with \"%s\"", want);
	CHECK_STR(err, want);
	dc_policy_free(p);
}

#define EXPECT(p, r, now, outcome_, code_, reason_) do { \
	dc_policy_result res_; \
	memset(&res_, 0x5a, sizeof res_); \
	dc_policy_evaluate((p), (r), (now), &res_); \
	CHECK_EQ_INT(res_.outcome, (outcome_)); \
	CHECK_STR(res_.code, (code_)); \
	CHECK_STR(res_.reason, (reason_)); \
} while (0)

/* Literal text with its exact size (it may hold a NUL byte). */
#define PERR(lit, want) parse_err((lit), sizeof(lit) - 1, (want))

static const char *default_text =
	"accept_vaccination = true\n"
	"accept_test = true\n"
	"accept_recovery = true\n"
	"vaccine_products = any\n"
	"require_complete_series = true\n"
	"min_days_after_last_dose = 14\n"
	"max_days_after_last_dose = 0\n"
	"test_types = NAAT, antigen\n"
	"max_test_age_hours_naat = 72\n"
	"max_test_age_hours_antigen = 24\n"
	"recovery_min_days = 11\n"
	"recovery_max_days = 180\n";

static void test_defaults(void)
{
	char buf[1024], buf2[1024];
	dc_policy *def = dc_policy_new_default();
	CHECK(def != NULL);
	size_t n = dc_policy_write(def, buf, sizeof buf);
	CHECK_EQ_INT(n, strlen(default_text));
	CHECK_STR(buf, default_text);

	/* An empty file, or one of comments only, is the default policy. */
	dc_policy *empty = parse("");
	dc_policy_write(empty, buf2, sizeof buf2);
	CHECK_STR(buf2, default_text);
	dc_policy *comments = parse("# nothing here\n\n   # indented comment\r\n");
	dc_policy_write(comments, buf2, sizeof buf2);
	CHECK_STR(buf2, default_text);

	/* The shipped, documented file must say exactly what the defaults say. */
	size_t len = 0;
	char *conf = dc_test_read(dc_test_path("DC_SOURCE_ROOT", "boards/common/policy.conf"), &len);
	CHECK_MSG(conf != NULL, "cannot read boards/common/policy.conf");
	if (conf) {
		char err[200] = "";
		dc_policy *shipped = dc_policy_parse((const uint8_t *)conf, len, err, sizeof err);
		CHECK_MSG(shipped != NULL, "boards/common/policy.conf: %s", err);
		dc_policy_write(shipped, buf2, sizeof buf2);
		CHECK_STR(buf2, default_text);
		dc_policy_free(shipped);
		free(conf);
	}

	/* Truncated output still reports the full length, like snprintf. */
	char small[10];
	CHECK_EQ_INT(dc_policy_write(def, small, sizeof small), strlen(default_text));
	CHECK_STR(small, "accept_va");
	CHECK_EQ_INT(dc_policy_write(def, NULL, 0), strlen(default_text));

	CHECK_STR(dc_policy_outcome_code(DC_POLICY_PASS), "pass");
	CHECK_STR(dc_policy_outcome_code(DC_POLICY_FAIL), "fail");
	CHECK_STR(dc_policy_outcome_code(DC_POLICY_NOT_VALID), "not_valid");
	dc_policy_free(NULL);
	dc_policy_free(def);
	dc_policy_free(empty);
	dc_policy_free(comments);
}

static void test_round_trip(void)
{
	char a[1024], b[1024];
	dc_policy *p = parse("\xEF\xBB\xBF# venue rule\r\n"
			     "accept_test = FALSE   # vaccinated or recovered only\r\n"
			     "vaccine_products = 207, 208 ,EU/1/20/1528,eu/1/20/1528\r\n"
			     "min_days_after_last_dose=7\n"
			     "max_days_after_last_dose = 270\n"
			     "test_types = antigen\n"
			     "max_test_age_hours_antigen = 48\n"
			     "recovery_min_days = 0\n"
			     "recovery_max_days = 0");
	dc_policy_write(p, a, sizeof a);
	CHECK_STR(a, "accept_vaccination = true\n"
		     "accept_test = false\n"
		     "accept_recovery = true\n"
		     "vaccine_products = 207, 208, EU/1/20/1528\n"
		     "require_complete_series = true\n"
		     "min_days_after_last_dose = 7\n"
		     "max_days_after_last_dose = 270\n"
		     "test_types = antigen\n"
		     "max_test_age_hours_naat = 72\n"
		     "max_test_age_hours_antigen = 48\n"
		     "recovery_min_days = 0\n"
		     "recovery_max_days = 0\n");
	dc_policy *q = parse(a);
	dc_policy_write(q, b, sizeof b);
	CHECK_STR(b, a);
	dc_policy_free(p);
	dc_policy_free(q);
}

static void test_parser_errors(void)
{
	PERR("accept_test = true\n\naccept_vacination = true\n",
		  "line 3: unknown key 'accept_vacination'");
	PERR("min_days_after_last_dose = 14d\n",
		  "line 1: min_days_after_last_dose: '14d' is not a whole number from 0 to 3650");
	PERR("min_days_after_last_dose = -1\n",
		  "line 1: min_days_after_last_dose: '-1' is not a whole number from 0 to 3650");
	PERR("recovery_max_days = 99999999999\n",
		  "line 1: recovery_max_days: '99999999999' is not a whole number from 0 to 3650");
	PERR("max_test_age_hours_naat = 0\n",
		  "line 1: max_test_age_hours_naat: '0' is not a whole number from 1 to 8760");
	PERR("accept_test = true\n# c\nmin_days_after_last_dose = 7\naccept_test = false\n",
		  "line 4: duplicate key 'accept_test' (first set on line 1)");
	PERR("accept_test = yes\n", "line 1: accept_test: 'yes' is not true or false");
	PERR("accept_test\n", "line 1: expected 'key = value', got 'accept_test'");
	PERR("accept_test =   # later\n", "line 1: accept_test has no value");
	PERR("vaccine_products = 207,,208\n", "line 1: vaccine_products: empty item in list");
	PERR("vaccine_products = 207,\n", "line 1: vaccine_products: empty item in list");
	PERR("vaccine_products = any, 207\n",
		  "line 1: vaccine_products: 'any' cannot be combined with product codes");
	PERR("vaccine_products = EU/1/20/1528 Comirnaty\n",
		  "line 1: vaccine_products: product code 'EU/1/20/1528 Comirnaty' has a space or "
		  "non-ASCII character");
	PERR("vaccine_products = 0123456789012345678901234567890123\n",
		  "line 1: vaccine_products: product code '0123456789012345678901234567890123' is "
		  "longer than 31 characters");
	PERR("test_types = NAAT, LAMP\n",
		  "line 1: test_types: unknown test type 'LAMP' (use NAAT, antigen)");
	PERR("Accept_Test = true\n", "line 1: unknown key 'Accept_Test'");
	PERR("min_days_after_last_dose = 14\nmax_days_after_last_dose = 10\n",
		  "line 2: max_days_after_last_dose (10) is less than min_days_after_last_dose (14)");
	PERR("recovery_max_days = 10\n",
		  "line 1: recovery_max_days (10) is less than recovery_min_days (11)");
	PERR("accept_vaccination = false\naccept_test = false\naccept_recovery = false\n",
		  "line 3: policy admits nobody: accept_vaccination, accept_test and "
		  "accept_recovery are all false");
	PERR("accept_test = true\naccept\0_test = true\n", "line 2: contains a NUL byte");
	PERR("\x01\xff = 1\n", "line 1: unknown key '?\?'");

	static char big[DC_POLICY_MAX_FILE_SIZE + 2];
	memset(big, '#', sizeof big);
	parse_err(big, sizeof big, "policy file is larger than 65536 bytes");
	memset(big, ' ', 1100);
	memcpy(big + 1100, "\naccept_test = true\n", 20);
	parse_err(big, 1120, "line 1: longer than 1024 characters");

	/* A NULL error buffer is allowed. */
	CHECK(dc_policy_parse((const uint8_t *)"bogus = 1", 9, NULL, 0) == NULL);
	/* Reading stops at len, not at a NUL terminator. */
	dc_policy *p = dc_policy_parse((const uint8_t *)"accept_test = falsebogus", 19, NULL, 0);
	CHECK(p != NULL);
	dc_policy_free(p);
}

static void test_dcc_vaccination(void)
{
	dc_policy *p = dc_policy_new_default();
	dc_record r;
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-06-16", 2, 2);

	/* Date-only dose = 2021-06-16T00:00:00Z; day 14 starts 14*24 h later. */
	EXPECT(p, &r, at(2021, 6, 30, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	EXPECT(p, &r, at(2021, 6, 29, 23, 59, 59), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 13 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 29, 23, 59, 59) + 0.999, DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 13 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 21, 12, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 5 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 17, 0, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 1 day ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 16, 23, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose was today (needs 14 days)");
	/* Future-dated dose: never admits, points at the clock. */
	EXPECT(p, &r, at(2021, 6, 15, 23, 59, 59), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose is dated in the future: check the device clock");
	/* Default has no upper limit. */
	EXPECT(p, &r, at(2024, 1, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 929 days ago");

	/* 1/2: incomplete however long ago. */
	r.events[0].dose_number = 1;
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_FAIL, "series_incomplete",
	       "Series incomplete: 1 of 2 doses");
	/* Janssen 1/1 is complete; booster 3/3 too. */
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1525", "COVID-19 Vaccine Janssen", "2021-06-01", 1, 1);
	EXPECT(p, &r, at(2021, 6, 15, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 1 of 1, 14 days ago");
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1507", "Spikevax", "2021-12-01", 3, 3);
	EXPECT(p, &r, at(2021, 12, 20, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 3 of 3, 19 days ago");
	/* A dt with a time (seen in some national test data). */
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-06-16T10:00:00", 2, 2);
	EXPECT(p, &r, at(2021, 6, 30, 9, 59, 59), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 13 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 30, 10, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	dc_policy_free(p);

	/* Product list and the maximum age of the last dose. */
	p = parse("vaccine_products = 207, eu/1/20/1507\n"
		  "max_days_after_last_dose = 270\n");
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-06-16", 2, 2);
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_FAIL, "product_not_accepted",
	       "Vaccine not accepted here: Comirnaty");
	snprintf(r.events[0].product, sizeof r.events[0].product, "%s", "");
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_FAIL, "product_not_accepted",
	       "Vaccine not accepted here: EU/1/20/1528");
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1507", "Spikevax", "2021-01-01", 2, 2);
	EXPECT(p, &r, at(2021, 1, 1, 0, 0, 0) + 270 * DAY, DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 270 days ago");
	EXPECT(p, &r, at(2021, 1, 1, 0, 0, 0) + 271 * DAY, DC_POLICY_FAIL, "dose_too_old",
	       "Last dose 271 days ago (limit 270)");
	dc_policy_free(p);
}

static void test_shc_vaccination(void)
{
	dc_policy *p = dc_policy_new_default();
	dc_record r;

	/* Two Pfizer doses: at day 5 after dose 2 the reason is about dose 2. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-05-01", 1, 2, "completed");
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-05-22", 2, 2, "completed");
	EXPECT(p, &r, at(2021, 5, 27, 8, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 5 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 6, 5, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	/* Order on the card does not decide which dose is "last". */
	dc_event tmp = r.events[0];
	r.events[0] = r.events[1];
	r.events[1] = tmp;
	EXPECT(p, &r, at(2021, 5, 27, 8, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 5 days ago (needs 14)");

	/* Only the first dose on the card. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "207", "Moderna COVID-19", "2021-05-01", 1, 2, "completed");
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_FAIL, "series_incomplete",
	       "Series incomplete: 1 of 2 doses");
	/* CVX code with no known series length (e.g. 213, unspecified). */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "213", "COVID-19, unspecified", "2021-05-01", 1, 0, "completed");
	snprintf(r.events[0].disease, sizeof r.events[0].disease, "COVID-19");
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_FAIL, "series_incomplete",
	       "Series incomplete: doses needed for COVID-19, unspecified unknown");

	/* A dose with a time and zone: 20:00 -07:00 is 03:00 UTC the next day. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "212", "Janssen COVID-19", "2021-06-16T20:00:00-07:00", 1, 1, "completed");
	EXPECT(p, &r, at(2021, 7, 1, 2, 59, 59), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 13 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 7, 1, 3, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 1 of 1, 14 days ago");

	/* A dose not recorded as completed never counts. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "212", "Janssen COVID-19", "2021-01-01", 1, 1, "entered-in-error");
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_FAIL, "dose_not_completed",
	       "Dose is not recorded as completed");
	/* ... but a completed dose beside it is judged on its own. */
	shc_dose(&r, "212", "Janssen COVID-19", "2021-06-01", 1, 1, "completed");
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 1 of 1, 30 days ago");
	r.events[1].date[0] = 0;
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_FAIL, "dose_not_completed",
	       "Dose is not recorded as completed");

	/* Unreadable and partial dates. */
	static const char *const bad[] = {
		"", "2021", "2021-06", "2021-02-29", "2021-13-01", "2021-06-01T25:00:00Z",
		"2021-06-01T12", "2021-06-01T12:00:00+2", "2021-06-01T12:00:00Q",
		"2021-06-01T12:00:00.Z", "2021-06-01x", "21-06-01", "2021-06-01T12:00:00Z ",
		"2021-06-01T12:60:00Z", "2021-06-01T12:00:00+24:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rec(&r, DC_FORMAT_SHC);
		shc_dose(&r, "207", "Moderna COVID-19", bad[i], 2, 2, "completed");
		EXPECT(p, &r, at(2022, 1, 1, 0, 0, 0), DC_POLICY_FAIL, "date_unreadable",
		       "Dose date is missing or unreadable");
	}
	/* Readable variants, all the same instant 2021-06-01T10:00:00Z. */
	static const char *const good[] = {
		"2021-06-01T10:00:00Z", "2021-06-01t10:00:00z", "2021-06-01 10:00:00Z",
		"2021-06-01T10:00Z", "2021-06-01T12:00:00+02:00", "2021-06-01T12:00:00+0200",
		"2021-06-01T12:00:00+02", "2021-06-01T10:00:00.999Z", "2021-06-01T10:00:00",
		"2021-06-01T06:30:00-03:30", "2021-06-01T12:00:00.123456+02:00",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		rec(&r, DC_FORMAT_SHC);
		shc_dose(&r, "207", "Moderna COVID-19", good[i], 2, 2, "completed");
		EXPECT(p, &r, at(2021, 6, 15, 9, 59, 59), DC_POLICY_FAIL, "dose_too_recent",
		       "Last dose 13 days ago (needs 14)");
		EXPECT(p, &r, at(2021, 6, 15, 10, 0, 0), DC_POLICY_PASS, "pass",
		       "Vaccinated: dose 2 of 2, 14 days ago");
	}
	/* Leap day and a leap second are real dates. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "207", "Moderna COVID-19", "2020-02-29", 2, 2, "completed");
	EXPECT(p, &r, at(2020, 3, 14, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "207", "Moderna COVID-19", "2016-12-31T23:59:60Z", 2, 2, "completed");
	EXPECT(p, &r, at(2017, 1, 14, 23, 59, 59), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	/* A fresh booster does not take away a complete series that admits. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-01-01", 1, 2, "completed");
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-01-22", 2, 2, "completed");
	shc_dose(&r, "207", "Moderna COVID-19", "2021-05-01", 3, 2, "completed");
	EXPECT(p, &r, at(2021, 5, 4, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 102 days ago");
	EXPECT(p, &r, at(2021, 5, 15, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 3 (booster), 14 days ago");

	/* `any` is any COVID-19 vaccine: a flu shot on the card never admits,
	 * and does not hide the COVID-19 doses' reason when it is older. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "140", "Influenza, seasonal", "2021-06-20", 1, 0, "completed");
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_FAIL, "product_not_accepted",
	       "Not a known COVID-19 vaccine: Influenza, seasonal");
	shc_dose(&r, "207", "Moderna COVID-19", "2021-08-30", 2, 2, "completed");
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 2 days ago (needs 14)");
	EXPECT(p, &r, at(2021, 9, 13, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 14 days ago");
	dc_policy_free(p);
	/* Listed by code, the operator's choice counts even without a disease. */
	p = parse("vaccine_products = 140\nrequire_complete_series = false\n");
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "140", "Influenza, seasonal", "2021-06-20", 1, 0, "completed");
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: last dose 73 days ago");
	dc_policy_free(p);
	p = dc_policy_new_default();
	/* A DCC value set lookup that fell back to the SNOMED code. */
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-06-01", 2, 2);
	snprintf(r.events[0].disease, sizeof r.events[0].disease, "840539006");
	EXPECT(p, &r, at(2021, 9, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 2 of 2, 92 days ago");
	dc_policy_free(p);

	/* Incomplete series accepted when the venue says so; booster resets
	 * the maximum age. */
	p = parse("require_complete_series = false\nmax_days_after_last_dose = 270\n"
		  "vaccine_products = 207, 208\n");
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "207", "Moderna COVID-19", "2021-05-01", 1, 2, "completed");
	EXPECT(p, &r, at(2021, 6, 30, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 1 of 2, 60 days ago");
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-01-01", 1, 2, "completed");
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-01-22", 2, 2, "completed");
	EXPECT(p, &r, at(2022, 1, 1, 0, 0, 0), DC_POLICY_FAIL, "dose_too_old",
	       "Last dose 344 days ago (limit 270)");
	shc_dose(&r, "207", "Moderna COVID-19", "2021-12-20", 3, 2, "completed");
	EXPECT(p, &r, at(2022, 1, 1, 0, 0, 0), DC_POLICY_FAIL, "dose_too_recent",
	       "Last dose 12 days ago (needs 14)");
	EXPECT(p, &r, at(2022, 1, 3, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Vaccinated: dose 3 (booster), 14 days ago");
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "210", "AstraZeneca COVID-19", "2021-05-01", 2, 2, "completed");
	EXPECT(p, &r, at(2021, 6, 30, 0, 0, 0), DC_POLICY_FAIL, "product_not_accepted",
	       "Vaccine not accepted here: AstraZeneca COVID-19");
	dc_policy_free(p);
}

static void test_tests(void)
{
	dc_policy *p = dc_policy_new_default();
	dc_record r;
	double sc = at(2021, 5, 29, 17, 21, 13);

	rec(&r, DC_FORMAT_DCC);
	test_event(&r, NAAT, NOT_DETECTED, "2021-05-29T19:21:13+02:00");
	EXPECT(p, &r, sc + 71 * HOUR, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 71 hours old");
	EXPECT(p, &r, sc + 72 * HOUR, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 72 hours old");
	EXPECT(p, &r, sc + 72 * HOUR + 1, DC_POLICY_FAIL, "test_too_old",
	       "Test is 73 hours old (limit 72)");
	EXPECT(p, &r, sc + 73 * HOUR, DC_POLICY_FAIL, "test_too_old", "Test is 73 hours old (limit 72)");
	EXPECT(p, &r, sc, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 0 hours old");
	EXPECT(p, &r, sc + 1 * HOUR, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 1 hour old");
	EXPECT(p, &r, sc - 1, DC_POLICY_FAIL, "test_in_future",
	       "Test is dated in the future: check the device clock");

	rec(&r, DC_FORMAT_DCC);
	test_event(&r, ANTIGEN, NOT_DETECTED, "2021-05-29T17:21:13Z");
	EXPECT(p, &r, sc + 23 * HOUR, DC_POLICY_PASS, "pass", "Negative rapid antigen test, 23 hours old");
	EXPECT(p, &r, sc + 24 * HOUR, DC_POLICY_PASS, "pass", "Negative rapid antigen test, 24 hours old");
	EXPECT(p, &r, sc + 25 * HOUR, DC_POLICY_FAIL, "test_too_old", "Test is 25 hours old (limit 24)");
	EXPECT(p, &r, sc + 24 * HOUR + 1, DC_POLICY_FAIL, "test_too_old",
	       "Test is 25 hours old (limit 24)");

	r.events[0].result_code[0] = 0;
	snprintf(r.events[0].result_code, sizeof r.events[0].result_code, "%s", DETECTED);
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "test_positive", "Test result is positive");
	snprintf(r.events[0].result_code, sizeof r.events[0].result_code, "%s", "");
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "test_result_unknown", "Test result is not recognised");

	/* SHC lab results: SNOMED negative / positive. Date-only = 00:00 UTC. */
	rec(&r, DC_FORMAT_SHC);
	test_event(&r, NAAT, NEGATIVE_SHC, "2021-05-29");
	EXPECT(p, &r, at(2021, 6, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Negative NAAT (PCR) test, 72 hours old");
	EXPECT(p, &r, at(2021, 6, 1, 0, 0, 1), DC_POLICY_FAIL, "test_too_old",
	       "Test is 73 hours old (limit 72)");
	snprintf(r.events[0].status, sizeof r.events[0].status, "preliminary");
	EXPECT(p, &r, at(2021, 5, 30, 0, 0, 0), DC_POLICY_FAIL, "test_not_final",
	       "Test result is not final");
	snprintf(r.events[0].status, sizeof r.events[0].status, "amended");
	EXPECT(p, &r, at(2021, 5, 30, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Negative NAAT (PCR) test, 24 hours old");
	snprintf(r.events[0].status, sizeof r.events[0].status, "final");
	snprintf(r.events[0].result_code, sizeof r.events[0].result_code, "%s", POSITIVE_SHC);
	EXPECT(p, &r, at(2021, 5, 30, 0, 0, 0), DC_POLICY_FAIL, "test_positive",
	       "Test result is positive");
	snprintf(r.events[0].result_code, sizeof r.events[0].result_code, "419984006");
	EXPECT(p, &r, at(2021, 5, 30, 0, 0, 0), DC_POLICY_FAIL, "test_result_unknown",
	       "Test result is inconclusive");

	rec(&r, DC_FORMAT_DCC);
	test_event(&r, "LP12345-6", NOT_DETECTED, "2021-05-29T17:21:13Z");
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "test_type_not_accepted", "Test type not recognised");
	dc_policy_free(p);

	p = parse("test_types = NAAT\nmax_test_age_hours_naat = 48\n");
	rec(&r, DC_FORMAT_DCC);
	test_event(&r, ANTIGEN, NOT_DETECTED, "2021-05-29T17:21:13Z");
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "test_type_not_accepted",
	       "Rapid antigen tests are not accepted here");
	rec(&r, DC_FORMAT_DCC);
	test_event(&r, NAAT, NOT_DETECTED, "2021-05-29T17:21:13Z");
	EXPECT(p, &r, sc + 48 * HOUR, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 48 hours old");
	EXPECT(p, &r, sc + 49 * HOUR, DC_POLICY_FAIL, "test_too_old", "Test is 49 hours old (limit 48)");
	dc_policy_free(p);

	p = parse("test_types = antigen\n");
	rec(&r, DC_FORMAT_DCC);
	test_event(&r, NAAT, NOT_DETECTED, "2021-05-29T17:21:13Z");
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "test_type_not_accepted",
	       "NAAT (PCR) tests are not accepted here");
	dc_policy_free(p);

	p = parse("accept_test = false\n");
	EXPECT(p, &r, sc + HOUR, DC_POLICY_FAIL, "tests_not_accepted", "Tests are not accepted here");
	dc_policy_free(p);
}

static void test_recovery(void)
{
	dc_policy *p = dc_policy_new_default();
	dc_record r;

	/* DCC r: fr + 11 days = df, fr + 180 days = du (as issuers do). */
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "2021-06-12", "2021-11-28");
	EXPECT(p, &r, at(2021, 6, 11, 23, 59, 59), DC_POLICY_FAIL, "recovery_not_yet_valid",
	       "Recovery certificate not valid until 2021-06-12");
	EXPECT(p, &r, at(2021, 6, 12, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Recovered: positive test 11 days ago");
	EXPECT(p, &r, at(2021, 11, 28, 23, 59, 59), DC_POLICY_PASS, "pass",
	       "Recovered: positive test 180 days ago");
	EXPECT(p, &r, at(2021, 11, 29, 0, 0, 0), DC_POLICY_FAIL, "recovery_expired",
	       "Recovery certificate expired on 2021-11-28");

	/* The venue's own window, where df/du are wider or absent. */
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "2021-06-02", "2022-06-01");
	EXPECT(p, &r, at(2021, 6, 11, 23, 59, 59), DC_POLICY_FAIL, "recovery_not_yet_valid",
	       "Recovery not valid yet: positive test 10 days ago (needs 11)");
	EXPECT(p, &r, at(2021, 11, 29, 0, 0, 0), DC_POLICY_FAIL, "recovery_expired",
	       "Recovery too old: positive test 181 days ago (limit 180)");
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "", "");
	EXPECT(p, &r, at(2021, 6, 2, 0, 0, 0), DC_POLICY_FAIL, "recovery_not_yet_valid",
	       "Recovery not valid yet: positive test 1 day ago (needs 11)");
	EXPECT(p, &r, at(2021, 5, 31, 0, 0, 0), DC_POLICY_FAIL, "recovery_not_yet_valid",
	       "Positive test is dated in the future: check the device clock");
	/* du with a time is exact. */
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "2021-06-12", "2021-08-01T12:00:00Z");
	EXPECT(p, &r, at(2021, 8, 1, 12, 0, 0), DC_POLICY_PASS, "pass",
	       "Recovered: positive test 61 days ago");
	EXPECT(p, &r, at(2021, 8, 1, 12, 0, 1), DC_POLICY_FAIL, "recovery_expired",
	       "Recovery certificate expired on 2021-08-01");
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "2021-06-31", "");
	EXPECT(p, &r, at(2021, 8, 1, 0, 0, 0), DC_POLICY_FAIL, "date_unreadable",
	       "Recovery dates are missing or unreadable");
	dc_policy_free(p);

	p = parse("recovery_min_days = 0\nrecovery_max_days = 90\n");
	rec(&r, DC_FORMAT_DCC);
	recovery(&r, "2021-06-01", "", "");
	EXPECT(p, &r, at(2021, 6, 1, 0, 0, 0), DC_POLICY_PASS, "pass",
	       "Recovered: positive test 0 days ago");
	EXPECT(p, &r, at(2021, 6, 1, 0, 0, 0) + 91 * DAY, DC_POLICY_FAIL, "recovery_expired",
	       "Recovery too old: positive test 91 days ago (limit 90)");
	dc_policy_free(p);

	p = parse("accept_recovery = false\n");
	EXPECT(p, &r, at(2021, 7, 1, 0, 0, 0), DC_POLICY_FAIL, "recovery_not_accepted",
	       "Recovery certificates are not accepted here");
	dc_policy_free(p);
}

static void test_not_valid_and_mixed(void)
{
	dc_policy *p = dc_policy_new_default();
	dc_record r;
	double now = at(2021, 7, 1, 0, 0, 0);

	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-01-01", 2, 2);
	EXPECT(p, &r, now, DC_POLICY_PASS, "pass", "Vaccinated: dose 2 of 2, 181 days ago");

	/* Anything the verifier did not verify: its own reason, never PASS. */
	static const dc_err errs[] = {DC_E_EXPIRED, DC_E_REVOKED, DC_E_ISSUER_UNTRUSTED,
				      DC_E_SIG_MISMATCH, DC_E_URL};
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		r.reason = errs[i];
		r.verdict = dc_err_verdict(errs[i]);
		EXPECT(p, &r, now, DC_POLICY_NOT_VALID, "not_valid", dc_strerror(errs[i]));
	}
	r.reason = DC_E_EXPIRED;
	r.verdict = DC_VERDICT_VERIFIED; /* inconsistent: still not valid */
	EXPECT(p, &r, now, DC_POLICY_NOT_VALID, "not_valid", "Record has expired");
	r.reason = DC_OK;
	r.verdict = DC_VERDICT_REVOKED;
	EXPECT(p, &r, now, DC_POLICY_NOT_VALID, "not_valid", "Record is not verified");
	r.verdict = DC_VERDICT_VERIFIED;

	/* A clock that cannot be right. */
	EXPECT(p, &r, NAN, DC_POLICY_NOT_VALID, "not_valid", "Device clock is not set: cannot check dates");
	EXPECT(p, &r, -1.0, DC_POLICY_NOT_VALID, "not_valid", "Device clock is not set: cannot check dates");
	EXPECT(p, &r, 1e300, DC_POLICY_NOT_VALID, "not_valid", "Device clock is not set: cannot check dates");
	EXPECT(p, NULL, now, DC_POLICY_NOT_VALID, "not_valid", "Internal error: invalid argument");
	EXPECT(NULL, &r, now, DC_POLICY_NOT_VALID, "not_valid", "Internal error: invalid argument");
	dc_policy_evaluate(p, &r, now, NULL); /* must not crash */

	/* Verified but empty. */
	rec(&r, DC_FORMAT_SHC);
	EXPECT(p, &r, now, DC_POLICY_FAIL, "no_qualifying_event",
	       "Record lists no vaccination, test or recovery");
	/* n_events beyond the array is clamped, not trusted. */
	r.n_events = 1000;
	EXPECT(p, &r, now, DC_POLICY_FAIL, "date_unreadable", "Dose date is missing or unreadable");

	/* SHC with a fresh dose and a negative test: the test admits. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-06-25", 2, 2, "completed");
	test_event(&r, NAAT, NEGATIVE_SHC, "2021-06-30T08:00:00Z");
	EXPECT(p, &r, now, DC_POLICY_PASS, "pass", "Negative NAAT (PCR) test, 16 hours old");
	/* With tests refused, the vaccination's reason is the one shown. */
	dc_policy *vax_only = parse("accept_test = false\naccept_recovery = false\n");
	EXPECT(vax_only, &r, now, DC_POLICY_FAIL, "dose_too_recent", "Last dose 6 days ago (needs 14)");
	/* A test-only record at a vaccination-only venue. */
	rec(&r, DC_FORMAT_DCC);
	test_event(&r, NAAT, NOT_DETECTED, "2021-06-30T08:00:00Z");
	EXPECT(vax_only, &r, now, DC_POLICY_FAIL, "tests_not_accepted", "Tests are not accepted here");
	dc_policy_free(vax_only);

	/* Vaccinations refused; an event kind this build does not know. */
	dc_policy *tests_only = parse("accept_vaccination = false\naccept_recovery = false\n");
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "Comirnaty", "2021-01-01", 2, 2);
	EXPECT(tests_only, &r, now, DC_POLICY_FAIL, "vaccination_not_accepted",
	       "Vaccinations are not accepted here");
	/* ... a readable test outranks the refused kind, even when older. */
	test_event(&r, NAAT, NOT_DETECTED, "not a date");
	EXPECT(tests_only, &r, now, DC_POLICY_FAIL, "date_unreadable",
	       "Test date is missing or unreadable");
	dc_policy_free(tests_only);
	rec(&r, DC_FORMAT_DCC);
	ev(&r, (dc_event_kind)7);
	EXPECT(p, &r, now, DC_POLICY_FAIL, "no_qualifying_event",
	       "Record holds an event of an unknown kind");

	/* Fields without their NUL (a buggy producer) are read within bounds. */
	rec(&r, DC_FORMAT_DCC);
	dcc_dose(&r, "EU/1/20/1528", "", "2021-01-01", 2, 2);
	memset(r.events[0].product, 'A', sizeof r.events[0].product);
	memset(r.events[0].disease, 'B', sizeof r.events[0].disease);
	memset(r.events[0].status, 'C', sizeof r.events[0].status);
	EXPECT(p, &r, now, DC_POLICY_FAIL, "dose_not_completed", "Dose is not recorded as completed");
	snprintf(r.events[0].status, sizeof r.events[0].status, "completed");
	{
		char want[160];
		snprintf(want, sizeof want, "Not a known COVID-19 vaccine: %.*s",
			 (int)sizeof r.events[0].product - 1, r.events[0].product);
		EXPECT(p, &r, now, DC_POLICY_FAIL, "product_not_accepted", want);
	}
	memset(r.events[0].date, '2', sizeof r.events[0].date);
	EXPECT(p, &r, now, DC_POLICY_FAIL, "date_unreadable", "Dose date is missing or unreadable");

	/* Among failures the latest dated event speaks: an old incomplete
	 * series versus a newer expired test. */
	rec(&r, DC_FORMAT_SHC);
	shc_dose(&r, "208", "Pfizer-BioNTech COVID-19", "2021-03-01", 1, 2, "completed");
	test_event(&r, NAAT, NEGATIVE_SHC, "2021-06-20T08:00:00Z");
	EXPECT(p, &r, now, DC_POLICY_FAIL, "test_too_old", "Test is 256 hours old (limit 72)");
	dc_policy_free(p);
}

int main(void)
{
	test_defaults();
	test_round_trip();
	test_parser_errors();
	test_dcc_vaccination();
	test_shc_vaccination();
	test_tests();
	test_recovery();
	test_not_valid_and_mixed();
	return dc_test_done();
}
