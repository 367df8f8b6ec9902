/*
 * dc_dcc: EU Digital COVID Certificate (HC1:) verification, pure.
 *
 *   HC1: text -> Base45 -> zlib (bounded) -> COSE_Sign1 (libcbor) -> CWT
 *   claims -> hcert -> dc_record; ES256 / PS256 against the DSC(s) in the
 *   trust store whose kid matches.
 *
 * Limits: the text is at most DC_MAX_QR_TEXT characters; the payload at
 * most DC_MAX_INFLATED bytes. Intermediate buffers are wiped before return.
 */
#ifndef DC_DCC_H
#define DC_DCC_H

#include <stddef.h>

#include "dc_record.h"
#include "dc_trust.h"

dc_err dc_dcc_verify(const dc_trust *t, double now, const char *text,
		     size_t len, dc_record *out);

/*
 * The same check with a report of
 * every stage, for the conformance tests and operator diagnostics. Stages
 * after a failed signature are still evaluated (on unverified data, never
 * shown: out is cleared whenever the result is not DC_OK), so that each
 * check can be compared with a test vector on its own. The return value is
 * always the first failing stage, as from dc_dcc_verify.
 */
typedef enum {
	DC_DCC_STAGE_PREFIX = 0,  /* "HC1:" */
	DC_DCC_STAGE_BASE45,
	DC_DCC_STAGE_COMPRESSION, /* zlib; see dc_dcc_report.compressed */
	DC_DCC_STAGE_DECODE,      /* CBOR + COSE_Sign1 structure */
	DC_DCC_STAGE_SIGNATURE,   /* kid -> DSC, signature */
	DC_DCC_STAGE_CLAIMS,      /* CWT claims + hcert present */
	DC_DCC_STAGE_KEY_USAGE,   /* DSC extended key usage vs v/t/r */
	DC_DCC_STAGE_DSC_TIME,    /* DSC validity covers now */
	DC_DCC_STAGE_EXPIRY,      /* iat <= now <= exp */
	DC_DCC_STAGE_SCHEMA,      /* DCC content */
	DC_DCC_STAGE_REVOCATION,
	DC_DCC_STAGES
} dc_dcc_stage;

typedef struct {
	int reached[DC_DCC_STAGES];   /* 1 when the stage was evaluated */
	dc_err result[DC_DCC_STAGES]; /* its outcome when reached */
	int compressed;               /* 1 zlib, 0 bare COSE (allowed by hcert) */
} dc_dcc_report;

dc_err dc_dcc_verify_report(const dc_trust *t, double now, const char *text,
			    size_t len, dc_record *out, dc_dcc_report *rep);

#endif
