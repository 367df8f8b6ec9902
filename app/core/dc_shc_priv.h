/*
 * Internal interface of dc_shc between its two halves. Not for use outside
 * app/core (and the verify-before-parse test, which wraps
 * dc_shc_read_claims at link time to count its calls).
 *
 *   dc_shc.c          JWS: header, signature, key choice, the order of steps
 *   dc_shc_payload.c  the payload JSON: its issuer (read before the
 *                     signature, to choose the key) and its claims and FHIR
 *                     bundle (read only after the signature verified)
 */
#ifndef DC_SHC_PRIV_H
#define DC_SHC_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_record.h"
#include "dc_trust.h"

#define DC_SHC_RID_MAX 64

/* The claims the verifier needs beside the record. */
typedef struct {
	double issued;  /* nbf, or iat when nbf is absent (seconds) */
	bool has_exp;
	double exp;
	char rid[DC_SHC_RID_MAX + 1]; /* "" when the card has none */
} dc_shc_claims;

/* Before the signature: the payload must be a JSON object naming a valid
 * https issuer; copies it into iss (cap > DC_ISS_MAX). Reads nothing else.
 * Errors: DC_E_PAYLOAD_JSON, DC_E_PAYLOAD_DOUBLE, DC_E_ISS_MISSING,
 * DC_E_ISS_INVALID. */
dc_err dc_shc_payload_iss(const uint8_t *json, size_t len, char *iss, size_t cap);

/* After the signature: dates, type, rid and the FHIR bundle into out and c.
 * The only reader of a payload's content; callers must have verified the
 * signature over these bytes. On error out may hold part of the holder's
 * data: the caller wipes it (dc_record_wipe_holder). */
dc_err dc_shc_read_claims(const uint8_t *json, size_t len, dc_record *out,
			  dc_shc_claims *c);

/* Validity window at `now`: DC_OK, DC_E_NOT_YET_VALID or DC_E_EXPIRED. */
dc_err dc_shc_check_window(const dc_shc_claims *c, double now);

#endif
