/*
 * dc_policy_words: the effective venue policy as one sentence for the
 * operator screen; the default policy reads "Admits: complete vaccination
 * (any COVID-19 vaccine), last dose 14+ days ago; or negative NAAT test up
 * to 72 h or antigen test up to 24 h old; or recovery 11 to 180 days after
 * a positive test" (190 characters: one operator screen line). Built from dc_policy_write's output, so every
 * key the policy module prints is covered by the same names.
 * No personal data: a policy holds none.
 */
#ifndef DC_POLICY_WORDS_H
#define DC_POLICY_WORDS_H

#include <stddef.h>

#include "dc_policy.h"

/* Writes the sentence into buf (cap bytes, always NUL-terminated when cap
 * > 0; a long product list is cut). Returns buf. */
char *dc_policy_words(const dc_policy *p, char *buf, size_t cap);

#endif
