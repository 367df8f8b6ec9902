/*
 * dc_bundle: signed trust bundles, the only way a device's trust folder is
 * replaced (docs/trust-updates.md). Pure: buffers in, buffers out; the
 * doorcheck-trust tool reads and writes the files.
 *
 * A bundle is trust-bundle.json:
 *   {"format":"doorcheck-trust-bundle","version":N,"created":"YYYY-MM-DDThh:mm:ssZ",
 *    "files":[{"name":"demo.issuer.json","sha256":"<64 lowercase hex>",
 *              "data":"<standard base64, padded>"}, ...]}
 * plus trust-bundle.sig: a DER ECDSA P-256 signature over SHA-256 of the
 * exact bytes of trust-bundle.json, made with the operator's key. The
 * operator's public key is pinned on the device.
 *
 * Rules (anything else is refused):
 *   - version is an integer, 1 <= N <= DC_BUNDLE_MAX_VERSION;
 *   - created is UTC with a 'Z', to the second, a real date;
 *   - 1..DC_BUNDLE_MAX_FILES files; each name matches [A-Za-z0-9._-]{1,100},
 *     does not start with '.', and appears once (so no folders, no "..");
 *   - each data decodes to at most DC_TRUST_MAX_FILE bytes whose SHA-256 is
 *     the given sha256;
 *   - the whole JSON is at most DC_BUNDLE_MAX_JSON bytes;
 *   - a repeated member name in the top object or a file entry is refused
 *     (two parsers must never read different bundles from the same bytes);
 *     unknown members are ignored (at most 16 per object);
 *   - only whitespace may follow the closing '}'.
 *
 * Trust files hold no personal data; dc_bundle_free still wipes the decoded
 * files because a bundle may be unpacked next to secrets in memory.
 */
#ifndef DC_BUNDLE_H
#define DC_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_err.h"
#include "dc_trust.h"

#define DC_BUNDLE_FORMAT "doorcheck-trust-bundle"
#define DC_BUNDLE_MAX_FILES 64
#define DC_BUNDLE_MAX_NAME 100
#define DC_BUNDLE_MAX_JSON ((size_t)DC_TRUST_MAX_FILE * 2)
#define DC_BUNDLE_MAX_SIG 160 /* DER ECDSA P-256 is at most 72 bytes */
#define DC_BUNDLE_MAX_KEY (16 * 1024) /* pinned public key file, PEM or DER */
#define DC_BUNDLE_MAX_VERSION 9007199254740991LL /* 2^53 - 1: exact in JSON */
#define DC_BUNDLE_CREATED_LEN 20 /* "YYYY-MM-DDThh:mm:ssZ" */

typedef struct dc_bundle dc_bundle;

/*
 * Verifies `sig` over `json` with the pinned operator public key (PEM or
 * DER SubjectPublicKeyInfo, EC P-256 only) BEFORE looking at the JSON, then
 * parses and checks everything above. On success *out owns copies of all
 * decoded files (the caller's buffers may be freed). On failure *out is
 * NULL and the reason is one of DC_E_BUNDLE_OPERATOR_KEY (pin unusable),
 * DC_E_BUNDLE_SIGNATURE (also for a missing or oversized signature),
 * DC_E_BUNDLE_TOO_LARGE, DC_E_BUNDLE_FORMAT, DC_E_BUNDLE_FILE_NAME,
 * DC_E_BUNDLE_FILE_HASH, DC_E_NOMEM or DC_E_ARG.
 */
dc_err dc_bundle_open(const uint8_t *json, size_t len, const uint8_t *sig, size_t sig_len,
		      const uint8_t *pub_pem_or_der, size_t pub_len, dc_bundle **out);

/* For tests and fuzzing only: the checks of dc_bundle_open after the
 * signature, on unsigned bytes. Never use it to install anything. */
dc_err dc_bundle_parse_unsigned(const uint8_t *json, size_t len, dc_bundle **out);

int64_t dc_bundle_version(const dc_bundle *b);
int64_t dc_bundle_created(const dc_bundle *b); /* unix seconds */
size_t dc_bundle_count(const dc_bundle *b);
/* The i-th file in bundle order. *name and *data stay owned by the bundle
 * and live until dc_bundle_free. DC_E_ARG when i is out of range. */
dc_err dc_bundle_file(const dc_bundle *b, size_t i, const char **name,
		      const uint8_t **data, size_t *len);
void dc_bundle_free(dc_bundle *b); /* wipes the decoded files; NULL is safe */

/* True when `name` (NUL-terminated) is an allowed bundle file name. */
bool dc_bundle_name_ok(const char *name);

/*
 * Writes the JSON of a bundle (the bytes to sign) into a malloc'd,
 * NUL-terminated *json (*json_len excludes the NUL). Names are checked
 * with dc_bundle_name_ok and must be unique; created is unix seconds.
 * The caller signs and frees the result.
 */
dc_err dc_bundle_build(int64_t version, int64_t created, size_t n,
		       const char *const names[], const uint8_t *const data[],
		       const size_t lens[], char **json, size_t *json_len);

#endif
