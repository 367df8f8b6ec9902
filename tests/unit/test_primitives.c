/* Strict base64url, bounded inflate, ISO 8601 times, reason table. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "dc_b64.h"
#include "dc_err.h"
#include "dc_inflate.h"
#include "dc_test.h"
#include "dc_time.h"

static bool dec(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return dc_b64url_decode(s, strlen(s), out, cap, n);
}

static size_t zcompress(const uint8_t *in, size_t len, uint8_t *out, size_t cap, int wbits)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 9, Z_DEFLATED, wbits, 9, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	size_t n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

int main(void)
{
	uint8_t b[64];
	size_t n;
	char enc[64];

	/* base64url */
	CHECK(dec("", b, sizeof b, &n) && n == 0);
	CHECK(dec("Zg", b, sizeof b, &n) && n == 1 && b[0] == 'f');
	CHECK(dec("Zm8", b, sizeof b, &n) && n == 2);
	CHECK(dec("Zm9v", b, sizeof b, &n) && n == 3);
	CHECK(dec("-_8", b, sizeof b, &n) && n == 2 && b[0] == 0xfb && b[1] == 0xff);
	CHECK(!dec("Zh", b, sizeof b, &n));    /* non-zero unused bits */
	CHECK(!dec("Zm9=", b, sizeof b, &n));  /* padding */
	CHECK(!dec("Zm9v+", b, sizeof b, &n)); /* standard alphabet */
	CHECK(!dec("Zm9/", b, sizeof b, &n));
	CHECK(!dec("Z", b, sizeof b, &n));     /* 1 mod 4 */
	CHECK(!dec("Zm 9", b, sizeof b, &n));
	CHECK(!dc_b64url_decode("Zm9v", 4, b, 2, &n)); /* too small */
	for (size_t len = 0; len < 40; len++) {
		uint8_t in[40], back[40];
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)(i * 37 + 11);
		dc_b64url_encode(in, len, enc, sizeof enc);
		CHECK(dec(enc, back, sizeof back, &n) && n == len && memcmp(in, back, len) == 0);
	}

	/* inflate */
	{
		static uint8_t plain[4096], z[8192], out[8192];
		for (size_t i = 0; i < sizeof plain; i++)
			plain[i] = (uint8_t)("doorcheck"[i % 9]);
		size_t zl = zcompress(plain, sizeof plain, z, sizeof z, -15);
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zl, out, sizeof out, &n), DC_OK);
		CHECK(n == sizeof plain && memcmp(out, plain, n) == 0);
		/* bound: exactly fits, one byte short */
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zl, out, sizeof plain, &n), DC_OK);
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zl, out, sizeof plain - 1, &n), DC_E_INFLATE_LIMIT);
		CHECK_EQ_INT(n, 0);
		/* wrong mode */
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_ZLIB, z, zl, out, sizeof out, &n), DC_E_INFLATE);
		size_t zz = zcompress(plain, sizeof plain, z, sizeof z, 15);
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_ZLIB, z, zz, out, sizeof out, &n), DC_OK);
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zz, out, sizeof out, &n), DC_E_INFLATE);
		/* truncated at every length */
		zl = zcompress(plain, sizeof plain, z, sizeof z, -15);
		int bad = 0;
		for (size_t cut = 0; cut < zl; cut++)
			if (dc_inflate(DC_INFLATE_RAW, z, cut, out, sizeof out, &n) == DC_OK)
				bad++;
		CHECK_EQ_INT(bad, 0);
		/* trailing bytes after the stream */
		z[zl] = 0;
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zl + 1, out, sizeof out, &n), DC_E_INFLATE);
		/* not compressed at all */
		CHECK(dc_inflate(DC_INFLATE_RAW, (const uint8_t *)"{\"iss\":1}", 9, out, sizeof out, &n) != DC_OK);
	}
	{
		/* decompression bomb: 16 MiB of zeros -> clean limit error */
		size_t big = 16u << 20;
		uint8_t *zeros = calloc(1, big), *z = malloc(64 * 1024), *out = malloc(DC_MAX_INFLATED);
		size_t zl = zcompress(zeros, big, z, 64 * 1024, -15);
		CHECK(zl < 64 * 1024);
		CHECK_EQ_INT(dc_inflate(DC_INFLATE_RAW, z, zl, out, DC_MAX_INFLATED, &n), DC_E_INFLATE_LIMIT);
		free(zeros);
		free(z);
		free(out);
	}

	/* time */
	double t;
	CHECK(dc_time_parse("1970-01-01", 10, &t) && t == 0);
	CHECK(dc_time_parse("2021-06-01T00:00:00Z", 20, &t) && t == 1622505600);
	CHECK(dc_time_parse("2021-06-01T02:00:00+02:00", 25, &t) && t == 1622505600);
	CHECK(dc_time_parse("2021-05-31T19:00:00-0500", 24, &t) && t == 1622505600);
	CHECK(dc_time_parse("2021-06-01T00:00:00.5Z", 22, &t) && t == 1622505600.5);
	CHECK(dc_time_parse("2021-06-01T00:00", 16, &t) && t == 1622505600);
	CHECK(dc_time_parse("@1622505600", 11, &t) && t == 1622505600);
	CHECK(dc_time_parse("@1687450764.657", 15, &t) && t > 1687450764.6 && t < 1687450764.7);
	CHECK(dc_time_parse("2021-06-01T02:00:00+02", 22, &t) && t == 1622505600);
	CHECK(dc_time_parse("2021-06-01T00:00:00,5Z", 22, &t) && t == 1622505600.5);
	CHECK(dc_time_parse("2016-12-31T23:59:60Z", 20, &t) && t == 1483228799); /* leap second as :59 */
	CHECK(!dc_time_parse("0000-01-01", 10, &t));
	CHECK(!dc_time_parse("2021-06-01T00:00:00+02:", 23, &t));
	CHECK(dc_time_parse("2024-02-29", 10, &t));
	CHECK(!dc_time_parse("2023-02-29", 10, &t));
	CHECK(!dc_time_parse("2021-13-01", 10, &t));
	CHECK(!dc_time_parse("2021-06-01T24:00:00Z", 20, &t));
	CHECK(!dc_time_parse("2021-06-01Z", 11, &t));
	CHECK(!dc_time_parse("2021-06-01T00:00:00Zjunk", 24, &t));
	CHECK(!dc_time_parse("@", 1, &t));
	CHECK(!dc_time_parse("@12x", 4, &t));
	CHECK(!dc_time_parse("yesterday", 9, &t));
	char buf[32];
	dc_time_format(1622505600, buf, sizeof buf);
	CHECK_STR(buf, "2021-06-01T00:00:00Z");

	/* every reason has a code, a verdict and text; codes are unique */
	for (int e = 0; e < DC_ERR__COUNT; e++) {
		CHECK(dc_err_code(e) && *dc_err_code(e));
		CHECK(dc_strerror(e) && *dc_strerror(e));
		for (int f = 0; f < e; f++)
			CHECK_MSG(strcmp(dc_err_code(e), dc_err_code(f)) != 0, "duplicate code %s", dc_err_code(e));
	}
	CHECK_STR(dc_err_code(DC_E_SIG_MISMATCH), "signature_mismatch");
	CHECK_STR(dc_verdict_code(dc_err_verdict(DC_E_ISSUER_UNTRUSTED)), "issuer_not_trusted");
	CHECK_STR(dc_verdict_code(dc_err_verdict(DC_E_REVOKED)), "revoked");
	CHECK_STR(dc_verdict_code(dc_err_verdict(DC_E_URL)), "not_a_credential");
	CHECK_STR(dc_err_code((dc_err)9999), "unknown_error");
	return dc_test_done();
}
