/*
 * forge: builds SMART Health Card test vectors inside the tests, signed by
 * the project's demo issuer key (keys/demo/shc-issuer.key.pem) or by keys
 * generated on the spot, so each bad-input case is made exactly as needed.
 */
#ifndef DC_TEST_FORGE_H
#define DC_TEST_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

#define DEMO_ISS "https://demo.doorcheck.invalid/issuer"

typedef struct {
	mbedtls_ecp_keypair kp;
	char kid[64];   /* RFC 7638 thumbprint */
	char jwk[512];  /* public JWK JSON */
} forge_key;

enum forge_flags {
	FORGE_DER_SIG = 1,      /* DER signature instead of r||s */
	FORGE_NO_DEFLATE = 2,   /* payload not compressed */
	FORGE_ZLIB = 4,         /* zlib-wrapped instead of raw DEFLATE */
	FORGE_CORRUPT_DEFLATE = 8,
};

/* Loads a PEM private key (path relative to DC_SOURCE_ROOT). */
int forge_key_load(forge_key *k, const char *rel_path);
/* Generates a fresh key on curve (MBEDTLS_ECP_DP_SECP256R1 normally). */
int forge_key_generate(forge_key *k, mbedtls_ecp_group_id curve);
void forge_key_free(forge_key *k);

/* Returns a malloc'd JWS compact string. header_json NULL gives the
 * standard {"zip":"DEF","alg":"ES256","kid":"<k->kid>"}. */
char *forge_jws(const forge_key *k, const char *header_json, const char *payload,
		int flags);
/* shc:/ numeric form of a JWS (malloc'd). */
char *forge_numeric(const char *jws);
/* A standard payload: two Moderna doses, given iss/nbf/exp (exp 0 = none),
 * rid (NULL = none). malloc'd. */
char *forge_payload(const char *iss, double nbf, double exp, const char *rid);

/* A payload shaped as genuine cards of 2021 were (Quebec's among them):
 * `dates` is inserted after iss as written (e.g. "\"iat\":1624473431.72"
 * for iat without nbf; NULL or "" for no date at all),
 * fhirVersion 1.0.2 with DSTU2 shapes (family as an array, Immunization
 * "date", performer as one Reference, location), status "Completed", two
 * Pfizer doses, extra claims the reader does not know. malloc'd. */
char *forge_payload_2021(const char *iss, const char *dates);

/* A copy of k->jwk with its kid replaced by `kid` (malloc'd). */
char *forge_jwk_with_kid(const forge_key *k, const char *kid);

#endif
