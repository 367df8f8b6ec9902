/*
 * The three DSC list formats (dc_dcclist.h): one signature check per
 * format, then one entry reader shared by all of them.
 */
#include "dc_dcclist.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "dc_b64.h"
#include "dc_hash.h"
#include "dc_mbedtls.h"

#define MAX_SIG_LINE 2048 /* base64 of the DE signature line */
#define MAX_DER (64 * 1024)

dc_err dc_dcclist_format_from_name(const char *name, dc_dcclist_format *f)
{
	if (!name || !f)
		return DC_E_ARG;
	if (strcmp(name, "dccg") == 0)
		*f = DC_DCCLIST_DCCG;
	else if (strcmp(name, "de") == 0)
		*f = DC_DCCLIST_DE;
	else if (strcmp(name, "dsc-tl") == 0)
		*f = DC_DCCLIST_DSC_TL;
	else
		return DC_E_ARG;
	return DC_OK;
}

/* --- signatures ------------------------------------------------------------ */

static int hash_of(mbedtls_md_type_t md, const uint8_t *m, size_t n, uint8_t *h, size_t *hl)
{
	switch (md) {
	case MBEDTLS_MD_SHA384: *hl = 48; return dc_sha384(m, n, h);
	case MBEDTLS_MD_SHA512: *hl = 64; return dc_sha512(m, n, h);
	default: *hl = 32; return dc_sha256(m, n, h);
	}
}

/* ECDSA as raw r||s (JWS, and what some lists ship) or DER; RSA as PKCS#1
 * v1.5 or PSS (any salt). DC_OK or DC_E_TRUST_SIGNATURE. */
static dc_err verify_with(mbedtls_pk_context *pk, mbedtls_md_type_t md, const uint8_t *msg,
			  size_t len, const uint8_t *sig, size_t sig_len)
{
	uint8_t h[64];
	size_t hl;
	dc_err e = DC_E_TRUST_SIGNATURE;
	if (sig_len == 0 || hash_of(md, msg, len, h, &hl) != 0)
		return e;
	if (mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA)) {
		size_t half = dc_ecdsa_half(pk);
		if (sig_len == 2 * half) {
			if (dc_ecdsa_verify_raw(pk, md, h, hl, sig, sig_len) == 0)
				e = DC_OK;
		} else if (mbedtls_pk_verify(pk, md, h, hl, sig, sig_len) == 0) {
			e = DC_OK;
		}
	} else if (mbedtls_pk_can_do(pk, MBEDTLS_PK_RSA)) {
		mbedtls_pk_rsassa_pss_options o = {md, MBEDTLS_RSA_SALT_LEN_ANY};
		if (mbedtls_pk_verify(pk, md, h, hl, sig, sig_len) == 0 ||
		    mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &o, pk, md, h, hl, sig,
					  sig_len) == 0)
			e = DC_OK;
	}
	mbedtls_platform_zeroize(h, sizeof h);
	return e;
}

static dc_err load_pin(mbedtls_pk_context *pk, const uint8_t *pin, size_t len)
{
	/* PEM must be NUL-terminated for mbedTLS, with the NUL counted. */
	uint8_t *copy = malloc(len + 1);
	if (!copy)
		return DC_E_NOMEM;
	memcpy(copy, pin, len);
	copy[len] = 0;
	int rc = mbedtls_pk_parse_public_key(pk, copy, len + 1);
	if (rc != 0)
		rc = mbedtls_pk_parse_public_key(pk, pin, len);
	free(copy);
	if (rc != 0)
		return DC_E_DCCLIST_KEY;
	if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA) && !mbedtls_pk_can_do(pk, MBEDTLS_PK_RSA))
		return DC_E_DCCLIST_KEY;
	return DC_OK;
}

static bool b64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *ol)
{
	return n > 0 && mbedtls_base64_decode(out, cap, ol, (const unsigned char *)in, n) == 0 &&
	       *ol > 0;
}

/* Standard base64 (RFC 4648 section 4, '=' padding, no line breaks) for the
 * certificates of a list: public data, so a table lookup is fine where
 * mbedTLS's constant-time decoder would spend most of an import of
 * thousands of entries. Anything else falls back to mbedTLS. */
static bool b64_decode_public(const char *in, size_t n, uint8_t *out, size_t cap, size_t *ol)
{
	static signed char val[256];
	static bool ready;
	if (!ready) {
		static const char a[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		memset(val, -1, sizeof val);
		for (int i = 0; i < 64; i++)
			val[(unsigned char)a[i]] = (signed char)i;
		ready = true;
	}
	if (n == 0 || n % 4)
		return b64_decode(in, n, out, cap, ol);
	size_t pad = in[n - 1] == '=' ? (in[n - 2] == '=' ? 2 : 1) : 0;
	size_t len = n / 4 * 3 - pad;
	if (len > cap || len == 0)
		return false;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int c[4];
		for (int k = 0; k < 4; k++) {
			unsigned char ch = (unsigned char)in[i + k];
			c[k] = ch == '=' && i + 4 == n && k >= 4 - (int)pad ? 0 : val[ch];
			if (c[k] < 0)
				return b64_decode(in, n, out, cap, ol);
		}
		uint32_t v = (uint32_t)c[0] << 18 | (uint32_t)c[1] << 12 | (uint32_t)c[2] << 6 |
			     (uint32_t)c[3];
		uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
		for (int k = 0; k < 3 && o < len; k++)
			out[o++] = b[k];
	}
	*ol = len;
	return true;
}

/* DE: "<base64 signature>\n<json>". Signature over the JSON bytes. */
static dc_err verify_de(mbedtls_pk_context *pk, const uint8_t *list, size_t len,
			const uint8_t **payload, size_t *plen)
{
	const uint8_t *nl = memchr(list, '\n', len);
	uint8_t sig[1024];
	size_t sl, line;
	if (!nl)
		return DC_E_DCCLIST_UNSIGNED;
	line = (size_t)(nl - list);
	if (line && list[line - 1] == '\r')
		line--;
	if (line == 0)
		return DC_E_DCCLIST_UNSIGNED;
	if (list[0] == '{' || list[0] == '[')
		return DC_E_DCCLIST_UNSIGNED; /* bare JSON: no signature line */
	if (line > MAX_SIG_LINE || !b64_decode((const char *)list, line, sig, sizeof sig, &sl))
		return DC_E_TRUST_SIGNATURE;
	*payload = nl + 1;
	*plen = len - (size_t)(nl + 1 - list);
	return verify_with(pk, MBEDTLS_MD_SHA256, *payload, *plen, sig, sl);
}

/* DSC_TL: JWS compact. *payload is malloc'd (the decoded payload). */
static dc_err verify_jws(mbedtls_pk_context *pk, const uint8_t *list, size_t len, double now,
			 uint8_t **payload, size_t *plen)
{
	dc_err e = DC_E_TRUST_FORMAT;
	const char *s = (const char *)list;
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	const char *d1 = memchr(s, '.', len);
	const char *d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - s)) : NULL;
	uint8_t *hdr = NULL, *sig = NULL;
	cJSON *h = NULL, *p = NULL;
	*payload = NULL;
	if (!d1 || !d2)
		return DC_E_TRUST_FORMAT;
	size_t hl_in = (size_t)(d1 - s), pl_in = (size_t)(d2 - d1 - 1);
	size_t sl_in = len - (size_t)(d2 + 1 - s);
	if (sl_in == 0)
		return DC_E_DCCLIST_UNSIGNED;
	size_t hl, sl;
	hdr = malloc(DC_B64URL_DECODED_MAX(hl_in) + 1);
	sig = malloc(DC_B64URL_DECODED_MAX(sl_in) + 1);
	if (!hdr || !sig) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (!dc_b64url_decode(s, hl_in, hdr, DC_B64URL_DECODED_MAX(hl_in), &hl) ||
	    !dc_b64url_decode(d2 + 1, sl_in, sig, DC_B64URL_DECODED_MAX(sl_in), &sl))
		goto out;
	h = cJSON_ParseWithLength((const char *)hdr, hl);
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(h, "alg");
	if (!cJSON_IsString(alg))
		goto out;
	mbedtls_md_type_t md;
	const char *a = alg->valuestring;
	if (strcmp(a, "ES256") == 0 || strcmp(a, "RS256") == 0 || strcmp(a, "PS256") == 0)
		md = MBEDTLS_MD_SHA256;
	else if (strcmp(a, "ES384") == 0 || strcmp(a, "RS384") == 0 || strcmp(a, "PS384") == 0)
		md = MBEDTLS_MD_SHA384;
	else if (strcmp(a, "ES512") == 0 || strcmp(a, "RS512") == 0 || strcmp(a, "PS512") == 0)
		md = MBEDTLS_MD_SHA512;
	else {
		e = strcmp(a, "none") == 0 ? DC_E_DCCLIST_UNSIGNED : DC_E_TRUST_SIGNATURE;
		goto out;
	}
	/* The JWS signing input is the ASCII "header.payload". */
	if ((e = verify_with(pk, md, list, (size_t)(d2 - s), sig, sl)) != DC_OK)
		goto out;
	e = DC_E_TRUST_FORMAT;
	*payload = malloc(DC_B64URL_DECODED_MAX(pl_in) + 1);
	if (!*payload) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (!dc_b64url_decode(d1 + 1, pl_in, *payload, DC_B64URL_DECODED_MAX(pl_in), plen))
		goto out;
	p = cJSON_ParseWithLength((const char *)*payload, *plen);
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(p, "exp");
	if (!cJSON_IsObject(p) || !cJSON_IsNumber(exp))
		goto out;
	e = now > exp->valuedouble ? DC_E_DCCLIST_EXPIRED : DC_OK;
out:
	cJSON_Delete(h);
	cJSON_Delete(p);
	free(hdr);
	free(sig);
	if (e != DC_OK) {
		free(*payload);
		*payload = NULL;
	}
	return e;
}

/* --- entries ------------------------------------------------------------- */

struct run {
	double now;
	dc_dcclist_sink sink;
	void *ctx;
	dc_dcclist_stats *st;
	char countries[DC_DCCLIST_MAX_COUNTRIES][3];
	uint8_t der[MAX_DER];
};

static void skip(struct run *r, dc_dsc_skip why)
{
	r->st->skipped[why]++;
}

static bool country_ok(const char *c)
{
	return c && strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

static bool hex_eq(const char *hex, const uint8_t h[32])
{
	static const char digits[] = "0123456789abcdef";
	if (strlen(hex) != 64)
		return false;
	for (int i = 0; i < 32; i++) {
		char a = hex[2 * i], b = hex[2 * i + 1];
		if (a >= 'A' && a <= 'F')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'F')
			b = (char)(b - 'A' + 'a');
		if (a != digits[h[i] >> 4] || b != digits[h[i] & 15])
			return false;
	}
	return true;
}

enum thumb { THUMB_HEX, THUMB_B64URL };

/* One list entry, whatever the format. type NULL: the format has none. */
static dc_err entry(struct run *r, const char *type, const char *country, const char *kid,
		    const char *raw, const char *thumb, enum thumb tk)
{
	uint8_t h[32], k[16];
	size_t dl = 0, kl = 0;
	r->st->entries++;
	if (type && strcmp(type, "DSC") != 0) {
		skip(r, DC_DSC_SKIP_TYPE);
		return DC_OK;
	}
	if (!country_ok(country) || !raw ||
	    !b64_decode_public(raw, strlen(raw), r->der, sizeof r->der, &dl)) {
		skip(r, DC_DSC_SKIP_MALFORMED);
		return DC_OK;
	}
	if (dc_sha256(r->der, dl, h) != 0)
		return DC_E_NOMEM;
	if (!kid || !b64_decode(kid, strlen(kid), k, sizeof k, &kl) || kl != DC_DSC_KID_LEN ||
	    memcmp(k, h, DC_DSC_KID_LEN) != 0) {
		skip(r, DC_DSC_SKIP_KID);
		return DC_OK;
	}
	if (thumb) {
		bool ok;
		if (tk == THUMB_HEX) {
			ok = hex_eq(thumb, h);
		} else {
			uint8_t t[40];
			size_t tl;
			ok = dc_b64url_decode(thumb, strlen(thumb), t, sizeof t, &tl) && tl == 32 &&
			     memcmp(t, h, 32) == 0;
		}
		if (!ok) {
			skip(r, DC_DSC_SKIP_THUMBPRINT);
			return DC_OK;
		}
	} else if (tk == THUMB_HEX) {
		/* DCCG and DE always carry one: a missing thumbprint is not
		 * a matching one. */
		skip(r, DC_DSC_SKIP_THUMBPRINT);
		return DC_OK;
	}
	int why = dc_dsc_check_der(r->der, dl, r->now, NULL);
	if (why == -2)
		return DC_E_NOMEM;
	if (why >= 0) {
		skip(r, (dc_dsc_skip)why);
		return DC_OK;
	}
	dc_err e = r->sink ? r->sink(r->ctx, country, r->der, dl) : DC_OK;
	if (e != DC_OK)
		return e;
	r->st->imported++;
	size_t i;
	for (i = 0; i < r->st->countries; i++)
		if (memcmp(r->countries[i], country, 3) == 0)
			break;
	if (i == r->st->countries && i < DC_DCCLIST_MAX_COUNTRIES) {
		memcpy(r->countries[i], country, 3);
		r->st->countries++;
	}
	return DC_OK;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static dc_err gateway_entries(struct run *r, const cJSON *arr)
{
	if (!cJSON_IsArray(arr))
		return DC_E_TRUST_FORMAT;
	if (cJSON_GetArraySize(arr) > DC_DCCLIST_MAX_ENTRIES)
		return DC_E_TRUST_FORMAT;
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it)) {
			r->st->entries++;
			skip(r, DC_DSC_SKIP_MALFORMED);
			continue;
		}
		const char *type = str_of(it, "certificateType");
		dc_err e = entry(r, type ? type : "", str_of(it, "country"), str_of(it, "kid"),
				 str_of(it, "rawData"), str_of(it, "thumbprint"), THUMB_HEX);
		if (e != DC_OK)
			return e;
	}
	return DC_OK;
}

static dc_err tl_entries(struct run *r, const cJSON *root)
{
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(root, "dsc_trust_list");
	if (!cJSON_IsObject(tl))
		return DC_E_TRUST_FORMAT;
	const cJSON *cc;
	size_t total = 0;
	cJSON_ArrayForEach(cc, tl) {
		const cJSON *keys = cJSON_GetObjectItemCaseSensitive(cc, "keys");
		if (!keys)
			continue; /* a country without DSCs */
		if (!cJSON_IsArray(keys))
			return DC_E_TRUST_FORMAT;
		total += (size_t)cJSON_GetArraySize(keys);
		if (total > DC_DCCLIST_MAX_ENTRIES)
			return DC_E_TRUST_FORMAT;
		const cJSON *k;
		cJSON_ArrayForEach(k, keys) {
			const cJSON *x5c = cJSON_GetObjectItemCaseSensitive(k, "x5c");
			const cJSON *first = cJSON_IsArray(x5c) ? cJSON_GetArrayItem(x5c, 0) : NULL;
			dc_err e = entry(r, NULL, cc->string, str_of(k, "kid"),
					 cJSON_IsString(first) ? first->valuestring : NULL,
					 str_of(k, "x5t#S256"), THUMB_B64URL);
			if (e != DC_OK)
				return e;
		}
	}
	return DC_OK;
}

dc_err dc_dcclist_parse_entries(dc_dcclist_format f, const uint8_t *payload, size_t len,
				double now, dc_dcclist_sink sink, void *ctx,
				dc_dcclist_stats *stats)
{
	if (!payload || !stats)
		return DC_E_ARG;
	memset(stats, 0, sizeof *stats);
	if (len > DC_DCCLIST_MAX_FILE)
		return DC_E_TRUST_FORMAT;
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return DC_E_NOMEM;
	r->now = now;
	r->sink = sink;
	r->ctx = ctx;
	r->st = stats;
	dc_err e = DC_E_TRUST_FORMAT;
	cJSON *root = cJSON_ParseWithLength((const char *)payload, len);
	if (!root)
		goto out;
	if (f == DC_DCCLIST_DCCG)
		e = gateway_entries(r, root);
	else if (f == DC_DCCLIST_DE)
		e = gateway_entries(r, cJSON_GetObjectItemCaseSensitive(root, "certificates"));
	else if (f == DC_DCCLIST_DSC_TL)
		e = tl_entries(r, root);
out:
	cJSON_Delete(root);
	free(r);
	return e;
}

dc_err dc_dcclist_import(dc_dcclist_format f, const uint8_t *list, size_t len,
			 const uint8_t *sig, size_t sig_len, const uint8_t *pin,
			 size_t pin_len, double now, dc_dcclist_sink sink, void *ctx,
			 dc_dcclist_stats *stats)
{
	mbedtls_pk_context pk;
	const uint8_t *payload = list;
	size_t plen = len;
	uint8_t *jws_payload = NULL;
	dc_err e;

	if (!list || !pin || !stats)
		return DC_E_ARG;
	memset(stats, 0, sizeof *stats);
	if (len == 0 || len > DC_DCCLIST_MAX_FILE)
		return DC_E_TRUST_FORMAT;
	mbedtls_pk_init(&pk);
	if ((e = load_pin(&pk, pin, pin_len)) != DC_OK)
		goto out;
	switch (f) {
	case DC_DCCLIST_DCCG:
		e = sig && sig_len ? verify_with(&pk, MBEDTLS_MD_SHA256, list, len, sig, sig_len)
				   : DC_E_DCCLIST_UNSIGNED;
		break;
	case DC_DCCLIST_DE:
		e = verify_de(&pk, list, len, &payload, &plen);
		break;
	case DC_DCCLIST_DSC_TL:
		e = verify_jws(&pk, list, len, now, &jws_payload, &plen);
		payload = jws_payload;
		break;
	default:
		e = DC_E_ARG;
	}
	if (e != DC_OK)
		goto out;
	e = dc_dcclist_parse_entries(f, payload, plen, now, sink, ctx, stats);
out:
	free(jws_payload);
	mbedtls_pk_free(&pk);
	return e;
}

void dc_dcclist_summary(const dc_dcclist_stats *s, char *out, size_t cap)
{
	size_t k = 0;
	for (int i = 0; i < DC_DSC_SKIP__COUNT; i++)
		k += s->skipped[i];
	int w = snprintf(out, cap, "%zu DSCs from %zu countries imported, %zu skipped", s->imported,
			 s->countries, k);
	if (w < 0 || (size_t)w >= cap || k == 0)
		return;
	size_t o = (size_t)w;
	const char *sep = " (";
	for (int i = 0; i < DC_DSC_SKIP__COUNT && o < cap; i++) {
		if (!s->skipped[i])
			continue;
		w = snprintf(out + o, cap - o, "%s%zu %s", sep, s->skipped[i],
			     dc_dsc_skip_name((dc_dsc_skip)i));
		if (w < 0 || (size_t)w >= cap - o)
			return;
		o += (size_t)w;
		sep = ", ";
	}
	if (o + 1 < cap) {
		out[o] = ')';
		out[o + 1] = 0;
	}
}
