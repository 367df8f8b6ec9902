/* Base45 (RFC 9285): strict decoding must be the exact inverse of encoding.
 * Every input is tried both as Base45 text and as bytes to encode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_base45.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	uint8_t *dec = malloc(DC_BASE45_DECODED_MAX(size));
	char *enc = malloc(DC_BASE45_ENCODED_LEN(size) + 1);
	size_t dl;
	if (!dec || !enc)
		__builtin_trap();

	/* as text: what decodes re-encodes to the same text */
	if (dc_base45_decode((const char *)data, size, dec, DC_BASE45_DECODED_MAX(size), &dl)) {
		char *back = malloc(DC_BASE45_ENCODED_LEN(dl) + 1);
		size_t bl = dc_base45_encode(dec, dl, back, DC_BASE45_ENCODED_LEN(dl) + 1);
		if (bl != size || memcmp(back, data, size) != 0)
			__builtin_trap();
		free(back);
	}

	/* as bytes: encode, decode, compare */
	size_t el = dc_base45_encode(data, size, enc, DC_BASE45_ENCODED_LEN(size) + 1);
	if (el != DC_BASE45_ENCODED_LEN(size))
		__builtin_trap();
	uint8_t *back = malloc(size + 1);
	if (!back || !dc_base45_decode(enc, el, back, size + 1, &dl) || dl != size ||
	    (size && memcmp(back, data, size) != 0))
		__builtin_trap();
	free(back);
	free(dec);
	free(enc);
	return 0;
}
