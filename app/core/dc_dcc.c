/*
 * The HC1: chain, one stage after the other (dc_dcc.h lists them); the
 * result is the first failing stage. Until the signature is verified only
 * the COSE structure and its headers (alg, kid) are read; the CWT claims
 * and the DCC content are decoded after it. Nothing decoded reaches `out`
 * unless every stage passed.
 */
#include "dc_dcc.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/platform_util.h>
#include "dc_hash.h"

#include "dc_base45.h"
#include "dc_cose.h"
#include "dc_hcert.h"
#include "dc_inflate.h"
#include "dc_verify.h"

#define HC1_PREFIX "HC1:"
#define HC1_PREFIX_LEN 4

static bool zlib_header(const uint8_t *p, size_t n)
{
	/* RFC 1950: CM = 8 (deflate), CINFO <= 7, FCHECK makes it a multiple
	 * of 31, no preset dictionary. */
	return n >= 2 && (p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7 &&
	       ((p[0] << 8) | p[1]) % 31 == 0 && !(p[1] & 0x20);
}

static bool is_ecdsa(int alg)
{
	return alg == DC_COSE_ALG_ES256 || alg == DC_COSE_ALG_ES384 || alg == DC_COSE_ALG_ES512;
}

static void hash16(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
		   uint8_t out[DC_DCC_REVOCATION_HASH_LEN])
{
	uint8_t h[32];
	dc_sha256_2(a, al, b, bl, h);
	memcpy(out, h, DC_DCC_REVOCATION_HASH_LEN);
	mbedtls_platform_zeroize(h, sizeof h);
}

static dc_err check_revoked(const dc_trust *t, const dc_cose_sign1 *cose, const dc_cwt *cwt,
			    const dc_hcert_info *info)
{
	uint8_t h[DC_DCC_REVOCATION_HASH_LEN];
	size_t cil = strlen(info->ci);
	dc_err e = DC_OK;

	hash16((const uint8_t *)info->ci, cil, NULL, 0, h);
	if (dc_trust_dcc_revoked(t, DC_DCC_HASH_UCI, h))
		e = DC_E_DCC_REVOKED;
	hash16((const uint8_t *)cwt->iss, strlen(cwt->iss), (const uint8_t *)info->ci, cil, h);
	if (dc_trust_dcc_revoked(t, DC_DCC_HASH_COUNTRYCODEUCI, h))
		e = DC_E_DCC_REVOKED;
	/* For ECDSA only r is hashed: s can be replaced by n - s without
	 * breaking the signature, r cannot. */
	size_t sl = is_ecdsa(cose->alg) ? cose->signature_len / 2 : cose->signature_len;
	hash16(cose->signature, sl, NULL, 0, h);
	if (dc_trust_dcc_revoked(t, DC_DCC_HASH_SIGNATURE, h))
		e = DC_E_DCC_REVOKED;
	mbedtls_platform_zeroize(h, sizeof h);
	return e;
}

#define STAGE(s, expr) (rep->reached[s] = 1, rep->result[s] = (expr))
#define PASSED(s) (rep->reached[s] && rep->result[s] == DC_OK)

dc_err dc_dcc_verify_report(const dc_trust *t, double now, const char *text,
			    size_t len, dc_record *out, dc_dcc_report *rep_in)
{
	dc_dcc_report local;
	dc_dcc_report *rep = rep_in ? rep_in : &local;
	uint8_t *raw = NULL, *inflated = NULL, *tbs = NULL;
	size_t raw_len = 0, inflated_len = 0, tbs_len = 0;
	const uint8_t *cose_buf = NULL;
	size_t cose_len = 0;
	dc_cose_sign1 cose;
	dc_cwt cwt;
	dc_hcert_info info;
	const dc_dsc *dsc = NULL;
	dc_err e;

	int diagnose = rep_in ? rep_in->diagnose : 0;
	memset(rep, 0, sizeof *rep);
	rep->diagnose = diagnose;
	memset(&cose, 0, sizeof cose);
	memset(&cwt, 0, sizeof cwt);
	memset(&info, 0, sizeof info);
	if (!out)
		return DC_E_ARG;
	dc_record_init(out);
	out->format = DC_FORMAT_DCC;
	if (!t || !text)
		return dc_record_fail(out, DC_E_ARG);

	/* prefix */
	if (len > DC_MAX_QR_TEXT)
		e = DC_E_TOO_LONG;
	else if (len < HC1_PREFIX_LEN || memcmp(text, HC1_PREFIX, HC1_PREFIX_LEN) != 0)
		e = DC_E_DCC_PREFIX;
	else
		e = DC_OK;
	STAGE(DC_DCC_STAGE_PREFIX, e);
	if (e != DC_OK)
		goto done;

	/* Base45 */
	raw = malloc(DC_BASE45_DECODED_MAX(len));
	if (!raw) {
		e = DC_E_NOMEM;
		goto done;
	}
	STAGE(DC_DCC_STAGE_BASE45,
	      len > HC1_PREFIX_LEN &&
			      dc_base45_decode(text + HC1_PREFIX_LEN, len - HC1_PREFIX_LEN, raw,
					       DC_BASE45_DECODED_MAX(len), &raw_len)
		      ? DC_OK : DC_E_BASE45);
	if (!PASSED(DC_DCC_STAGE_BASE45))
		goto done;

	/* zlib, or bare COSE (hcert 1.0 allows both) */
	if (zlib_header(raw, raw_len)) {
		inflated = malloc(DC_MAX_INFLATED);
		if (!inflated) {
			e = DC_E_NOMEM;
			goto done;
		}
		STAGE(DC_DCC_STAGE_COMPRESSION, dc_inflate(DC_INFLATE_ZLIB, raw, raw_len, inflated,
							   DC_MAX_INFLATED, &inflated_len));
		rep->compressed = 1;
		cose_buf = inflated;
		cose_len = inflated_len;
	} else {
		/* Not zlib: acceptable only if the bytes are a COSE message. */
		dc_cose_sign1 probe;
		e = dc_cose_parse(raw, raw_len, &probe);
		dc_cose_free(&probe);
		STAGE(DC_DCC_STAGE_COMPRESSION, e == DC_OK || e == DC_E_COSE_ALG ? DC_OK
										  : DC_E_INFLATE);
		cose_buf = raw;
		cose_len = raw_len;
	}
	if (!PASSED(DC_DCC_STAGE_COMPRESSION))
		goto done;

	/* COSE */
	STAGE(DC_DCC_STAGE_DECODE, dc_cose_parse(cose_buf, cose_len, &cose));
	if (!PASSED(DC_DCC_STAGE_DECODE))
		goto done;

	/* kid -> DSC -> signature. Only the headers have been read so far:
	 * the payload is still an opaque byte string. */
	if (cose.kid_len == 0) {
		e = DC_E_COSE_KID;
	} else if (cose.kid_len != DC_DSC_KID_LEN || !dc_trust_find_dsc(t, cose.kid, 0)) {
		/* A signer that was skipped on load as unusable is named as such:
		 * the operator's trust data is at fault, not the card. */
		e = cose.kid_len == DC_DSC_KID_LEN && dc_trust_dsc_unusable(t, cose.kid)
			    ? DC_E_DSC_UNUSABLE : DC_E_DSC_UNKNOWN;
	} else {
		tbs_len = dc_cose_sig_structure_len(&cose);
		tbs = malloc(tbs_len);
		if (!tbs) {
			e = DC_E_NOMEM;
			goto done;
		}
		if ((e = dc_cose_sig_structure(&cose, tbs, tbs_len, &tbs_len)) != DC_OK) {
			STAGE(DC_DCC_STAGE_SIGNATURE, e);
			goto done;
		}
		e = DC_E_SIG_MISMATCH;
		/* Several DSCs may share a kid (a collision or a re-issued
		 * certificate): the one whose key verifies is the signer. */
		const dc_dsc *d;
		for (size_t i = 0; (d = dc_trust_find_dsc(t, cose.kid, i)) != NULL; i++) {
			dc_err r = dc_dsc_verify(d, cose.alg, tbs, tbs_len, cose.signature,
						 cose.signature_len);
			if (i == 0 || r == DC_OK)
				dsc = d;
			if (r == DC_OK || i == 0)
				e = r;
			if (r == DC_OK)
				break;
		}
	}
	STAGE(DC_DCC_STAGE_SIGNATURE, e);
	/* Verify, then parse: without a good signature the claims and the
	 * content are never decoded, unless a diagnostic report asked for
	 * the later stages (its record is cleared all the same). */
	if (!PASSED(DC_DCC_STAGE_SIGNATURE) && !diagnose)
		goto done;

	/* claims */
	STAGE(DC_DCC_STAGE_CLAIMS, dc_cwt_parse(cose.payload, cose.payload_len, &cwt));
	if (!PASSED(DC_DCC_STAGE_CLAIMS))
		goto done;

	if (dsc) {
		dc_event_kind kind;
		if (dc_hcert_kind(cwt.dcc, &kind) == DC_OK) {
			unsigned uses = dc_dsc_uses(dsc);
			unsigned need = kind == DC_EVENT_VACCINATION ? DC_DSC_USE_VACCINATION
					: kind == DC_EVENT_TEST ? DC_DSC_USE_TEST
								 : DC_DSC_USE_RECOVERY;
			STAGE(DC_DCC_STAGE_KEY_USAGE,
			      uses == 0 || (uses & need) ? DC_OK : DC_E_DSC_KEY_USAGE);
		}
		STAGE(DC_DCC_STAGE_DSC_TIME, dc_dsc_check_time(dsc, now));
	}
	STAGE(DC_DCC_STAGE_EXPIRY, dc_cwt_check_time(&cwt, now));
	e = dc_hcert_parse_dcc(cwt.dcc, dc_trust_dcc_valuesets(t), out, &info);
	/* The reference verifiers refuse a holder born after the certificate
	 * was issued. */
	if (e == DC_OK && dc_hcert_dob_after(out->birth_date, cwt.iat))
		e = DC_E_DCC_DOB_AFTER_ISSUE;
	STAGE(DC_DCC_STAGE_SCHEMA, e);
	if (PASSED(DC_DCC_STAGE_SCHEMA))
		STAGE(DC_DCC_STAGE_REVOCATION, check_revoked(t, &cose, &cwt, &info));

done:
	if (e != DC_E_NOMEM) {
		e = DC_OK;
		for (int s = 0; s < DC_DCC_STAGES; s++) {
			if (rep->reached[s] && rep->result[s] != DC_OK) {
				e = rep->result[s];
				break;
			}
		}
	}
	if (e == DC_OK) {
		dc_record_copy(out->issuer, sizeof out->issuer, cwt.iss);
		size_t kl;
		if (mbedtls_base64_encode((unsigned char *)out->kid, sizeof out->kid, &kl, cose.kid,
					  cose.kid_len) != 0)
			out->kid[0] = 0;
		out->issued_at = cwt.iat;
		out->expires_at = cwt.exp;
		dc_record_fail(out, DC_OK);
	} else {
		dc_record_wipe(out);
		dc_record_init(out);
		out->format = DC_FORMAT_DCC;
		dc_record_fail(out, e);
	}
	dc_cwt_free(&cwt);
	dc_cose_free(&cose);
	mbedtls_platform_zeroize(&info, sizeof info);
	if (raw) {
		mbedtls_platform_zeroize(raw, DC_BASE45_DECODED_MAX(len));
		free(raw);
	}
	if (inflated) {
		mbedtls_platform_zeroize(inflated, DC_MAX_INFLATED);
		free(inflated);
	}
	if (tbs) {
		mbedtls_platform_zeroize(tbs, tbs_len);
		free(tbs);
	}
	return e;
}

dc_err dc_dcc_verify(const dc_trust *t, double now, const char *text, size_t len,
		     dc_record *out)
{
	return dc_dcc_verify_report(t, now, text, len, out, NULL);
}
