/*
 * dc_shc: SMART Health Card (SHC 1.4) verification, pure.
 *
 *   shc:/ numeric text (one or C/N chunks) -> JWS compact -> raw DEFLATE
 *   (bounded) -> payload "iss" only -> ES256 check against the named
 *   issuer's pinned key -> claims and FHIR bundle -> dc_record.
 *
 * Tolerances for genuine cards of 2021 (each safe, documented in
 * docs/shc.md): a header kid that is not the key's thumbprint (each of the
 * named issuer's keys is tried), iat as the issuance time when nbf is
 * absent, FHIR versions before R4, and the one-of-one chunk shc:/1/1/.
 *
 * Limits: each QR text <= DC_MAX_QR_TEXT, at most DC_SHC_MAX_CHUNKS chunks,
 * JWS <= DC_SHC_MAX_JWS characters, payload <= DC_MAX_INFLATED bytes.
 * All intermediate buffers are wiped before return.
 */
#ifndef DC_SHC_H
#define DC_SHC_H

#include <stddef.h>
#include <stdint.h>

#include "dc_record.h"
#include "dc_trust.h"

#define DC_SHC_MAX_CHUNKS 16
#define DC_SHC_MAX_JWS (DC_SHC_MAX_CHUNKS * 3600)

/* Parses the optional chunk header of one shc:/ text without decoding the
 * digits. Single texts, and the pointless but allowed "shc:/1/1/...", give
 * *index = *total = 1. Errors: DC_E_SHC_PREFIX, DC_E_SHC_CHUNK_HEADER,
 * DC_E_SHC_CHUNK_RANGE, DC_E_SHC_TOO_MANY_CHUNKS. (DC_E_SHC_CHUNK_SINGLE,
 * which 1/1 used to give, is no longer returned; its code stays reserved.)
 * Used by the scanner to show "2 of 3 scanned". */
dc_err dc_shc_chunk_info(const char *text, size_t len, int *index, int *total);

/* Decodes the digits of shc:/ text(s) into the JWS (any chunk order). out
 * holds cap bytes; the JWS is NUL-terminated and *out_len excludes the NUL. */
dc_err dc_shc_decode(const char *const *texts, const size_t *lens, size_t n,
		     char *out, size_t cap, size_t *out_len);

/* Verifies a JWS compact string (already decoded from numeric form). On
 * success out->kid is the RFC 7638 thumbprint of the key that verified;
 * on failure it is the kid the header named. */
dc_err dc_shc_verify_jws(const dc_trust *t, double now, const char *jws,
			 size_t len, dc_record *out);

/* shc:/ text(s) -> record: dc_shc_decode then dc_shc_verify_jws. */
dc_err dc_shc_verify(const dc_trust *t, double now, const char *const *texts,
		     const size_t *lens, size_t n, dc_record *out);

/* Parses the decoded JSON payload into out, without any signature or key
 * check (the JWS step does those), then checks the validity window. rid
 * gets the card's rid ("" if none). Exposed for the fuzz harness and tests;
 * never call it to display an unverified card. */
dc_err dc_shc_parse_payload(const uint8_t *json, size_t len, double now,
			    dc_record *out, char *rid, size_t rid_cap);

#endif
