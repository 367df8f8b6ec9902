/* Trust files: project issuer file / VCI issuerInfo entry, bare JWKS and
 * revocation list parsing. */
#include <stdint.h>

#include "dc_trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_trust *t = dc_trust_new();
	if (!t)
		return 0;
	dc_trust_add_issuer_json(t, data, size);
	dc_trust_add_jwks(t, "https://fuzz.example/jwks", "x", data, size);
	if (dc_trust_find_issuer(t, "https://fuzz.example/jwks") == NULL)
		dc_trust_add_jwks(t, "https://fuzz.example/jwks", "x",
				  (const uint8_t *)"{\"keys\":[]}", 11);
	dc_trust_add_crl(t, "https://fuzz.example/jwks", data, size);
	dc_trust_free(t);
	return 0;
}
