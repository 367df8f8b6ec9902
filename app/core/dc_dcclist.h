/*
 * dc_dcclist: the published EU DCC signer lists, read into DSCs. Pure: the
 * caller reads the files and writes the trust folder (doorcheck-trust
 * import-dcc).
 *
 * Formats:
 *   DCCG     the DCC Gateway trust list JSON: an array of
 *            {kid, timestamp, country, certificateType, thumbprint,
 *             signature, rawData}. The gateway signs each entry (CMS, by its
 *            trust anchor), which mbedTLS 2.28 cannot check; the operator's
 *            backend that checked them signs the downloaded file, and that
 *            detached signature (FILE.sig) is what is verified here.
 *   DE       the German national mirror's DSC list: a first line holding the
 *            base64 signature of everything after that line's newline,
 *            then {"certificates":[ same entries as DCCG ]}.
 *   DSC_TL   the JWS-signed DSC Trust List (RFC 7515 compact): payload
 *            {iss, iat, exp, dsc_trust_list: {CC: {eku, keys: [JWK with kid,
 *            x5c: [base64 DER], x5t#S256]}}}. A list past its exp is refused.
 *
 * Verify, then parse: the list's signature is checked against the
 * operator's pinned signer public key (PEM or DER; EC P-256/384/521 with
 * ECDSA as DER or raw r||s, or RSA with PKCS#1 v1.5 or PSS) before any of
 * the list is read. An unsigned or wrongly signed list is refused whole and
 * the sink is never called.
 *
 * Per entry: certificateType must be DSC, kid must be the standard base64
 * of SHA-256(DER)[0..8], the thumbprint (hex SHA-256 for DCCG and DE,
 * x5t#S256 base64url for DSC_TL, when present) must match, the certificate
 * must be usable (dc_dsc_check_der) and not expired at `now`. Others are
 * skipped and counted by reason (dc_dsc_skip), never fatal.
 */
#ifndef DC_DCCLIST_H
#define DC_DCCLIST_H

#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"
#include "dc_trust.h"

#define DC_DCCLIST_MAX_FILE (64u * 1024 * 1024) /* largest list accepted */
#define DC_DCCLIST_MAX_ENTRIES 100000
#define DC_DCCLIST_MAX_COUNTRIES 300

typedef enum {
	DC_DCCLIST_DCCG = 0,
	DC_DCCLIST_DE,
	DC_DCCLIST_DSC_TL,
} dc_dcclist_format;

typedef struct {
	size_t entries;                     /* entries in the list */
	size_t imported;                    /* handed to the sink */
	size_t countries;                   /* distinct countries imported */
	size_t skipped[DC_DSC_SKIP__COUNT]; /* by reason */
} dc_dcclist_stats;

/* One usable DSC: country is two upper-case letters, der its certificate
 * (valid only during the call). Anything but DC_OK stops the import and is
 * returned. */
typedef dc_err (*dc_dcclist_sink)(void *ctx, const char *country, const uint8_t *der,
				  size_t len);

/* "dccg", "de", "dsc-tl" -> format. DC_E_ARG for anything else. */
dc_err dc_dcclist_format_from_name(const char *name, dc_dcclist_format *f);

/*
 * Checks the signature, then reads the entries. `sig` is the detached
 * signature (DCCG only; NULL / 0 for the others, whose signature is inside
 * the file). Errors: DC_E_DCCLIST_UNSIGNED (no signature), DC_E_TRUST_SIGNATURE
 * (does not verify with the pinned key), DC_E_DCCLIST_KEY (pinned key
 * unreadable or unsupported), DC_E_TRUST_FORMAT (signed but malformed, too
 * large, too many entries), DC_E_DCCLIST_EXPIRED (DSC_TL past exp), or the
 * sink's error. *stats (required) is filled as far as the import went.
 */
dc_err dc_dcclist_import(dc_dcclist_format f, const uint8_t *list, size_t len,
			 const uint8_t *sig, size_t sig_len, const uint8_t *pin,
			 size_t pin_len, double now, dc_dcclist_sink sink, void *ctx,
			 dc_dcclist_stats *stats);

/*
 * The entry reader alone, on a payload whose signature was already checked:
 * DCCG the JSON array, DE the JSON after the signature line, DSC_TL the
 * decoded JWS payload JSON. For dc_dcclist_import and the fuzz harnesses.
 */
dc_err dc_dcclist_parse_entries(dc_dcclist_format f, const uint8_t *payload, size_t len,
				double now, dc_dcclist_sink sink, void *ctx,
				dc_dcclist_stats *stats);

/* "N DSCs from M countries imported, K skipped (2 expired, 1 kid mismatch)" */
void dc_dcclist_summary(const dc_dcclist_stats *s, char *out, size_t cap);

#endif
