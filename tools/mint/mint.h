/*
 * doorcheck-mint: shared helpers of the developer tool that mints demo
 * credentials signed by the project's own DEMO issuer keys (keys/demo/).
 * Never built into or shipped on the kiosk.
 *
 * The SHC minting (shc_mint.c) and the DCC minting (dcc_mint.c, owned by the
 * DCC engineer) both use these helpers, so a demo HC1 code and a demo shc:/
 * code are compressed, signed and drawn the same way.
 *
 * Conventions: functions return 0 on success and -1 on failure (after one
 * line on stderr that names the step, never the card content). Buffers
 * returned through `uint8_t **` / `char **` are malloc'd and owned by the
 * caller (free()). Output is deterministic for the same input: deflate at a
 * fixed level, RFC 6979 signatures, PNGs without time chunks.
 */
#ifndef DC_MINT_H
#define DC_MINT_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "dc_qrpng.h" /* QR -> grey pixels -> PNG, for every code we mint */

#define DC_MINT_KID_MAX 64  /* base64url SHA-256 thumbprint is 43 chars */
#define DC_MINT_FILE_MAX (4u * 1024 * 1024)

/* Subcommands; argv[0] is the subcommand name ("shc", "dcc", ...). */
int dc_mint_shc_main(int argc, char **argv);
int dc_mint_issuer_file_main(int argc, char **argv);
/* Implemented in dcc_mint.c, built with the `dcc` feature (meson defines
 * DC_MINT_HAVE_DCC then); otherwise mint.c says DCC minting is absent. */
int dc_mint_dcc_main(int argc, char **argv);

/* --- compression and encoding ----------------------------------------- */

/* Raw DEFLATE (RFC 1951, no zlib header: windowBits -15), level 9, as SHC
 * wants ("zip":"DEF"). */
int dc_mint_deflate_raw(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);

/* zlib stream (RFC 1950: windowBits 15), level 9, as HC1 wants. */
int dc_mint_deflate_zlib(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);

/* base64url without padding (RFC 4648 section 5). NUL-terminated malloc'd
 * string, NULL on allocation failure. */
char *dc_mint_b64url(const uint8_t *in, size_t len);

void dc_mint_sha256(const uint8_t *in, size_t len, uint8_t out[32]);

/* --- keys and signatures ------------------------------------------------ */

/* Loads a PEM/DER EC P-256 private key (SEC1 or PKCS#8). The caller frees
 * it with mbedtls_pk_free. Other curves and key types are refused. */
int dc_mint_load_key(const char *path, mbedtls_pk_context *pk);

/* The public point as 32-byte big-endian x and y. */
int dc_mint_pub_xy(const mbedtls_pk_context *pk, uint8_t x[32], uint8_t y[32]);

/* RFC 7638 JWK thumbprint: base64url(SHA-256('{"crv":"P-256","kty":"EC",
 * "x":"..","y":".."}')), 43 chars. kid holds DC_MINT_KID_MAX bytes. */
int dc_mint_jwk_thumbprint(const mbedtls_pk_context *pk, char kid[DC_MINT_KID_MAX]);

/* ES256 over msg: SHA-256, then deterministic ECDSA (RFC 6979,
 * mbedtls_ecdsa_sign_det_ext), written as raw r||s (32 + 32 bytes, the JWS
 * and COSE form, not DER). The same key and message give the same bytes. */
int dc_mint_es256_sign(const mbedtls_pk_context *pk, const uint8_t *msg, size_t len,
		       uint8_t sig[64]);

/* --- files ---------------------------------------------------------------- */

/* Writes len bytes to path (created or truncated). */
int dc_mint_write_file(const char *path, const void *data, size_t len);

/* Reads a whole file (at most DC_MINT_FILE_MAX bytes) NUL-terminated. */
int dc_mint_read_file(const char *path, uint8_t **out, size_t *out_len);

/* Parses a decimal unix time; -1 on junk or negative. */
int dc_mint_parse_epoch(const char *s, long long *out);

#endif
