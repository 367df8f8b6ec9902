#include "forge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include "dc_hash.h"
#include <zlib.h>

#include "dc_b64.h"

static mbedtls_ctr_drbg_context drbg;
static mbedtls_entropy_context entropy;
static int drbg_ready;

static void rng_init(void)
{
	if (drbg_ready)
		return;
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
				  (const unsigned char *)"forge", 5) != 0) {
		fprintf(stderr, "forge: cannot seed RNG\n");
		exit(99);
	}
	drbg_ready = 1;
}

static void fill_jwk(forge_key *k)
{
	uint8_t pt[97];
	size_t n;
	char x[64], y[64], tp_json[256], kid[64];
	uint8_t tp[32];
	mbedtls_ecp_point_write_binary(&k->kp.grp, &k->kp.Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
				       &n, pt, sizeof pt);
	size_t c = (n - 1) / 2;
	dc_b64url_encode(pt + 1, c, x, sizeof x);
	dc_b64url_encode(pt + 1 + c, c, y, sizeof y);
	const char *crv = k->kp.grp.id == MBEDTLS_ECP_DP_SECP256R1 ? "P-256" : "P-384";
	snprintf(tp_json, sizeof tp_json, "{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
		 crv, x, y);
	dc_sha256((const uint8_t *)tp_json, strlen(tp_json), tp);
	dc_b64url_encode(tp, 32, kid, sizeof kid);
	snprintf(k->kid, sizeof k->kid, "%s", kid);
	snprintf(k->jwk, sizeof k->jwk,
		 "{\"kty\":\"EC\",\"kid\":\"%s\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":\"%s\","
		 "\"x\":\"%s\",\"y\":\"%s\"}", kid, crv, x, y);
}

int forge_key_load(forge_key *k, const char *rel_path)
{
	char path[4096];
	mbedtls_pk_context pk;
	const char *root = getenv("DC_SOURCE_ROOT");
	snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel_path);
	mbedtls_pk_init(&pk);
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_pk_parse_keyfile(&pk, path, NULL) != 0 ||
	    mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY) {
		mbedtls_pk_free(&pk);
		return -1;
	}
	const mbedtls_ecp_keypair *src = mbedtls_pk_ec(pk);
	mbedtls_ecp_group_load(&k->kp.grp, src->grp.id);
	mbedtls_mpi_copy(&k->kp.d, &src->d);
	mbedtls_ecp_copy(&k->kp.Q, &src->Q);
	mbedtls_pk_free(&pk);
	fill_jwk(k);
	return 0;
}

int forge_key_generate(forge_key *k, mbedtls_ecp_group_id curve)
{
	rng_init();
	mbedtls_ecp_keypair_init(&k->kp);
	if (mbedtls_ecp_gen_key(curve, &k->kp, mbedtls_ctr_drbg_random, &drbg) != 0)
		return -1;
	fill_jwk(k);
	return 0;
}

void forge_key_free(forge_key *k)
{
	mbedtls_ecp_keypair_free(&k->kp);
}

static char *b64(const uint8_t *d, size_t n)
{
	size_t cap = n / 3 * 4 + 8;
	char *s = malloc(cap);
	dc_b64url_encode(d, n, s, cap);
	return s;
}

char *forge_jws(const forge_key *k, const char *header_json, const char *payload,
		int flags)
{
	char hdr[512];
	uint8_t *z = NULL;
	size_t zl;
	rng_init();
	if (!header_json) {
		snprintf(hdr, sizeof hdr, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", k->kid);
		header_json = hdr;
	}
	size_t pl = strlen(payload);
	if (flags & FORGE_NO_DEFLATE) {
		z = malloc(pl + 1);
		memcpy(z, payload, pl);
		zl = pl;
	} else {
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		deflateInit2(&zs, 9, Z_DEFLATED, (flags & FORGE_ZLIB) ? 15 : -15, 8, Z_DEFAULT_STRATEGY);
		size_t cap = deflateBound(&zs, pl) + 16;
		z = malloc(cap);
		zs.next_in = (Bytef *)(uintptr_t)payload;
		zs.avail_in = (uInt)pl;
		zs.next_out = z;
		zs.avail_out = (uInt)cap;
		deflate(&zs, Z_FINISH);
		zl = zs.total_out;
		deflateEnd(&zs);
		if (flags & FORGE_CORRUPT_DEFLATE)
			zl = zl / 2; /* cut the stream in half */
	}
	char *h64 = b64((const uint8_t *)header_json, strlen(header_json));
	char *p64 = b64(z, zl);
	free(z);
	size_t inl = strlen(h64) + 1 + strlen(p64);
	char *input = malloc(inl + 1);
	snprintf(input, inl + 1, "%s.%s", h64, p64);

	uint8_t hash[32], sig[160];
	size_t sl = 0;
	dc_sha256((const uint8_t *)input, inl, hash);
	mbedtls_mpi r, s;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecdsa_sign((mbedtls_ecp_group *)&k->kp.grp, &r, &s, &k->kp.d, hash, 32,
			   mbedtls_ctr_drbg_random, &drbg);
	if (flags & FORGE_DER_SIG) {
		/* SEQUENCE { INTEGER r, INTEGER s } */
		uint8_t rb[33] = {0}, sb[33] = {0};
		mbedtls_mpi_write_binary(&r, rb + 1, 32);
		mbedtls_mpi_write_binary(&s, sb + 1, 32);
		size_t ro = rb[1] & 0x80 ? 0 : 1, so = sb[1] & 0x80 ? 0 : 1;
		size_t rl = 33 - ro, sl2 = 33 - so;
		sig[0] = 0x30;
		sig[1] = (uint8_t)(2 + rl + 2 + sl2);
		sig[2] = 0x02;
		sig[3] = (uint8_t)rl;
		memcpy(sig + 4, rb + ro, rl);
		sig[4 + rl] = 0x02;
		sig[5 + rl] = (uint8_t)sl2;
		memcpy(sig + 6 + rl, sb + so, sl2);
		sl = 6 + rl + sl2;
	} else {
		size_t c = (k->kp.grp.pbits + 7) / 8;
		mbedtls_mpi_write_binary(&r, sig, c);
		mbedtls_mpi_write_binary(&s, sig + c, c);
		sl = 2 * c;
	}
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	char *s64 = b64(sig, sl);
	size_t total = inl + 1 + strlen(s64) + 1;
	char *out = malloc(total);
	snprintf(out, total, "%s.%s", input, s64);
	free(h64);
	free(p64);
	free(s64);
	free(input);
	return out;
}

char *forge_numeric(const char *jws)
{
	size_t n = strlen(jws);
	char *out = malloc(5 + 2 * n + 1);
	memcpy(out, "shc:/", 5);
	for (size_t i = 0; i < n; i++) {
		int v = (unsigned char)jws[i] - 45;
		out[5 + 2 * i] = (char)('0' + v / 10);
		out[6 + 2 * i] = (char)('0' + v % 10);
	}
	out[5 + 2 * n] = 0;
	return out;
}

char *forge_payload(const char *iss, double nbf, double exp, const char *rid)
{
	char expbuf[64] = "", ridbuf[96] = "";
	if (exp > 0)
		snprintf(expbuf, sizeof expbuf, ",\"exp\":%.3f", exp);
	if (rid)
		snprintf(ridbuf, sizeof ridbuf, ",\"rid\":\"%s\"", rid);
	const char *fmt =
		"{\"iss\":\"%s\",\"nbf\":%.3f%s,\"vc\":{\"type\":[\"https://smarthealth.cards#health-card\"],"
		"\"credentialSubject\":{\"fhirVersion\":\"4.0.1\",\"fhirBundle\":{\"resourceType\":\"Bundle\","
		"\"type\":\"collection\",\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":{\"resourceType\":"
		"\"Patient\",\"name\":[{\"family\":\"Forge\",\"given\":[\"Test\",\"Q.\"]}],\"birthDate\":\"1970-03-04\"}},"
		"{\"fullUrl\":\"resource:1\",\"resource\":{\"resourceType\":\"Immunization\",\"status\":\"completed\","
		"\"vaccineCode\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"207\"}]},"
		"\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-02-01\","
		"\"performer\":[{\"actor\":{\"display\":\"Forge Clinic\"}}],\"lotNumber\":\"L1\"}},"
		"{\"fullUrl\":\"resource:2\",\"resource\":{\"resourceType\":\"Immunization\",\"status\":\"completed\","
		"\"vaccineCode\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"207\"}]},"
		"\"patient\":{\"reference\":\"resource:0\"},\"occurrenceDateTime\":\"2021-01-01\","
		"\"performer\":[{\"actor\":{\"display\":\"Forge Clinic\"}}],\"lotNumber\":\"L0\"}}]}}%s}}";
	size_t cap = strlen(fmt) + strlen(iss) + 256;
	char *p = malloc(cap);
	snprintf(p, cap, fmt, iss, nbf, expbuf, ridbuf);
	return p;
}

char *forge_payload_2021(const char *iss, const char *dates)
{
	char iat[160] = "";
	if (dates && *dates)
		snprintf(iat, sizeof iat, ",%s", dates);
	const char *fmt =
		"{\"iss\":\"%s\"%s,\"vc\":{\"type\":[\"https://smarthealth.cards#health-card\","
		"\"https://smarthealth.cards#immunization\",\"https://smarthealth.cards#covid19\"],"
		"\"credentialSubject\":{\"fhirVersion\":\"1.0.2\",\"fhirBundle\":{\"resourceType\":\"Bundle\","
		"\"type\":\"Collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
		"\"name\":[{\"family\":[\"FORGE\",\"TREMBLAY\"],\"given\":[\"MARIE\",\"ÉLODIE\"]}],"
		"\"birthDate\":\"1971-05-06\",\"gender\":\"Female\"}},"
		"{\"resource\":{\"resourceType\":\"Immunization\",\"vaccineCode\":{\"coding\":"
		"[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"208\"}]},\"patient\":"
		"{\"reference\":\"resource:0\"},\"wasNotGiven\":false,\"lotNumber\":\"FA0001\","
		"\"status\":\"Completed\",\"date\":\"2021-04-02T04:00:00+00:00\","
		"\"location\":{\"reference\":\"resource:0\",\"display\":\"CIUSSS Forge-Centre\"},"
		"\"protocolApplied\":{\"targetDisease\":{\"coding\":[{\"system\":"
		"\"http://browser.ihtsdotools.org/?perspective=full&conceptId1=840536004\",\"code\":\"840536004\"}]},"
		"\"doseNumberPositiveInt\":1},\"note\":[{\"text\":\"PB COVID-19\"}]}},"
		"{\"resource\":{\"resourceType\":\"Immunization\",\"vaccineCode\":{\"coding\":"
		"[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"208\"}]},\"patient\":"
		"{\"reference\":\"resource:0\"},\"lotNumber\":\"FA0002\",\"status\":\"Completed\","
		"\"date\":\"2021-06-20T04:00:00+00:00\",\"performer\":{\"display\":\"Forge Pharmacie\"},"
		"\"protocolApplied\":{\"doseNumberPositiveInt\":2},\"note\":[{\"text\":\"PB COVID-19\"}]}}]}}},"
		"\"x-unknown-claim\":{\"anything\":[1,2,3]}}";
	size_t cap = strlen(fmt) + strlen(iss) + sizeof iat + 16;
	char *p = malloc(cap);
	snprintf(p, cap, fmt, iss, iat);
	return p;
}

char *forge_jwk_with_kid(const forge_key *k, const char *kid)
{
	const char *at = strstr(k->jwk, "\"kid\":\"") + 7;
	const char *end = strchr(at, '"');
	size_t cap = strlen(k->jwk) + strlen(kid) + 1;
	char *o = malloc(cap);
	snprintf(o, cap, "%.*s%s%s", (int)(at - k->jwk), k->jwk, kid, end);
	return o;
}
