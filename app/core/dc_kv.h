/*
 * dc_kv: the one reader for doorcheck's `key = value` files (the kiosk
 * configuration, app/kiosk/dc_config.c, and the venue policy,
 * app/core/dc_policy.c). Pure: the caller reads the file and owns buf.
 *
 * Grammar (one line at a time, lines end at '\n'):
 *  - a UTF-8 byte order mark at the very start is skipped;
 *  - spaces, tabs and a '\r' at either end of a line, key or value are
 *    ignored; blank lines are ignored;
 *  - '#' starts a comment that runs to the end of the line, except inside a
 *    double-quoted value;
 *  - every other line is `key = value`; the key is one of the caller's keys,
 *    spelled exactly (case matters); each key appears at most once;
 *  - a value that starts with '"' runs to the next '"', which is stripped
 *    with it; after it only blanks or a comment may follow. An empty value
 *    is passed on (the caller decides whether it means anything).
 * Nothing else exists: no sections, no ':' separator, no continuation lines,
 * no escapes. Anything else is an error, and the first error stops the read.
 *
 * Errors are one line, "line N: reason". File text quoted in a message is cut
 * to 40 printable ASCII characters (these files hold no personal data, but a
 * binary file must not mangle a log line).
 */
#ifndef DC_KV_H
#define DC_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most keys one format may have (duplicate tracking is a fixed array). */
#define DC_KV_MAX_KEYS 64

typedef struct {
	const char *const *keys; /* the known keys, exact spelling */
	size_t n_keys;           /* at most DC_KV_MAX_KEYS */
	size_t max_line;         /* longest line accepted, in bytes without '\n' */
} dc_kv_format;

/* Called once per `key = value` line, in file order. key indexes
 * format->keys; value is NUL-terminated (vlen bytes, no NUL inside) and only
 * valid during the call. Return true to go on; false stops the read, and the
 * reader reports "line N: " followed by what the handler wrote to why
 * (why is at least 160 bytes; it starts as an empty string). */
typedef bool (*dc_kv_handler)(void *ctx, size_t key, const char *value, size_t vlen,
			      unsigned line, char *why, size_t whylen);

/* Reads buf (len bytes; buf may be NULL when len is 0). Returns 0 when every
 * line was good and every handler call returned true, else -1 with the
 * reason in err (when err is not NULL). Handler calls already made stay
 * made. Does not limit len: the caller checks its own file-size limit. */
int dc_kv_parse(const dc_kv_format *format, const uint8_t *buf, size_t len,
		dc_kv_handler handler, void *ctx, char *err, size_t errlen);

/* Copies s (n bytes) for an error message: printable ASCII only ('?' for
 * anything else), at most 40 characters then "...". Always NUL-terminates
 * when cap > 0. */
void dc_kv_quote(char *dst, size_t cap, const char *s, size_t n);

#endif
