/*
 * dc_valuesets: the EU DCC value sets (eHealth Network value sets 1.x:
 * disease, vaccine type, product, manufacturer, test type, test result,
 * rapid test device) and readable names for their codes. Pure, no I/O.
 *
 * Built-in tables are the default. Trust data may bring newer sets
 * (dc_valuesets_parse, the file dcc-valuesets.json of a trust folder or
 * bundle): a set it holds replaces the built-in one of the same id, so a
 * bundle can bring a new vaccine product without a new build.
 *
 * An unknown code is shown as written and never satisfies the venue policy
 * (the record marks it, dc_event.unknown_code); as in the reference
 * verifiers it does not stop verification (docs/dcc.md).
 */
#ifndef DC_VALUESETS_H
#define DC_VALUESETS_H

typedef enum {
	DC_VS_DISEASE = 0,      /* tg  disease-agent-targeted */
	DC_VS_VACCINE_TYPE,     /* vp  sct-vaccines-covid-19 */
	DC_VS_VACCINE_PRODUCT,  /* mp  vaccines-covid-19-names */
	DC_VS_MANUFACTURER,     /* ma  vaccines-covid-19-auth-holders */
	DC_VS_TEST_TYPE,        /* tt  covid-19-lab-test-type */
	DC_VS_TEST_RESULT,      /* tr  covid-19-lab-result */
	DC_VS_TEST_DEVICE,      /* ma  covid-19-lab-test-manufacturer-and-name */
	DC_VS__COUNT
} dc_valueset;

#define DC_VS_TEST_NAAT "LP6464-4"
#define DC_VS_TEST_RAT "LP217198-3"
#define DC_VS_RESULT_NOT_DETECTED "260415000"
#define DC_VS_RESULT_DETECTED "260373001"
#define DC_VS_DISEASE_COVID19 "840539006"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"

/* Built-in tables only. */
const char *dc_valueset_lookup(dc_valueset vs, const char *code);

/* Readable name, or the code itself when unknown (never NULL for non-NULL
 * code). Built-in tables only. */
const char *dc_valueset_name(dc_valueset vs, const char *code);

/* EU value-set id ("vaccines-covid-19-names") of a set. */
const char *dc_valueset_id(dc_valueset vs);

typedef struct dc_valuesets dc_valuesets;

#define DC_VALUESETS_MAX_CODES 4096  /* codes per set */
#define DC_VALUESETS_MAX_CODE 64     /* longest code, bytes */
#define DC_VALUESETS_MAX_DISPLAY 128 /* longest display name kept, bytes */

/*
 * Parses value sets in the EU's own JSON (as the gateway and
 * ehn-dcc-valuesets publish each set), several in one file:
 *   {"valueSets": [ {"valueSetId": "vaccines-covid-19-names",
 *                    "valueSetDate": "2023-01-01",
 *                    "valueSetValues": {"EU/1/20/1528":
 *                        {"display": "Comirnaty", "active": true, ...}}}, ...]}
 * (a bare array of sets is accepted too). Sets with an id this build does
 * not use are ignored. Errors (nothing kept): DC_E_VALUESET_FORMAT,
 * DC_E_NOMEM. Free with dc_valuesets_free.
 */
dc_valuesets *dc_valuesets_parse(const uint8_t *json, size_t len, dc_err *e);
void dc_valuesets_free(dc_valuesets *v); /* NULL is safe */

/* Merges src into dst (a set in src replaces dst's). DC_OK or DC_E_NOMEM;
 * src is emptied. */
dc_err dc_valuesets_merge(dc_valuesets *dst, dc_valuesets *src);

/* Sets loaded from trust data (0 when none). */
size_t dc_valuesets_loaded(const dc_valuesets *v);

/* Name of code in set vs: the loaded set when v has it, else the built-in
 * table (v may be NULL). NULL when unknown. */
const char *dc_valuesets_lookup(const dc_valuesets *v, dc_valueset vs, const char *code);

/* Whether a code missing from set vs is "unknown". True for every set,
 * except the rapid-test devices while only the built-in table (a short
 * excerpt of a list of hundreds) is known. */
bool dc_valuesets_complete(const dc_valuesets *v, dc_valueset vs);

#endif
