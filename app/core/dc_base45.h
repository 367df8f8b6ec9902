/*
 * dc_base45: Base45 (RFC 9285), as used by EU DCC QR texts.
 *
 * Decoding is strict: any character outside the 45-character alphabet, a
 * length of 1 mod 3, a triple whose value exceeds 65535 or a final pair
 * whose value exceeds 255 is an error. Strictness matters because a
 * tolerant decoder lets two different texts carry the same bytes.
 */
#ifndef DC_BASE45_H
#define DC_BASE45_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decoded size of a valid input of n characters (exact for valid input). */
#define DC_BASE45_DECODED_MAX(n) (((n) / 3) * 2 + 1)
/* Encoded size of n bytes, without the NUL. */
#define DC_BASE45_ENCODED_LEN(n) (((n) / 2) * 3 + ((n) % 2) * 2)

/* Decodes in[0..len) into out (cap bytes). Returns false on any invalid
 * input or if cap is too small; then *out_len is 0 and out is zeroised. */
bool dc_base45_decode(const char *in, size_t len, uint8_t *out, size_t cap,
		      size_t *out_len);

/* Encodes len bytes; out must hold DC_BASE45_ENCODED_LEN(len) + 1 bytes.
 * Returns the number of characters written (NUL-terminated), or 0 when cap
 * is too small. */
size_t dc_base45_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/* True when c is one of the 45 alphabet characters. */
bool dc_base45_is_char(char c);

#endif
