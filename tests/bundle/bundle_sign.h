/*
 * Test helpers for trust bundles: sign arbitrary bytes with a PEM private
 * key (so tests can make bundles the packer would never make), write and
 * read small files. Header-only, static inline: each test program includes it once.
 */
#ifndef BUNDLE_SIGN_H
#define BUNDLE_SIGN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include "dc_hash.h"

#include "dc_test.h"

/* DER ECDSA signature over SHA-256(msg) with the private key in key_path.
 * Returns the signature length, 0 on failure. */
static inline size_t bs_sign(const char *key_path, const void *msg, size_t len,
		      uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE])
{
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	uint8_t hash[32];
	size_t sl = 0;
	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_pk_parse_keyfile(&pk, key_path, NULL) != 0 ||
	    mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent,
				  (const unsigned char *)"bundle test", 11) != 0 ||
	    dc_sha256(msg, len, hash) != 0 ||
	    mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, 32, sig, &sl,
			    mbedtls_ctr_drbg_random, &drbg) != 0)
		sl = 0;
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	return sl;
}

static inline int bs_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = len ? fwrite(data, 1, len, f) : 0;
	return fclose(f) == 0 && w == len ? 0 : -1;
}

static inline void bs_hex(const void *data, size_t len, char out[65])
{
	uint8_t h[32];
	dc_sha256(data, len, h);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Standard padded base64 of data into a malloc'd string. */
static inline char *bs_b64(const void *data, size_t len)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *p = data;
	char *o = malloc((len + 2) / 3 * 4 + 1), *q = o;
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		*q++ = a[v >> 18 & 63];
		*q++ = a[v >> 12 & 63];
		*q++ = i + 1 < len ? a[v >> 6 & 63] : '=';
		*q++ = i + 2 < len ? a[v & 63] : '=';
	}
	*q = 0;
	return o;
}

/* One file entry {"name":..,"sha256":..,"data":..} into a malloc'd string.
 * hash_of may differ from data to make a mismatching entry. */
static inline char *bs_entry(const char *name, const char *data, const char *hash_of)
{
	char hex[65];
	char *b64 = bs_b64(data, strlen(data));
	if (!b64)
		return NULL;
	bs_hex(hash_of, strlen(hash_of), hex);
	size_t cap = strlen(name) + strlen(b64) + 128;
	char *o = malloc(cap);
	if (!o) {
		free(b64);
		return NULL;
	}
	snprintf(o, cap, "{\"name\":\"%s\",\"sha256\":\"%s\",\"data\":\"%s\"}", name, hex, b64);
	free(b64);
	return o;
}

#endif
