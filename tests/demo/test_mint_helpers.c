/*
 * Checks the doorcheck-mint helpers that SHC and DCC minting share
 * (tools/mint/mint.h, dc_qrpng.h) against independent references: RFC 4648
 * vectors, zlib inflate, mbedTLS ECDSA verify, and ZBar for the QR images
 * (including the alphanumeric mode HC1 codes use).
 */
#include "dc_test.h"

#include <unistd.h>

#include <mbedtls/ecdsa.h>
#include "dc_hash.h"
#include <png.h>
#include <zbar.h>
#include <zlib.h>

#include "dc_qrpng.h"
#include "mint.h"

static void check_b64url(void)
{
	/* RFC 4648 section 10 vectors, without padding. */
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *s = dc_mint_b64url((const uint8_t *)v[i].in, strlen(v[i].in));
		CHECK_STR(s, v[i].out);
		free(s);
	}
	/* The url alphabet: 0xfb 0xff -> "-_8" (standard base64 would be "+/8"). */
	const uint8_t b[] = { 0xfb, 0xff };
	char *s = dc_mint_b64url(b, sizeof b);
	CHECK_STR(s, "-_8");
	free(s);
}

static void check_deflate(void)
{
	char text[4000];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "shc demo payload "[i % 17];
	for (int zlib_hdr = 0; zlib_hdr < 2; zlib_hdr++) {
		uint8_t *z = NULL, back[sizeof text];
		size_t zl = 0;
		int rc = zlib_hdr ? dc_mint_deflate_zlib((const uint8_t *)text, sizeof text, &z, &zl)
				  : dc_mint_deflate_raw((const uint8_t *)text, sizeof text, &z, &zl);
		CHECK_EQ_INT(rc, 0);
		CHECK(zl > 0 && zl < sizeof text / 10);
		if (z && zlib_hdr)
			CHECK_EQ_INT(z[0], 0x78); /* RFC 1950 CMF: deflate, 32K window */
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		CHECK_EQ_INT(inflateInit2(&zs, zlib_hdr ? 15 : -15), Z_OK);
		zs.next_in = z;
		zs.avail_in = (uInt)zl;
		zs.next_out = back;
		zs.avail_out = sizeof back;
		CHECK_EQ_INT(inflate(&zs, Z_FINISH), Z_STREAM_END);
		CHECK_EQ_INT(zs.total_out, sizeof text);
		CHECK(memcmp(back, text, sizeof text) == 0);
		inflateEnd(&zs);
		free(z);
	}
}

static void check_sign(void)
{
	mbedtls_pk_context pk;
	char kid[DC_MINT_KID_MAX];
	uint8_t sig1[64], sig2[64], x[32], y[32];
	const char *msg = "header.payload";

	CHECK_EQ_INT(dc_mint_load_key(dc_test_path("DC_SOURCE_ROOT", "keys/demo/shc-issuer.key.pem"), &pk), 0);
	CHECK_EQ_INT(dc_mint_jwk_thumbprint(&pk, kid), 0);
	CHECK_EQ_INT(strlen(kid), 43);
	CHECK_EQ_INT(dc_mint_pub_xy(&pk, x, y), 0);
	CHECK_EQ_INT(dc_mint_es256_sign(&pk, (const uint8_t *)msg, strlen(msg), sig1), 0);
	CHECK_EQ_INT(dc_mint_es256_sign(&pk, (const uint8_t *)msg, strlen(msg), sig2), 0);
	CHECK(memcmp(sig1, sig2, 64) == 0); /* RFC 6979: no randomness in the output */

	/* Verify with plain mbedTLS from x, y. */
	uint8_t h[32], pt[65] = { 0x04 };
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	dc_sha256((const uint8_t *)msg, strlen(msg), h);
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	CHECK_EQ_INT(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1), 0);
	CHECK_EQ_INT(mbedtls_ecp_point_read_binary(&grp, &q, pt, sizeof pt), 0);
	CHECK_EQ_INT(mbedtls_mpi_read_binary(&r, sig1, 32), 0);
	CHECK_EQ_INT(mbedtls_mpi_read_binary(&s, sig1 + 32, 32), 0);
	CHECK_EQ_INT(mbedtls_ecdsa_verify(&grp, h, sizeof h, &q, &r, &s), 0);
	h[0] ^= 1;
	CHECK(mbedtls_ecdsa_verify(&grp, h, sizeof h, &q, &r, &s) != 0);
	mbedtls_ecp_group_free(&grp);
	mbedtls_ecp_point_free(&q);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_pk_free(&pk);

	/* Refused: a missing file and a file that is not a key. */
	CHECK(dc_mint_load_key("/nonexistent/key.pem", &pk) != 0);
	mbedtls_pk_free(&pk);
	CHECK(dc_mint_load_key(dc_test_path("DC_SOURCE_ROOT", "keys/demo/demo.issuer.json"), &pk) != 0);
	mbedtls_pk_free(&pk);

	long long t = 0;
	CHECK_EQ_INT(dc_mint_parse_epoch("1767225600", &t), 0);
	CHECK_EQ_INT(t, 1767225600LL);
	CHECK(dc_mint_parse_epoch("", &t) != 0);
	CHECK(dc_mint_parse_epoch("12x", &t) != 0);
	CHECK(dc_mint_parse_epoch("-1", &t) != 0);
}

static char *zbar_grey(const uint8_t *pix, int w, int h)
{
	char *text = NULL;
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, pix, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(sc, img) == 1) {
		const zbar_symbol_t *s = zbar_image_first_symbol(img);
		unsigned l = zbar_symbol_get_data_length(s);
		text = malloc(l + 1);
		if (text) {
			memcpy(text, zbar_symbol_get_data(s), l);
			text[l] = 0;
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return text;
}

static void check_qr(void)
{
	/* HC1-style: one alphanumeric segment. */
	const char *hc1 = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ*8R:S 1ZC";
	dc_qrpng_segment an = { DC_QRPNG_MODE_AN, hc1, strlen(hc1) };
	dc_qrpng *q = dc_qrpng_new(&an, 1, DC_QRPNG_ECC_Q);
	CHECK(q != NULL);
	if (!q)
		return;
	int side = dc_qrpng_side(q, 3, DC_QRPNG_QUIET);
	CHECK_EQ_INT(side, (dc_qrpng_modules(q) + 8) * 3);
	CHECK_EQ_INT(dc_qrpng_modules(q), 17 + 4 * dc_qrpng_version(q));

	/* Drawn off-centre into a grey canvas; the canvas around it is kept. */
	int w = side + 50, h = side + 30;
	uint8_t *canvas = malloc((size_t)w * (size_t)h);
	memset(canvas, 100, (size_t)w * (size_t)h);
	CHECK_EQ_INT(dc_qrpng_render(q, canvas, w, h, (size_t)w, 40, 7, 3, DC_QRPNG_QUIET), 0);
	CHECK_EQ_INT(canvas[0], 100);
	CHECK_EQ_INT(canvas[(size_t)w * (size_t)(h - 1) + (size_t)w - 1], 100);
	CHECK_EQ_INT(canvas[(size_t)w * 7 + 40], 255);                   /* quiet zone */
	CHECK_EQ_INT(canvas[(size_t)w * (7 + 12) + 40 + 12], 0);          /* finder corner */
	char *t = zbar_grey(canvas, w, h);
	CHECK_STR(t, hc1);
	free(t);

	/* Does not fit: nothing drawn. */
	memset(canvas, 100, (size_t)w * (size_t)h);
	CHECK(dc_qrpng_render(q, canvas, w, h, (size_t)w, 51, 0, 3, DC_QRPNG_QUIET) != 0);
	CHECK(dc_qrpng_render(q, canvas, w, h, (size_t)w, 0, 31, 3, DC_QRPNG_QUIET) != 0);
	CHECK_EQ_INT(canvas[(size_t)w * 7 + 40], 100);

	/* The PNG file holds the same pixels. */
	char path[] = "/tmp/dc-qrpng-test-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK_EQ_INT(dc_qrpng_write(q, path, 2, DC_QRPNG_QUIET), 0);
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	CHECK(png_image_begin_read_from_file(&img, path));
	CHECK_EQ_INT(img.width, (unsigned)dc_qrpng_side(q, 2, DC_QRPNG_QUIET));
	CHECK_EQ_INT(img.height, img.width);
	CHECK_EQ_INT(img.format, PNG_FORMAT_GRAY);
	png_image_free(&img);
	unlink(path);
	free(canvas);
	dc_qrpng_free(q);

	/* Mode checks: lower case is not alphanumeric, letters are not numeric. */
	dc_qrpng_segment bad_an = { DC_QRPNG_MODE_AN, "hc1:abc", 7 };
	dc_qrpng_segment bad_num = { DC_QRPNG_MODE_NUM, "12a4", 4 };
	q = dc_qrpng_new(&bad_an, 1, DC_QRPNG_ECC_L);
	CHECK(q == NULL);
	dc_qrpng_free(q);
	q = dc_qrpng_new(&bad_num, 1, DC_QRPNG_ECC_L);
	CHECK(q == NULL);
	dc_qrpng_free(q);
	CHECK(dc_qrpng_new_shc("shc:/", 5) == NULL);
	CHECK(dc_qrpng_new_shc("shc:/12ab", 9) == NULL);
	dc_qrpng_free(NULL);

	/* Too much for version 40 at level H. */
	static char big[6000];
	memset(big, '7', sizeof big);
	dc_qrpng_segment huge = { DC_QRPNG_MODE_NUM, big, sizeof big };
	q = dc_qrpng_new(&huge, 1, DC_QRPNG_ECC_H);
	CHECK(q == NULL);
	dc_qrpng_free(q);
}

int main(void)
{
	check_b64url();
	check_deflate();
	check_sign();
	check_qr();
	return dc_test_done();
}
