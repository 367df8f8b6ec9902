/*
 * shc:/ numeric QR text -> JWS. Part of dc_shc (see dc_shc.h).
 *
 * Each JWS character c is written as two digits (c - 45), so valid pairs
 * are 00..77 ('-' .. 'z'). Legacy multi-chunk cards use shc:/C/N/digits;
 * shc:/1/1/digits is read as the single card it is.
 */
#include <string.h>

#include "dc_shc.h"
#include "dc_verify.h"

#define PREFIX "shc:/"
#define PREFIX_LEN 5

/* URI schemes are case-insensitive (RFC 3986 3.1), and some QR encoders
 * upper-case the prefix to use alphanumeric mode; accept either case. */
static bool has_prefix(const char *t, size_t len)
{
	if (len < PREFIX_LEN)
		return false;
	for (size_t i = 0; i < 3; i++) {
		char c = t[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != PREFIX[i])
			return false;
	}
	return t[3] == ':' && t[4] == '/';
}

/* Reads a decimal 1..999 without leading zeros, followed by '/'. */
static bool read_num(const char *t, size_t len, size_t *pos, int *out)
{
	size_t p = *pos;
	int v = 0, digits = 0;
	while (p < len && t[p] >= '0' && t[p] <= '9') {
		if (digits == 0 && t[p] == '0')
			return false;
		if (++digits > 3)
			return false;
		v = v * 10 + (t[p] - '0');
		p++;
	}
	if (!digits || p >= len || t[p] != '/')
		return false;
	*pos = p + 1;
	*out = v;
	return true;
}

/* Parses prefix and optional chunk header; *data is where digits start. */
static dc_err parse_header(const char *text, size_t len, int *index, int *total,
			   size_t *data)
{
	if (!text || !len)
		return DC_E_EMPTY;
	if (len > DC_MAX_QR_TEXT)
		return DC_E_TOO_LONG;
	if (!has_prefix(text, len))
		return DC_E_SHC_PREFIX;
	size_t p = PREFIX_LEN;
	if (memchr(text + p, '/', len - p) == NULL) {
		*index = *total = 1;
		*data = p;
		return DC_OK;
	}
	int c, n;
	if (!read_num(text, len, &p, &c) || !read_num(text, len, &p, &n))
		return DC_E_SHC_CHUNK_HEADER;
	if (n > DC_SHC_MAX_CHUNKS)
		return DC_E_SHC_TOO_MANY_CHUNKS;
	/* "1/1" is pointless but not forbidden (SHC 1.4 only says a card
	 * that fits one QR is not chunked): it is the single card it says. */
	if (c < 1 || c > n)
		return DC_E_SHC_CHUNK_RANGE;
	*index = c;
	*total = n;
	*data = p;
	return DC_OK;
}

dc_err dc_shc_chunk_info(const char *text, size_t len, int *index, int *total)
{
	size_t data;
	int c = 0, n = 0;
	dc_err e = parse_header(text, len, &c, &n, &data);
	if (e == DC_OK) {
		*index = c;
		*total = n;
	}
	return e;
}

/* Appends the decoded digits of one text to out. */
static dc_err decode_digits(const char *d, size_t len, char *out, size_t cap,
			    size_t *pos)
{
	if (len == 0)
		return DC_E_SHC_NO_DIGITS;
	for (size_t i = 0; i < len; i++)
		if (d[i] < '0' || d[i] > '9')
			return DC_E_SHC_NON_DIGIT;
	if (len % 2)
		return DC_E_SHC_ODD_DIGITS;
	if (*pos + len / 2 + 1 > cap)
		return DC_E_TOO_LONG;
	for (size_t i = 0; i < len; i += 2) {
		int v = (d[i] - '0') * 10 + (d[i + 1] - '0');
		if (v > 77)
			return DC_E_SHC_DIGIT_RANGE;
		out[(*pos)++] = (char)(v + 45);
	}
	return DC_OK;
}

dc_err dc_shc_decode(const char *const *texts, const size_t *lens, size_t n,
		     char *out, size_t cap, size_t *out_len)
{
	int idx[DC_SHC_MAX_CHUNKS + 1];
	size_t start[DC_SHC_MAX_CHUNKS + 1];
	size_t order[DC_SHC_MAX_CHUNKS + 1];
	int total = 0;
	size_t pos = 0;
	dc_err e;

	*out_len = 0;
	if (cap)
		out[0] = 0;
	if (n == 0 || !texts || !lens)
		return DC_E_EMPTY;
	if (n > DC_SHC_MAX_CHUNKS)
		return DC_E_SHC_TOO_MANY_CHUNKS;

	for (size_t i = 0; i < n; i++) {
		int c, t;
		e = parse_header(texts[i], lens[i], &c, &t, &start[i]);
		if (e)
			return e;
		bool single = t == 1;
		if (single && n > 1)
			return DC_E_SHC_CHUNK_MIXED;
		if (i > 0 && t != total)
			return (total == 1 || t == 1) ? DC_E_SHC_CHUNK_MIXED
						      : DC_E_SHC_CHUNK_COUNT;
		total = t;
		idx[i] = c;
	}
	/* Put chunks in index order; each index exactly once. */
	for (int c = 1; c <= total; c++) {
		size_t found = n;
		for (size_t i = 0; i < n; i++) {
			if (idx[i] != c)
				continue;
			if (found != n)
				return DC_E_SHC_CHUNK_DUPLICATE;
			found = i;
		}
		if (found == n) {
			/* A missing index with extra texts means a repeat. */
			return (int)n >= total ? DC_E_SHC_CHUNK_DUPLICATE
					       : DC_E_SHC_CHUNK_MISSING;
		}
		order[c - 1] = found;
	}
	for (int c = 0; c < total; c++) {
		size_t i = order[c];
		e = decode_digits(texts[i] + start[i], lens[i] - start[i], out, cap, &pos);
		if (e) {
			memset(out, 0, pos);
			return e;
		}
	}
	out[pos] = 0;
	*out_len = pos;
	return DC_OK;
}
