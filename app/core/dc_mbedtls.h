/*
 * dc_mbedtls: the few mbedTLS calls whose spelling differs between 2.28
 * (Debian 12) and 3.x (Debian 13, Buildroot), behind one name each, so the
 * core builds against both. `./dev test mbedtls3` compiles app/core against
 * 3.x headers. Hashing has its own header (dc_hash.h).
 *
 * In 3.x the struct fields are private; 3.6 has accessors for what 2.28
 * reads directly. Versions 3.0 to 3.5 lack some of them and are not
 * supported (no distribution doorcheck targets ships them).
 */
#ifndef DC_MBEDTLS_H
#define DC_MBEDTLS_H

#include <mbedtls/version.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && MBEDTLS_VERSION_NUMBER < 0x03060000
#error "mbedTLS 3.0-3.5 is not supported: use 2.28 or 3.6 and later"
#endif

/* The curve of an EC key (pk must hold one: mbedtls_pk_can_do ECKEY). */
static inline mbedtls_ecp_group_id dc_pk_ec_group(const mbedtls_pk_context *pk)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(*pk));
#else
	return mbedtls_pk_ec(*pk)->grp.id;
#endif
}

/* True when the certificate carries extension ext (MBEDTLS_X509_EXT_...). */
static inline int dc_crt_has_ext(const mbedtls_x509_crt *crt, int ext)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_x509_crt_has_ext_type(crt, ext);
#else
	return (crt->ext_types & ext) != 0;
#endif
}

/* Parses a private key (PEM with its NUL counted, or DER), no password.
 * 3.x takes an RNG for the blinding it may do; 2.28 does not. */
static inline int dc_pk_parse_key(mbedtls_pk_context *pk, const unsigned char *key, size_t len,
				  int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_pk_parse_key(pk, key, len, NULL, 0, f_rng, p_rng);
#else
	(void)f_rng;
	(void)p_rng;
	return mbedtls_pk_parse_key(pk, key, len, NULL, 0);
#endif
}

/* Signs hash with pk into sig (sig_size bytes, at least
 * MBEDTLS_PK_SIGNATURE_MAX_SIZE); *sig_len gets the length written. 3.x
 * takes the buffer size, 2.28 assumes the maximum. */
static inline int dc_pk_sign(mbedtls_pk_context *pk, mbedtls_md_type_t md,
			     const unsigned char *hash, size_t hlen, unsigned char *sig,
			     size_t sig_size, size_t *sig_len,
			     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_pk_sign(pk, md, hash, hlen, sig, sig_size, sig_len, f_rng, p_rng);
#else
	if (sig_size < MBEDTLS_PK_SIGNATURE_MAX_SIZE)
		return -1;
	return mbedtls_pk_sign(pk, md, hash, hlen, sig, sig_len, f_rng, p_rng);
#endif
}

/*
 * ECDSA signature in the raw form COSE and JWS use (r || s, each exactly
 * dc_ecdsa_half() bytes) over hash[0..hlen), checked with the EC public key
 * in pk. The pair is re-encoded as the DER SEQUENCE that mbedtls_pk_verify()
 * takes: the same call in 2.28 and 3.x, where the keypair's group and point
 * that mbedtls_ecdsa_verify() needs are private. Returns 0 when the
 * signature verifies, DC_ECDSA_BAD_LENGTH when sig_len is not twice the
 * curve size, another non-zero value otherwise. Reads nothing past
 * sig + sig_len; no heap.
 */
#define DC_ECDSA_BAD_LENGTH 1
int dc_ecdsa_verify_raw(mbedtls_pk_context *pk, mbedtls_md_type_t md, const unsigned char *hash,
			size_t hlen, const unsigned char *sig, size_t sig_len);

/* Size in bytes of r (and of s) for the EC key in pk: ceil(curve bits / 8). */
size_t dc_ecdsa_half(const mbedtls_pk_context *pk);

#endif
