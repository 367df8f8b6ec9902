/*
 * Test-side HC1 builder: a tiny CBOR writer over libcbor's encoder, COSE_Sign1
 * assembly and ES256/384/512 (any demo EC curve) / PS256 signing with the
 * demo DSC keys (keys/demo/dcc-dsc-*.key.pem), so the
 * chain tests can reach every content-level reason with a valid signature.
 * Test code only (header-only, static functions).
 */
#ifndef DCC_BUILD_H
#define DCC_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <cbor.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include "dc_hash.h"
#include <mbedtls/x509_crt.h>

#include "dc_base45.h"

typedef struct {
	uint8_t b[16384];
	size_t n;
} cw;

static void cw_bytes(cw *w, const void *p, size_t n)
{
	if (w->n + n > sizeof w->b)
		abort();
	if (n)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Heads come from libcbor's encoder (shortest form, as COSE wants). */
static void cw_put(cw *w, size_t n)
{
	if (n == 0)
		abort(); /* no room left in w */
	w->n += n;
}

static void cw_head(cw *w, unsigned major, uint64_t v)
{
	unsigned char *o = w->b + w->n;
	size_t cap = sizeof w->b - w->n;
	switch (major) {
	case 0: cw_put(w, cbor_encode_uint(v, o, cap)); break;
	case 1: cw_put(w, cbor_encode_negint(v, o, cap)); break;
	case 2: cw_put(w, cbor_encode_bytestring_start((size_t)v, o, cap)); break;
	case 3: cw_put(w, cbor_encode_string_start((size_t)v, o, cap)); break;
	case 4: cw_put(w, cbor_encode_array_start((size_t)v, o, cap)); break;
	case 5: cw_put(w, cbor_encode_map_start((size_t)v, o, cap)); break;
	case 6: cw_put(w, cbor_encode_tag(v, o, cap)); break;
	default: abort();
	}
}

static void cw_int(cw *w, int64_t v)
{
	if (v >= 0) cw_head(w, 0, (uint64_t)v);
	else cw_head(w, 1, (uint64_t)(-1 - v));
}
static void cw_text(cw *w, const char *s) { cw_head(w, 3, strlen(s)); cw_bytes(w, s, strlen(s)); }
static void cw_bstr(cw *w, const uint8_t *p, size_t n) { cw_head(w, 2, n); cw_bytes(w, p, n); }
static void cw_kv(cw *w, const char *k, const char *v) { cw_text(w, k); cw_text(w, v); }

/* A signer: the demo key and the kid of its certificate. */
typedef struct {
	mbedtls_pk_context pk;
	uint8_t kid[8];
	int alg;
	uint8_t *cert;
	size_t cert_len;
} signer;

static int signer_load(signer *s, const char *key_path, const char *cert_path)
{
	mbedtls_x509_crt crt;
	FILE *f;
	long n;
	uint8_t h[32];
	memset(s, 0, sizeof *s);
	mbedtls_pk_init(&s->pk);
	mbedtls_x509_crt_init(&crt);
	if (mbedtls_pk_parse_keyfile(&s->pk, key_path, NULL) != 0)
		return -1;
	f = fopen(cert_path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s->cert = malloc((size_t)n + 1);
	s->cert_len = fread(s->cert, 1, (size_t)n, f);
	s->cert[s->cert_len] = 0;
	fclose(f);
	if (mbedtls_x509_crt_parse(&crt, s->cert, s->cert_len + 1) == 0) {
		dc_sha256(crt.raw.p, crt.raw.len, h);
	} else {
		/* A certificate mbedTLS refuses (the empty-EKU demo DSC): the
		 * kid is still SHA-256 of its DER. */
		mbedtls_pem_context pem;
		size_t used;
		mbedtls_pem_init(&pem);
		if (mbedtls_pem_read_buffer(&pem, "-----BEGIN CERTIFICATE-----",
					    "-----END CERTIFICATE-----", s->cert, NULL, 0,
					    &used) != 0)
			return -1;
		dc_sha256(pem.buf, pem.buflen, h);
		mbedtls_pem_free(&pem);
	}
	memcpy(s->kid, h, 8);
	mbedtls_x509_crt_free(&crt);
	s->alg = mbedtls_pk_get_type(&s->pk) == MBEDTLS_PK_RSA ? -37 : -7;
	return 0;
}

static void signer_free(signer *s)
{
	mbedtls_pk_free(&s->pk);
	free(s->cert);
}

static int test_rng(void *ctx, unsigned char *out, size_t len)
{
	/* Deterministic bytes are fine for test signatures. */
	uint32_t *st = ctx;
	for (size_t i = 0; i < len; i++) {
		*st = *st * 1103515245u + 12345u;
		out[i] = (uint8_t)(*st >> 16);
	}
	return 0;
}

/* Signs tbs with alg (the signer's own when 0); sig gets r||s (twice the
 * curve size) or the RSA modulus size. PSS uses a salt of pss_salt bytes,
 * or of the hash length (RFC 8230) when pss_salt is 0. */
static size_t sign_tbs_alg(signer *s, int alg, int pss_salt, const uint8_t *tbs, size_t n,
			   uint8_t *sig)
{
	uint8_t h[64];
	size_t hl = 32;
	mbedtls_md_type_t md = MBEDTLS_MD_SHA256;
	uint32_t seed = 42;
	if (!alg)
		alg = s->alg;
	if (alg == -35 || alg == -38) {
		hl = 48;
		md = MBEDTLS_MD_SHA384;
		dc_sha384(tbs, n, h);
	} else if (alg == -36 || alg == -39) {
		hl = 64;
		md = MBEDTLS_MD_SHA512;
		dc_sha512(tbs, n, h);
	} else {
		dc_sha256(tbs, n, h);
	}
	if (mbedtls_pk_get_type(&s->pk) != MBEDTLS_PK_RSA) {
		mbedtls_ecp_keypair *ec = mbedtls_pk_ec(s->pk);
		size_t half = (ec->grp.nbits + 7) / 8;
		mbedtls_mpi r, ss;
		mbedtls_mpi_init(&r);
		mbedtls_mpi_init(&ss);
		if (mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &ss, &ec->d, h, hl, md,
					       test_rng, &seed) != 0)
			abort();
		mbedtls_mpi_write_binary(&r, sig, half);
		mbedtls_mpi_write_binary(&ss, sig + half, half);
		mbedtls_mpi_free(&r);
		mbedtls_mpi_free(&ss);
		return 2 * half;
	}
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(s->pk);
	mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
	if (mbedtls_rsa_rsassa_pss_sign_ext(rsa, test_rng, &seed, md, (unsigned)hl, h,
					    pss_salt ? pss_salt : (int)hl, sig) != 0)
		abort();
	return mbedtls_rsa_get_len(rsa);
}


enum kid_place { KID_PROTECTED, KID_UNPROTECTED, KID_BOTH, KID_NONE };

typedef struct {
	enum kid_place kid;
	int alg_override;   /* 0: the signer's; written in the header */
	int sign_alg;       /* 0: sign as the header says (if it can) */
	bool no_compress;
	bool untagged;
	bool cwt_tag;
	bool corrupt_sig;
	bool short_sig;     /* drop the last signature byte */
	int pss_salt;       /* 0: the hash length, as RFC 8230 requires */
} build_opts;

/* Builds the HC1 text for a CWT payload; returns a malloc'd NUL-terminated
 * string. The COSE bytes are left in *cose_out when non-NULL. */
static char *build_hc1(signer *s, const cw *payload, const build_opts *o, cw *cose_out)
{
	static cw prot, tbs, cose;
	uint8_t sig[1024];
	int alg = o->alg_override ? o->alg_override : s->alg;
	memset(&prot, 0, sizeof prot);
	memset(&tbs, 0, sizeof tbs);
	memset(&cose, 0, sizeof cose);
	bool kp = o->kid == KID_PROTECTED || o->kid == KID_BOTH;
	bool ku = o->kid == KID_UNPROTECTED || o->kid == KID_BOTH;
	cw_head(&prot, 5, kp ? 2 : 1);
	cw_int(&prot, 1);
	cw_int(&prot, alg);
	if (kp) {
		cw_int(&prot, 4);
		cw_bstr(&prot, s->kid, 8);
	}
	cw_head(&tbs, 4, 4);
	cw_text(&tbs, "Signature1");
	cw_bstr(&tbs, prot.b, prot.n);
	cw_bstr(&tbs, NULL, 0);
	cw_bstr(&tbs, payload->b, payload->n);
	int sa = o->sign_alg ? o->sign_alg : o->alg_override;
	/* A header alg that the key cannot make (PS with an EC key) is signed
	 * with the key's own algorithm: the verifier must refuse the pair. */
	bool rsa = mbedtls_pk_get_type(&s->pk) == MBEDTLS_PK_RSA;
	if (sa && (rsa != (sa <= -37 && sa >= -39) || !(sa == -7 || sa == -35 || sa == -36 ||
							 (sa <= -37 && sa >= -39))))
		sa = 0;
	size_t sl = sign_tbs_alg(s, sa, o->pss_salt, tbs.b, tbs.n, sig);
	if (o->corrupt_sig)
		sig[sl / 2] ^= 1;
	if (o->short_sig)
		sl--;
	if (o->cwt_tag) {
		cw_head(&cose, 6, 61);
	}
	if (!o->untagged)
		cw_head(&cose, 6, 18);
	cw_head(&cose, 4, 4);
	cw_bstr(&cose, prot.b, prot.n);
	cw_head(&cose, 5, ku ? 1 : 0);
	if (ku) {
		cw_int(&cose, 4);
		cw_bstr(&cose, s->kid, 8);
	}
	cw_bstr(&cose, payload->b, payload->n);
	cw_bstr(&cose, sig, sl);
	if (cose_out)
		*cose_out = cose;
	uint8_t z[20000];
	uLongf zl = sizeof z;
	const uint8_t *body = cose.b;
	size_t bl = cose.n;
	if (!o->no_compress) {
		if (compress2(z, &zl, cose.b, cose.n, 9) != Z_OK)
			abort();
		body = z;
		bl = zl;
	}
	size_t cap = 4 + DC_BASE45_ENCODED_LEN(bl) + 1;
	char *t = malloc(cap);
	memcpy(t, "HC1:", 4);
	dc_base45_encode(body, bl, t + 4, cap - 4);
	return t;
}

/* HC1 text for raw bytes (compressed when zlib is true). */
static char *hc1_of_bytes(const uint8_t *p, size_t n, bool zlib)
{
	uint8_t *z = malloc(n + n / 100 + 64);
	uLongf zl = n + n / 100 + 64;
	if (zlib) {
		if (compress2(z, &zl, p, n, 9) != Z_OK)
			abort();
		p = z;
		n = zl;
	}
	size_t cap = 4 + DC_BASE45_ENCODED_LEN(n) + 1;
	char *t = malloc(cap);
	memcpy(t, "HC1:", 4);
	dc_base45_encode(p, n, t + 4, cap - 4);
	free(z);
	return t;
}

#endif
