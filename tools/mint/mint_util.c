/* Shared helpers of doorcheck-mint (see mint.h). */
#include "dc_b64.h"
#include "mint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>
#include "dc_hash.h"
#include <zlib.h>

static int deflate_buf(const uint8_t *in, size_t len, int window_bits,
		       uint8_t **out, size_t *out_len)
{
	int ret = -1;
	z_stream zs;
	uint8_t *buf = NULL;

	memset(&zs, 0, sizeof zs);
	if (len > DC_MINT_FILE_MAX)
		return -1;
	if (deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&zs, (uLong)len);
	buf = malloc(cap ? cap : 1);
	if (!buf)
		goto out;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = buf;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		goto out;
	*out = buf;
	*out_len = (size_t)zs.total_out;
	buf = NULL;
	ret = 0;
out:
	deflateEnd(&zs);
	free(buf);
	if (ret != 0)
		fprintf(stderr, "doorcheck-mint: deflate failed\n");
	return ret;
}

int dc_mint_deflate_raw(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
	return deflate_buf(in, len, -15, out, out_len);
}

int dc_mint_deflate_zlib(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
	return deflate_buf(in, len, 15, out, out_len);
}

char *dc_mint_b64url(const uint8_t *in, size_t len)
{
	/* The verifier's own encoder: one base64url in the project. */
	size_t cap = len / 3 * 4 + 5;
	char *out = malloc(cap);
	if (out)
		dc_b64url_encode(in, len, out, cap);
	return out;
}

void dc_mint_sha256(const uint8_t *in, size_t len, uint8_t out[32])
{
	dc_sha256(in, len, out);
}

int dc_mint_load_key(const char *path, mbedtls_pk_context *pk)
{
	mbedtls_pk_init(pk);
	if (mbedtls_pk_parse_keyfile(pk, path, NULL) != 0) {
		fprintf(stderr, "doorcheck-mint: cannot read private key %s\n", path);
		goto fail;
	}
	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
	    mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
		fprintf(stderr, "doorcheck-mint: %s is not an EC P-256 key\n", path);
		goto fail;
	}
	return 0;
fail:
	mbedtls_pk_free(pk);
	mbedtls_pk_init(pk);
	return -1;
}

int dc_mint_pub_xy(const mbedtls_pk_context *pk, uint8_t x[32], uint8_t y[32])
{
	const mbedtls_ecp_keypair *kp = mbedtls_pk_ec(*pk);

	if (!kp || mbedtls_mpi_write_binary(&kp->Q.X, x, 32) != 0 ||
	    mbedtls_mpi_write_binary(&kp->Q.Y, y, 32) != 0)
		return -1;
	return 0;
}

int dc_mint_jwk_thumbprint(const mbedtls_pk_context *pk, char kid[DC_MINT_KID_MAX])
{
	int ret = -1;
	uint8_t x[32], y[32], h[32];
	char *xs = NULL, *ys = NULL, *kid_s = NULL;
	char json[256];

	if (dc_mint_pub_xy(pk, x, y) != 0)
		goto out;
	xs = dc_mint_b64url(x, 32);
	ys = dc_mint_b64url(y, 32);
	if (!xs || !ys)
		goto out;
	/* RFC 7638: required members only, sorted, no whitespace. */
	int n = snprintf(json, sizeof json, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
			 xs, ys);
	if (n < 0 || (size_t)n >= sizeof json)
		goto out;
	dc_mint_sha256((const uint8_t *)json, (size_t)n, h);
	kid_s = dc_mint_b64url(h, 32);
	if (!kid_s || strlen(kid_s) >= DC_MINT_KID_MAX)
		goto out;
	memcpy(kid, kid_s, strlen(kid_s) + 1);
	ret = 0;
out:
	free(xs);
	free(ys);
	free(kid_s);
	return ret;
}

int dc_mint_es256_sign(const mbedtls_pk_context *pk, const uint8_t *msg, size_t len,
		       uint8_t sig[64])
{
	int ret = -1;
	uint8_t h[32];
	mbedtls_mpi r, s;
	mbedtls_ecp_group grp;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	const mbedtls_ecp_keypair *kp = mbedtls_pk_ec(*pk);
	static const char pers[] = "doorcheck-mint blinding";

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecp_group_init(&grp);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	if (!kp)
		goto out;
	dc_mint_sha256(msg, len, h);
	/* The RNG only blinds the scalar multiplication against side channels;
	 * the signature itself is fixed by RFC 6979 (key + hash). */
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent,
				  (const unsigned char *)pers, sizeof pers - 1) != 0)
		goto out;
	/* A private group copy: sign_det_ext takes a non-const group. */
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0)
		goto out;
	if (mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &kp->d, h, sizeof h, MBEDTLS_MD_SHA256,
				       mbedtls_ctr_drbg_random, &drbg) != 0)
		goto out;
	if (mbedtls_mpi_write_binary(&r, sig, 32) != 0 ||
	    mbedtls_mpi_write_binary(&s, sig + 32, 32) != 0)
		goto out;
	ret = 0;
out:
	if (ret != 0)
		fprintf(stderr, "doorcheck-mint: ES256 signing failed\n");
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_ecp_group_free(&grp);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	mbedtls_platform_zeroize(h, sizeof h);
	return ret;
}

int dc_mint_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		fprintf(stderr, "doorcheck-mint: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		fprintf(stderr, "doorcheck-mint: short write to %s\n", path);
		remove(path);
		return -1;
	}
	return 0;
}

int dc_mint_read_file(const char *path, uint8_t **out, size_t *out_len)
{
	int ret = -1;
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0;

	if (!f)
		goto out;
	buf = malloc(DC_MINT_FILE_MAX + 1);
	if (!buf)
		goto out;
	n = fread(buf, 1, DC_MINT_FILE_MAX + 1, f);
	if (ferror(f) || n > DC_MINT_FILE_MAX)
		goto out;
	buf[n] = 0;
	*out = buf;
	*out_len = n;
	buf = NULL;
	ret = 0;
out:
	if (ret != 0)
		fprintf(stderr, "doorcheck-mint: cannot read %s\n", path);
	if (f)
		fclose(f);
	free(buf);
	return ret;
}

int dc_mint_parse_epoch(const char *s, long long *out)
{
	char *end = NULL;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != 0 || v < 0)
		return -1;
	*out = v;
	return 0;
}
