#include "dc_cose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

/* --- bounds-checking walker ---------------------------------------------- */

struct rd {
	const uint8_t *p;
	size_t len, pos;
	uint8_t *out; /* optional normalised copy (see dc_cbor_load) */
	size_t opos;
};

static void rd_copy(struct rd *r, size_t from, size_t n)
{
	if (r->out) {
		memcpy(r->out + r->opos, r->p + from, n);
		r->opos += n;
	}
}

static bool rd_head(struct rd *r, unsigned *major, unsigned *ai, uint64_t *val)
{
	if (r->pos >= r->len)
		return false;
	size_t start = r->pos;
	uint8_t b = r->p[r->pos++];
	*major = b >> 5;
	*ai = b & 31;
	if (*ai < 24 || *ai == 31) {
		*val = *ai == 31 ? 0 : *ai;
		/* libcbor 0.8 refuses the one-byte heads of tags 6..20 (0xc6 to
		 * 0xd4) as "unassigned", although COSE_Sign1 is tag 18 (0xd2):
		 * the copy spells them with a one-byte argument (0xd8 NN), which
		 * means the same tag. */
		if (r->out && *major == 6 && *ai >= 6 && *ai <= 20) {
			r->out[r->opos++] = 0xd8;
			r->out[r->opos++] = (uint8_t)*ai;
		} else {
			rd_copy(r, start, 1);
		}
		return true;
	}
	if (*ai > 27)
		return false;
	size_t n = (size_t)1 << (*ai - 24);
	if (r->len - r->pos < n)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | r->p[r->pos++];
	*val = v;
	rd_copy(r, start, 1 + n);
	return true;
}

static size_t rd_left(const struct rd *r)
{
	return r->len - r->pos;
}

static void rd_skip(struct rd *r, size_t n)
{
	rd_copy(r, r->pos, n);
	r->pos += n;
}

static bool walk(struct rd *r, int depth);

static bool walk_string(struct rd *r, unsigned major, unsigned ai, uint64_t val)
{
	if (ai != 31) {
		if (val > rd_left(r))
			return false;
		rd_skip(r, (size_t)val);
		return true;
	}
	for (;;) {
		if (r->pos >= r->len)
			return false;
		if (r->p[r->pos] == 0xff) {
			rd_skip(r, 1);
			return true;
		}
		unsigned m, a;
		uint64_t v;
		if (!rd_head(r, &m, &a, &v) || m != major || a == 31 || v > rd_left(r))
			return false;
		rd_skip(r, (size_t)v);
	}
}

static bool walk_items(struct rd *r, unsigned ai, uint64_t count, int per, int depth)
{
	if (ai != 31) {
		/* Every item takes at least one byte: a count beyond what is left
		 * is a lie, refused before anything is allocated for it. */
		if (count > rd_left(r) / (unsigned)per)
			return false;
		for (uint64_t i = 0; i < count * (unsigned)per; i++)
			if (!walk(r, depth + 1))
				return false;
		return true;
	}
	for (size_t i = 0;; i++) {
		if (r->pos >= r->len)
			return false;
		if (r->p[r->pos] == 0xff) {
			rd_skip(r, 1);
			return i % (unsigned)per == 0;
		}
		if (!walk(r, depth + 1))
			return false;
	}
}

static bool walk(struct rd *r, int depth)
{
	unsigned major, ai;
	uint64_t val;
	if (depth > DC_CBOR_MAX_DEPTH || !rd_head(r, &major, &ai, &val))
		return false;
	switch (major) {
	case 0:
	case 1:
		return ai != 31;
	case 2:
	case 3:
		return walk_string(r, major, ai, val);
	case 4:
		return walk_items(r, ai, val, 1, depth);
	case 5:
		return walk_items(r, ai, val, 2, depth);
	case 6:
		return ai != 31 && walk(r, depth + 1);
	default:
		return ai != 31; /* a break outside an indefinite item */
	}
}

dc_err dc_cbor_check(const uint8_t *buf, size_t len)
{
	struct rd r = {buf, len, 0, NULL, 0};
	if (!buf || len == 0)
		return DC_E_CBOR;
	if (!walk(&r, 0) || r.pos != len)
		return DC_E_CBOR;
	return DC_OK;
}

cbor_item_t *dc_cbor_load(const uint8_t *buf, size_t len, dc_err *e)
{
	struct cbor_load_result res;
	cbor_item_t *item = NULL;
	struct rd r = {buf, len, 0, NULL, 0};

	*e = DC_E_CBOR;
	if (!buf || len == 0 || len > SIZE_MAX / 2)
		return NULL;
	/* Each head grows by at most one byte. */
	r.out = malloc(2 * len);
	if (!r.out) {
		*e = DC_E_NOMEM;
		return NULL;
	}
	if (!walk(&r, 0) || r.pos != len)
		goto out;
	item = cbor_load(r.out, r.opos, &res);
	if (!item || res.error.code != CBOR_ERR_NONE || res.read != r.opos) {
		*e = res.error.code == CBOR_ERR_MEMERROR ? DC_E_NOMEM : DC_E_CBOR;
		if (item)
			dc_cbor_free(&item);
		goto out;
	}
	*e = DC_OK;
out:
	mbedtls_platform_zeroize(r.out, 2 * len);
	free(r.out);
	return item;
}

static void wipe(cbor_item_t *it)
{
	switch (cbor_typeof(it)) {
	case CBOR_TYPE_BYTESTRING:
		if (cbor_bytestring_is_definite(it)) {
			if (cbor_bytestring_handle(it))
				mbedtls_platform_zeroize(cbor_bytestring_handle(it),
							 cbor_bytestring_length(it));
		} else {
			for (size_t i = 0; i < cbor_bytestring_chunk_count(it); i++)
				wipe(cbor_bytestring_chunks_handle(it)[i]);
		}
		break;
	case CBOR_TYPE_STRING:
		if (cbor_string_is_definite(it)) {
			if (cbor_string_handle(it))
				mbedtls_platform_zeroize(cbor_string_handle(it),
							 cbor_string_length(it));
		} else {
			for (size_t i = 0; i < cbor_string_chunk_count(it); i++)
				wipe(cbor_string_chunks_handle(it)[i]);
		}
		break;
	case CBOR_TYPE_ARRAY:
		for (size_t i = 0; i < cbor_array_size(it); i++)
			wipe(cbor_array_handle(it)[i]);
		break;
	case CBOR_TYPE_MAP:
		for (size_t i = 0; i < cbor_map_size(it); i++) {
			wipe(cbor_map_handle(it)[i].key);
			wipe(cbor_map_handle(it)[i].value);
		}
		break;
	case CBOR_TYPE_TAG: {
		cbor_item_t *inner = cbor_tag_item(it);
		if (inner) {
			wipe(inner);
			cbor_decref(&inner);
		}
		break;
	}
	default:
		break;
	}
}

void dc_cbor_free(cbor_item_t **item)
{
	if (!item || !*item)
		return;
	wipe(*item);
	cbor_decref(item);
	*item = NULL;
}

bool dc_cbor_int(const cbor_item_t *item, int64_t *out)
{
	if (!item)
		return false;
	if (cbor_isa_uint(item)) {
		uint64_t v = cbor_get_int(item);
		if (v > INT64_MAX)
			return false;
		*out = (int64_t)v;
		return true;
	}
	if (cbor_isa_negint(item)) {
		uint64_t v = cbor_get_int(item);
		if (v > INT64_MAX)
			return false;
		*out = -1 - (int64_t)v;
		return true;
	}
	return false;
}

bool dc_cbor_numeric_date(const cbor_item_t *item, int64_t *out)
{
	if (dc_cbor_int(item, out))
		return true;
	if (item && cbor_isa_float_ctrl(item) && !cbor_float_ctrl_is_ctrl(item)) {
		double d = cbor_float_get_float(item);
		/* Year 1 .. 9999 covers every date a certificate can carry. */
		if (!isfinite(d) || d < -62135596800.0 || d > 253402300799.0)
			return false;
		*out = (int64_t)floor(d);
		return true;
	}
	return false;
}

cbor_item_t *dc_cbor_map_int(const cbor_item_t *map, int64_t key)
{
	if (!map || !cbor_isa_map(map))
		return NULL;
	struct cbor_pair *p = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		int64_t k;
		if (dc_cbor_int(p[i].key, &k) && k == key)
			return p[i].value;
	}
	return NULL;
}

cbor_item_t *dc_cbor_map_str(const cbor_item_t *map, const char *key)
{
	if (!map || !cbor_isa_map(map))
		return NULL;
	size_t kl = strlen(key);
	struct cbor_pair *p = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		const cbor_item_t *k = p[i].key;
		if (cbor_isa_string(k) && cbor_string_is_definite(k) &&
		    cbor_string_length(k) == kl &&
		    (kl == 0 || memcmp(cbor_string_handle(k), key, kl) == 0))
			return p[i].value;
	}
	return NULL;
}

static bool same_key(const cbor_item_t *a, const cbor_item_t *b)
{
	int64_t x, y;
	if (dc_cbor_int(a, &x) && dc_cbor_int(b, &y))
		return x == y;
	if (cbor_isa_string(a) && cbor_isa_string(b) && cbor_string_is_definite(a) &&
	    cbor_string_is_definite(b) && cbor_string_length(a) == cbor_string_length(b))
		return cbor_string_length(a) == 0 ||
		       memcmp(cbor_string_handle(a), cbor_string_handle(b), cbor_string_length(a)) == 0;
	return false;
}

bool dc_cbor_map_unique(const cbor_item_t *map)
{
	if (!map || !cbor_isa_map(map))
		return false;
	struct cbor_pair *p = cbor_map_handle(map);
	size_t n = cbor_map_size(map);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (same_key(p[i].key, p[j].key))
				return false;
	return true;
}

bool dc_cbor_bytes(const cbor_item_t *item, const uint8_t **p, size_t *n)
{
	if (!item || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item))
		return false;
	*n = cbor_bytestring_length(item);
	*p = cbor_bytestring_handle(item);
	if (!*p) {
		static const uint8_t empty[1];
		*p = empty;
	}
	return true;
}

static bool append_text(const cbor_item_t *s, char *out, size_t cap, size_t *o)
{
	size_t n = cbor_string_length(s);
	const uint8_t *h = cbor_string_handle(s);
	if (n >= cap - *o)
		return false;
	if (n) {
		if (!h || memchr(h, 0, n))
			return false;
		memcpy(out + *o, h, n);
	}
	*o += n;
	return true;
}

bool dc_cbor_text(const cbor_item_t *item, char *out, size_t cap)
{
	size_t o = 0;
	cbor_item_t *inner = NULL;
	/* Tag 0 (RFC 3339 date-time) and 1004 (RFC 8943 full-date) mark what
	 * is still a date string; some issuers tag their DCC dates. */
	if (item && cbor_isa_tag(item) &&
	    (cbor_tag_value(item) == 0 || cbor_tag_value(item) == 1004)) {
		inner = cbor_tag_item(item);
		item = inner;
		cbor_decref(&inner); /* the tag still holds it */
	}
	if (!item || !cbor_isa_string(item) || cap == 0)
		return false;
	out[0] = 0;
	if (cbor_string_is_definite(item)) {
		if (!append_text(item, out, cap, &o))
			goto fail;
	} else {
		for (size_t i = 0; i < cbor_string_chunk_count(item); i++)
			if (!append_text(cbor_string_chunks_handle(item)[i], out, cap, &o))
				goto fail;
	}
	out[o] = 0;
	return true;
fail:
	mbedtls_platform_zeroize(out, cap);
	return false;
}

/* --- COSE_Sign1 ---------------------------------------------------------- */

static dc_err read_header(const cbor_item_t *map, dc_cose_sign1 *out, bool prot)
{
	int64_t alg;
	const cbor_item_t *a = dc_cbor_map_int(map, 1);
	const cbor_item_t *k = dc_cbor_map_int(map, 4);
	if (a && !out->alg) {
		if (!dc_cbor_int(a, &alg) || alg < -65536 || alg > 65536)
			return DC_E_COSE_ALG;
		out->alg = (int)alg;
	}
	if (k && !out->kid_len) {
		const uint8_t *p;
		size_t n;
		if (!dc_cbor_bytes(k, &p, &n) || n > DC_COSE_KID_MAX)
			return DC_E_COSE;
		memcpy(out->kid, p, n);
		out->kid_len = n;
		out->kid_protected = prot && n > 0;
	}
	return DC_OK;
}

bool dc_cose_alg_known(int alg)
{
	return alg == DC_COSE_ALG_ES256 || alg == DC_COSE_ALG_ES384 || alg == DC_COSE_ALG_ES512 ||
	       alg == DC_COSE_ALG_PS256 || alg == DC_COSE_ALG_PS384 || alg == DC_COSE_ALG_PS512;
}

dc_err dc_cose_parse(const uint8_t *buf, size_t len, dc_cose_sign1 *out)
{
	dc_err e;
	cbor_item_t *hdr = NULL;
	bool seen_cwt = false, seen_sign1 = false;

	memset(out, 0, sizeof *out);
	out->root_ = dc_cbor_load(buf, len, &e);
	if (!out->root_)
		return e;
	e = DC_E_COSE;
	const cbor_item_t *it = out->root_;
	while (cbor_isa_tag(it)) {
		uint64_t tag = cbor_tag_value(it);
		if (tag == DC_COSE_TAG_CWT && !seen_cwt && !seen_sign1)
			seen_cwt = true;
		else if (tag == DC_COSE_TAG_SIGN1 && !seen_sign1)
			seen_sign1 = true;
		else
			goto out;
		/* cbor_tag_item adds a reference; the tag keeps its own. */
		cbor_item_t *inner = cbor_tag_item(it);
		if (!inner)
			goto out;
		it = inner;
		cbor_decref(&inner);
	}
	if (!cbor_isa_array(it) || cbor_array_size(it) != 4)
		goto out;
	cbor_item_t **a = cbor_array_handle(it);
	if (cbor_isa_map(a[1]) && !dc_cbor_map_unique(a[1]))
		goto out;
	if (!dc_cbor_bytes(a[0], &out->protected_hdr, &out->protected_len) ||
	    !cbor_isa_map(a[1]) ||
	    !dc_cbor_bytes(a[2], &out->payload, &out->payload_len) ||
	    !dc_cbor_bytes(a[3], &out->signature, &out->signature_len))
		goto out;
	if (out->protected_len) {
		hdr = dc_cbor_load(out->protected_hdr, out->protected_len, &e);
		if (!hdr || !cbor_isa_map(hdr) || !dc_cbor_map_unique(hdr)) {
			e = DC_E_COSE;
			goto out;
		}
		if ((e = read_header(hdr, out, true)) != DC_OK)
			goto out;
	}
	/* Unprotected values only fill what the protected header left out. */
	if ((e = read_header(a[1], out, false)) != DC_OK)
		goto out;
	if (!dc_cose_alg_known(out->alg)) {
		e = DC_E_COSE_ALG;
		goto out;
	}
	e = DC_OK;
out:
	dc_cbor_free(&hdr);
	if (e != DC_OK)
		dc_cose_free(out);
	return e;
}

void dc_cose_free(dc_cose_sign1 *s)
{
	if (!s)
		return;
	dc_cbor_free(&s->root_);
	mbedtls_platform_zeroize(s, sizeof *s);
}

/* The Sig_structure is written with libcbor's streaming encoder: it emits
 * the shortest head for every length (RFC 8949 preferred serialisation,
 * which COSE requires), and the byte strings are copied behind their heads
 * without building a tree (the payload holds personal data). */
static const char sig1[] = "Signature1";

static size_t head_size(size_t n)
{
	unsigned char h[9];
	return cbor_encode_bytestring_start(n, h, sizeof h);
}

size_t dc_cose_sig_structure_len(const dc_cose_sign1 *s)
{
	return 1 + 1 + (sizeof sig1 - 1) + head_size(s->protected_len) + s->protected_len + 1 +
	       head_size(s->payload_len) + s->payload_len;
}

dc_err dc_cose_sig_structure(const dc_cose_sign1 *s, uint8_t *out, size_t cap,
			     size_t *out_len)
{
	size_t o = 0, w;
	if (cap < dc_cose_sig_structure_len(s))
		return DC_E_ARG;
#define PUT(expr) do { if ((w = (expr)) == 0) return DC_E_ARG; o += w; } while (0)
	PUT(cbor_encode_array_start(4, out + o, cap - o));
	PUT(cbor_encode_string_start(sizeof sig1 - 1, out + o, cap - o));
	memcpy(out + o, sig1, sizeof sig1 - 1);
	o += sizeof sig1 - 1;
	PUT(cbor_encode_bytestring_start(s->protected_len, out + o, cap - o));
	if (s->protected_len)
		memcpy(out + o, s->protected_hdr, s->protected_len);
	o += s->protected_len;
	PUT(cbor_encode_bytestring_start(0, out + o, cap - o)); /* external_aad */
	PUT(cbor_encode_bytestring_start(s->payload_len, out + o, cap - o));
	if (s->payload_len)
		memcpy(out + o, s->payload, s->payload_len);
	o += s->payload_len;
#undef PUT
	*out_len = o;
	return DC_OK;
}
