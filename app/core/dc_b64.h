/*
 * dc_b64: strict base64url (RFC 4648 section 5) decoding, no padding, as
 * JWS (RFC 7515) requires.
 *
 * Strict means canonical: characters outside [A-Za-z0-9_-], '=' padding, a
 * length of 1 mod 4, and non-zero unused bits in the last character are all
 * errors. Without the last rule two different texts decode to the same
 * signature, and a changed character could still verify.
 */
#ifndef DC_B64_H
#define DC_B64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decoded size for an input of n characters (upper bound). */
#define DC_B64URL_DECODED_MAX(n) (((n) / 4) * 3 + 3)

/* Decodes in[0..len) into out (cap bytes). Returns false on any invalid
 * input or if cap is too small; *out_len is set on success. */
bool dc_b64url_decode(const char *in, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len);

/* Encodes without padding; out must hold 4*ceil(len/3)+1 bytes. Returns the
 * number of characters written (NUL-terminated). */
size_t dc_b64url_encode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
