#include "dc_seen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "dc_verify.h" /* DC_MAX_TEXTS */

typedef struct {
	uint8_t hash[DC_SEEN_HASH_LEN];
	uint64_t when_ms;
	bool used;
} seen_entry;

struct dc_seen {
	uint8_t key[DC_SEEN_KEY_LEN];
	size_t cap;
	seen_entry *e;
};

static int fill_random(uint8_t *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = getrandom(buf + got, len - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

dc_seen *dc_seen_new(size_t capacity, const uint8_t *key)
{
	if (capacity < 1 || capacity > DC_SEEN_MAX_ENTRIES)
		return NULL;
	dc_seen *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->e = calloc(capacity, sizeof *s->e);
	if (!s->e)
		goto fail;
	s->cap = capacity;
	if (key)
		memcpy(s->key, key, DC_SEEN_KEY_LEN);
	else if (fill_random(s->key, sizeof s->key) != 0)
		goto fail;
	return s;
fail:
	dc_seen_free(s);
	return NULL;
}

void dc_seen_free(dc_seen *s)
{
	if (!s)
		return;
	if (s->e) {
		mbedtls_platform_zeroize(s->e, s->cap * sizeof *s->e);
		free(s->e);
	}
	mbedtls_platform_zeroize(s, sizeof *s);
	free(s);
}

static int text_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	size_t m = la < lb ? la : lb;
	int c = memcmp(a, b, m);
	if (c)
		return c;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

int dc_seen_hash(const dc_seen *s, const char *const *texts, const size_t *lens,
		 size_t n, uint8_t out[DC_SEEN_HASH_LEN])
{
	size_t order[DC_MAX_TEXTS];
	int ret = -1;
	mbedtls_md_context_t md;
	mbedtls_md_init(&md);
	if (!s || n > DC_MAX_TEXTS)
		goto out;
	/* Sort so that the same chunks scanned in another order match. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && text_cmp(texts[order[j - 1]], lens[order[j - 1]],
					 texts[i], lens[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	if (mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1) ||
	    mbedtls_md_hmac_starts(&md, s->key, sizeof s->key))
		goto out;
	for (size_t i = 0; i < n; i++) {
		/* Length prefix: ("ab","c") must not collide with ("a","bc"). */
		uint8_t l[8];
		uint64_t v = lens[order[i]];
		for (int b = 0; b < 8; b++)
			l[b] = (uint8_t)(v >> (56 - 8 * b));
		if (mbedtls_md_hmac_update(&md, l, sizeof l) ||
		    mbedtls_md_hmac_update(&md, (const unsigned char *)texts[order[i]],
					   lens[order[i]]))
			goto out;
	}
	if (mbedtls_md_hmac_finish(&md, out))
		goto out;
	ret = 0;
out:
	mbedtls_md_free(&md);
	return ret;
}

bool dc_seen_lookup(const dc_seen *s, const uint8_t h[DC_SEEN_HASH_LEN],
		    uint64_t now_ms, uint64_t max_age_ms, uint64_t *when_ms)
{
	if (!s)
		return false;
	for (size_t i = 0; i < s->cap; i++) {
		const seen_entry *e = &s->e[i];
		if (!e->used || memcmp(e->hash, h, DC_SEEN_HASH_LEN) != 0)
			continue;
		if (e->when_ms > now_ms || now_ms - e->when_ms > max_age_ms)
			return false;
		if (when_ms)
			*when_ms = e->when_ms;
		return true;
	}
	return false;
}

void dc_seen_add(dc_seen *s, const uint8_t h[DC_SEEN_HASH_LEN], uint64_t now_ms)
{
	if (!s)
		return;
	size_t slot = s->cap, oldest = s->cap;
	for (size_t i = 0; i < s->cap; i++) {
		seen_entry *e = &s->e[i];
		if (e->used && memcmp(e->hash, h, DC_SEEN_HASH_LEN) == 0) {
			slot = i;
			break;
		}
		if (!e->used && slot == s->cap)
			slot = i;
		if (e->used && (oldest == s->cap || e->when_ms < s->e[oldest].when_ms))
			oldest = i;
	}
	if (slot == s->cap)
		slot = oldest; /* full: forget the oldest */
	memcpy(s->e[slot].hash, h, DC_SEEN_HASH_LEN);
	s->e[slot].when_ms = now_ms;
	s->e[slot].used = true;
}

void dc_seen_expire(dc_seen *s, uint64_t now_ms, uint64_t max_age_ms)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++) {
		seen_entry *e = &s->e[i];
		if (e->used && (e->when_ms > now_ms || now_ms - e->when_ms > max_age_ms))
			mbedtls_platform_zeroize(e, sizeof *e);
	}
}

size_t dc_seen_count(const dc_seen *s)
{
	size_t n = 0;
	for (size_t i = 0; s && i < s->cap; i++)
		n += s->e[i].used;
	return n;
}
