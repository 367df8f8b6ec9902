/*
 * SHC side of the trust store: issuers, their pinned P-256 keys and their
 * revocation lists, loaded from project issuer files, bare JWKS + CRL files
 * or the signed VCI directory snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include "dc_hash.h"
#include <mbedtls/x509_crt.h>

#include "dc_b64.h"
#include "dc_json.h"
#include "dc_time.h"
#include "dc_trust_priv.h"

#define KID_MAX 64
#define RID_MAX 64
#define MAX_RIDS_PER_CRL 100000

struct dc_key {
	char kid[KID_MAX];    /* RFC 7638 thumbprint: the key's own id */
	char listed[KID_MAX]; /* kid as the file listed it, when not the
			       * thumbprint (e.g. Quebec's 2021 JWKS); else "" */
	uint8_t pub[65]; /* uncompressed point 04 || x || y */
};

struct rid_entry {
	char rid[RID_MAX];
	double not_before; /* revoked when card nbf < this; 0 = always */
};

struct crl {
	char kid[KID_MAX];
	struct rid_entry *rids;
	size_t n_rids;
};

struct dc_issuer {
	char iss[DC_ISS_MAX + 1];
	char name[128];
	struct dc_key *keys;
	size_t n_keys;
	struct crl *crls;
	size_t n_crls;
};

dc_trust *dc_trust_new(void)
{
	return calloc(1, sizeof(dc_trust));
}

static void issuer_free(struct dc_issuer *i)
{
	if (!i)
		return;
	for (size_t c = 0; c < i->n_crls; c++)
		free(i->crls[c].rids);
	free(i->crls);
	free(i->keys);
	free(i);
}

void dc_trust_free(dc_trust *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_issuers; i++)
		issuer_free(t->issuers[i]);
	free(t->issuers);
	if (t->dsc && t->dsc_free)
		t->dsc_free(t->dsc);
	free(t);
}

int64_t dc_trust_data_time(const dc_trust *t) { return t ? t->data_time : 0; }
size_t dc_trust_issuer_count(const dc_trust *t) { return t ? t->n_issuers : 0; }

size_t dc_trust_shc_revocation_count(const dc_trust *t)
{
	size_t n = 0;
	for (size_t i = 0; t && i < t->n_issuers; i++)
		for (size_t c = 0; c < t->issuers[i]->n_crls; c++)
			n += t->issuers[i]->crls[c].n_rids;
	return n;
}

const dc_issuer *dc_trust_find_issuer(const dc_trust *t, const char *iss)
{
	if (!t || !iss)
		return NULL;
	for (size_t i = 0; i < t->n_issuers; i++)
		if (strcmp(t->issuers[i]->iss, iss) == 0)
			return t->issuers[i];
	return NULL;
}

const char *dc_issuer_iss(const dc_issuer *i) { return i ? i->iss : ""; }
const char *dc_issuer_name(const dc_issuer *i) { return i ? i->name : ""; }

/* Loading keeps ids unique within an issuer (see key_id_clash), so at most
 * one key answers to a kid. */
const dc_key *dc_issuer_find_key(const dc_issuer *i, const char *kid)
{
	if (!i || !kid || !*kid)
		return NULL;
	for (size_t k = 0; k < i->n_keys; k++)
		if (strcmp(i->keys[k].kid, kid) == 0 ||
		    (i->keys[k].listed[0] && strcmp(i->keys[k].listed, kid) == 0))
			return &i->keys[k];
	return NULL;
}

size_t dc_issuer_key_count(const dc_issuer *i) { return i ? i->n_keys : 0; }

const dc_key *dc_issuer_key(const dc_issuer *i, size_t n)
{
	return i && n < i->n_keys ? &i->keys[n] : NULL;
}

const char *dc_key_thumbprint(const dc_key *k) { return k ? k->kid : ""; }
const char *dc_key_listed_kid(const dc_key *k) { return k ? k->listed : ""; }

size_t dc_trust_kid_alias_count(const dc_trust *t)
{
	size_t n = 0;
	for (size_t i = 0; t && i < t->n_issuers; i++)
		for (size_t k = 0; k < t->issuers[i]->n_keys; k++)
			n += t->issuers[i]->keys[k].listed[0] != 0;
	return n;
}

bool dc_trust_kid_alias(const dc_trust *t, size_t n, const char **iss,
			const char **listed, const char **thumbprint)
{
	for (size_t i = 0; t && i < t->n_issuers; i++)
		for (size_t k = 0; k < t->issuers[i]->n_keys; k++) {
			const struct dc_key *key = &t->issuers[i]->keys[k];
			if (!key->listed[0] || n-- > 0)
				continue;
			*iss = t->issuers[i]->iss;
			*listed = key->listed;
			*thumbprint = key->kid;
			return true;
		}
	return false;
}

dc_err dc_key_verify_es256(const dc_key *k, const uint8_t *msg, size_t msg_len,
			   const uint8_t sig[64])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	uint8_t hash[32];
	dc_err rc = DC_E_SIG_MISMATCH;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (!k)
		goto out;
	if (dc_sha256(msg, msg_len, hash) != 0 ||
	    mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
	    mbedtls_ecp_point_read_binary(&grp, &q, k->pub, sizeof k->pub) != 0 ||
	    mbedtls_mpi_read_binary(&r, sig, 32) != 0 ||
	    mbedtls_mpi_read_binary(&s, sig + 32, 32) != 0) {
		rc = DC_E_NOMEM;
		goto out;
	}
	if (mbedtls_ecdsa_verify(&grp, hash, sizeof hash, &q, &r, &s) == 0)
		rc = DC_OK;
out:
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

static bool rid_matches(const struct rid_entry *e, const char *rid, double nbf)
{
	if (strcmp(e->rid, rid) != 0)
		return false;
	/* "rid.timestamp": only cards issued before the timestamp are revoked,
	 * so an issuer can revoke old cards and re-issue to the same person. */
	return e->not_before == 0 || nbf < e->not_before;
}

bool dc_issuer_key_rid_revoked(const dc_issuer *i, const dc_key *k, const char *rid,
			       double issued)
{
	if (!k)
		return false;
	return dc_issuer_rid_revoked(i, k->kid, rid, issued) ||
	       (k->listed[0] && dc_issuer_rid_revoked(i, k->listed, rid, issued));
}

bool dc_issuer_rid_revoked(const dc_issuer *i, const char *kid, const char *rid,
			   double nbf)
{
	if (!i || !kid || !rid || !*rid)
		return false;
	for (size_t c = 0; c < i->n_crls; c++) {
		if (strcmp(i->crls[c].kid, kid) != 0)
			continue;
		for (size_t r = 0; r < i->crls[c].n_rids; r++)
			if (rid_matches(&i->crls[c].rids[r], rid, nbf))
				return true;
	}
	return false;
}

/* ---- parsing ------------------------------------------------------------ */

bool dc_trust_id_valid(const char *s, size_t max_len)
{
	size_t n = 0;
	for (; s && s[n]; n++) {
		char c = s[n];
		if (n >= max_len || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n > 0;
}

/*
 * One P-256 coordinate: base64url of a big-endian integer below 2^256, as
 * 32 bytes. RFC 7518 asks for exactly 32, but some issuers' encoders drop
 * leading zero bytes (two Epic sites in the VCI directory list a 31-byte
 * x) or add a sign byte; the integer is the same, so it is left-padded or
 * stripped to 32. The on-curve check below still decides.
 */
static bool coordinate(const char *b64, uint8_t out[32])
{
	uint8_t buf[40];
	size_t n, skip = 0;
	if (!dc_b64url_decode(b64, strlen(b64), buf, sizeof buf, &n) || n == 0)
		return false;
	while (n - skip > 32 && buf[skip] == 0)
		skip++;
	if (n - skip > 32)
		return false;
	memset(out, 0, 32 - (n - skip));
	memcpy(out + 32 - (n - skip), buf + skip, n - skip);
	return true;
}

/* Parses one public JWK into key; checks curve and point, and computes the
 * thumbprint. A listed kid that differs from the thumbprint is kept as a
 * second id: SHC binds authenticity to the issuer (iss) and its pinned key
 * material, not to the kid string, which only speeds up the look-up. */
static dc_err parse_jwk(const cJSON *jwk, struct dc_key *key)
{
	const char *kty = dc_json_str(jwk, "kty"), *crv = dc_json_str(jwk, "crv");
	const char *x = dc_json_str(jwk, "x"), *y = dc_json_str(jwk, "y"), *kid = dc_json_str(jwk, "kid");
	const char *alg = dc_json_str(jwk, "alg"), *use = dc_json_str(jwk, "use");
	uint8_t xy[2][32];
	char tp_json[256];
	uint8_t tp[32];
	dc_err rc = DC_OK;

	if (!cJSON_IsObject(jwk) || !kty)
		return DC_E_KEY_INVALID;
	if (strcmp(kty, "EC") != 0 || !crv || strcmp(crv, "P-256") != 0)
		return DC_E_KEY_CURVE;
	if ((alg && strcmp(alg, "ES256") != 0) || (use && strcmp(use, "sig") != 0))
		return DC_E_KEY_CURVE;
	if (dc_json_get(jwk, "d"))
		return DC_E_KEY_INVALID; /* a private key has no place here */
	if (!x || !y)
		return DC_E_KEY_INVALID;
	if (!coordinate(x, xy[0]) || !coordinate(y, xy[1]))
		return DC_E_KEY_INVALID;

	/* RFC 7638: required members only, lexicographic order, no spaces. */
	int n = snprintf(tp_json, sizeof tp_json,
			 "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
	if (n < 0 || (size_t)n >= sizeof tp_json)
		return DC_E_KEY_INVALID;
	char tp_b64[48];
	if (dc_sha256((const uint8_t *)tp_json, (size_t)n, tp) != 0)
		return DC_E_NOMEM;
	dc_b64url_encode(tp, sizeof tp, tp_b64, sizeof tp_b64);
	memset(key, 0, sizeof *key);
	snprintf(key->kid, sizeof key->kid, "%s", tp_b64);
	/* kid is optional in a JWK (RFC 7517); one that cannot be a card's
	 * key id (not base64url, too long) adds no id: such a key is found by
	 * its thumbprint or by trying the issuer's keys. */
	if (kid && dc_trust_id_valid(kid, KID_MAX - 1) && strcmp(tp_b64, kid) != 0)
		snprintf(key->listed, sizeof key->listed, "%s", kid);

	key->pub[0] = 0x04;
	memcpy(key->pub + 1, xy[0], 32);
	memcpy(key->pub + 33, xy[1], 32);

	/* The point must be on the curve; a bogus point must not load. */
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
	    mbedtls_ecp_point_read_binary(&grp, &q, key->pub, sizeof key->pub) != 0 ||
	    mbedtls_ecp_check_pubkey(&grp, &q) != 0)
		rc = DC_E_KEY_INVALID;
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

static bool parse_rid(const char *s, struct rid_entry *e)
{
	const char *dot = strchr(s, '.');
	size_t rl = dot ? (size_t)(dot - s) : strlen(s);
	if (rl == 0 || rl >= RID_MAX)
		return false;
	memcpy(e->rid, s, rl);
	e->rid[rl] = 0;
	if (!dc_trust_id_valid(e->rid, RID_MAX - 1))
		return false;
	e->not_before = 0;
	if (dot) {
		const char *p = dot + 1;
		double v = 0;
		if (!*p || strlen(p) > 15)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			v = v * 10 + (*p - '0');
		}
		if (v <= 0)
			return false;
		e->not_before = v;
	}
	return true;
}

static dc_err parse_crl(const cJSON *o, struct crl *out)
{
	const char *kid = dc_json_str(o, "kid"), *method = dc_json_str(o, "method");
	const cJSON *rids = dc_json_get(o, "rids");
	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(o) || !kid || !dc_trust_id_valid(kid, KID_MAX - 1) ||
	    !cJSON_IsArray(rids))
		return DC_E_CRL_INVALID;
	if (method && strcmp(method, "rid") != 0)
		return DC_E_CRL_INVALID;
	int n = cJSON_GetArraySize(rids);
	if (n < 0 || n > MAX_RIDS_PER_CRL)
		return DC_E_CRL_INVALID;
	snprintf(out->kid, sizeof out->kid, "%s", kid);
	out->rids = calloc(n ? (size_t)n : 1, sizeof *out->rids);
	if (!out->rids)
		return DC_E_NOMEM;
	const cJSON *r;
	cJSON_ArrayForEach(r, rids) {
		if (!cJSON_IsString(r) || !parse_rid(r->valuestring, &out->rids[out->n_rids])) {
			free(out->rids);
			out->rids = NULL;
			return DC_E_CRL_INVALID;
		}
		out->n_rids++;
	}
	return DC_OK;
}

bool dc_trust_iss_valid(const char *iss)
{
	size_t n = iss ? strlen(iss) : 0;
	return n > 8 && n <= DC_ISS_MAX && strncmp(iss, "https://", 8) == 0 &&
	       iss[n - 1] != '/';
}

/* Finds or creates the issuer entry (not yet linked into t on create). */
static struct dc_issuer *issuer_get(dc_trust *t, const char *iss, bool *created)
{
	for (size_t i = 0; i < t->n_issuers; i++)
		if (strcmp(t->issuers[i]->iss, iss) == 0) {
			*created = false;
			return t->issuers[i];
		}
	struct dc_issuer *i = calloc(1, sizeof *i);
	if (!i)
		return NULL;
	snprintf(i->iss, sizeof i->iss, "%s", iss);
	*created = true;
	return i;
}

static dc_err issuer_link(dc_trust *t, struct dc_issuer *i)
{
	if (t->n_issuers >= DC_TRUST_MAX_ISSUERS)
		return DC_E_TRUST_FULL;
	if (t->n_issuers == t->cap_issuers) {
		size_t cap = t->cap_issuers ? t->cap_issuers * 2 : 16;
		struct dc_issuer **p = realloc(t->issuers, cap * sizeof *p);
		if (!p)
			return DC_E_NOMEM;
		t->issuers = p;
		t->cap_issuers = cap;
	}
	t->issuers[t->n_issuers++] = i;
	return DC_OK;
}

/* True when one of k's ids (thumbprint or listed kid) names another key of
 * the set, or one of theirs names k: a kid must lead to one key only. */
static bool key_id_clash(const struct dc_key *set, size_t n, const struct dc_key *k)
{
	for (size_t a = 0; a < n; a++) {
		const struct dc_key *o = &set[a];
		if (strcmp(o->kid, k->kid) == 0)
			continue; /* the same key again: merged, not a clash */
		if (strcmp(o->kid, k->listed) == 0 ||
		    (o->listed[0] && (strcmp(o->listed, k->kid) == 0 ||
				      strcmp(o->listed, k->listed) == 0)))
			return true;
	}
	return false;
}

/*
 * Builds in *out (malloc'd) the issuer's keys `have` merged with `add`.
 * The same key (same thumbprint) is kept once; a listed kid it gains is
 * added if it clashes with nothing. A key whose id names another key fails
 * the merge when strict, else is skipped and counted. Nothing is changed on
 * failure; the caller swaps *out in.
 */
static dc_err merge_keys(const struct dc_key *have, size_t n_have,
			 const struct dc_key *add, size_t n_add, bool strict,
			 size_t *skipped, struct dc_key **out, size_t *n_out)
{
	struct dc_key *m = calloc(n_have + n_add + 1, sizeof *m);
	size_t n = n_have;
	if (!m)
		return DC_E_NOMEM;
	if (n_have)
		memcpy(m, have, n_have * sizeof *m);
	for (size_t a = 0; a < n_add; a++) {
		const struct dc_key *k = &add[a];
		if (key_id_clash(m, n, k)) {
			if (strict) {
				free(m);
				return DC_E_KEY_KID;
			}
			if (skipped)
				(*skipped)++;
			continue;
		}
		struct dc_key *same = NULL;
		for (size_t b = 0; b < n && !same; b++)
			if (strcmp(m[b].kid, k->kid) == 0)
				same = &m[b];
		if (!same)
			m[n++] = *k;
		else if (!same->listed[0] && k->listed[0])
			memcpy(same->listed, k->listed, sizeof same->listed);
	}
	if (n > DC_TRUST_MAX_KEYS_PER_ISSUER) {
		free(m);
		return DC_E_TRUST_FULL;
	}
	*out = m;
	*n_out = n;
	return DC_OK;
}

/*
 * Adds keys (JWK array) and CRLs (array) for `iss`. strict: any bad key
 * fails the call; otherwise bad keys are skipped and counted. Nothing is
 * added on failure.
 */
static dc_err add_issuer(dc_trust *t, const char *iss, const char *name,
			 const cJSON *keys, const cJSON *crls, bool strict,
			 size_t *skipped)
{
	struct dc_key *nk = NULL, *merged = NULL;
	struct crl *nc = NULL;
	size_t n_nk = 0, n_nc = 0, n_merged = 0;
	dc_err rc = DC_OK;
	bool created = false;
	struct dc_issuer *i = NULL;

	if (!dc_trust_iss_valid(iss))
		return DC_E_TRUST_FORMAT;
	if (keys && !cJSON_IsArray(keys))
		return DC_E_TRUST_FORMAT;
	if (crls && !cJSON_IsArray(crls))
		return DC_E_CRL_INVALID;
	int nkeys = keys ? cJSON_GetArraySize(keys) : 0;
	int ncrls = crls ? cJSON_GetArraySize(crls) : 0;
	if (nkeys > DC_TRUST_MAX_KEYS_PER_ISSUER || ncrls > DC_TRUST_MAX_KEYS_PER_ISSUER)
		return DC_E_TRUST_FULL;

	nk = calloc((size_t)nkeys + 1, sizeof *nk);
	nc = calloc((size_t)ncrls + 1, sizeof *nc);
	if (!nk || !nc) {
		rc = DC_E_NOMEM;
		goto out;
	}
	const cJSON *k;
	cJSON_ArrayForEach(k, keys) {
		dc_err e = parse_jwk(k, &nk[n_nk]);
		if (e == DC_OK) {
			n_nk++;
		} else if (strict || e == DC_E_NOMEM) {
			rc = e;
			goto out;
		} else if (skipped) {
			(*skipped)++;
		}
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, crls) {
		dc_err e = parse_crl(c, &nc[n_nc]);
		if (e != DC_OK) {
			rc = e;
			goto out;
		}
		n_nc++;
	}

	i = issuer_get(t, iss, &created);
	if (!i) {
		rc = DC_E_NOMEM;
		goto out;
	}
	if ((rc = merge_keys(i->keys, i->n_keys, nk, n_nk, strict, skipped, &merged,
			     &n_merged)) != DC_OK)
		goto out;
	struct crl *crls_all = realloc(i->crls, (i->n_crls + n_nc + 1) * sizeof *crls_all);
	if (!crls_all) {
		rc = DC_E_NOMEM;
		goto out;
	}
	i->crls = crls_all;
	if (created && (rc = issuer_link(t, i)) != DC_OK)
		goto out;
	/* Past this point nothing can fail. */
	free(i->keys);
	i->keys = merged;
	i->n_keys = n_merged;
	merged = NULL;
	for (size_t a = 0; a < n_nc; a++) {
		i->crls[i->n_crls++] = nc[a];
		nc[a].rids = NULL;
	}
	n_nc = 0;
	if (name && *name)
		snprintf(i->name, sizeof i->name, "%s", name);
	created = false;
out:
	if (created)
		issuer_free(i);
	for (size_t a = 0; a < n_nc; a++)
		free(nc[a].rids);
	free(nc);
	free(nk);
	free(merged);
	return rc;
}

static cJSON *parse_json(const uint8_t *buf, size_t len)
{
	if (!buf || !len || len > DC_TRUST_MAX_FILE)
		return NULL;
	return cJSON_ParseWithLength((const char *)buf, len);
}

/* One issuerInfo-shaped object: {"issuer":{iss,name},"keys":[],"crls":[]} */
static dc_err add_issuer_obj(dc_trust *t, const cJSON *o, bool strict, size_t *skipped)
{
	const cJSON *issuer = dc_json_get(o, "issuer");
	if (!cJSON_IsObject(o) || !cJSON_IsObject(issuer))
		return DC_E_TRUST_FORMAT;
	return add_issuer(t, dc_json_str(issuer, "iss"), dc_json_str(issuer, "name"),
			  dc_json_get(o, "keys"),
			  dc_json_get(o, "crls"), strict, skipped);
}

dc_err dc_trust_add_issuer_json(dc_trust *t, const uint8_t *json, size_t len)
{
	if (!t)
		return DC_E_ARG;
	cJSON *root = parse_json(json, len);
	if (!root)
		return DC_E_TRUST_FORMAT;
	dc_err rc = add_issuer_obj(t, root, true, NULL);
	cJSON_Delete(root);
	return rc;
}

dc_err dc_trust_add_jwks(dc_trust *t, const char *iss, const char *name,
			 const uint8_t *json, size_t len)
{
	if (!t)
		return DC_E_ARG;
	cJSON *root = parse_json(json, len);
	if (!root)
		return DC_E_TRUST_FORMAT;
	const cJSON *keys = dc_json_get(root, "keys");
	dc_err rc = cJSON_IsArray(keys) ? add_issuer(t, iss, name, keys, NULL, true, NULL)
					: DC_E_TRUST_FORMAT;
	cJSON_Delete(root);
	return rc;
}

dc_err dc_trust_add_crl(dc_trust *t, const char *iss, const uint8_t *json, size_t len)
{
	if (!t)
		return DC_E_ARG;
	if (!dc_trust_find_issuer(t, iss))
		return DC_E_ISSUER_UNTRUSTED;
	cJSON *root = parse_json(json, len);
	if (!root)
		return DC_E_CRL_INVALID;
	cJSON *arr = cJSON_CreateArray();
	dc_err rc = DC_E_NOMEM;
	if (arr) {
		/* Borrow the object into a one-element array without copying. */
		cJSON_AddItemReferenceToArray(arr, root);
		rc = add_issuer(t, iss, NULL, NULL, arr, true, NULL);
		cJSON_Delete(arr);
	}
	cJSON_Delete(root);
	return rc;
}

static bool hex_equal(const uint8_t *bin, size_t n, const char *hex)
{
	static const char digits[] = "0123456789abcdef";
	if (!hex || strlen(hex) != n * 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = hex[2 * i], b = hex[2 * i + 1];
		if (a >= 'A' && a <= 'F') a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'F') b = (char)(b - 'A' + 'a');
		if (a != digits[bin[i] >> 4] || b != digits[bin[i] & 15])
			return false;
	}
	return true;
}

/* Parses a PEM or DER certificate (mbedTLS needs PEM NUL-terminated). */
static int parse_cert(mbedtls_x509_crt *crt, const uint8_t *cert, size_t len)
{
	if (len > 64 * 1024)
		return -1;
	if (len > 10 && memcmp(cert, "-----BEGIN", 10) == 0) {
		uint8_t *z = malloc(len + 1);
		if (!z)
			return -1;
		memcpy(z, cert, len);
		z[len] = 0;
		int r = mbedtls_x509_crt_parse(crt, z, len + 1);
		free(z);
		return r;
	}
	return mbedtls_x509_crt_parse_der(crt, cert, len);
}

dc_err dc_trust_add_vci_snapshot(dc_trust *t, const uint8_t *json, size_t len,
				 const uint8_t *sig, size_t sig_len,
				 const uint8_t *cert, size_t cert_len,
				 const char *pin_sha256_hex, size_t *skipped)
{
	mbedtls_x509_crt crt;
	uint8_t digest[64];
	cJSON *root = NULL;
	dc_err rc = DC_E_TRUST_SIGNATURE;
	size_t dummy = 0;

	if (!skipped)
		skipped = &dummy;
	*skipped = 0;
	mbedtls_x509_crt_init(&crt);
	if (!t || !json || !sig || !cert) {
		rc = DC_E_ARG;
		goto out;
	}
	if (len > DC_TRUST_MAX_FILE) {
		rc = DC_E_TRUST_FORMAT;
		goto out;
	}
	if (parse_cert(&crt, cert, cert_len) != 0) {
		rc = DC_E_TRUST_SIGNER;
		goto out;
	}
	if (dc_sha256(crt.raw.p, crt.raw.len, digest) != 0 ||
	    !hex_equal(digest, 32, pin_sha256_hex)) {
		rc = DC_E_TRUST_SIGNER;
		goto out;
	}
	/* The directory is signed with ECDSA P-521 over SHA-512 of the file. */
	if (dc_sha512(json, len, digest) != 0 ||
	    mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA512, digest, 64, sig, sig_len) != 0)
		goto out;

	root = parse_json(json, len);
	const cJSON *infos = dc_json_get(root, "issuerInfo");
	if (!root || !cJSON_IsArray(infos)) {
		rc = DC_E_TRUST_FORMAT;
		goto out;
	}
	/* Validate everything into a scratch store first so a bad entry
	 * leaves t untouched (all-or-nothing per call). */
	dc_trust *scratch = dc_trust_new();
	if (!scratch) {
		rc = DC_E_NOMEM;
		goto out;
	}
	const cJSON *o;
	rc = DC_OK;
	cJSON_ArrayForEach(o, infos) {
		rc = add_issuer_obj(scratch, o, false, skipped);
		if (rc)
			break;
	}
	if (rc == DC_OK) {
		for (size_t i = 0; i < scratch->n_issuers && rc == DC_OK; i++) {
			struct dc_issuer *s = scratch->issuers[i];
			bool created;
			struct dc_issuer *d = issuer_get(t, s->iss, &created);
			if (!d) {
				rc = DC_E_NOMEM;
				break;
			}
			if (created) {
				rc = issuer_link(t, s);
				free(d);
				if (rc == DC_OK)
					scratch->issuers[i] = NULL;
			} else {
				/* Merge keys of an issuer already loaded. */
				struct dc_key *k = NULL;
				size_t nk = 0;
				rc = merge_keys(d->keys, d->n_keys, s->keys, s->n_keys, false,
						skipped, &k, &nk);
				if (rc)
					break;
				struct crl *c = realloc(d->crls, (d->n_crls + s->n_crls + 1) * sizeof *c);
				if (!c) {
					free(k);
					rc = DC_E_NOMEM;
					break;
				}
				d->crls = c;
				free(d->keys);
				d->keys = k;
				d->n_keys = nk;
				for (size_t a = 0; a < s->n_crls; a++) {
					d->crls[d->n_crls++] = s->crls[a];
					s->crls[a].rids = NULL;
				}
				if (!d->name[0])
					memcpy(d->name, s->name, sizeof d->name);
			}
		}
		const char *time = dc_json_str(root, "time");
		double when;
		if (rc == DC_OK && time && dc_time_parse(time, strlen(time), &when) &&
		    (int64_t)when > t->data_time)
			t->data_time = (int64_t)when;
	}
	/* Issuers moved into t were set to NULL; free the rest. */
	for (size_t i = 0; i < scratch->n_issuers; i++)
		issuer_free(scratch->issuers[i]);
	scratch->n_issuers = 0;
	dc_trust_free(scratch);
out:
	cJSON_Delete(root);
	mbedtls_x509_crt_free(&crt);
	return rc;
}
