/*
 * dc_hcert: the CWT claims of an EU DCC (RFC 8392: iss 1, exp 4, iat 6,
 * hcert -260 -> {1: DCC}) and the DCC content itself (JSON schema 1.3.x
 * rules, checked on the CBOR), turned into a dc_record.
 *
 * Parsing here says nothing about authenticity: dc_dcc checks the signature
 * before any of this is shown. The claims tree holds personal data; it is
 * wiped by dc_cwt_free.
 */
#ifndef DC_HCERT_H
#define DC_HCERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cbor.h>

#include "dc_err.h"
#include "dc_record.h"
#include "dc_valuesets.h"

#define DC_HCERT_ISS_MAX 256   /* CWT iss: usually a country code; GE writes a ministry name */
#define DC_HCERT_TEXT_MAX 256  /* longest DCC string field accepted */
#define DC_HCERT_CI_MAX 128    /* UVCI (schema: 80) */

#define DC_CWT_ISS 1
#define DC_CWT_EXP 4
#define DC_CWT_IAT 6
#define DC_CWT_HCERT (-260)

typedef struct {
	char iss[DC_HCERT_ISS_MAX];  /* "" when absent */
	int64_t iat, exp;
	bool has_iat, has_exp;
	const cbor_item_t *dcc;      /* hcert[1], owned by root_ */
	cbor_item_t *root_;
} dc_cwt;

/* Parses the CWT claims. Errors: DC_E_CBOR, DC_E_CWT (not a map, a claim of
 * the wrong type, iat or exp missing), DC_E_HCERT_MISSING (no -260 or no
 * {1: map} in it). On success call dc_cwt_free. */
dc_err dc_cwt_parse(const uint8_t *payload, size_t len, dc_cwt *out);
void dc_cwt_free(dc_cwt *c); /* wipes; safe on a zeroed struct */

/* DC_E_CWT_NOT_YET when now < iat, DC_E_CWT_EXPIRED when now > exp. */
dc_err dc_cwt_check_time(const dc_cwt *c, double now);

/* Which of v / t / r the DCC holds, without checking the entry itself.
 * DC_E_DCC_NO_ENTRIES, DC_E_DCC_MULTIPLE (more than one group, or more than
 * one entry in the group) or DC_E_DCC_SCHEMA (group not an array). */
dc_err dc_hcert_kind(const cbor_item_t *dcc, dc_event_kind *kind);

/* What revocation needs besides the signature. */
typedef struct {
	dc_event_kind kind;
	char ci[DC_HCERT_CI_MAX];
} dc_hcert_info;

/* Validates the DCC content against the schema rules and fills the person
 * and event fields of out (format, reason, issuer etc. are left alone).
 * Value-set codes are looked up in vs (NULL: the built-in tables); an
 * unknown one is shown as written and named in events[0].unknown_code.
 * Fields declared `format: date` (dt, fr, df, du) also take an RFC 3339
 * date-time and keep its date.
 * Errors: DC_E_DCC_VER, DC_E_DCC_NAME, DC_E_DCC_DOB, DC_E_DCC_NO_ENTRIES,
 * DC_E_DCC_MULTIPLE, DC_E_DCC_FIELD, DC_E_DCC_SCHEMA. On error the fields
 * written so far are wiped. */
dc_err dc_hcert_parse_dcc(const cbor_item_t *dcc, const dc_valuesets *vs, dc_record *out,
			  dc_hcert_info *info);

/* True when a (possibly partial) date of birth lies after the issue time's
 * date (iat, with the 14 hours a local date can run ahead of UTC). */
bool dc_hcert_dob_after(const char *dob, int64_t iat);

#ifdef DC_TEST_HOOKS
/* Test builds only: calls of dc_cwt_parse + dc_hcert_parse_dcc so far. */
extern unsigned long dc_test_hcert_parses;
#endif

/* Pattern checks shared with the tests. */
bool dc_hcert_dob_valid(const char *s);        /* "", YYYY, YYYY-MM, YYYY-MM-DD */
bool dc_hcert_date_valid(const char *s);       /* YYYY-MM-DD */
bool dc_hcert_datetime_valid(const char *s);   /* RFC 3339 date-time */

#endif
