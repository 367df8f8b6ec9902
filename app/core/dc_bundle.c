/*
 * Signed trust bundles: signature first, then a strict parse. Nothing in the
 * JSON is looked at until the operator's signature over its exact bytes has
 * verified, so the parser only ever sees attacker bytes in tests and fuzzing.
 */
#include "dc_bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <mbedtls/base64.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include "dc_hash.h"
#include "dc_mbedtls.h"
#include "dc_pem.h"

#include "dc_time.h"

/* Unknown members are allowed for later formats, but few: the duplicate
 * check is quadratic in the member count. */
#define MAX_MEMBERS 16

struct bfile {
	char name[DC_BUNDLE_MAX_NAME + 1];
	uint8_t *data;
	size_t len;
};

struct dc_bundle {
	int64_t version;
	int64_t created;
	size_t n;
	struct bfile files[DC_BUNDLE_MAX_FILES];
};

void dc_bundle_free(dc_bundle *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		if (b->files[i].data) {
			mbedtls_platform_zeroize(b->files[i].data, b->files[i].len);
			free(b->files[i].data);
		}
	}
	mbedtls_platform_zeroize(b, sizeof *b);
	free(b);
}

int64_t dc_bundle_version(const dc_bundle *b)
{
	return b ? b->version : 0;
}

int64_t dc_bundle_created(const dc_bundle *b)
{
	return b ? b->created : 0;
}

size_t dc_bundle_count(const dc_bundle *b)
{
	return b ? b->n : 0;
}

dc_err dc_bundle_file(const dc_bundle *b, size_t i, const char **name,
		      const uint8_t **data, size_t *len)
{
	if (!b || i >= b->n)
		return DC_E_ARG;
	if (name)
		*name = b->files[i].name;
	if (data)
		*data = b->files[i].data;
	if (len)
		*len = b->files[i].len;
	return DC_OK;
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

bool dc_bundle_name_ok(const char *name)
{
	size_t n = 0;
	if (!name || name[0] == '.' || name[0] == 0)
		return false;
	for (; name[n]; n++)
		if (n >= DC_BUNDLE_MAX_NAME || !name_char(name[n]))
			return false;
	return true;
}

/* Refuses objects with too many members or a member name given twice. */
static bool members_ok(const cJSON *obj)
{
	size_t n = 0;
	for (const cJSON *a = obj->child; a; a = a->next) {
		if (++n > MAX_MEMBERS || !a->string)
			return false;
		for (const cJSON *b = obj->child; b != a; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return false;
	}
	return true;
}

static const char *member_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly "YYYY-MM-DDThh:mm:ssZ": one spelling, UTC, no fractions. */
static bool parse_created(const char *s, int64_t *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	double t;
	if (strlen(s) != DC_BUNDLE_CREATED_LEN)
		return false;
	for (size_t i = 0; i < DC_BUNDLE_CREATED_LEN; i++)
		if (shape[i] == 'd' ? !digit(s[i]) : s[i] != shape[i])
			return false;
	if (!dc_time_parse(s, DC_BUNDLE_CREATED_LEN, &t) || t < 0)
		return false;
	*out = (int64_t)t;
	return true;
}

static bool parse_hex32(const char *s, uint8_t out[32])
{
	if (strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++) {
		char c = s[i];
		int v = digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
		if (v < 0)
			return false; /* lowercase only: one spelling per hash */
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	return true;
}

/* Standard alphabet, padded, no whitespace (mbedTLS would skip line
 * breaks; the format does not allow them). */
static bool b64_text_ok(const char *s, size_t n)
{
	if (n % 4 != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '=') {
			if (i < n - 2 || (i == n - 2 && s[n - 1] != '='))
				return false;
		} else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || digit(c) ||
			     c == '+' || c == '/')) {
			return false;
		}
	}
	return true;
}

static dc_err parse_file(const cJSON *entry, struct bfile *f)
{
	uint8_t want[32], got[32];
	if (!cJSON_IsObject(entry) || !members_ok(entry))
		return DC_E_BUNDLE_FORMAT;
	const char *name = member_str(entry, "name");
	const char *hex = member_str(entry, "sha256");
	const char *data = member_str(entry, "data");
	if (!name || !hex || !data)
		return DC_E_BUNDLE_FORMAT;
	if (!dc_bundle_name_ok(name))
		return DC_E_BUNDLE_FILE_NAME;
	if (!parse_hex32(hex, want))
		return DC_E_BUNDLE_FORMAT;
	size_t dlen = strlen(data);
	if (!b64_text_ok(data, dlen))
		return DC_E_BUNDLE_FORMAT;
	if (dlen / 4 * 3 > (size_t)DC_TRUST_MAX_FILE + 2)
		return DC_E_BUNDLE_TOO_LARGE;
	size_t cap = dlen / 4 * 3, olen = 0;
	f->data = malloc(cap ? cap : 1);
	if (!f->data)
		return DC_E_NOMEM;
	f->len = cap; /* so a failed decode is still wiped in full */
	if (mbedtls_base64_decode(f->data, cap, &olen, (const unsigned char *)data, dlen) != 0)
		return DC_E_BUNDLE_FORMAT;
	f->len = olen;
	if (olen > DC_TRUST_MAX_FILE)
		return DC_E_BUNDLE_TOO_LARGE;
	if (dc_sha256(f->data, olen, got) != 0)
		return DC_E_NOMEM;
	if (memcmp(want, got, 32) != 0)
		return DC_E_BUNDLE_FILE_HASH;
	memcpy(f->name, name, strlen(name) + 1);
	return DC_OK;
}

dc_err dc_bundle_parse_unsigned(const uint8_t *json, size_t len, dc_bundle **out)
{
	dc_err e = DC_E_BUNDLE_FORMAT;
	cJSON *root = NULL;
	dc_bundle *b = NULL;

	if (!out)
		return DC_E_ARG;
	*out = NULL;
	if (!json || len == 0)
		return DC_E_BUNDLE_FORMAT;
	if (len > DC_BUNDLE_MAX_JSON)
		return DC_E_BUNDLE_TOO_LARGE;
	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts((const char *)json, len, &end, 0);
	if (!root || !cJSON_IsObject(root) || !members_ok(root) || !end)
		goto out;
	/* cJSON stops after the object; only whitespace may follow it. */
	for (size_t i = (size_t)(end - (const char *)json); i < len; i++)
		if (json[i] != ' ' && json[i] != '\n' && json[i] != '\r' && json[i] != '\t')
			goto out;
	const char *format = member_str(root, "format");
	if (!format || strcmp(format, DC_BUNDLE_FORMAT) != 0)
		goto out;
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(ver))
		goto out;
	double v = ver->valuedouble;
	/* Range first: the cast below is only defined inside it. */
	if (!(v >= 1 && v <= (double)DC_BUNDLE_MAX_VERSION) || v != (double)(int64_t)v)
		goto out;
	const char *created = member_str(root, "created");
	int64_t ct;
	if (!created || !parse_created(created, &ct))
		goto out;
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
	if (!cJSON_IsArray(files))
		goto out;
	int nfiles = cJSON_GetArraySize(files);
	if (nfiles < 1 || nfiles > DC_BUNDLE_MAX_FILES)
		goto out;

	b = calloc(1, sizeof *b);
	if (!b) {
		e = DC_E_NOMEM;
		goto out;
	}
	b->version = (int64_t)v;
	b->created = ct;
	for (const cJSON *it = files->child; it; it = it->next) {
		struct bfile *f = &b->files[b->n++];
		e = parse_file(it, f);
		if (e != DC_OK)
			goto out;
		for (size_t j = 0; j + 1 < b->n; j++) {
			if (strcmp(b->files[j].name, f->name) == 0) {
				e = DC_E_BUNDLE_FILE_NAME;
				goto out;
			}
		}
	}
	*out = b;
	b = NULL;
	e = DC_OK;
out:
	cJSON_Delete(root);
	dc_bundle_free(b);
	return e;
}

/* Parses the pinned key; only an EC P-256 public key is an operator key. */
static dc_err load_pin(mbedtls_pk_context *pk, const uint8_t *pub, size_t pub_len)
{
	uint8_t *copy = NULL;
	int rc;
	if (!pub || pub_len == 0 || pub_len > DC_BUNDLE_MAX_KEY)
		return DC_E_BUNDLE_OPERATOR_KEY;
	if (dc_looks_pem(pub, pub_len)) {
		/* mbedTLS reads PEM only from a buffer whose last byte is NUL. */
		copy = malloc(pub_len + 1);
		if (!copy)
			return DC_E_NOMEM;
		memcpy(copy, pub, pub_len);
		copy[pub_len] = 0;
		rc = mbedtls_pk_parse_public_key(pk, copy, pub_len + 1);
		free(copy);
	} else {
		rc = mbedtls_pk_parse_public_key(pk, pub, pub_len);
	}
	if (rc != 0 || !mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA) ||
	    dc_pk_ec_group(pk) != MBEDTLS_ECP_DP_SECP256R1)
		return DC_E_BUNDLE_OPERATOR_KEY;
	return DC_OK;
}

dc_err dc_bundle_open(const uint8_t *json, size_t len, const uint8_t *sig, size_t sig_len,
		      const uint8_t *pub_pem_or_der, size_t pub_len, dc_bundle **out)
{
	mbedtls_pk_context pk;
	uint8_t hash[32];
	dc_err e;

	if (!out)
		return DC_E_ARG;
	*out = NULL;
	mbedtls_pk_init(&pk);
	e = load_pin(&pk, pub_pem_or_der, pub_len);
	if (e != DC_OK)
		goto out;
	if (len > DC_BUNDLE_MAX_JSON) {
		e = DC_E_BUNDLE_TOO_LARGE;
		goto out;
	}
	e = DC_E_BUNDLE_SIGNATURE;
	if (!json || len == 0 || !sig || sig_len == 0 || sig_len > DC_BUNDLE_MAX_SIG)
		goto out;
	if (dc_sha256(json, len, hash) != 0)
		goto out;
	/* mbedTLS also refuses trailing bytes after the DER signature. */
	if (mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash, sizeof hash, sig, sig_len) != 0)
		goto out;
	e = dc_bundle_parse_unsigned(json, len, out);
out:
	mbedtls_pk_free(&pk);
	return e;
}

/* Growing output buffer for dc_bundle_build. */
struct outbuf {
	char *p;
	size_t n, cap;
	bool failed;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->cap - o->n <= n) {
		size_t ncap = o->cap ? o->cap : 1024;
		while (ncap - o->n <= n)
			ncap *= 2;
		char *q = realloc(o->p, ncap);
		if (!q) {
			o->failed = true;
			return;
		}
		o->p = q;
		o->cap = ncap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = 0;
}

static void puts_(struct outbuf *o, const char *s)
{
	put(o, s, strlen(s));
}

dc_err dc_bundle_build(int64_t version, int64_t created, size_t n,
		       const char *const names[], const uint8_t *const data[],
		       const size_t lens[], char **json, size_t *json_len)
{
	struct outbuf o = { 0 };
	char num[64], when[32];
	char *b64 = NULL;
	dc_err e = DC_E_ARG;

	if (!json || !json_len)
		return DC_E_ARG;
	*json = NULL;
	*json_len = 0;
	if (version < 1 || version > DC_BUNDLE_MAX_VERSION || created < 0 ||
	    n < 1 || n > DC_BUNDLE_MAX_FILES || !names || !data || !lens)
		return DC_E_ARG;
	for (size_t i = 0; i < n; i++) {
		if (!dc_bundle_name_ok(names[i]))
			return DC_E_BUNDLE_FILE_NAME;
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				return DC_E_BUNDLE_FILE_NAME;
		if (lens[i] > DC_TRUST_MAX_FILE)
			return DC_E_BUNDLE_TOO_LARGE;
		if (lens[i] && !data[i])
			return DC_E_ARG;
	}
	dc_time_format((double)created, when, sizeof when);
	snprintf(num, sizeof num, "%lld", (long long)version);
	puts_(&o, "{\"format\":\"" DC_BUNDLE_FORMAT "\",\"version\":");
	puts_(&o, num);
	puts_(&o, ",\"created\":\"");
	puts_(&o, when);
	puts_(&o, "\",\"files\":[\n");
	for (size_t i = 0; i < n; i++) {
		uint8_t h[32];
		char hex[65];
		size_t cap = (lens[i] + 2) / 3 * 4 + 1, w = 0;
		static const uint8_t empty[1];
		const uint8_t *d = lens[i] ? data[i] : empty;
		if (dc_sha256(d, lens[i], h) != 0) {
			e = DC_E_NOMEM;
			goto out;
		}
		for (size_t k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", h[k]);
		free(b64);
		b64 = malloc(cap);
		if (!b64 || mbedtls_base64_encode((unsigned char *)b64, cap, &w, d, lens[i]) != 0) {
			e = DC_E_NOMEM;
			goto out;
		}
		puts_(&o, "{\"name\":\"");
		puts_(&o, names[i]);
		puts_(&o, "\",\"sha256\":\"");
		puts_(&o, hex);
		puts_(&o, "\",\"data\":\"");
		put(&o, b64, w);
		puts_(&o, i + 1 < n ? "\"},\n" : "\"}\n");
	}
	puts_(&o, "]}\n");
	if (o.failed) {
		e = DC_E_NOMEM;
		goto out;
	}
	if (o.n > DC_BUNDLE_MAX_JSON) {
		e = DC_E_BUNDLE_TOO_LARGE;
		goto out;
	}
	*json = o.p;
	*json_len = o.n;
	o.p = NULL;
	e = DC_OK;
out:
	free(b64);
	free(o.p);
	return e;
}
