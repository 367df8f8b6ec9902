/* dc_mbedtls: see dc_mbedtls.h. */
#include "dc_mbedtls.h"

#include <mbedtls/asn1write.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>

size_t dc_ecdsa_half(const mbedtls_pk_context *pk)
{
	/* For an EC key the bit length is the curve's; for the NIST curves
	 * the order has as many bits as the field. */
	return (mbedtls_pk_get_bitlen(pk) + 7) / 8;
}

int dc_ecdsa_verify_raw(mbedtls_pk_context *pk, mbedtls_md_type_t md, const unsigned char *hash,
			size_t hlen, const unsigned char *sig, size_t sig_len)
{
	size_t half = dc_ecdsa_half(pk);
	if (half == 0 || sig_len != 2 * half)
		return DC_ECDSA_BAD_LENGTH;
	unsigned char der[MBEDTLS_ECDSA_MAX_LEN];
	unsigned char *p = der + sizeof der;
	mbedtls_mpi r, s;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	int rc = -1;
	int n = 0, k;
	/* asn1write fills the buffer from its end: s first, then r. */
	if (mbedtls_mpi_read_binary(&r, sig, half) != 0 ||
	    mbedtls_mpi_read_binary(&s, sig + half, half) != 0)
		goto out;
	if ((k = mbedtls_asn1_write_mpi(&p, der, &s)) < 0)
		goto out;
	n += k;
	if ((k = mbedtls_asn1_write_mpi(&p, der, &r)) < 0)
		goto out;
	n += k;
	if ((k = mbedtls_asn1_write_len(&p, der, (size_t)n)) < 0)
		goto out;
	n += k;
	if ((k = mbedtls_asn1_write_tag(&p, der,
					MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0)
		goto out;
	n += k;
	rc = mbedtls_pk_verify(pk, md, hash, hlen, p, (size_t)n) == 0 ? 0 : -1;
out:
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return rc;
}
