/*
 * dc_policy: venue admission rule. See dc_policy.h for the contract and
 * docs/policy.md for the file format, the defaults and how time is counted.
 *
 * Time model (kept in one place so tests and docs can match it):
 *  - every event date is turned into a UTC instant; a date without a time is
 *    that day's 00:00:00 UTC, a time without a zone is UTC;
 *  - "days since" is the number of whole 24-hour periods elapsed, "hours
 *    since" the number of whole hours; limits compare exact seconds.
 */
#include "dc_policy.h"
#include "dc_kv.h"
#include "dc_time.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits of the policy file; larger input is rejected, never truncated. */
#define POLICY_MAX_LINE 1024
#define POLICY_MAX_PRODUCTS 64
#define POLICY_MAX_CODE 32        /* same as dc_event.code */
#define POLICY_MAX_DAYS 3650
#define POLICY_MAX_HOURS 8760
#define POLICY_MAX_NUMBER_DIGITS 9

#define SECS_PER_DAY INT64_C(86400)
#define SECS_PER_HOUR INT64_C(3600)
/* 9999-12-31T23:59:59Z: any clock beyond it cannot be right. */
#define LATEST_VALID_NOW 253402300799.0

/* Agreed test type and result codes (see dc_record.h users). */
#define TT_NAAT "LP6464-4"
#define TT_ANTIGEN "LP217198-3"

struct dc_policy {
	bool accept_vaccination;
	bool accept_test;
	bool accept_recovery;
	bool any_product;
	size_t n_products;
	char products[POLICY_MAX_PRODUCTS][POLICY_MAX_CODE];
	int min_days;          /* min_days_after_last_dose */
	int max_days;          /* max_days_after_last_dose, 0 = no limit */
	bool require_complete;
	bool naat;
	bool antigen;
	int max_hours_naat;
	int max_hours_antigen;
	int recovery_min_days;
	int recovery_max_days;
};

static void set_defaults(dc_policy *p)
{
	memset(p, 0, sizeof *p);
	p->accept_vaccination = true;
	p->accept_test = true;
	p->accept_recovery = true;
	p->any_product = true;
	p->min_days = 14;
	p->max_days = 0;
	p->require_complete = true;
	p->naat = true;
	p->antigen = true;
	p->max_hours_naat = 72;
	p->max_hours_antigen = 24;
	p->recovery_min_days = 11;
	p->recovery_max_days = 180;
}

dc_policy *dc_policy_new_default(void)
{
	dc_policy *p = malloc(sizeof *p);
	if (p)
		set_defaults(p);
	return p;
}

void dc_policy_free(dc_policy *p)
{
	free(p);
}

const char *dc_policy_outcome_code(dc_policy_outcome o)
{
	switch (o) {
	case DC_POLICY_PASS: return "pass";
	case DC_POLICY_FAIL: return "fail";
	case DC_POLICY_NOT_VALID: return "not_valid";
	}
	return "not_valid";
}

/* ------------------------------------------------------------------------
 * Policy file parser
 * ---------------------------------------------------------------------- */

enum key_id {
	K_ACCEPT_VACCINATION,
	K_ACCEPT_TEST,
	K_ACCEPT_RECOVERY,
	K_VACCINE_PRODUCTS,
	K_MIN_DAYS,
	K_MAX_DAYS,
	K_REQUIRE_COMPLETE,
	K_TEST_TYPES,
	K_MAX_HOURS_NAAT,
	K_MAX_HOURS_ANTIGEN,
	K_RECOVERY_MIN,
	K_RECOVERY_MAX,
	K__COUNT
};

static const char *const key_names[K__COUNT] = {
	[K_ACCEPT_VACCINATION] = "accept_vaccination",
	[K_ACCEPT_TEST] = "accept_test",
	[K_ACCEPT_RECOVERY] = "accept_recovery",
	[K_VACCINE_PRODUCTS] = "vaccine_products",
	[K_MIN_DAYS] = "min_days_after_last_dose",
	[K_MAX_DAYS] = "max_days_after_last_dose",
	[K_REQUIRE_COMPLETE] = "require_complete_series",
	[K_TEST_TYPES] = "test_types",
	[K_MAX_HOURS_NAAT] = "max_test_age_hours_naat",
	[K_MAX_HOURS_ANTIGEN] = "max_test_age_hours_antigen",
	[K_RECOVERY_MIN] = "recovery_min_days",
	[K_RECOVERY_MAX] = "recovery_max_days",
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive (ASCII) comparison of a counted string with a C string. */
static bool eq_ci(const char *s, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n; i++) {
		if (!lit[i] || lower(s[i]) != lower(lit[i]))
			return false;
	}
	return lit[i] == 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static bool parse_bool(const char *v, size_t n, bool *out)
{
	if (eq_ci(v, n, "true")) {
		*out = true;
		return true;
	}
	if (eq_ci(v, n, "false")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_uint(const char *v, size_t n, int lo, int hi, int *out)
{
	long val = 0;
	if (n == 0 || n > POLICY_MAX_NUMBER_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		val = val * 10 + (v[i] - '0');
	}
	if (val < lo || val > hi)
		return false;
	*out = (int)val;
	return true;
}

/* Splits a comma list and calls item() on each trimmed element. An empty
 * element ("a,,b", trailing comma) is an error: it is almost always a typo. */
typedef bool (*item_fn)(dc_policy *p, const char *s, size_t n, char *why, size_t whylen);

static bool for_each_item(dc_policy *p, const char *v, size_t n, item_fn fn,
			  char *why, size_t whylen)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && v[i] != ',')
			continue;
		const char *s = v + start;
		size_t len = i - start;
		trim(&s, &len);
		if (len == 0) {
			snprintf(why, whylen, "empty item in list");
			return false;
		}
		if (!fn(p, s, len, why, whylen))
			return false;
		start = i + 1;
	}
	return true;
}

static bool add_product(dc_policy *p, const char *s, size_t n, char *why, size_t whylen)
{
	char q[64];
	if (eq_ci(s, n, "any")) {
		p->any_product = true;
		return true;
	}
	if (n >= POLICY_MAX_CODE) {
		dc_kv_quote(q, sizeof q, s, n);
		snprintf(why, whylen, "product code '%s' is longer than %d characters",
			 q, POLICY_MAX_CODE - 1);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f) {
			dc_kv_quote(q, sizeof q, s, n);
			snprintf(why, whylen, "product code '%s' has a space or non-ASCII character", q);
			return false;
		}
	}
	for (size_t i = 0; i < p->n_products; i++) {
		if (eq_ci(s, n, p->products[i]))
			return true; /* listed twice: harmless */
	}
	if (p->n_products == POLICY_MAX_PRODUCTS) {
		snprintf(why, whylen, "more than %d products", POLICY_MAX_PRODUCTS);
		return false;
	}
	memcpy(p->products[p->n_products], s, n);
	p->products[p->n_products][n] = 0;
	p->n_products++;
	return true;
}

static bool add_test_type(dc_policy *p, const char *s, size_t n, char *why, size_t whylen)
{
	char q[64];
	if (eq_ci(s, n, "naat") || eq_ci(s, n, "pcr") || eq_ci(s, n, TT_NAAT)) {
		p->naat = true;
		return true;
	}
	if (eq_ci(s, n, "antigen") || eq_ci(s, n, TT_ANTIGEN)) {
		p->antigen = true;
		return true;
	}
	dc_kv_quote(q, sizeof q, s, n);
	snprintf(why, whylen, "unknown test type '%s' (use NAAT, antigen)", q);
	return false;
}

static bool set_key(dc_policy *p, enum key_id k, const char *v, size_t n,
		    char *why, size_t whylen)
{
	bool *b = NULL;
	int *num = NULL;
	int lo = 0, hi = POLICY_MAX_DAYS;
	char q[64];

	switch (k) {
	case K_ACCEPT_VACCINATION: b = &p->accept_vaccination; break;
	case K_ACCEPT_TEST: b = &p->accept_test; break;
	case K_ACCEPT_RECOVERY: b = &p->accept_recovery; break;
	case K_REQUIRE_COMPLETE: b = &p->require_complete; break;
	case K_MIN_DAYS: num = &p->min_days; break;
	case K_MAX_DAYS: num = &p->max_days; break;
	case K_RECOVERY_MIN: num = &p->recovery_min_days; break;
	case K_RECOVERY_MAX: num = &p->recovery_max_days; break;
	case K_MAX_HOURS_NAAT: num = &p->max_hours_naat; lo = 1; hi = POLICY_MAX_HOURS; break;
	case K_MAX_HOURS_ANTIGEN: num = &p->max_hours_antigen; lo = 1; hi = POLICY_MAX_HOURS; break;
	case K_VACCINE_PRODUCTS:
		p->any_product = false;
		p->n_products = 0;
		if (!for_each_item(p, v, n, add_product, why, whylen))
			return false;
		if (p->any_product && p->n_products) {
			snprintf(why, whylen, "'any' cannot be combined with product codes");
			return false;
		}
		return true;
	case K_TEST_TYPES:
		p->naat = p->antigen = false;
		return for_each_item(p, v, n, add_test_type, why, whylen);
	case K__COUNT:
		break;
	}
	dc_kv_quote(q, sizeof q, v, n);
	if (b) {
		if (parse_bool(v, n, b))
			return true;
		snprintf(why, whylen, "'%s' is not true or false", q);
		return false;
	}
	if (num) {
		if (parse_uint(v, n, lo, hi, num))
			return true;
		snprintf(why, whylen, "'%s' is not a whole number from %d to %d", q, lo, hi);
		return false;
	}
	snprintf(why, whylen, "internal error");
	return false;
}

/* Whole-file rules that no single line can break on its own. The message
 * names the line of the key that was set last, where the conflict shows. */
static bool check_consistency(const dc_policy *p, const int line_of[K__COUNT],
			      char *why, size_t whylen)
{
	int at;
	if (!p->accept_vaccination && !p->accept_test && !p->accept_recovery) {
		at = line_of[K_ACCEPT_VACCINATION];
		if (line_of[K_ACCEPT_TEST] > at) at = line_of[K_ACCEPT_TEST];
		if (line_of[K_ACCEPT_RECOVERY] > at) at = line_of[K_ACCEPT_RECOVERY];
		snprintf(why, whylen, "line %d: policy admits nobody: accept_vaccination, "
		       "accept_test and accept_recovery are all false", at);
		return false;
	}
	if (p->max_days != 0 && p->max_days < p->min_days) {
		at = line_of[K_MAX_DAYS] > line_of[K_MIN_DAYS] ? line_of[K_MAX_DAYS]
							      : line_of[K_MIN_DAYS];
		snprintf(why, whylen, "line %d: max_days_after_last_dose (%d) is less than "
		       "min_days_after_last_dose (%d)", at, p->max_days, p->min_days);
		return false;
	}
	if (p->recovery_max_days < p->recovery_min_days) {
		at = line_of[K_RECOVERY_MAX] > line_of[K_RECOVERY_MIN] ? line_of[K_RECOVERY_MAX]
								      : line_of[K_RECOVERY_MIN];
		snprintf(why, whylen, "line %d: recovery_max_days (%d) is less than "
		       "recovery_min_days (%d)", at, p->recovery_max_days, p->recovery_min_days);
		return false;
	}
	return true;
}

struct policy_ctx {
	dc_policy *p;
	int line_of[K__COUNT];
};

static bool policy_line(void *ctx, size_t key, const char *val, size_t vlen,
			unsigned line, char *why, size_t whylen)
{
	struct policy_ctx *pc = ctx;
	char reason[160];
	enum key_id k = (enum key_id)key;
	pc->line_of[k] = (int)line;
	if (vlen == 0) {
		snprintf(why, whylen, "%s has no value", key_names[k]);
		return false;
	}
	if (!set_key(pc->p, k, val, vlen, reason, sizeof reason)) {
		snprintf(why, whylen, "%s: %s", key_names[k], reason);
		return false;
	}
	return true;
}

dc_policy *dc_policy_parse(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	static const dc_kv_format format = {
		.keys = key_names,
		.n_keys = K__COUNT,
		.max_line = POLICY_MAX_LINE,
	};
	struct policy_ctx pc = { 0 };
	char msg[256];

	if (!buf && len)
		snprintf(msg, sizeof msg, "no policy data");
	else if (len > DC_POLICY_MAX_FILE_SIZE)
		snprintf(msg, sizeof msg, "policy file is larger than %d bytes",
			 DC_POLICY_MAX_FILE_SIZE);
	else if (!(pc.p = dc_policy_new_default()))
		snprintf(msg, sizeof msg, "out of memory");
	else if (dc_kv_parse(&format, buf, len, policy_line, &pc, msg, sizeof msg) == 0 &&
		 check_consistency(pc.p, pc.line_of, msg, sizeof msg))
		return pc.p;
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	dc_policy_free(pc.p);
	return NULL;
}

/* Appends to a bounded buffer, counting what would have been written. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *dst = NULL;
	size_t room = 0;
	if (o->buf && o->len < o->cap) {
		dst = o->buf + o->len;
		room = o->cap - o->len;
	}
	va_start(ap, fmt);
	int n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

size_t dc_policy_write(const dc_policy *p, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0};
	if (buf && cap)
		buf[0] = 0;
	if (!p)
		return 0;
	put(&o, "%s = %s\n", key_names[K_ACCEPT_VACCINATION], p->accept_vaccination ? "true" : "false");
	put(&o, "%s = %s\n", key_names[K_ACCEPT_TEST], p->accept_test ? "true" : "false");
	put(&o, "%s = %s\n", key_names[K_ACCEPT_RECOVERY], p->accept_recovery ? "true" : "false");
	put(&o, "%s = ", key_names[K_VACCINE_PRODUCTS]);
	if (p->any_product)
		put(&o, "any");
	for (size_t i = 0; i < p->n_products; i++)
		put(&o, "%s%s", i ? ", " : "", p->products[i]);
	put(&o, "\n");
	put(&o, "%s = %s\n", key_names[K_REQUIRE_COMPLETE], p->require_complete ? "true" : "false");
	put(&o, "%s = %d\n", key_names[K_MIN_DAYS], p->min_days);
	put(&o, "%s = %d\n", key_names[K_MAX_DAYS], p->max_days);
	put(&o, "%s = %s%s%s\n", key_names[K_TEST_TYPES], p->naat ? "NAAT" : "",
	    p->naat && p->antigen ? ", " : "", p->antigen ? "antigen" : "");
	put(&o, "%s = %d\n", key_names[K_MAX_HOURS_NAAT], p->max_hours_naat);
	put(&o, "%s = %d\n", key_names[K_MAX_HOURS_ANTIGEN], p->max_hours_antigen);
	put(&o, "%s = %d\n", key_names[K_RECOVERY_MIN], p->recovery_min_days);
	put(&o, "%s = %d\n", key_names[K_RECOVERY_MAX], p->recovery_max_days);
	return o.len;
}

/* ------------------------------------------------------------------------
 * Dates
 * ---------------------------------------------------------------------- */

typedef struct {
	int64_t t;      /* UTC instant, unix seconds */
	int y, m, d;    /* the date as written (not shifted by the zone) */
	bool has_time;
} when;

/*
 * "YYYY-MM-DD" or "YYYY-MM-DD(T|t| )hh:mm[:ss[.frac]][Z|z|(+|-)hh[[:]mm]]",
 * read by dc_time_parse. Fractions of a second are dropped (the event becomes
 * up to a second older, never younger); a leap second :60 counts as :59.
 * Partial dates ("2021", "2021-05") are not readable: a dose month cannot
 * prove a 14-day wait.
 */
static bool parse_when(const char *field, size_t cap, when *w)
{
	size_t len = strnlen(field, cap);
	double t;

	if (len < 10 || field[0] == '@' || !dc_time_parse(field, len, &t))
		return false;
	/* dc_time_parse checked the date digits; keep the date as written. */
	w->y = (field[0] - '0') * 1000 + (field[1] - '0') * 100 + (field[2] - '0') * 10 + (field[3] - '0');
	w->m = (field[5] - '0') * 10 + (field[6] - '0');
	w->d = (field[8] - '0') * 10 + (field[9] - '0');
	w->has_time = len > 10;
	w->t = (int64_t)floor(t);
	return true;
}

/* ------------------------------------------------------------------------
 * Evaluation
 * ---------------------------------------------------------------------- */

/* How relevant a failing event's reason is: the reason shown comes from the
 * highest rank, then the latest date, then the later position. */
enum rank {
	RANK_KIND_REFUSED = 0,   /* tests at a vaccination-only venue, ... */
	RANK_NO_DATE,            /* date missing or unreadable */
	RANK_NOT_COMPLETED,      /* FHIR status other than completed */
	RANK_DATED,              /* a real candidate that missed the rule */
};

typedef struct {
	bool pass;
	enum rank rank;
	int64_t t;
	dc_policy_result res;
} verdict;

static void result(dc_policy_result *out, dc_policy_outcome o, const char *code,
		   const char *fmt, ...)
{
	va_list ap;
	out->outcome = o;
	snprintf(out->code, sizeof out->code, "%s", code);
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof out->reason, fmt, ap);
	va_end(ap);
}

/* Product text for a reason: the readable name when the verifier gave one,
 * else the code. Both are credential metadata, never personal data. Copied
 * with a bound, so a record whose field lacks its NUL cannot overrun. */
static const char *product_text(const dc_event *e, char *buf, size_t cap)
{
	const char *src = "unknown product";
	size_t n = strlen(src);
	if (e->product[0]) {
		src = e->product;
		n = strnlen(e->product, sizeof e->product);
	} else if (e->code[0]) {
		src = e->code;
		n = strnlen(e->code, sizeof e->code);
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, src, n);
	buf[n] = 0;
	return buf;
}

static const char *days_word(int64_t n)
{
	return n == 1 ? "day" : "days";
}

/* Both verifiers name the target disease of a COVID-19 event "COVID-19"
 * (SHC from the CVX table, DCC from the tg value set); the SNOMED code is
 * accepted too in case a value set lookup falls back to it. */
static bool is_covid19(const dc_event *e)
{
	size_t n = strnlen(e->disease, sizeof e->disease);
	return (n >= 8 && eq_ci(e->disease, 8, "COVID-19")) || eq_ci(e->disease, n, "840539006");
}

static bool product_accepted(const dc_policy *p, const dc_event *e)
{
	size_t n = strnlen(e->code, sizeof e->code);
	/* `any` means any COVID-19 vaccine: a flu shot on the same health card
	 * must not admit. A product the operator lists by code is their call. */
	if (p->any_product)
		return is_covid19(e);
	for (size_t i = 0; i < p->n_products; i++) {
		if (eq_ci(e->code, n, p->products[i]))
			return true;
	}
	return false;
}

static bool status_counts(const dc_event *e)
{
	size_t n = strnlen(e->status, sizeof e->status);
	/* A format without a status leaves it empty; SHC must say completed. */
	return n == 0 || eq_ci(e->status, n, "completed");
}

/* FHIR Observation statuses of a result that will not change; the DCC
 * verifier writes "completed". Preliminary or cancelled results never count. */
static bool test_status_counts(const dc_event *e)
{
	size_t n = strnlen(e->status, sizeof e->status);
	return n == 0 || eq_ci(e->status, n, "final") || eq_ci(e->status, n, "amended") ||
	       eq_ci(e->status, n, "corrected") || eq_ci(e->status, n, "completed");
}


static void eval_vaccination(const dc_policy *p, const dc_event *e, int64_t now, verdict *v)
{
	when w;
	char name[sizeof e->product];
	dc_policy_result *o = &v->res;

	if (!p->accept_vaccination) {
		v->rank = RANK_KIND_REFUSED;
		result(o, DC_POLICY_FAIL, "vaccination_not_accepted",
		       "Vaccinations are not accepted here");
		return;
	}
	if (!status_counts(e)) {
		v->rank = RANK_NOT_COMPLETED;
		result(o, DC_POLICY_FAIL, "dose_not_completed",
		       "Dose is not recorded as completed");
		return;
	}
	if (!parse_when(e->date, sizeof e->date, &w)) {
		v->rank = RANK_NO_DATE;
		result(o, DC_POLICY_FAIL, "date_unreadable", "Dose date is missing or unreadable");
		return;
	}
	v->rank = RANK_DATED;
	v->t = w.t;
	product_text(e, name, sizeof name);
	if (!product_accepted(p, e)) {
		result(o, DC_POLICY_FAIL, "product_not_accepted",
		       p->any_product ? "Not a known COVID-19 vaccine: %s"
				      : "Vaccine not accepted here: %s", name);
		return;
	}
	if (p->require_complete) {
		if (e->series_doses <= 0) {
			result(o, DC_POLICY_FAIL, "series_incomplete",
			       "Series incomplete: doses needed for %s unknown", name);
			return;
		}
		if (e->dose_number < e->series_doses) {
			result(o, DC_POLICY_FAIL, "series_incomplete",
			       "Series incomplete: %d of %d doses",
			       e->dose_number < 0 ? 0 : e->dose_number, e->series_doses);
			return;
		}
	}
	int64_t elapsed = now - w.t;
	if (elapsed < 0) {
		result(o, DC_POLICY_FAIL, "dose_too_recent",
		       "Last dose is dated in the future: check the device clock");
		return;
	}
	int64_t days = elapsed / SECS_PER_DAY;
	if (days < p->min_days) {
		if (days == 0)
			result(o, DC_POLICY_FAIL, "dose_too_recent", "Last dose was today (needs %d %s)",
			       p->min_days, days_word(p->min_days));
		else
			result(o, DC_POLICY_FAIL, "dose_too_recent", "Last dose %lld %s ago (needs %d)",
			       (long long)days, days_word(days), p->min_days);
		return;
	}
	if (p->max_days && days > p->max_days) {
		result(o, DC_POLICY_FAIL, "dose_too_old", "Last dose %lld days ago (limit %d)",
		       (long long)days, p->max_days);
		return;
	}
	v->pass = true;
	if (e->series_doses > 0 && e->dose_number > e->series_doses)
		result(o, DC_POLICY_PASS, "pass", "Vaccinated: dose %d (booster), %lld %s ago",
		       e->dose_number, (long long)days, days_word(days));
	else if (e->series_doses > 0)
		result(o, DC_POLICY_PASS, "pass", "Vaccinated: dose %d of %d, %lld %s ago",
		       e->dose_number, e->series_doses, (long long)days, days_word(days));
	else
		result(o, DC_POLICY_PASS, "pass", "Vaccinated: last dose %lld %s ago",
		       (long long)days, days_word(days));
}

static void eval_test(const dc_policy *p, const dc_event *e, int64_t now, verdict *v)
{
	when w;
	dc_policy_result *o = &v->res;
	size_t tn = strnlen(e->test_type_code, sizeof e->test_type_code);
	size_t rn = strnlen(e->result_code, sizeof e->result_code);
	bool naat = eq_ci(e->test_type_code, tn, TT_NAAT);
	bool antigen = eq_ci(e->test_type_code, tn, TT_ANTIGEN);

	if (!p->accept_test) {
		v->rank = RANK_KIND_REFUSED;
		result(o, DC_POLICY_FAIL, "tests_not_accepted", "Tests are not accepted here");
		return;
	}
	if (!test_status_counts(e)) {
		v->rank = RANK_NOT_COMPLETED;
		result(o, DC_POLICY_FAIL, "test_not_final", "Test result is not final");
		return;
	}
	if (!parse_when(e->date, sizeof e->date, &w)) {
		v->rank = RANK_NO_DATE;
		result(o, DC_POLICY_FAIL, "date_unreadable", "Test date is missing or unreadable");
		return;
	}
	v->rank = RANK_DATED;
	v->t = w.t;
	if (!naat && !antigen) {
		result(o, DC_POLICY_FAIL, "test_type_not_accepted", "Test type not recognised");
		return;
	}
	if ((naat && !p->naat) || (antigen && !p->antigen)) {
		result(o, DC_POLICY_FAIL, "test_type_not_accepted", "%s tests are not accepted here",
		       naat ? "NAAT (PCR)" : "Rapid antigen");
		return;
	}
	if (eq_ci(e->result_code, rn, "260373001") || eq_ci(e->result_code, rn, "10828004")) {
		result(o, DC_POLICY_FAIL, "test_positive", "Test result is positive");
		return;
	}
	if (eq_ci(e->result_code, rn, "419984006")) {
		result(o, DC_POLICY_FAIL, "test_result_unknown", "Test result is inconclusive");
		return;
	}
	if (!eq_ci(e->result_code, rn, "260415000") && !eq_ci(e->result_code, rn, "260385009")) {
		result(o, DC_POLICY_FAIL, "test_result_unknown", "Test result is not recognised");
		return;
	}
	int64_t elapsed = now - w.t;
	int limit = naat ? p->max_hours_naat : p->max_hours_antigen;
	if (elapsed < 0) {
		result(o, DC_POLICY_FAIL, "test_in_future",
		       "Test is dated in the future: check the device clock");
		return;
	}
	if (elapsed > limit * SECS_PER_HOUR) {
		/* Rounded up so the number shown is always above the limit. */
		int64_t hours = (elapsed + SECS_PER_HOUR - 1) / SECS_PER_HOUR;
		result(o, DC_POLICY_FAIL, "test_too_old", "Test is %lld hours old (limit %d)",
		       (long long)hours, limit);
		return;
	}
	int64_t hours = elapsed / SECS_PER_HOUR;
	v->pass = true;
	result(o, DC_POLICY_PASS, "pass", "Negative %s test, %lld %s old",
	       naat ? "NAAT (PCR)" : "rapid antigen", (long long)hours, hours == 1 ? "hour" : "hours");
}

static void eval_recovery(const dc_policy *p, const dc_event *e, int64_t now, verdict *v)
{
	when fr, df, du;
	dc_policy_result *o = &v->res;
	bool has_df = e->valid_from[0] != 0, has_du = e->valid_until[0] != 0;

	if (!p->accept_recovery) {
		v->rank = RANK_KIND_REFUSED;
		result(o, DC_POLICY_FAIL, "recovery_not_accepted",
		       "Recovery certificates are not accepted here");
		return;
	}
	if (!parse_when(e->date, sizeof e->date, &fr) ||
	    (has_df && !parse_when(e->valid_from, sizeof e->valid_from, &df)) ||
	    (has_du && !parse_when(e->valid_until, sizeof e->valid_until, &du))) {
		v->rank = RANK_NO_DATE;
		result(o, DC_POLICY_FAIL, "date_unreadable",
		       "Recovery dates are missing or unreadable");
		return;
	}
	v->rank = RANK_DATED;
	v->t = fr.t;
	if (has_df && now < df.t) {
		result(o, DC_POLICY_FAIL, "recovery_not_yet_valid",
		       "Recovery certificate not valid until %04d-%02d-%02d", df.y, df.m, df.d);
		return;
	}
	/* A date-only du is the last valid day, so it ends at the next midnight. */
	if (has_du && (du.has_time ? now > du.t : now >= du.t + SECS_PER_DAY)) {
		result(o, DC_POLICY_FAIL, "recovery_expired",
		       "Recovery certificate expired on %04d-%02d-%02d", du.y, du.m, du.d);
		return;
	}
	int64_t elapsed = now - fr.t;
	if (elapsed < 0) {
		result(o, DC_POLICY_FAIL, "recovery_not_yet_valid",
		       "Positive test is dated in the future: check the device clock");
		return;
	}
	int64_t days = elapsed / SECS_PER_DAY;
	if (days < p->recovery_min_days) {
		result(o, DC_POLICY_FAIL, "recovery_not_yet_valid",
		       "Recovery not valid yet: positive test %lld %s ago (needs %d)",
		       (long long)days, days_word(days), p->recovery_min_days);
		return;
	}
	if (days > p->recovery_max_days) {
		result(o, DC_POLICY_FAIL, "recovery_expired",
		       "Recovery too old: positive test %lld days ago (limit %d)",
		       (long long)days, p->recovery_max_days);
		return;
	}
	v->pass = true;
	result(o, DC_POLICY_PASS, "pass", "Recovered: positive test %lld days ago", (long long)days);
}

static bool more_relevant(const verdict *a, const verdict *b)
{
	if (a->rank != b->rank)
		return a->rank > b->rank;
	if (a->rank == RANK_DATED)
		return a->t >= b->t; /* ties: the later position wins */
	return true;
}

void dc_policy_evaluate(const dc_policy *p, const dc_record *r, double now,
			dc_policy_result *out)
{
	verdict best, cur;
	bool have_pass = false, have_fail = false;

	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!p || !r) {
		result(out, DC_POLICY_NOT_VALID, "not_valid", "%s", dc_strerror(DC_E_ARG));
		return;
	}
	if (r->verdict != DC_VERDICT_VERIFIED || r->reason != DC_OK) {
		/* Keep the verifier's own sentence: it says what is wrong. A
		 * mismatched DC_OK reason would read "Verified", so say less. */
		result(out, DC_POLICY_NOT_VALID, "not_valid", "%s",
		       r->reason != DC_OK ? dc_strerror(r->reason) : "Record is not verified");
		return;
	}
	if (!(now >= 0 && now <= LATEST_VALID_NOW)) {
		result(out, DC_POLICY_NOT_VALID, "not_valid", "%s", dc_strerror(DC_E_CLOCK_UNSET));
		return;
	}
	int64_t now_s = (int64_t)floor(now);
	size_t n = r->n_events < DC_MAX_EVENTS ? r->n_events : DC_MAX_EVENTS;

	memset(&best, 0, sizeof best);
	for (size_t i = 0; i < n; i++) {
		const dc_event *e = &r->events[i];
		memset(&cur, 0, sizeof cur);
		switch (e->kind) {
		case DC_EVENT_VACCINATION: eval_vaccination(p, e, now_s, &cur); break;
		case DC_EVENT_TEST: eval_test(p, e, now_s, &cur); break;
		case DC_EVENT_RECOVERY: eval_recovery(p, e, now_s, &cur); break;
		default:
			cur.rank = RANK_KIND_REFUSED;
			result(&cur.res, DC_POLICY_FAIL, "no_qualifying_event",
			       "Record holds an event of an unknown kind");
			break;
		}
		/* A pass outranks every failure; among passes, as among
		 * failures, the most relevant event speaks. */
		if (cur.pass) {
			if (!have_pass || more_relevant(&cur, &best))
				best = cur;
			have_pass = true;
		} else if (!have_pass && (!have_fail || more_relevant(&cur, &best))) {
			best = cur;
			have_fail = true;
		}
	}
	if (!have_pass && !have_fail) {
		result(out, DC_POLICY_FAIL, "no_qualifying_event",
		       "Record lists no vaccination, test or recovery");
		return;
	}
	*out = best.res;
}
