/* JWS compact verification against a trust store holding one issuer
 * (https://fuzz.example/issuer, a fixed P-256 key). The fuzzer can reach
 * every step up to the signature check. */
#include <stdint.h>
#include <string.h>

#include "dc_shc.h"
#include "dc_trust.h"

static dc_trust *trust;

static const char issuer[] =
	"{\"issuer\":{\"iss\":\"https://fuzz.example/issuer\",\"name\":\"Fuzz\"},\"keys\":[{"
	"\"kty\":\"EC\",\"kid\":\"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\",\"use\":\"sig\","
	"\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw\","
	"\"y\":\"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8\"}],\"crls\":[{"
	"\"kid\":\"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\",\"method\":\"rid\",\"rids\":[\"abc.123\"]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trust) {
		trust = dc_trust_new();
		if (dc_trust_add_issuer_json(trust, (const uint8_t *)issuer, strlen(issuer)) != DC_OK)
			__builtin_trap();
	}
	dc_record r;
	dc_shc_verify_jws(trust, 1767225600.0, (const char *)data, size, &r);
	if (r.verdict == DC_VERDICT_VERIFIED)
		__builtin_trap(); /* nothing the fuzzer makes can carry a valid signature */
	return 0;
}
