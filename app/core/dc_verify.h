/*
 * dc_verify: QR text(s) -> verified record. The single entry point the CLI,
 * the kiosk and the simulator call; it recognises the format and hands the
 * text to the format's verifier (dc_shc_*, dc_dcc_*).
 *
 * Inputs are borrowed; nothing is retained after return. Intermediate
 * buffers that held personal data (decoded JWS, inflated payload, parsed
 * JSON) are wiped before return. The caller owns `out` and must wipe it
 * (dc_record_wipe) when the result is no longer shown.
 */
#ifndef DC_VERIFY_H
#define DC_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "dc_record.h"
#include "dc_trust.h"

/* Longest QR text accepted (QR version 40 holds at most 7089 digits). */
#define DC_MAX_QR_TEXT 7089
/* Most QR texts that can make one credential (SHC chunks). */
#define DC_MAX_TEXTS 16

typedef struct {
	const dc_trust *trust;
	double now; /* validation time, unix seconds (fractional allowed) */
} dc_verify_opts;

/* What kind of text this is, from its prefix alone (no decoding). */
dc_format dc_classify(const char *text, size_t len);

/*
 * Verifies one credential given as n QR texts (n > 1 only for SHC chunks,
 * in any order). Returns out->reason. out is always initialised, even on
 * error; fields decoded before a failure are cleared so that nothing
 * unverified is ever displayed.
 */
dc_err dc_verify_texts(const dc_verify_opts *o, const char *const *texts,
		       const size_t *lens, size_t n, dc_record *out);

/* Installs process-wide settings the core relies on: cJSON frees wipe
 * their blocks, so decoded personal data does not linger in freed heap.
 * Call once at start-up, before any thread starts. */
void dc_core_init(void);

/* Convenience for one text. */
dc_err dc_verify_text(const dc_verify_opts *o, const char *text, size_t len,
		      dc_record *out);

#endif
