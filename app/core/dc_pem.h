/*
 * dc_pem: tells PEM text from DER bytes, for the loaders that take either
 * (operator key of a trust bundle, DCC signer certificates).
 */
#ifndef DC_PEM_H
#define DC_PEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when buf (len bytes, need not be NUL-terminated) contains a PEM
 * "-----BEGIN" line anywhere. mbedTLS parses PEM only from a buffer whose
 * last byte is a NUL counted in its length: a caller that gets true copies
 * the data and appends one. */
bool dc_looks_pem(const uint8_t *buf, size_t len);

#endif
