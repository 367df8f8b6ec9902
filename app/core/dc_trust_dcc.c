/*
 * DCC half of the trust store: signer certificates (DSCs) keyed by their
 * 8-byte kid, and the DCC revocation hashes. The store hangs off
 * struct dc_trust (dc_trust_priv.h), created on first use, with its own
 * destructor so that a build without DCC needs none of this.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include "dc_hash.h"
#include "dc_pem.h"
#include "dc_time.h"
#include <mbedtls/x509_crt.h>

#include "dc_trust.h"
#include "dc_trust_priv.h"

#define COSE_ALG_ES256 (-7)
#define COSE_ALG_PS256 (-37)
#define PS256_SALT_LEN 32
#define MAX_CERTS_PER_FILE 256

struct dc_dsc {
	uint8_t kid[DC_DSC_KID_LEN];
	unsigned uses;
	int64_t not_before, not_after;
	mbedtls_x509_crt crt;
};

struct revoked {
	uint8_t type;
	uint8_t hash[DC_DCC_REVOCATION_HASH_LEN];
};

struct dc_dsc_store {
	struct dc_dsc **dscs;
	size_t n_dscs, cap_dscs;
	struct revoked *revoked; /* sorted by (type, hash) */
	size_t n_revoked;
};

static void dsc_free(struct dc_dsc *d)
{
	if (!d)
		return;
	mbedtls_x509_crt_free(&d->crt);
	free(d);
}

static void store_free(struct dc_dsc_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_dscs; i++)
		dsc_free(s->dscs[i]);
	free(s->dscs);
	free(s->revoked);
	free(s);
}

static struct dc_dsc_store *store_get(dc_trust *t)
{
	if (!t->dsc) {
		t->dsc = calloc(1, sizeof *t->dsc);
		if (!t->dsc)
			return NULL;
		t->dsc_free = store_free;
	}
	return t->dsc;
}

/* dc_days_from_civil avoids timegm and the process time zone. */
static int64_t x509_time_to_unix(const mbedtls_x509_time *x)
{
	return dc_days_from_civil(x->year, (unsigned)x->mon, (unsigned)x->day) * 86400 +
	       x->hour * 3600 + x->min * 60 + x->sec;
}

/* 1.3.6.1.4.1.1847.2021.1.{1,2,3} and the 1.3.6.1.4.1.0.1847.2021.1.x arc
 * that some countries issued by mistake; the hcert spec accepts both. */
static const uint8_t oid_arc[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x8e, 0x37, 0x8f, 0x65, 0x01};
static const uint8_t oid_arc_alt[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x00, 0x8e, 0x37, 0x8f, 0x65, 0x01};

static unsigned use_of_oid(const mbedtls_x509_buf *oid)
{
	const uint8_t *p = oid->p;
	size_t n = oid->len, arc;
	if (n == sizeof oid_arc + 1 && memcmp(p, oid_arc, sizeof oid_arc) == 0)
		arc = sizeof oid_arc;
	else if (n == sizeof oid_arc_alt + 1 && memcmp(p, oid_arc_alt, sizeof oid_arc_alt) == 0)
		arc = sizeof oid_arc_alt;
	else
		return 0;
	switch (p[arc]) {
	case 1: return DC_DSC_USE_TEST;
	case 2: return DC_DSC_USE_VACCINATION;
	case 3: return DC_DSC_USE_RECOVERY;
	}
	return 0;
}

static dc_err dsc_from_der(const uint8_t *der, size_t len, struct dc_dsc **out)
{
	dc_err e = DC_E_DSC_INVALID;
	struct dc_dsc *d = calloc(1, sizeof *d);
	if (!d)
		return DC_E_NOMEM;
	mbedtls_x509_crt_init(&d->crt);
	if (mbedtls_x509_crt_parse_der(&d->crt, der, len) != 0)
		goto out;
	mbedtls_pk_type_t type = mbedtls_pk_get_type(&d->crt.pk);
	if (type == MBEDTLS_PK_ECKEY) {
		if (mbedtls_pk_ec(d->crt.pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1)
			goto out;
	} else if (type != MBEDTLS_PK_RSA) {
		goto out;
	}
	uint8_t h[32];
	if (dc_sha256(d->crt.raw.p, d->crt.raw.len, h) != 0)
		goto out;
	memcpy(d->kid, h, DC_DSC_KID_LEN);
	if (d->crt.ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE) {
		for (const mbedtls_x509_sequence *s = &d->crt.ext_key_usage; s; s = s->next)
			d->uses |= use_of_oid(&s->buf);
	}
	d->not_before = x509_time_to_unix(&d->crt.valid_from);
	d->not_after = x509_time_to_unix(&d->crt.valid_to);
	*out = d;
	d = NULL;
	e = DC_OK;
out:
	dsc_free(d);
	return e;
}

dc_err dc_trust_add_dsc(dc_trust *t, const uint8_t *cert, size_t len)
{
	dc_err e = DC_E_DSC_INVALID;
	mbedtls_x509_crt chain;
	struct dc_dsc *batch[MAX_CERTS_PER_FILE];
	size_t n = 0;
	uint8_t *pem = NULL;

	mbedtls_x509_crt_init(&chain);
	if (!t || !cert)
		return DC_E_ARG;
	if (len == 0 || len > DC_TRUST_MAX_FILE)
		goto out;
	if (dc_looks_pem(cert, len)) {
		/* mbedTLS wants PEM NUL-terminated, the NUL counted in len. */
		pem = malloc(len + 1);
		if (!pem) {
			e = DC_E_NOMEM;
			goto out;
		}
		memcpy(pem, cert, len);
		pem[len] = 0;
		if (mbedtls_x509_crt_parse(&chain, pem, len + 1) != 0)
			goto out;
	} else if (mbedtls_x509_crt_parse_der(&chain, cert, len) != 0) {
		goto out;
	}
	for (const mbedtls_x509_crt *c = &chain; c && c->raw.p; c = c->next) {
		if (n == MAX_CERTS_PER_FILE) {
			e = DC_E_TRUST_FULL;
			goto out;
		}
		e = dsc_from_der(c->raw.p, c->raw.len, &batch[n]);
		if (e != DC_OK)
			goto out;
		n++;
	}
	if (n == 0) {
		e = DC_E_DSC_INVALID;
		goto out;
	}
	struct dc_dsc_store *s = store_get(t);
	if (!s) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (s->n_dscs + n > DC_TRUST_MAX_DSC) {
		e = DC_E_TRUST_FULL;
		goto out;
	}
	if (s->n_dscs + n > s->cap_dscs) {
		size_t cap = s->cap_dscs ? s->cap_dscs : 16;
		while (cap < s->n_dscs + n)
			cap *= 2;
		struct dc_dsc **p = realloc(s->dscs, cap * sizeof *p);
		if (!p) {
			e = DC_E_NOMEM;
			goto out;
		}
		s->dscs = p;
		s->cap_dscs = cap;
	}
	for (size_t i = 0; i < n; i++)
		s->dscs[s->n_dscs++] = batch[i];
	n = 0;
	e = DC_OK;
out:
	for (size_t i = 0; i < n; i++)
		dsc_free(batch[i]);
	mbedtls_x509_crt_free(&chain);
	free(pem);
	return e;
}

size_t dc_trust_dsc_count(const dc_trust *t)
{
	return t && t->dsc ? t->dsc->n_dscs : 0;
}

const dc_dsc *dc_trust_find_dsc(const dc_trust *t, const uint8_t kid[DC_DSC_KID_LEN],
				size_t nth)
{
	if (!t || !t->dsc || !kid)
		return NULL;
	for (size_t i = 0; i < t->dsc->n_dscs; i++) {
		const struct dc_dsc *d = t->dsc->dscs[i];
		if (memcmp(d->kid, kid, DC_DSC_KID_LEN) == 0 && nth-- == 0)
			return d;
	}
	return NULL;
}

static dc_err verify_es256(const struct dc_dsc *d, const uint8_t hash[32],
			   const uint8_t *sig, size_t sig_len)
{
	if (sig_len != 64)
		return DC_E_COSE_SIG_LENGTH;
	dc_err e = DC_E_SIG_MISMATCH;
	mbedtls_mpi r, s;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(d->crt.pk);
	if (mbedtls_mpi_read_binary(&r, sig, 32) == 0 &&
	    mbedtls_mpi_read_binary(&s, sig + 32, 32) == 0 &&
	    mbedtls_ecdsa_verify(&ec->grp, hash, 32, &ec->Q, &r, &s) == 0)
		e = DC_OK;
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return e;
}

static dc_err verify_ps256(const struct dc_dsc *d, const uint8_t hash[32],
			   const uint8_t *sig, size_t sig_len)
{
	mbedtls_rsa_context *rsa = mbedtls_pk_rsa(d->crt.pk);
	if (sig_len != mbedtls_rsa_get_len(rsa))
		return DC_E_COSE_SIG_LENGTH;
	/* The salt length is fixed by the hcert spec, not read from the
	 * signature: anything else is a mismatch. */
	int rc = mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
						   MBEDTLS_MD_SHA256, 32, hash,
						   MBEDTLS_MD_SHA256, PS256_SALT_LEN, sig);
	return rc == 0 ? DC_OK : DC_E_SIG_MISMATCH;
}

dc_err dc_dsc_verify(const dc_dsc *d, int alg, const uint8_t *msg, size_t msg_len,
		     const uint8_t *sig, size_t sig_len)
{
	uint8_t hash[32];
	dc_err e;
	if (!d || !msg || !sig)
		return DC_E_ARG;
	mbedtls_pk_type_t type = mbedtls_pk_get_type(&d->crt.pk);
	if (!((alg == COSE_ALG_ES256 && type == MBEDTLS_PK_ECKEY) ||
	      (alg == COSE_ALG_PS256 && type == MBEDTLS_PK_RSA)))
		return DC_E_COSE_ALG;
	if (dc_sha256(msg, msg_len, hash) != 0)
		return DC_E_SIG_MISMATCH;
	if (alg == COSE_ALG_ES256)
		e = verify_es256(d, hash, sig, sig_len);
	else
		e = verify_ps256(d, hash, sig, sig_len);
	mbedtls_platform_zeroize(hash, sizeof hash);
	return e;
}

dc_err dc_dsc_check_time(const dc_dsc *d, double now)
{
	if (!d)
		return DC_E_ARG;
	if (now < (double)d->not_before || now > (double)d->not_after)
		return DC_E_DSC_TIME;
	return DC_OK;
}

unsigned dc_dsc_uses(const dc_dsc *d)
{
	return d ? d->uses : 0;
}

/* --- revocation ---------------------------------------------------------- */

static int revoked_cmp(const void *a, const void *b)
{
	const struct revoked *x = a, *y = b;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return memcmp(x->hash, y->hash, sizeof x->hash);
}

static int hash_type_of(const char *s)
{
	if (strcmp(s, "SIGNATURE") == 0)
		return DC_DCC_HASH_SIGNATURE;
	if (strcmp(s, "UCI") == 0)
		return DC_DCC_HASH_UCI;
	if (strcmp(s, "COUNTRYCODEUCI") == 0)
		return DC_DCC_HASH_COUNTRYCODEUCI;
	return -1;
}

dc_err dc_trust_add_dcc_revocations(dc_trust *t, const uint8_t *json, size_t len)
{
	dc_err e = DC_E_DCC_REVOCATION_FORMAT;
	cJSON *root = NULL;
	struct revoked *batch = NULL;
	size_t n = 0;

	if (!t || !json)
		return DC_E_ARG;
	if (len > DC_TRUST_MAX_FILE)
		goto out;
	root = cJSON_ParseWithLength((const char *)json, len);
	if (!cJSON_IsObject(root))
		goto out;
	const cJSON *entries = cJSON_GetObjectItemCaseSensitive(root, "entries");
	if (!cJSON_IsArray(entries))
		goto out;
	size_t count = (size_t)cJSON_GetArraySize(entries);
	if (count > DC_TRUST_MAX_DCC_REVOKED) {
		e = DC_E_TRUST_FULL;
		goto out;
	}
	batch = calloc(count ? count : 1, sizeof *batch);
	if (!batch) {
		e = DC_E_NOMEM;
		goto out;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, entries) {
		const cJSON *ty = cJSON_GetObjectItemCaseSensitive(it, "type");
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(it, "hash");
		if (!cJSON_IsString(ty) || !cJSON_IsString(h))
			goto out;
		int type = hash_type_of(ty->valuestring);
		if (type < 0)
			goto out;
		uint8_t raw[48];
		size_t rl = 0;
		size_t hl = strlen(h->valuestring);
		/* The gateway distributes the first 16 bytes; a full SHA-256 is
		 * accepted and cut to the same prefix. */
		if (mbedtls_base64_decode(raw, sizeof raw, &rl, (const unsigned char *)h->valuestring,
					  hl) != 0 || (rl != 16 && rl != 32))
			goto out;
		batch[n].type = (uint8_t)type;
		memcpy(batch[n].hash, raw, DC_DCC_REVOCATION_HASH_LEN);
		n++;
	}
	struct dc_dsc_store *s = store_get(t);
	if (!s) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (s->n_revoked + n > DC_TRUST_MAX_DCC_REVOKED) {
		e = DC_E_TRUST_FULL;
		goto out;
	}
	if (n) {
		struct revoked *p = realloc(s->revoked, (s->n_revoked + n) * sizeof *p);
		if (!p) {
			e = DC_E_NOMEM;
			goto out;
		}
		memcpy(p + s->n_revoked, batch, n * sizeof *p);
		s->revoked = p;
		s->n_revoked += n;
		qsort(s->revoked, s->n_revoked, sizeof *s->revoked, revoked_cmp);
	}
	e = DC_OK;
out:
	free(batch);
	cJSON_Delete(root);
	return e;
}

bool dc_trust_dcc_revoked(const dc_trust *t, dc_dcc_hash_type type,
			  const uint8_t hash[DC_DCC_REVOCATION_HASH_LEN])
{
	if (!t || !t->dsc || !t->dsc->n_revoked || !hash)
		return false;
	struct revoked key = {.type = (uint8_t)type};
	memcpy(key.hash, hash, sizeof key.hash);
	return bsearch(&key, t->dsc->revoked, t->dsc->n_revoked, sizeof key, revoked_cmp) != NULL;
}
