/*
 * dc_policy: the venue's admission rule, one module for every format.
 *
 * Input is a record that dc_verify already VERIFIED (authentic, trusted, not
 * revoked, not expired); the policy only decides whether what it says meets
 * the venue's rule. A record that is not verified always evaluates to
 * DC_POLICY_NOT_VALID.
 *
 * The policy file format and its defaults are documented in docs/policy.md.
 * The parsed policy holds no personal data. dc_policy_result.reason never
 * contains personal data either (only counts, days, hours, product names).
 */
#ifndef DC_POLICY_H
#define DC_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "dc_record.h"

typedef struct dc_policy dc_policy;

typedef enum {
	DC_POLICY_PASS = 0,   /* authentic, trusted and meets the venue rule */
	DC_POLICY_FAIL,       /* authentic but does not meet the rule */
	DC_POLICY_NOT_VALID,  /* not authentic / not trusted / revoked / expired */
} dc_policy_outcome;

typedef struct {
	dc_policy_outcome outcome;
	char code[48];    /* stable machine code: "pass", "dose_too_recent", ... */
	char reason[160]; /* human text: "Last dose 5 days ago (needs 14)" */
} dc_policy_result;

/* The built-in default policy (documented in docs/policy.md). */
dc_policy *dc_policy_new_default(void);

/* Parses a policy file. On error returns NULL and writes a one-line reason
 * naming the line in err. Unknown keys are errors (a typo must not silently
 * admit people). */
dc_policy *dc_policy_parse(const uint8_t *buf, size_t len, char *err, size_t errlen);

void dc_policy_free(dc_policy *p); /* NULL is safe */

/* Evaluates a record at time `now` (unix seconds). Never fails. */
void dc_policy_evaluate(const dc_policy *p, const dc_record *r, double now,
			dc_policy_result *out);

const char *dc_policy_outcome_code(dc_policy_outcome o); /* "pass","fail","not_valid" */

/* Largest policy file dc_policy_parse accepts; callers reading a file can
 * refuse anything bigger before reading it. */
#define DC_POLICY_MAX_FILE_SIZE 65536

/* Writes the effective policy as a policy file (every key, one per line),
 * for an admin screen or `--show-policy`. Returns the length the full text
 * needs (excluding the NUL), like snprintf; writes at most cap bytes,
 * always NUL-terminated when cap > 0. The output parses back to the same
 * policy. */
size_t dc_policy_write(const dc_policy *p, char *buf, size_t cap);

#endif
