/* COSE_Sign1 / CWT: the parser on the raw bytes, then the whole HC1 chain on
 * "HC1:" + Base45(bytes) (bare COSE or zlib, whichever the bytes are) with
 * the demo ES256 signer pinned, so inputs derived from a demo certificate
 * reach the signature, claims, schema and revocation stages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_base45.h"
#include "dc_cose.h"
#include "dc_dcc.h"
#include "dc_trust.h"
#include "dc_verify.h"

static dc_trust *trust;

static const char demo_dsc[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICRDCCAeugAwIBAgIEDcwAATAKBggqhkjOPQQDAjBdMQswCQYDVQQGEwJYWDEr\n"
	"MCkGA1UECgwiZG9vcmNoZWNrIERFTU8gKG5vdCBhIHJlYWwgaXNzdWVyKTEhMB8G\n"
	"A1UEAwwYZG9vcmNoZWNrIERFTU8gRFNDIEVTMjU2MCAXDTI2MTEyMzE3NDYzN1oY\n"
	"DzIwNTExMTE3MTc0NjM3WjBdMQswCQYDVQQGEwJYWDErMCkGA1UECgwiZG9vcmNo\n"
	"ZWNrIERFTU8gKG5vdCBhIHJlYWwgaXNzdWVyKTEhMB8GA1UEAwwYZG9vcmNoZWNr\n"
	"IERFTU8gRFNDIEVTMjU2MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyRMD3PsB\n"
	"K0GJOlW1XKLZLiZunC1Y6VSeFSy/n7QAQLQ3b7ndQvCmoJYvCuJfoqUF2B+V1AQ8\n"
	"J3Oa2uYReIjFkKOBljCBkzAdBgNVHQ4EFgQUKpRASP6AXRe3eMUeNC/wadBMk/Qw\n"
	"HwYDVR0jBBgwFoAUKpRASP6AXRe3eMUeNC/wadBMk/QwDwYDVR0TAQH/BAUwAwEB\n"
	"/zAOBgNVHQ8BAf8EBAMCB4AwMAYDVR0lBCkwJwYLKwYBBAGON49lAQEGCysGAQQB\n"
	"jjePZQECBgsrBgEEAY43j2UBAzAKBggqhkjOPQQDAgNHADBEAiBt0YovQ56tudBQ\n"
	"RWRJUsa0QRAwWu+1ALCIyI8vfvwZ7QIgLVPM/4Lhy1epPP7nnIhgkyulSBohxaF1\n"
	"Ku6Urdgq8nE=\n"
	"-----END CERTIFICATE-----\n"
	;

static const char revocations[] =
	"{\"entries\":[{\"type\":\"UCI\",\"hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trust) {
		trust = dc_trust_new();
		if (dc_trust_add_dsc(trust, (const uint8_t *)demo_dsc, sizeof demo_dsc - 1) != DC_OK ||
		    dc_trust_add_dcc_revocations(trust, (const uint8_t *)revocations,
						 sizeof revocations - 1) != DC_OK)
			__builtin_trap();
	}
	dc_cose_sign1 c;
	if (dc_cose_parse(data, size, &c) == DC_OK) {
		size_t n = dc_cose_sig_structure_len(&c), got;
		uint8_t *tbs = malloc(n);
		if (!tbs || dc_cose_sig_structure(&c, tbs, n, &got) != DC_OK || got != n)
			__builtin_trap();
		if (dc_cbor_check(tbs, n) != DC_OK)
			__builtin_trap(); /* what we sign over must itself be CBOR */
		free(tbs);
		dc_cose_free(&c);
	}

	size_t cap = 4 + DC_BASE45_ENCODED_LEN(size) + 1;
	if (cap - 1 > DC_MAX_QR_TEXT)
		return 0;
	char *text = malloc(cap);
	memcpy(text, "HC1:", 4);
	size_t tl = dc_base45_encode(data, size, text + 4, cap - 4) + 4;
	dc_record r;
	/* 2027-06-01, inside the demo signer's validity */
	dc_err e = dc_dcc_verify(trust, 1811808000.0, text, tl, &r);
	if ((e == DC_OK) != (r.verdict == DC_VERDICT_VERIFIED) || (e != DC_OK && r.name[0]))
		__builtin_trap();
	dc_record_wipe(&r);
	free(text);
	return 0;
}
