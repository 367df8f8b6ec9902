/* dc_kv: strict `key = value` reader. Grammar and contract in dc_kv.h. */
#include "dc_kv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Largest max_line a format may ask for: the line is copied to the stack so
 * the handler gets a NUL-terminated value without an allocation. */
#define KV_LINE_CAP 4096

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void dc_kv_quote(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	const size_t max_shown = 40;
	if (cap == 0)
		return;
	for (size_t i = 0; i < n && o + 4 < cap; i++) {
		if (i == max_shown) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		unsigned char c = (unsigned char)s[i];
		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[o] = 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims blanks at both ends of s[0..*n). */
static char *trim(char *s, size_t *n)
{
	while (*n && is_blank(*s)) {
		s++;
		(*n)--;
	}
	while (*n && is_blank(s[*n - 1]))
		(*n)--;
	return s;
}

/* The part of s[0..n) before an unquoted '#'. */
static size_t before_comment(const char *s, size_t n)
{
	const char *hash = memchr(s, '#', n);
	return hash ? (size_t)(hash - s) : n;
}

int dc_kv_parse(const dc_kv_format *f, const uint8_t *buf, size_t len,
		dc_kv_handler handler, void *ctx, char *err, size_t errlen)
{
	char line[KV_LINE_CAP + 1], why[192], q[64];
	unsigned first_line[DC_KV_MAX_KEYS] = {0};
	unsigned lineno = 0;
	size_t pos = 0;

	if (!f || !handler || f->n_keys > DC_KV_MAX_KEYS || f->max_line > KV_LINE_CAP) {
		seterr(err, errlen, "internal error: bad key=value format");
		return -1;
	}
	if (!buf && len) {
		seterr(err, errlen, "no data");
		return -1;
	}
	/* Editors on some systems start UTF-8 files with a byte order mark. */
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		pos = 3;

	while (pos < len) {
		const uint8_t *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const uint8_t *raw = buf + pos;
		pos += n + 1;
		lineno++;

		if (n > f->max_line) {
			seterr(err, errlen, "line %u: longer than %zu characters", lineno, f->max_line);
			return -1;
		}
		if (memchr(raw, 0, n)) {
			seterr(err, errlen, "line %u: contains a NUL byte", lineno);
			return -1;
		}
		memcpy(line, raw, n);
		line[n] = 0;

		char *s = trim(line, &n);
		if (n == 0 || s[0] == '#')
			continue;
		char *eq = memchr(s, '=', n);
		size_t head = before_comment(s, eq ? (size_t)(eq - s) : n);
		if (!eq || head < (size_t)(eq - s)) {
			size_t shown = head;
			trim(s, &shown);
			dc_kv_quote(q, sizeof q, s, shown);
			seterr(err, errlen, "line %u: expected 'key = value', got '%s'", lineno, q);
			return -1;
		}

		size_t klen = (size_t)(eq - s);
		char *key = trim(s, &klen);
		if (klen == 0) {
			dc_kv_quote(q, sizeof q, s, n);
			seterr(err, errlen, "line %u: expected 'key = value', got '%s'", lineno, q);
			return -1;
		}
		size_t vlen = n - (size_t)(eq + 1 - s);
		char *val = eq + 1;
		while (vlen && is_blank(*val)) {
			val++;
			vlen--;
		}
		if (vlen && val[0] == '"') {
			char *close = memchr(val + 1, '"', vlen - 1);
			if (!close) {
				seterr(err, errlen, "line %u: unterminated quote", lineno);
				return -1;
			}
			size_t rest = vlen - (size_t)(close + 1 - val);
			char *after = trim(close + 1, &rest);
			if (rest && after[0] != '#') {
				seterr(err, errlen, "line %u: text after the closing quote", lineno);
				return -1;
			}
			val++;
			vlen = (size_t)(close - val);
		} else {
			vlen = before_comment(val, vlen);
			val = trim(val, &vlen);
		}
		val[vlen] = 0;

		size_t k = f->n_keys;
		for (size_t i = 0; i < f->n_keys; i++) {
			if (strlen(f->keys[i]) == klen && memcmp(f->keys[i], key, klen) == 0) {
				k = i;
				break;
			}
		}
		if (k == f->n_keys) {
			dc_kv_quote(q, sizeof q, key, klen);
			seterr(err, errlen, "line %u: unknown key '%s'", lineno, q);
			return -1;
		}
		if (first_line[k]) {
			seterr(err, errlen, "line %u: duplicate key '%s' (first set on line %u)",
			       lineno, f->keys[k], first_line[k]);
			return -1;
		}
		first_line[k] = lineno;
		why[0] = 0;
		if (!handler(ctx, k, val, vlen, lineno, why, sizeof why)) {
			seterr(err, errlen, "line %u: %s", lineno, why[0] ? why : "bad value");
			return -1;
		}
	}
	return 0;
}
