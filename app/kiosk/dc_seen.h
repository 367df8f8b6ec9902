/*
 * dc_seen: "already admitted N minutes ago" memory that holds no personal
 * data. Each entry is HMAC-SHA-256(key, credential texts) with the time it
 * was added; the key is drawn at random for every start (getrandom) and
 * never leaves the process, so the table cannot be matched against any card
 * after a restart, nor reversed to a name.
 *
 * Entries expire after the configured age; when the table is full the
 * oldest entry is overwritten. The key and the table are zeroised by
 * dc_seen_free.
 */
#ifndef DC_SEEN_H
#define DC_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DC_SEEN_KEY_LEN 32
#define DC_SEEN_HASH_LEN 32
#define DC_SEEN_MAX_ENTRIES 65536

typedef struct dc_seen dc_seen;

/* key may be NULL: a fresh random key is drawn (NULL is returned when the
 * system cannot give random bytes). capacity 1..DC_SEEN_MAX_ENTRIES. */
dc_seen *dc_seen_new(size_t capacity, const uint8_t *key);
void dc_seen_free(dc_seen *s); /* NULL is safe; wipes */

/* Keyed hash of one credential made of n texts (SHC chunks in any order
 * give the same hash). Returns 0, or -1 on an mbedTLS failure. */
int dc_seen_hash(const dc_seen *s, const char *const *texts, const size_t *lens,
		 size_t n, uint8_t out[DC_SEEN_HASH_LEN]);

/* True when h was added at most max_age_ms before now_ms; *when_ms gets the
 * time it was added (may be NULL). */
bool dc_seen_lookup(const dc_seen *s, const uint8_t h[DC_SEEN_HASH_LEN],
		    uint64_t now_ms, uint64_t max_age_ms, uint64_t *when_ms);

/* Adds or refreshes h. */
void dc_seen_add(dc_seen *s, const uint8_t h[DC_SEEN_HASH_LEN], uint64_t now_ms);

/* Drops (and zeroises) entries older than max_age_ms. */
void dc_seen_expire(dc_seen *s, uint64_t now_ms, uint64_t max_age_ms);

size_t dc_seen_count(const dc_seen *s); /* live entries */

#endif
