/*
 * dc_err: the error/reason enum shared by every core module, and the verdict
 * each reason leads to. The table itself lives in dc_reasons.def.
 *
 * Contract: 0 (DC_OK) is success. Every other value is a specific reason
 * with a stable code (dc_err_code) and a human sentence (dc_strerror). Both
 * return static strings, never NULL, for any int value.
 */
#ifndef DC_ERR_H
#define DC_ERR_H

typedef enum {
#define X(e, code, verdict, text) e,
#include "dc_reasons.def"
#undef X
	DC_ERR__COUNT
} dc_err;

/* What a person is told about a credential. JSON names in dc_verdict_code. */
typedef enum {
	DC_VERDICT_VERIFIED = 0,
	DC_VERDICT_NOT_VERIFIED,
	DC_VERDICT_ISSUER_NOT_TRUSTED,
	DC_VERDICT_REVOKED,
	DC_VERDICT_NOT_A_CREDENTIAL,
} dc_verdict;

const char *dc_strerror(dc_err e);     /* "Signature does not match issuer key" */
const char *dc_err_code(dc_err e);     /* "signature_mismatch" */
dc_verdict dc_err_verdict(dc_err e);   /* verdict this reason leads to */
const char *dc_verdict_code(dc_verdict v); /* "not_verified" */

#endif
