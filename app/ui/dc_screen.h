/*
 * dc_screen: the screen model. The kiosk state machine (dc_kiosk) fills it;
 * the SDL renderer (app/ui/dc_ui) draws it. It is a plain struct of fixed
 * fields so it can be wiped in one call.
 *
 * Personal data: name, birth_date, summary[], issuer and warning hold data
 * about the holder while a result is shown. dc_kiosk zeroises the whole
 * struct (mbedtls_platform_zeroize) when the result screen ends; anything
 * that copies from it (the renderer's scratch text) must wipe its copy too.
 * The status fields below the marker are anonymous counters only.
 */
#ifndef DC_SCREEN_H
#define DC_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	DC_SCREEN_SCANNING = 0,   /* idle: "Show the QR code" */
	DC_SCREEN_CHUNKS,         /* multi-part card: "2 of 3 scanned" */
	DC_SCREEN_PASS,           /* verified and meets the venue rule */
	DC_SCREEN_FAIL,           /* verified but does not meet the rule */
	DC_SCREEN_NOT_VALID,      /* not authentic / not trusted / revoked / expired */
	DC_SCREEN_NOT_VERIFIABLE, /* plain link or unknown code: check by hand */
	DC_SCREEN_CLOCK_NOT_SET,  /* device clock cannot be right: nobody passes */
	DC_SCREEN_CAPACITY,       /* venue full: do not admit */
	DC_SCREEN_OUT_OF_SERVICE, /* trust data refused or too old: nobody passes */
	DC_SCREEN_OPERATOR,       /* device information for the operator (anonymous) */
	DC_SCREEN_TRUST_INSTALLED, /* a USB trust import installed a new bundle */
	DC_SCREEN_TRUST_REFUSED,  /* a USB trust import was refused: old data kept */
	DC_SCREEN__COUNT
} dc_screen_kind;

#define DC_SCREEN_SUMMARY_LINES 2
#define DC_SCREEN_INFO_LINES 8

typedef struct {
	dc_screen_kind kind;
	bool is_result;          /* shown because of a scan (vs. idle screen) */

	/* --- holder data (personal: wiped when the result ends) ---------- */
	char name[160];
	char birth_date[24];
	char issuer[128];        /* issuer display name (or URL / country) */
	char summary[DC_SCREEN_SUMMARY_LINES][112]; /* dose / test lines */
	char reason[192];        /* plain-words reason (no personal data) */
	char warning[112];       /* "Already admitted 12 minutes ago" */

	/* --- operator screen (anonymous: version, trust, policy, camera,
	 *     clock, counters; never holder data). The trust import screens
	 *     use reason (the headline) and info[0] (what happens now). ---- */
	char info[DC_SCREEN_INFO_LINES][192];

	/* --- multi-part progress ----------------------------------------- */
	int chunks_have, chunks_total;

	/* --- status line (anonymous) ------------------------------------- */
	int64_t trust_age_days;  /* -1 = trust data date unknown */
	bool trust_stale;        /* older than the configured warning age */
	bool clock_ok;
	unsigned scanned, passed, failed, not_valid, not_verifiable;
	unsigned admitted, capacity; /* capacity 0 = no limit */
} dc_screen;

/* The verdict word shown in the banner ("PASS", "NOT VALID", ...). */
const char *dc_screen_word(dc_screen_kind k);
/* Stable lower-case name for files and logs ("pass", "not_valid", ...). */
const char *dc_screen_name(dc_screen_kind k);

#endif
