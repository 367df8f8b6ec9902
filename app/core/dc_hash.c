#include "dc_hash.h"

#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

static int md(mbedtls_md_type_t type, const void *in, size_t len, uint8_t *out, size_t outlen)
{
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(type);
	if (info && mbedtls_md(info, len ? in : (const void *)"", len, out) == 0)
		return 0;
	mbedtls_platform_zeroize(out, outlen);
	return -1;
}

int dc_sha256(const void *in, size_t len, uint8_t out[DC_SHA256_LEN])
{
	return md(MBEDTLS_MD_SHA256, in, len, out, DC_SHA256_LEN);
}

int dc_sha384(const void *in, size_t len, uint8_t out[DC_SHA384_LEN])
{
	return md(MBEDTLS_MD_SHA384, in, len, out, DC_SHA384_LEN);
}

int dc_sha512(const void *in, size_t len, uint8_t out[DC_SHA512_LEN])
{
	return md(MBEDTLS_MD_SHA512, in, len, out, DC_SHA512_LEN);
}

int dc_sha256_2(const void *a, size_t al, const void *b, size_t bl,
		uint8_t out[DC_SHA256_LEN])
{
	mbedtls_md_context_t c;
	int rc = -1;
	mbedtls_md_init(&c);
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (info && mbedtls_md_setup(&c, info, 0) == 0 && mbedtls_md_starts(&c) == 0 &&
	    (!al || mbedtls_md_update(&c, a, al) == 0) &&
	    (!bl || mbedtls_md_update(&c, b, bl) == 0) && mbedtls_md_finish(&c, out) == 0)
		rc = 0;
	mbedtls_md_free(&c);
	if (rc != 0)
		mbedtls_platform_zeroize(out, DC_SHA256_LEN);
	return rc;
}
