#include "dc_hcert.h"

#include <ctype.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "dc_cose.h"
#include "dc_time.h"

#define DOSE_MAX 9 /* schema: dn and sd are 1..9 */

/* Verify-then-parse proof: only the test build (tests/dcc/test_dcc_order)
 * compiles this file with DC_TEST_HOOKS, and counts every entry into the
 * claim and content parsers. */
#ifdef DC_TEST_HOOKS
unsigned long dc_test_hcert_parses;
#define COUNT_PARSE() (dc_test_hcert_parses++)
#else
#define COUNT_PARSE() ((void)0)
#endif

dc_err dc_cwt_parse(const uint8_t *payload, size_t len, dc_cwt *out)
{
	dc_err e;
	COUNT_PARSE();
	memset(out, 0, sizeof *out);
	out->root_ = dc_cbor_load(payload, len, &e);
	if (!out->root_)
		return e;
	e = DC_E_CWT;
	if (!cbor_isa_map(out->root_) || !dc_cbor_map_unique(out->root_))
		goto out;
	const cbor_item_t *iss = dc_cbor_map_int(out->root_, DC_CWT_ISS);
	const cbor_item_t *iat = dc_cbor_map_int(out->root_, DC_CWT_IAT);
	const cbor_item_t *exp = dc_cbor_map_int(out->root_, DC_CWT_EXP);
	if (iss && !dc_cbor_text(iss, out->iss, sizeof out->iss))
		goto out;
	if (iat) {
		if (!dc_cbor_numeric_date(iat, &out->iat))
			goto out;
		out->has_iat = true;
	}
	if (exp) {
		if (!dc_cbor_numeric_date(exp, &out->exp))
			goto out;
		out->has_exp = true;
	}
	/* hcert 1.0: iat and exp are mandatory; without exp a certificate
	 * would never expire. */
	if (!out->has_iat || !out->has_exp)
		goto out;
	const cbor_item_t *hc = dc_cbor_map_int(out->root_, DC_CWT_HCERT);
	out->dcc = dc_cbor_map_int(hc, 1);
	if (!hc || !cbor_isa_map(hc) || !out->dcc || !cbor_isa_map(out->dcc)) {
		e = DC_E_HCERT_MISSING;
		goto out;
	}
	if (!dc_cbor_map_unique(hc))
		goto out;
	e = DC_OK;
out:
	if (e != DC_OK)
		dc_cwt_free(out);
	return e;
}

void dc_cwt_free(dc_cwt *c)
{
	if (!c)
		return;
	dc_cbor_free(&c->root_);
	mbedtls_platform_zeroize(c, sizeof *c);
}

dc_err dc_cwt_check_time(const dc_cwt *c, double now)
{
	if (c->has_iat && now < (double)c->iat)
		return DC_E_CWT_NOT_YET;
	if (c->has_exp && now > (double)c->exp)
		return DC_E_CWT_EXPIRED;
	return DC_OK;
}

/* --- patterns ------------------------------------------------------------ */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool dc_hcert_dob_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n < 4 || !digits(s, 4) || !(strncmp(s, "19", 2) == 0 || strncmp(s, "20", 2) == 0))
		return false;
	if (n == 4)
		return true;
	if (n < 7 || s[4] != '-' || !digits(s + 5, 2) || num(s + 5, 2) < 1 || num(s + 5, 2) > 12)
		return false;
	if (n == 7)
		return true;
	return n == 10 && s[7] == '-' && digits(s + 8, 2) && num(s + 8, 2) >= 1 &&
	       num(s + 8, 2) <= 31;
}

bool dc_hcert_date_valid(const char *s)
{
	return strlen(s) == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
	       s[7] == '-' && digits(s + 8, 2) && num(s + 5, 2) >= 1 && num(s + 5, 2) <= 12 &&
	       num(s + 8, 2) >= 1 && num(s + 8, 2) <= 31;
}

bool dc_hcert_datetime_valid(const char *s)
{
	char date[11];
	if (strlen(s) < 19)
		return false;
	memcpy(date, s, 10);
	date[10] = 0;
	if (!dc_hcert_date_valid(date))
		return false;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
		return false; /* 60: a leap second */
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 0 || ((*p == 'Z' || *p == 'z') && p[1] == 0))
		return true;
	if (*p != '+' && *p != '-')
		return false;
	p++;
	if (strlen(p) == 5)
		return digits(p, 2) && p[2] == ':' && digits(p + 3, 2);
	return strlen(p) == 4 && digits(p, 4);
}

bool dc_hcert_dob_after(const char *dob, int64_t iat)
{
	char day[32];
	size_t n = dob ? strlen(dob) : 0;
	if (n == 0 || n > 10)
		return false;
	/* The issuer's local date may be up to 14 hours ahead of UTC
	 * (UTC+14): a baby certified on its birthday is not refused. */
	dc_time_format((double)iat + 14 * 3600.0, day, sizeof day);
	return strncmp(dob, day, n) > 0;
}

/* --- content ------------------------------------------------------------- */

/* Reads an optional text field. Absent: *present = false, DC_OK. Present
 * but not text or too long: DC_E_DCC_SCHEMA. */
static dc_err opt_text(const cbor_item_t *m, const char *key, char *buf, size_t cap,
		       bool *present)
{
	const cbor_item_t *v = dc_cbor_map_str(m, key);
	buf[0] = 0;
	*present = v != NULL;
	if (!v)
		return DC_OK;
	return dc_cbor_text(v, buf, cap) ? DC_OK : DC_E_DCC_SCHEMA;
}

static dc_err req_text(const cbor_item_t *m, const char *key, char *buf, size_t cap)
{
	bool present;
	dc_err e = opt_text(m, key, buf, cap, &present);
	if (e == DC_OK && !present)
		return DC_E_DCC_FIELD;
	return e;
}

static dc_err req_dose(const cbor_item_t *m, const char *key, int *out)
{
	const cbor_item_t *v = dc_cbor_map_str(m, key);
	int64_t n;
	if (!v)
		return DC_E_DCC_FIELD;
	if (!dc_cbor_int(v, &n) || n < 1 || n > DOSE_MAX)
		return DC_E_DCC_SCHEMA;
	*out = (int)n;
	return DC_OK;
}

/* A field the schema declares `format: date`. The schema does not enforce
 * `format` and its FAQ asks verifiers to be tolerant: an RFC 3339 date-time
 * is accepted too (2021-03-18T22:54:00+02:00) and kept as its date. */
static dc_err date_field(const cbor_item_t *m, const char *key, char *tmp, char *dst,
			 size_t cap)
{
	dc_err e = req_text(m, key, tmp, DC_HCERT_TEXT_MAX);
	if (e != DC_OK)
		return e;
	if (!dc_hcert_date_valid(tmp)) {
		if (!dc_hcert_datetime_valid(tmp))
			return DC_E_DCC_SCHEMA;
		tmp[10] = 0;
	}
	dc_record_copy(dst, cap, tmp);
	return DC_OK;
}

/* Readable name of a value-set code; a code the set does not hold is
 * shown as written and the event remembers which field it was (the first
 * one), so that the policy never admits on it. */
static const char *vs_name(const dc_valuesets *vs, dc_valueset set, const char *code,
			   dc_event *ev, const char *field)
{
	const char *n = dc_valuesets_lookup(vs, set, code);
	if (n)
		return n;
	if (dc_valuesets_complete(vs, set) && !ev->unknown_code[0])
		dc_record_copy(ev->unknown_code, sizeof ev->unknown_code, field);
	return code;
}

static bool std_name_valid(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || *s == '<'))
			return false;
	return true;
}

dc_err dc_hcert_kind(const cbor_item_t *dcc, dc_event_kind *kind)
{
	static const char *const groups[] = {"v", "t", "r"};
	static const dc_event_kind kinds[] = {DC_EVENT_VACCINATION, DC_EVENT_TEST,
					      DC_EVENT_RECOVERY};
	int found = 0;
	for (int i = 0; i < 3; i++) {
		const cbor_item_t *g = dc_cbor_map_str(dcc, groups[i]);
		if (!g)
			continue;
		if (!cbor_isa_array(g))
			return DC_E_DCC_SCHEMA;
		if (cbor_array_size(g) == 0)
			continue;
		if (cbor_array_size(g) > 1 || found)
			return DC_E_DCC_MULTIPLE;
		found = 1;
		*kind = kinds[i];
	}
	return found ? DC_OK : DC_E_DCC_NO_ENTRIES;
}

static dc_err common_fields(const cbor_item_t *en, const dc_valuesets *vs, dc_event *ev,
			    dc_hcert_info *info, char *tmp)
{
	dc_err e;
	if ((e = req_text(en, "tg", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->disease, sizeof ev->disease, vs_name(vs, DC_VS_DISEASE, tmp, ev, "tg"));
	if ((e = req_text(en, "co", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	if (strlen(tmp) >= sizeof ev->country)
		return DC_E_DCC_SCHEMA;
	dc_record_copy(ev->country, sizeof ev->country, tmp);
	if ((e = req_text(en, "is", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->performer, sizeof ev->performer, tmp);
	if ((e = req_text(en, "ci", info->ci, sizeof info->ci)) != DC_OK)
		return e == DC_E_DCC_FIELD ? e : DC_E_DCC_SCHEMA;
	return DC_OK;
}

static dc_err vaccination(const cbor_item_t *en, const dc_valuesets *vs, dc_event *ev,
			  char *tmp)
{
	dc_err e;
	dc_record_copy(ev->system, sizeof ev->system, "eu-dcc-vaccination");
	if ((e = req_text(en, "vp", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	vs_name(vs, DC_VS_VACCINE_TYPE, tmp, ev, "vp");
	if ((e = req_text(en, "mp", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->code, sizeof ev->code, tmp);
	dc_record_copy(ev->product, sizeof ev->product,
		       vs_name(vs, DC_VS_VACCINE_PRODUCT, tmp, ev, "mp"));
	if ((e = req_text(en, "ma", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->manufacturer, sizeof ev->manufacturer,
		       vs_name(vs, DC_VS_MANUFACTURER, tmp, ev, "ma"));
	if ((e = req_dose(en, "dn", &ev->dose_number)) != DC_OK ||
	    (e = req_dose(en, "sd", &ev->series_doses)) != DC_OK)
		return e;
	if ((e = date_field(en, "dt", tmp, ev->date, sizeof ev->date)) != DC_OK)
		return e;
	dc_record_copy(ev->status, sizeof ev->status, "completed");
	return DC_OK;
}

static dc_err test(const cbor_item_t *en, const dc_valuesets *vs, dc_event *ev, char *tmp)
{
	dc_err e;
	bool present;
	dc_record_copy(ev->system, sizeof ev->system, "eu-dcc-test");
	if ((e = req_text(en, "tt", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->test_type_code, sizeof ev->test_type_code, tmp);
	dc_record_copy(ev->code, sizeof ev->code, tmp);
	dc_record_copy(ev->test_type, sizeof ev->test_type,
		       vs_name(vs, DC_VS_TEST_TYPE, tmp, ev, "tt"));
	if ((e = req_text(en, "tr", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	dc_record_copy(ev->result_code, sizeof ev->result_code, tmp);
	dc_record_copy(ev->result, sizeof ev->result,
		       vs_name(vs, DC_VS_TEST_RESULT, tmp, ev, "tr"));
	if ((e = req_text(en, "sc", tmp, DC_HCERT_TEXT_MAX)) != DC_OK)
		return e;
	if (!dc_hcert_datetime_valid(tmp))
		return DC_E_DCC_SCHEMA;
	dc_record_copy(ev->date, sizeof ev->date, tmp);
	if ((e = opt_text(en, "ma", tmp, DC_HCERT_TEXT_MAX, &present)) != DC_OK)
		return e;
	if (present) {
		const char *dev = vs_name(vs, DC_VS_TEST_DEVICE, tmp, ev, "ma");
		dc_record_copy(ev->manufacturer, sizeof ev->manufacturer, dev);
		dc_record_copy(ev->product, sizeof ev->product, dev);
	}
	if ((e = opt_text(en, "nm", tmp, DC_HCERT_TEXT_MAX, &present)) != DC_OK)
		return e;
	if (present && tmp[0])
		dc_record_copy(ev->product, sizeof ev->product, tmp);
	/* The test centre, when named, says more to staff than the issuer. */
	if ((e = opt_text(en, "tc", tmp, DC_HCERT_TEXT_MAX, &present)) != DC_OK)
		return e;
	if (present && tmp[0])
		dc_record_copy(ev->performer, sizeof ev->performer, tmp);
	dc_record_copy(ev->status, sizeof ev->status, "completed");
	return DC_OK;
}

static dc_err recovery(const cbor_item_t *en, dc_event *ev, char *tmp)
{
	dc_err e;
	dc_record_copy(ev->system, sizeof ev->system, "eu-dcc-recovery");
	if ((e = date_field(en, "fr", tmp, ev->date, sizeof ev->date)) != DC_OK ||
	    (e = date_field(en, "df", tmp, ev->valid_from, sizeof ev->valid_from)) != DC_OK ||
	    (e = date_field(en, "du", tmp, ev->valid_until, sizeof ev->valid_until)) != DC_OK)
		return e;
	dc_record_copy(ev->code, sizeof ev->code, DC_VS_DISEASE_COVID19);
	dc_record_copy(ev->status, sizeof ev->status, "completed");
	return DC_OK;
}

/* a + sep + b into dst, cut at a UTF-8 boundary by dc_record_copy. */
static void join(char *dst, size_t cap, const char *a, const char *sep, const char *b)
{
	char buf[2 * DC_HCERT_TEXT_MAX + 4];
	size_t al = strlen(a), sl = strlen(sep), bl = strlen(b);
	if (al + sl + bl >= sizeof buf) {
		dc_record_copy(dst, cap, a);
		return;
	}
	memcpy(buf, a, al);
	memcpy(buf + al, sep, sl);
	memcpy(buf + al + sl, b, bl + 1);
	dc_record_copy(dst, cap, buf);
	mbedtls_platform_zeroize(buf, sizeof buf);
}

static dc_err names(const cbor_item_t *dcc, dc_record *out, char *tmp)
{
	dc_err e;
	bool has_fn, has_gn, has_gnt;
	char gnt[DC_HCERT_TEXT_MAX];
	const cbor_item_t *nam = dc_cbor_map_str(dcc, "nam");
	if (!nam)
		return DC_E_DCC_NAME;
	if (!cbor_isa_map(nam) || !dc_cbor_map_unique(nam))
		return DC_E_DCC_SCHEMA;
	if ((e = opt_text(nam, "fn", tmp, DC_HCERT_TEXT_MAX, &has_fn)) != DC_OK)
		return e;
	dc_record_copy(out->family_name, sizeof out->family_name, tmp);
	if ((e = opt_text(nam, "gn", tmp, DC_HCERT_TEXT_MAX, &has_gn)) != DC_OK)
		return e;
	dc_record_copy(out->given_name, sizeof out->given_name, tmp);
	if ((e = opt_text(nam, "gnt", gnt, sizeof gnt, &has_gnt)) != DC_OK)
		goto out;
	e = req_text(nam, "fnt", tmp, DC_HCERT_TEXT_MAX);
	if (e == DC_E_DCC_FIELD)
		e = DC_E_DCC_NAME;
	if (e != DC_OK)
		goto out;
	if (!std_name_valid(tmp) || !std_name_valid(gnt) || strlen(tmp) > 80 ||
	    strlen(gnt) > 80) {
		e = DC_E_DCC_SCHEMA;
		goto out;
	}
	/* "fnt<<gnt", the ICAO 9303 form a passport's machine-readable zone
	 * shows, so staff can compare it letter by letter. */
	join(out->name_std, sizeof out->name_std, tmp, gnt[0] ? "<<" : "", gnt);
	if (out->given_name[0] && out->family_name[0])
		join(out->name, sizeof out->name, out->given_name, " ", out->family_name);
	else if (out->given_name[0] || out->family_name[0])
		dc_record_copy(out->name, sizeof out->name,
			       out->family_name[0] ? out->family_name : out->given_name);
	else
		dc_record_copy(out->name, sizeof out->name, out->name_std);
	e = DC_OK;
out:
	mbedtls_platform_zeroize(gnt, sizeof gnt);
	return e;
}

dc_err dc_hcert_parse_dcc(const cbor_item_t *dcc, const dc_valuesets *vs, dc_record *out,
			  dc_hcert_info *info)
{
	dc_err e;
	char tmp[DC_HCERT_TEXT_MAX];
	dc_event_kind kind = DC_EVENT_VACCINATION;

	COUNT_PARSE();
	memset(info, 0, sizeof *info);
	if (!dcc || !cbor_isa_map(dcc))
		return DC_E_HCERT_MISSING;
	if (!dc_cbor_map_unique(dcc)) {
		e = DC_E_DCC_SCHEMA;
		goto out;
	}
	const cbor_item_t *ver = dc_cbor_map_str(dcc, "ver");
	if (!ver) {
		e = DC_E_DCC_VER;
		goto out;
	}
	if (!dc_cbor_text(ver, tmp, sizeof tmp) || !tmp[0]) {
		e = DC_E_DCC_SCHEMA;
		goto out;
	}
	if ((e = names(dcc, out, tmp)) != DC_OK)
		goto out;
	const cbor_item_t *dob = dc_cbor_map_str(dcc, "dob");
	if (!dob || !dc_cbor_text(dob, tmp, sizeof tmp) || !dc_hcert_dob_valid(tmp)) {
		e = DC_E_DCC_DOB;
		goto out;
	}
	dc_record_copy(out->birth_date, sizeof out->birth_date, tmp);
	if ((e = dc_hcert_kind(dcc, &kind)) != DC_OK)
		goto out;
	const char *group = kind == DC_EVENT_VACCINATION ? "v" : kind == DC_EVENT_TEST ? "t" : "r";
	const cbor_item_t *en = cbor_array_handle(dc_cbor_map_str(dcc, group))[0];
	if (!cbor_isa_map(en) || !dc_cbor_map_unique(en)) {
		e = DC_E_DCC_SCHEMA;
		goto out;
	}
	dc_event *ev = &out->events[0];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	info->kind = kind;
	if ((e = common_fields(en, vs, ev, info, tmp)) != DC_OK)
		goto out;
	if (kind == DC_EVENT_VACCINATION)
		e = vaccination(en, vs, ev, tmp);
	else if (kind == DC_EVENT_TEST)
		e = test(en, vs, ev, tmp);
	else
		e = recovery(en, ev, tmp);
	if (e != DC_OK)
		goto out;
	out->n_events = 1;
out:
	mbedtls_platform_zeroize(tmp, sizeof tmp);
	if (e != DC_OK) {
		dc_record_wipe_holder(out);
		mbedtls_platform_zeroize(info, sizeof *info);
	}
	return e;
}
