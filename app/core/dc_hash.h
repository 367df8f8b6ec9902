/*
 * dc_hash: the hashes doorcheck uses, behind one small header.
 *
 * mbedTLS 3.x removed the mbedtls_sha*_ret() names that 2.28 (Debian 12)
 * prefers, and changed the return type of the plain mbedtls_sha256(). The
 * generic message-digest calls (mbedtls_md, mbedtls_md_setup/starts/update/
 * finish) have the same signatures in 2.28 and 3.x, so every hash in the
 * project goes through them here and nothing else names a SHA function.
 *
 * Pure: no allocation except inside mbedtls_md_setup (freed before return),
 * no I/O. Every function returns 0, or -1 when mbedTLS failed (out of
 * memory, digest not compiled in); out is then zeroised.
 */
#ifndef DC_HASH_H
#define DC_HASH_H

#include <stddef.h>
#include <stdint.h>

#define DC_SHA256_LEN 32
#define DC_SHA384_LEN 48
#define DC_SHA512_LEN 64

int dc_sha256(const void *in, size_t len, uint8_t out[DC_SHA256_LEN]);
int dc_sha384(const void *in, size_t len, uint8_t out[DC_SHA384_LEN]);
int dc_sha512(const void *in, size_t len, uint8_t out[DC_SHA512_LEN]);

/* SHA-256 of the concatenation a || b without copying (either may be
 * empty; a NULL pointer is allowed with length 0). */
int dc_sha256_2(const void *a, size_t al, const void *b, size_t bl,
		uint8_t out[DC_SHA256_LEN]);

#endif
