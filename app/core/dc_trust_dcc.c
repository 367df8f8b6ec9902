/*
 * DCC half of the trust store: signer certificates (DSCs) keyed by their
 * 8-byte kid, and the DCC revocation hashes. The store hangs off
 * struct dc_trust (dc_trust_priv.h), created on first use, with its own
 * destructor so that a build without DCC needs none of this.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>
#include "dc_hash.h"
#include "dc_mbedtls.h"
#include "dc_pem.h"
#include "dc_time.h"
#include <mbedtls/x509_crt.h>

#include "dc_trust.h"
#include "dc_trust_priv.h"
#include "dc_valuesets.h"

#define COSE_ALG_ES256 (-7)
#define COSE_ALG_ES384 (-35)
#define COSE_ALG_ES512 (-36)
#define COSE_ALG_PS256 (-37)
#define COSE_ALG_PS384 (-38)
#define COSE_ALG_PS512 (-39)
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

struct unusable {
	uint8_t kid[DC_DSC_KID_LEN];
	uint8_t why; /* dc_dsc_skip */
};

struct dc_dsc_store {
	struct dc_dsc **dscs;
	size_t n_dscs, cap_dscs;
	struct unusable *unusable; /* certificates skipped on load */
	size_t n_unusable, cap_unusable;
	struct revoked *revoked; /* sorted by (type, hash) */
	size_t n_revoked;
	dc_valuesets *valuesets; /* from trust data; NULL: built-in tables */
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
	free(s->unusable);
	free(s->revoked);
	dc_valuesets_free(s->valuesets);
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

/* An extendedKeyUsage extension (2.5.29.37, optionally critical) whose
 * value is an empty SEQUENCE: RFC 5280 forbids it (SIZE 1..MAX) and mbedTLS
 * refuses the whole certificate, but some member states issued such DSCs
 * and the reference verifiers read it as "no key usage" (dgc-testdata
 * common/CO15). Finds its OID so a copy can rename the extension. */
static uint8_t *find_empty_eku(uint8_t *der, size_t len)
{
	static const uint8_t oid[] = {0x06, 0x03, 0x55, 0x1d, 0x25};
	static const uint8_t empty[] = {0x04, 0x02, 0x30, 0x00};
	for (size_t i = 0; i + sizeof oid + sizeof empty <= len; i++) {
		if (memcmp(der + i, oid, sizeof oid) != 0)
			continue;
		size_t j = i + sizeof oid;
		if (j + 3 <= len && der[j] == 0x01 && der[j + 1] == 0x01)
			j += 3; /* critical BOOLEAN */
		if (j + sizeof empty <= len && memcmp(der + j, empty, sizeof empty) == 0)
			return der + i;
	}
	return NULL;
}

static bool key_usable(const mbedtls_pk_context *pk)
{
	mbedtls_pk_type_t type = mbedtls_pk_get_type(pk);
	if (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA) {
		mbedtls_ecp_group_id g = dc_pk_ec_group(pk);
		return g == MBEDTLS_ECP_DP_SECP256R1 || g == MBEDTLS_ECP_DP_SECP384R1 ||
		       g == MBEDTLS_ECP_DP_SECP521R1;
	}
	if (type == MBEDTLS_PK_RSA)
		return mbedtls_pk_get_bitlen(pk) >= DC_DSC_RSA_MIN_BITS;
	return false;
}

/* Builds one signer from one DER certificate. On DC_E_DSC_INVALID *why says
 * which dc_dsc_skip applies; *eku_empty is set when an empty EKU was read
 * as "no restriction". */
static dc_err dsc_from_der(const uint8_t *der, size_t len, struct dc_dsc **out,
			   dc_dsc_skip *why, bool *eku_empty, bool need_kid)
{
	dc_err e = DC_E_DSC_INVALID;
	uint8_t *copy = NULL;
	struct dc_dsc *d = calloc(1, sizeof *d);
	*why = DC_DSC_SKIP_MALFORMED;
	*eku_empty = false;
	if (!d)
		return DC_E_NOMEM;
	mbedtls_x509_crt_init(&d->crt);
	if (mbedtls_x509_crt_parse_der(&d->crt, der, len) != 0) {
		/* Retry once with an empty EKU renamed to an unknown,
		 * non-critical extension of the same length; the kid below
		 * stays that of the certificate as issued. */
		mbedtls_x509_crt_free(&d->crt);
		mbedtls_x509_crt_init(&d->crt);
		if (len > DC_TRUST_MAX_FILE || !(copy = malloc(len))) {
			e = len > DC_TRUST_MAX_FILE ? DC_E_DSC_INVALID : DC_E_NOMEM;
			goto out;
		}
		memcpy(copy, der, len);
		uint8_t *eku = find_empty_eku(copy, len);
		if (!eku)
			goto out;
		eku[4] = 0x00; /* 2.5.29.0: no extension mbedTLS knows */
		if (eku[5] == 0x01 && eku[6] == 0x01)
			eku[7] = 0x00; /* not critical */
		if (mbedtls_x509_crt_parse_der(&d->crt, copy, len) != 0)
			goto out;
		*eku_empty = true;
	}
	if (!key_usable(&d->crt.pk)) {
		*why = DC_DSC_SKIP_KEY;
		goto out;
	}
	uint8_t h[32];
	if (need_kid) {
		if (dc_sha256(der, len, h) != 0)
			goto out;
		memcpy(d->kid, h, DC_DSC_KID_LEN);
	}
	if (dc_crt_has_ext(&d->crt, MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE)) {
		for (const mbedtls_x509_sequence *s = &d->crt.ext_key_usage; s; s = s->next)
			d->uses |= use_of_oid(&s->buf);
		/* An EKU that names purposes, none of them a DCC type, names
		 * none of the DCC types (dgc-testdata IS/3: KEYUSAGE false). */
		if (!d->uses && d->crt.ext_key_usage.buf.p)
			d->uses = DC_DSC_USE_NONE;
	}
	d->not_before = x509_time_to_unix(&d->crt.valid_from);
	d->not_after = x509_time_to_unix(&d->crt.valid_to);
	*out = d;
	d = NULL;
	e = DC_OK;
out:
	dsc_free(d);
	free(copy);
	return e;
}


static bool store_reserve(struct dc_dsc_store *s, size_t more)
{
	if (s->n_dscs + more <= s->cap_dscs)
		return true;
	size_t cap = s->cap_dscs ? s->cap_dscs : 16;
	while (cap < s->n_dscs + more)
		cap *= 2;
	struct dc_dsc **p = realloc(s->dscs, cap * sizeof *p);
	if (!p)
		return false;
	s->dscs = p;
	s->cap_dscs = cap;
	return true;
}

/* Remembers the kid of a certificate that was not taken, so that a card it
 * signed is told "signer certificate unusable" rather than "unknown". */
static dc_err note_unusable(struct dc_dsc_store *s, const uint8_t *der, size_t len,
			    dc_dsc_skip why)
{
	uint8_t h[32];
	if (s->n_unusable >= DC_TRUST_MAX_DSC)
		return DC_OK; /* counted by the caller, just not remembered */
	if (s->n_unusable == s->cap_unusable) {
		size_t cap = s->cap_unusable ? s->cap_unusable * 2 : 16;
		struct unusable *p = realloc(s->unusable, cap * sizeof *p);
		if (!p)
			return DC_E_NOMEM;
		s->unusable = p;
		s->cap_unusable = cap;
	}
	if (dc_sha256(der, len, h) != 0)
		return DC_OK;
	memcpy(s->unusable[s->n_unusable].kid, h, DC_DSC_KID_LEN);
	s->unusable[s->n_unusable].why = (uint8_t)why;
	s->n_unusable++;
	return DC_OK;
}

static void stats_skip(dc_dsc_load_stats *st, dc_dsc_skip why)
{
	if (st && (unsigned)why < DC_DSC_SKIP__COUNT)
		st->skipped[why]++;
}

dc_err dc_trust_add_dsc_der(dc_trust *t, const uint8_t *der, size_t len,
			    dc_dsc_load_stats *st)
{
	struct dc_dsc *d = NULL;
	dc_dsc_skip why;
	bool eku_empty;
	if (!t || !der)
		return DC_E_ARG;
	struct dc_dsc_store *s = store_get(t);
	if (!s)
		return DC_E_NOMEM;
	if (s->n_dscs >= DC_TRUST_MAX_DSC)
		return DC_E_TRUST_FULL;
	dc_err e = dsc_from_der(der, len, &d, &why, &eku_empty, true);
	if (e == DC_E_NOMEM)
		return e;
	if (e != DC_OK) {
		stats_skip(st, why);
		return note_unusable(s, der, len, why);
	}
	if (!store_reserve(s, 1)) {
		dsc_free(d);
		return DC_E_NOMEM;
	}
	s->dscs[s->n_dscs++] = d;
	if (st) {
		st->added++;
		st->empty_eku += eku_empty;
	}
	return DC_OK;
}

dc_err dc_trust_add_dscs(dc_trust *t, const uint8_t *buf, size_t len, dc_dsc_load_stats *st)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	dc_err e = DC_OK;
	if (!t || !buf)
		return DC_E_ARG;
	if (len == 0 || len > DC_TRUST_MAX_FILE) {
		stats_skip(st, DC_DSC_SKIP_MALFORMED);
		return DC_OK;
	}
	if (!dc_looks_pem(buf, len))
		return dc_trust_add_dsc_der(t, buf, len, st);
	/* PEM: each block on its own, so one bad block costs only itself. */
	uint8_t *der = malloc(len);
	if (!der)
		return DC_E_NOMEM;
	const uint8_t *p = buf, *lim = buf + len;
	size_t blocks = 0;
	for (;;) {
		const uint8_t *b = memmem(p, (size_t)(lim - p), begin, sizeof begin - 1);
		if (!b)
			break;
		b += sizeof begin - 1;
		const uint8_t *x = memmem(b, (size_t)(lim - b), end, sizeof end - 1);
		blocks++;
		if (!x) {
			stats_skip(st, DC_DSC_SKIP_MALFORMED);
			break;
		}
		/* base64 body: letters only, whitespace dropped. */
		size_t n = 0;
		uint8_t *b64 = der; /* reused: base64 is longer than its DER */
		for (const uint8_t *q = b; q < x; q++)
			if (!(*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
				b64[n++] = *q;
		size_t dl = 0;
		if (n == 0 || mbedtls_base64_decode(der, len, &dl, b64, n) != 0 || dl == 0) {
			stats_skip(st, DC_DSC_SKIP_MALFORMED);
		} else if ((e = dc_trust_add_dsc_der(t, der, dl, st)) != DC_OK) {
			break;
		}
		p = x + sizeof end - 1;
	}
	if (blocks == 0)
		stats_skip(st, DC_DSC_SKIP_MALFORMED);
	mbedtls_platform_zeroize(der, len);
	free(der);
	return e;
}

dc_err dc_trust_add_dsc(dc_trust *t, const uint8_t *cert, size_t len)
{
	dc_err e = DC_E_DSC_INVALID;
	mbedtls_x509_crt chain;
	struct dc_dsc *batch[MAX_CERTS_PER_FILE];
	size_t n = 0;
	uint8_t *pem = NULL;
	dc_dsc_skip why;
	bool eku_empty;

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
		e = dsc_from_der(c->raw.p, c->raw.len, &batch[n], &why, &eku_empty, true);
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
	if (!store_reserve(s, n)) {
		e = DC_E_NOMEM;
		goto out;
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

int dc_dsc_check_der(const uint8_t *der, size_t len, double now, unsigned *uses)
{
	struct dc_dsc *d = NULL;
	dc_dsc_skip why;
	bool eku_empty;
	dc_err e = dsc_from_der(der, len, &d, &why, &eku_empty, false);
	if (e == DC_E_NOMEM)
		return -2;
	if (e != DC_OK)
		return (int)why;
	int r = now > (double)d->not_after ? (int)DC_DSC_SKIP_EXPIRED : -1;
	if (uses)
		*uses = d->uses;
	dsc_free(d);
	return r;
}

bool dc_trust_dsc_unusable(const dc_trust *t, const uint8_t kid[DC_DSC_KID_LEN])
{
	if (!t || !t->dsc || !kid)
		return false;
	for (size_t i = 0; i < t->dsc->n_unusable; i++)
		if (memcmp(t->dsc->unusable[i].kid, kid, DC_DSC_KID_LEN) == 0)
			return true;
	return false;
}

size_t dc_dsc_load_stats_skipped(const dc_dsc_load_stats *st)
{
	size_t n = 0;
	for (int i = 0; st && i < DC_DSC_SKIP__COUNT; i++)
		n += st->skipped[i];
	return n;
}

const char *dc_dsc_skip_name(dc_dsc_skip why)
{
	switch (why) {
	case DC_DSC_SKIP_MALFORMED: return "malformed";
	case DC_DSC_SKIP_KEY: return "unsupported key";
	case DC_DSC_SKIP_EXPIRED: return "expired";
	case DC_DSC_SKIP_TYPE: return "not a DSC";
	case DC_DSC_SKIP_KID: return "kid mismatch";
	case DC_DSC_SKIP_THUMBPRINT: return "thumbprint mismatch";
	case DC_DSC_SKIP__COUNT: break;
	}
	return "unknown";
}

size_t dc_dsc_load_stats_format(const dc_dsc_load_stats *st, char *out, size_t cap)
{
	size_t o = 0;
	if (!out || cap == 0)
		return 0;
	out[0] = 0;
	for (int i = 0; st && i < DC_DSC_SKIP__COUNT; i++) {
		if (!st->skipped[i])
			continue;
		int w = snprintf(out + o, cap - o, "%s%zu %s", o ? ", " : "", st->skipped[i],
				 dc_dsc_skip_name((dc_dsc_skip)i));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	return o;
}

size_t dc_trust_dsc_count(const dc_trust *t)
{
	return t && t->dsc ? t->dsc->n_dscs : 0;
}

size_t dc_trust_dcc_revocation_count(const dc_trust *t)
{
	return t && t->dsc ? t->dsc->n_revoked : 0;
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

/* The digest a COSE algorithm names (RFC 9053: ES256 is ECDSA with
 * SHA-256 on any curve, P-256 being only a SHOULD; RFC 8230 for PS*). */
static int alg_digest(int alg, mbedtls_md_type_t *md, size_t *hlen, bool *ec)
{
	switch (alg) {
	case COSE_ALG_ES256: *md = MBEDTLS_MD_SHA256; *hlen = 32; *ec = true; return 0;
	case COSE_ALG_ES384: *md = MBEDTLS_MD_SHA384; *hlen = 48; *ec = true; return 0;
	case COSE_ALG_ES512: *md = MBEDTLS_MD_SHA512; *hlen = 64; *ec = true; return 0;
	case COSE_ALG_PS256: *md = MBEDTLS_MD_SHA256; *hlen = 32; *ec = false; return 0;
	case COSE_ALG_PS384: *md = MBEDTLS_MD_SHA384; *hlen = 48; *ec = false; return 0;
	case COSE_ALG_PS512: *md = MBEDTLS_MD_SHA512; *hlen = 64; *ec = false; return 0;
	}
	return -1;
}

static dc_err verify_ecdsa(const struct dc_dsc *d, mbedtls_md_type_t md, const uint8_t *hash,
			   size_t hlen, const uint8_t *sig, size_t sig_len)
{
	/* COSE: r || s, each the size of the curve's order. mbedtls_pk_verify
	 * does not change the key; the cast drops the const it lacks. */
	int rc = dc_ecdsa_verify_raw((mbedtls_pk_context *)&d->crt.pk, md, hash, hlen, sig,
				     sig_len);
	if (rc == DC_ECDSA_BAD_LENGTH)
		return DC_E_COSE_SIG_LENGTH;
	return rc == 0 ? DC_OK : DC_E_SIG_MISMATCH;
}

static dc_err verify_pss(const struct dc_dsc *d, mbedtls_md_type_t md, const uint8_t *hash,
			 size_t hlen, const uint8_t *sig, size_t sig_len)
{
	mbedtls_pk_context *pk = (mbedtls_pk_context *)&d->crt.pk; /* only read */
	if (sig_len != mbedtls_pk_get_len(pk))
		return DC_E_COSE_SIG_LENGTH;
	/* The salt length is fixed by RFC 8230 (the hash length), not read
	 * from the signature: anything else is a mismatch. MGF1 uses the same
	 * hash. */
	mbedtls_pk_rsassa_pss_options o = {md, (int)hlen};
	int rc = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &o, pk, md, hash, hlen, sig, sig_len);
	return rc == 0 ? DC_OK : DC_E_SIG_MISMATCH;
}

dc_err dc_dsc_verify(const dc_dsc *d, int alg, const uint8_t *msg, size_t msg_len,
		     const uint8_t *sig, size_t sig_len)
{
	uint8_t hash[64];
	mbedtls_md_type_t md;
	size_t hlen;
	bool ec;
	dc_err e;
	int rc;
	if (!d || !msg || !sig)
		return DC_E_ARG;
	if (alg_digest(alg, &md, &hlen, &ec) != 0)
		return DC_E_COSE_ALG;
	mbedtls_pk_type_t type = mbedtls_pk_get_type(&d->crt.pk);
	if (ec != (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA) ||
	    (!ec && type != MBEDTLS_PK_RSA))
		return DC_E_DSC_ALG_KEY;
	rc = hlen == 32 ? dc_sha256(msg, msg_len, hash)
	     : hlen == 48 ? dc_sha384(msg, msg_len, hash) : dc_sha512(msg, msg_len, hash);
	if (rc != 0)
		return DC_E_SIG_MISMATCH;
	if (ec)
		e = verify_ecdsa(d, md, hash, hlen, sig, sig_len);
	else
		e = verify_pss(d, md, hash, hlen, sig, sig_len);
	mbedtls_platform_zeroize(hash, sizeof hash);
	return e;
}

bool dc_dsc_is_ec(const dc_dsc *d)
{
	mbedtls_pk_type_t type = d ? mbedtls_pk_get_type(&d->crt.pk) : MBEDTLS_PK_NONE;
	return type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA;
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

/* --- EU value sets ---------------------------------------------------------- */

dc_err dc_trust_add_dcc_valuesets(dc_trust *t, const uint8_t *json, size_t len)
{
	dc_err e;
	if (!t || !json)
		return DC_E_ARG;
	if (len > DC_TRUST_MAX_FILE)
		return DC_E_VALUESET_FORMAT;
	dc_valuesets *v = dc_valuesets_parse(json, len, &e);
	if (!v)
		return e;
	struct dc_dsc_store *s = store_get(t);
	if (!s) {
		dc_valuesets_free(v);
		return DC_E_NOMEM;
	}
	if (!s->valuesets) {
		s->valuesets = v;
		return DC_OK;
	}
	e = dc_valuesets_merge(s->valuesets, v);
	dc_valuesets_free(v);
	return e;
}

const dc_valuesets *dc_trust_dcc_valuesets(const dc_trust *t)
{
	return t && t->dsc ? t->dsc->valuesets : NULL;
}
