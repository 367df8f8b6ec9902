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
#include "dc_time.h"
#include "dc_trust_priv.h"

#define KID_MAX 64
#define RID_MAX 64
#define MAX_RIDS_PER_CRL 100000

struct dc_key {
	char kid[KID_MAX];
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

const dc_key *dc_issuer_find_key(const dc_issuer *i, const char *kid)
{
	if (!i || !kid)
		return NULL;
	for (size_t k = 0; k < i->n_keys; k++)
		if (strcmp(i->keys[k].kid, kid) == 0)
			return &i->keys[k];
	return NULL;
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

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_b64url_token(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n > 0 && n < max;
}

/* Parses one public JWK into key; checks curve, point and thumbprint. */
static dc_err parse_jwk(const cJSON *jwk, struct dc_key *key)
{
	const char *kty = jstr(jwk, "kty"), *crv = jstr(jwk, "crv");
	const char *x = jstr(jwk, "x"), *y = jstr(jwk, "y"), *kid = jstr(jwk, "kid");
	const char *alg = jstr(jwk, "alg"), *use = jstr(jwk, "use");
	uint8_t xy[2][40];
	size_t xl, yl;
	char tp_json[256];
	uint8_t tp[32];
	dc_err rc = DC_OK;

	if (!cJSON_IsObject(jwk) || !kty)
		return DC_E_KEY_INVALID;
	if (strcmp(kty, "EC") != 0 || !crv || strcmp(crv, "P-256") != 0)
		return DC_E_KEY_CURVE;
	if ((alg && strcmp(alg, "ES256") != 0) || (use && strcmp(use, "sig") != 0))
		return DC_E_KEY_CURVE;
	if (cJSON_GetObjectItemCaseSensitive(jwk, "d"))
		return DC_E_KEY_INVALID; /* a private key has no place here */
	if (!x || !y || !kid || !is_b64url_token(kid, KID_MAX))
		return DC_E_KEY_INVALID;
	if (!dc_b64url_decode(x, strlen(x), xy[0], sizeof xy[0], &xl) || xl != 32 ||
	    !dc_b64url_decode(y, strlen(y), xy[1], sizeof xy[1], &yl) || yl != 32)
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
	if (strcmp(tp_b64, kid) != 0)
		return DC_E_KEY_KID;

	key->pub[0] = 0x04;
	memcpy(key->pub + 1, xy[0], 32);
	memcpy(key->pub + 33, xy[1], 32);
	snprintf(key->kid, sizeof key->kid, "%s", kid);

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
	if (!is_b64url_token(e->rid, RID_MAX))
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
	const char *kid = jstr(o, "kid"), *method = jstr(o, "method");
	const cJSON *rids = cJSON_GetObjectItemCaseSensitive(o, "rids");
	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(o) || !kid || !is_b64url_token(kid, KID_MAX) ||
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

static bool valid_iss(const char *iss)
{
	size_t n = strlen(iss);
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

/*
 * Adds keys (JWK array) and CRLs (array) for `iss`. strict: any bad key
 * fails the call; otherwise bad keys are skipped and counted. Nothing is
 * added on failure.
 */
static dc_err add_issuer(dc_trust *t, const char *iss, const char *name,
			 const cJSON *keys, const cJSON *crls, bool strict,
			 size_t *skipped)
{
	struct dc_key *nk = NULL;
	struct crl *nc = NULL;
	size_t n_nk = 0, n_nc = 0;
	dc_err rc = DC_OK;
	bool created = false;
	struct dc_issuer *i = NULL;

	if (!iss || !valid_iss(iss))
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
	if (i->n_keys + n_nk > DC_TRUST_MAX_KEYS_PER_ISSUER) {
		rc = DC_E_TRUST_FULL;
		goto out;
	}
	struct dc_key *keys_all = realloc(i->keys, (i->n_keys + n_nk + 1) * sizeof *keys_all);
	if (!keys_all) {
		rc = DC_E_NOMEM;
		goto out;
	}
	i->keys = keys_all;
	struct crl *crls_all = realloc(i->crls, (i->n_crls + n_nc + 1) * sizeof *crls_all);
	if (!crls_all) {
		rc = DC_E_NOMEM;
		goto out;
	}
	i->crls = crls_all;
	if (created && (rc = issuer_link(t, i)) != DC_OK)
		goto out;
	/* Past this point nothing can fail: merge. A key already present
	 * (same kid) is not added twice. */
	for (size_t a = 0; a < n_nk; a++)
		if (!dc_issuer_find_key(i, nk[a].kid))
			i->keys[i->n_keys++] = nk[a];
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
	const cJSON *issuer = cJSON_GetObjectItemCaseSensitive(o, "issuer");
	if (!cJSON_IsObject(o) || !cJSON_IsObject(issuer))
		return DC_E_TRUST_FORMAT;
	return add_issuer(t, jstr(issuer, "iss"), jstr(issuer, "name"),
			  cJSON_GetObjectItemCaseSensitive(o, "keys"),
			  cJSON_GetObjectItemCaseSensitive(o, "crls"), strict, skipped);
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
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
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
	const cJSON *infos = cJSON_GetObjectItemCaseSensitive(root, "issuerInfo");
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
				struct dc_key *k = realloc(d->keys, (d->n_keys + s->n_keys + 1) * sizeof *k);
				struct crl *c = k ? realloc(d->crls, (d->n_crls + s->n_crls + 1) * sizeof *c) : NULL;
				if (k)
					d->keys = k;
				if (!c) {
					rc = DC_E_NOMEM;
					break;
				}
				d->crls = c;
				for (size_t a = 0; a < s->n_keys; a++)
					if (!dc_issuer_find_key(d, s->keys[a].kid))
						d->keys[d->n_keys++] = s->keys[a];
				for (size_t a = 0; a < s->n_crls; a++) {
					d->crls[d->n_crls++] = s->crls[a];
					s->crls[a].rids = NULL;
				}
				if (!d->name[0])
					memcpy(d->name, s->name, sizeof d->name);
			}
		}
		const char *time = jstr(root, "time");
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
