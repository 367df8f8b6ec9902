/*
 * dc_record: the one result model for every format.
 *
 * A record is a plain struct of fixed-size, NUL-terminated text fields, so it
 * can live on the stack or in a buffer sized at start-up (no allocation on the
 * scan path) and can be wiped in one call. Text is stored exactly as the
 * credential wrote it (no time-zone shifts of dates); overlong values are cut
 * at a UTF-8 character boundary.
 *
 * Personal data: name, birth_date and events[] are personal data. The owner
 * of a dc_record MUST call dc_record_wipe() when the result is no longer
 * shown (kiosk: when the result screen ends; CLI: before exit). Nothing in
 * app/core logs or stores it.
 */
#ifndef DC_RECORD_H
#define DC_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"

#define DC_MAX_EVENTS 16

typedef enum {
	DC_FORMAT_NONE = 0,   /* nothing recognised (empty input) */
	DC_FORMAT_SHC,        /* shc:/ SMART Health Card */
	DC_FORMAT_DCC,        /* HC1: EU Digital COVID Certificate */
	DC_FORMAT_URL,        /* plain web link: not a verifiable record */
	DC_FORMAT_TEXT,       /* other text: not a verifiable record */
} dc_format;

typedef enum {
	DC_EVENT_VACCINATION = 0,
	DC_EVENT_TEST,
	DC_EVENT_RECOVERY,
} dc_event_kind;

/* One immunization, lab/test result or recovery statement. Fields that a
 * format does not carry stay "" (strings) or 0 (numbers). */
typedef struct {
	dc_event_kind kind;
	char system[64];       /* code system: "cvx", "loinc", "eu-mp", ... */
	char code[32];         /* CVX code, EU product code, LOINC, test type */
	char product[96];      /* readable product / test name */
	char manufacturer[64]; /* readable manufacturer (DCC ma) */
	char disease[48];      /* readable target disease (DCC tg) */
	char date[40];         /* as written: occurrenceDateTime, dt, sc, fr */
	char status[24];       /* FHIR status ("completed") */
	char lot[40];
	char performer[96];    /* performer / test centre / issuer text */
	char country[8];       /* DCC co */
	int dose_number;       /* DCC dn; SHC: position in series (1-based) */
	int series_doses;      /* DCC sd; SHC: doses in the CVX product's series */
	char test_type[64];    /* readable test type (NAAT, antigen) */
	char test_type_code[32];
	char result[48];       /* readable result ("Not detected") */
	char result_code[32];
	char valid_from[24];   /* recovery df */
	char valid_until[24];  /* recovery du */
	char unknown_code[8];  /* DCC: first field whose code is in no EU value
				* set ("mp"), "" when all known; never admits */
} dc_event;

typedef struct {
	dc_format format;
	dc_err reason;           /* DC_OK when verified */
	dc_verdict verdict;      /* always dc_err_verdict(reason) */

	char issuer[256];        /* SHC iss / DCC CWT iss (country) */
	char issuer_name[128];   /* display name from the trust store */
	char kid[64];            /* key id used (base64url / base64 text) */

	char name[160];          /* "Given Family" as written */
	char family_name[96];
	char given_name[96];
	char name_std[96];       /* DCC fnt<<gnt standardised form, if any */
	char birth_date[24];     /* as written; may be partial or empty */

	int64_t issued_at;       /* SHC nbf / DCC iat (seconds), 0 = absent */
	int64_t expires_at;      /* exp, 0 = absent */

	size_t n_events;
	dc_event events[DC_MAX_EVENTS];
} dc_record;

/* Clears the record and sets reason/verdict to a "nothing scanned" state. */
void dc_record_init(dc_record *r);

/* Sets reason and the matching verdict. Returns e, so callers can write
 * `return dc_record_fail(r, DC_E_X);`. */
dc_err dc_record_fail(dc_record *r, dc_err e);

/* Zeroises every byte with mbedtls_platform_zeroize. Safe on NULL. */
void dc_record_wipe(dc_record *r);

/* Zeroises only the holder's data (names, birth date, events) and sets
 * n_events to 0, keeping format, issuer, reason and verdict: what a
 * verifier calls when a parse fails half-way. Safe on NULL. */
void dc_record_wipe_holder(dc_record *r);

/* Copies src into a fixed field of size cap, cutting at a UTF-8 boundary.
 * NULL src gives "". Always NUL-terminates. */
void dc_record_copy(char *dst, size_t cap, const char *src);

#endif
