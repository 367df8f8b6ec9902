/*
 * SMART Health Card: JWS compact -> verified record (see dc_shc.h).
 *
 * Order matters: the issuer is named inside the signed payload, so the
 * payload has to be inflated and its "iss" read before the key can be
 * chosen (dc_shc_payload_iss reads that member and nothing else). Only once
 * the signature has verified with a key pinned for that issuer does
 * dc_shc_read_claims read the claims and the FHIR bundle, from the same
 * bytes.
 *
 * Key choice: the header's kid among the named issuer's keys (a key is
 * known by its thumbprint and by the kid its trust file listed). When none
 * has that kid, each of that issuer's keys is tried in turn -- never
 * another issuer's -- because cards of 2021 name keys by ids their issuer's
 * JWKS used then (Quebec). Either way the key that verified is reported by
 * its thumbprint.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "dc_b64.h"
#include "dc_inflate.h"
#include "dc_json.h"
#include "dc_shc.h"
#include "dc_shc_priv.h"
#include "dc_verify.h"

#define HEADER_MAX 1024
/* Longest header kid accepted. Pinned ids are at most 63 characters; a
 * longer kid names no key, so each of the issuer's keys is tried. */
#define DC_SHC_KID_MAX 255

struct jws_parts {
	const char *part[3];
	size_t len[3];
};

static dc_err split_jws(const char *jws, size_t len, struct jws_parts *p)
{
	size_t start = 0, k = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || jws[i] == '.') {
			if (k == 3)
				return DC_E_JWS_FORMAT;
			p->part[k] = jws + start;
			p->len[k] = i - start;
			if (p->len[k] == 0)
				return DC_E_JWS_FORMAT;
			k++;
			start = i + 1;
		}
	}
	return k == 3 ? DC_OK : DC_E_JWS_FORMAT;
}

/* Header: {"alg":"ES256","zip":"DEF","kid":"..."}; kid copied out. Other
 * members (typ, ...) are ignored, as RFC 7515 allows, except crit. */
static dc_err check_header(const struct jws_parts *p, char *kid, size_t kid_cap)
{
	uint8_t buf[HEADER_MAX];
	size_t n;
	dc_err rc = DC_OK;

	if (p->len[0] > sizeof buf * 4 / 3 ||
	    !dc_b64url_decode(p->part[0], p->len[0], buf, sizeof buf, &n))
		return DC_E_JWS_BASE64;
	cJSON *h = cJSON_ParseWithLength((const char *)buf, n);
	if (!cJSON_IsObject(h)) {
		rc = DC_E_JWS_HEADER;
		goto out;
	}
	const char *alg = dc_json_str(h, "alg"), *zip = dc_json_str(h, "zip");
	const char *k = dc_json_str(h, "kid");
	if (!alg || strcmp(alg, "ES256") != 0)
		rc = DC_E_JWS_ALG;
	else if (!zip || strcmp(zip, "DEF") != 0)
		rc = DC_E_JWS_ZIP;
	else if (!k || !*k || strlen(k) >= kid_cap)
		rc = DC_E_JWS_KID;
	else if (dc_json_get(h, "crit"))
		rc = DC_E_JWS_CRIT;
	else
		strcpy(kid, k);
out:
	cJSON_Delete(h);
	return rc;
}

/* Clears everything personal a failed parse may have filled in. */
static dc_err fail(dc_record *r, dc_err e)
{
	dc_record_wipe_holder(r);
	return dc_record_fail(r, e);
}

/* The signature over the ASCII "header.payload" exactly as sent, with the
 * issuer's key named by kid, else with each of the issuer's keys. *used is
 * the key that verified. */
static dc_err check_signature(const dc_issuer *issuer, const char *kid, const uint8_t *msg,
			      size_t msg_len, const uint8_t sig[64], const dc_key **used)
{
	const dc_key *key = dc_issuer_find_key(issuer, kid);
	*used = NULL;
	if (key) {
		dc_err e = dc_key_verify_es256(key, msg, msg_len, sig);
		if (e == DC_OK)
			*used = key;
		return e;
	}
	for (size_t n = 0; (key = dc_issuer_key(issuer, n)) != NULL; n++) {
		dc_err e = dc_key_verify_es256(key, msg, msg_len, sig);
		if (e == DC_OK) {
			*used = key;
			return DC_OK;
		}
		if (e != DC_E_SIG_MISMATCH)
			return e;
	}
	return DC_E_KID_UNKNOWN; /* no key of this issuer made this signature */
}

dc_err dc_shc_verify_jws(const dc_trust *t, double now, const char *jws,
			 size_t len, dc_record *out)
{
	struct jws_parts p;
	char kid[DC_SHC_KID_MAX + 1];
	char iss[DC_ISS_MAX + 1];
	dc_shc_claims claims;
	uint8_t sig[160]; /* room for a DER or P-521 signature, to name it */
	size_t sig_len, z_len = 0, json_len = 0;
	uint8_t *z = NULL, *json = NULL;
	dc_err e;

	memset(&claims, 0, sizeof claims);
	dc_record_init(out);
	out->format = DC_FORMAT_SHC;
	if (!jws || !len)
		return fail(out, DC_E_EMPTY);
	if (len > DC_SHC_MAX_JWS)
		return fail(out, DC_E_TOO_LONG);
	if ((e = split_jws(jws, len, &p)) != DC_OK)
		return fail(out, e);
	if ((e = check_header(&p, kid, sizeof kid)) != DC_OK)
		return fail(out, e);
	dc_record_copy(out->kid, sizeof out->kid, kid);
	if (p.len[2] > 200 || !dc_b64url_decode(p.part[2], p.len[2], sig, sizeof sig, &sig_len))
		return fail(out, p.len[2] > 200 ? DC_E_SIG_LENGTH : DC_E_JWS_BASE64);
	if (sig_len != 64)
		return fail(out, DC_E_SIG_LENGTH); /* e.g. a DER-encoded signature */

	size_t z_cap = DC_B64URL_DECODED_MAX(p.len[1]);
	z = malloc(z_cap);
	json = malloc(DC_MAX_INFLATED + 1);
	if (!z || !json) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (!dc_b64url_decode(p.part[1], p.len[1], z, z_cap, &z_len)) {
		e = DC_E_JWS_BASE64;
		goto out;
	}
	e = dc_inflate(DC_INFLATE_RAW, z, z_len, json, DC_MAX_INFLATED, &json_len);
	if (e)
		goto out;
	json[json_len] = 0;

	/* Before the signature: only the issuer, to choose the key. */
	if ((e = dc_shc_payload_iss(json, json_len, iss, sizeof iss)) != DC_OK)
		goto out;
	dc_record_copy(out->issuer, sizeof out->issuer, iss);
	const dc_issuer *issuer = dc_trust_find_issuer(t, iss);
	if (!issuer) {
		e = DC_E_ISSUER_UNTRUSTED;
		goto out;
	}
	dc_record_copy(out->issuer_name, sizeof out->issuer_name, dc_issuer_name(issuer));
	const dc_key *key;
	e = check_signature(issuer, kid, (const uint8_t *)jws, p.len[0] + 1 + p.len[1], sig, &key);
	if (e)
		goto out;
	dc_record_copy(out->kid, sizeof out->kid, dc_key_thumbprint(key));

	/* The signature holds; now the content counts. */
	e = dc_shc_read_claims(json, json_len, out, &claims);
	if (e == DC_OK && claims.rid[0] &&
	    dc_issuer_key_rid_revoked(issuer, key, claims.rid, claims.issued))
		e = DC_E_REVOKED;
	if (e == DC_OK)
		e = dc_shc_check_window(&claims, now);
out:
	if (z) {
		mbedtls_platform_zeroize(z, z_cap);
		free(z);
	}
	if (json) {
		mbedtls_platform_zeroize(json, DC_MAX_INFLATED + 1);
		free(json);
	}
	mbedtls_platform_zeroize(&claims, sizeof claims);
	if (e)
		return fail(out, e);
	return dc_record_fail(out, DC_OK);
}

dc_err dc_shc_verify(const dc_trust *t, double now, const char *const *texts,
		     const size_t *lens, size_t n, dc_record *out)
{
	char *jws = malloc(DC_SHC_MAX_JWS + 1);
	size_t len = 0;
	dc_err e;

	if (!jws) {
		dc_record_init(out);
		out->format = DC_FORMAT_SHC;
		return fail(out, DC_E_NOMEM);
	}
	e = dc_shc_decode(texts, lens, n, jws, DC_SHC_MAX_JWS + 1, &len);
	if (e) {
		dc_record_init(out);
		out->format = DC_FORMAT_SHC;
		fail(out, e);
	} else {
		e = dc_shc_verify_jws(t, now, jws, len, out);
	}
	mbedtls_platform_zeroize(jws, DC_SHC_MAX_JWS + 1);
	free(jws);
	return e;
}
