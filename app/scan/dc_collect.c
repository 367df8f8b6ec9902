/*
 * dc_collect: repeat suppression and SHC chunk gathering (see dc_collect.h).
 */
#include "dc_collect.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include "dc_hash.h"

#include "dc_err.h"
#include "dc_shc.h"

typedef struct {
	int used;
	int held;             /* part of the credential whose result shows */
	uint64_t last_frame;
	uint64_t last_ms;
	uint8_t digest[32];
} seen_entry;

struct dc_collect {
	uint32_t timeout_ms;
	int gone_frames;
	uint32_t gone_ms;
	int hold;
	uint64_t frame;
	uint64_t now_ms;

	seen_entry seen[DC_COLLECT_SEEN];

	/* Chunk set being gathered. */
	int total, have;
	uint64_t last_progress_ms;
	int delivered_set;    /* the set was handed out: wipe at next feed */
	size_t chunk_len[DC_COLLECT_MAX_TEXTS + 1];
	char chunk[DC_COLLECT_MAX_TEXTS + 1][DC_SCAN_MAX_TEXT + 1];

	/* A one-text credential handed out. */
	size_t single_len;
	char single[DC_SCAN_MAX_TEXT + 1];
};

static void digest_of(const char *t, size_t len, uint8_t out[32])
{
	dc_sha256((const unsigned char *)t, len, out);
}

static seen_entry *find_seen(dc_collect *c, const uint8_t d[32])
{
	for (int i = 0; i < DC_COLLECT_SEEN; i++)
		if (c->seen[i].used && memcmp(c->seen[i].digest, d, 32) == 0)
			return &c->seen[i];
	return NULL;
}

static void mark_seen(dc_collect *c, const uint8_t d[32])
{
	seen_entry *e = find_seen(c, d);
	if (!e) {
		/* A free slot, else the one out of view longest. */
		e = &c->seen[0];
		for (int i = 0; i < DC_COLLECT_SEEN; i++) {
			if (!c->seen[i].used) {
				e = &c->seen[i];
				break;
			}
			if (c->seen[i].last_frame < e->last_frame)
				e = &c->seen[i];
		}
		memcpy(e->digest, d, 32);
		e->used = 1;
		e->held = 0;
	}
	e->last_frame = c->frame;
	e->last_ms = c->now_ms;
}

/* The codes of a credential just handed out stay in view until release. */
static void hold_seen(dc_collect *c, const char *t, size_t len)
{
	uint8_t d[32];
	if (!c->hold)
		return;
	digest_of(t, len, d);
	seen_entry *e = find_seen(c, d);
	if (e)
		e->held = 1;
}

static int gone(const dc_collect *c, const seen_entry *e)
{
	return !e->held && c->frame - e->last_frame > (uint64_t)c->gone_frames &&
	       c->now_ms - e->last_ms >= c->gone_ms;
}

static void forget_seen(dc_collect *c, const uint8_t d[32])
{
	seen_entry *e = find_seen(c, d);
	if (e)
		mbedtls_platform_zeroize(e, sizeof *e);
}

static void wipe_set(dc_collect *c)
{
	for (int i = 1; i <= DC_COLLECT_MAX_TEXTS; i++) {
		if (c->chunk_len[i])
			mbedtls_platform_zeroize(c->chunk[i],
						 c->chunk_len[i] + 1);
		c->chunk_len[i] = 0;
	}
	c->total = c->have = 0;
	c->delivered_set = 0;
}

static void wipe_single(dc_collect *c)
{
	if (c->single_len)
		mbedtls_platform_zeroize(c->single, c->single_len + 1);
	c->single_len = 0;
}

dc_collect *dc_collect_new(const dc_collect_config *cfg)
{
	dc_collect *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->timeout_ms = cfg && cfg->chunk_timeout_ms
				? cfg->chunk_timeout_ms
				: DC_COLLECT_DEFAULT_TIMEOUT_MS;
	c->gone_frames = cfg && cfg->gone_frames > 0
				 ? cfg->gone_frames
				 : DC_COLLECT_DEFAULT_GONE_FRAMES;
	c->gone_ms = cfg ? cfg->gone_ms : 0;
	c->hold = cfg && cfg->hold;
	return c;
}

void dc_collect_reset(dc_collect *c)
{
	if (!c)
		return;
	wipe_set(c);
	wipe_single(c);
	mbedtls_platform_zeroize(c->seen, sizeof c->seen);
}

void dc_collect_release(dc_collect *c)
{
	if (!c)
		return;
	for (int i = 0; i < DC_COLLECT_SEEN; i++)
		c->seen[i].held = 0;
	wipe_single(c);
	if (c->delivered_set)
		wipe_set(c);
}

void dc_collect_free(dc_collect *c)
{
	if (!c)
		return;
	dc_collect_reset(c);
	free(c);
}

int dc_collect_pending(const dc_collect *c, int *have, int *total)
{
	int pending = c && c->total > 0 && !c->delivered_set;
	if (have)
		*have = pending ? c->have : 0;
	if (total)
		*total = pending ? c->total : 0;
	return pending;
}

/* Drops the partial set and lets its chunks be picked up again if they are
 * still in view (a timed-out card held up again starts over). */
static void drop_set(dc_collect *c)
{
	uint8_t d[32];
	for (int i = 1; i <= DC_COLLECT_MAX_TEXTS; i++) {
		if (!c->chunk_len[i])
			continue;
		digest_of(c->chunk[i], c->chunk_len[i], d);
		forget_seen(c, d);
	}
	wipe_set(c);
}

static void ready_single(dc_collect *c, const char *t, size_t len,
			 dc_collect_result *out)
{
	memcpy(c->single, t, len);
	c->single[len] = 0;
	c->single_len = len;
	out->status = DC_COLLECT_READY;
	out->n = 1;
	out->texts[0] = c->single;
	out->lens[0] = len;
	hold_seen(c, t, len);
}

static void ready_set(dc_collect *c, dc_collect_result *out)
{
	out->status = DC_COLLECT_READY;
	out->have = c->have;
	out->total = c->total;
	out->n = (size_t)c->total;
	for (int i = 1; i <= c->total; i++) {
		out->texts[i - 1] = c->chunk[i];
		out->lens[i - 1] = c->chunk_len[i];
		hold_seen(c, c->chunk[i], c->chunk_len[i]);
	}
	c->delivered_set = 1;
}

/* Returns 1 when the set completed. */
static int add_chunk(dc_collect *c, uint64_t now_ms, const char *t,
		     size_t len, int index, int total, dc_collect_result *out)
{
	if (c->total && (total != c->total ||
			 (c->chunk_len[index] &&
			  (c->chunk_len[index] != len ||
			   memcmp(c->chunk[index], t, len) != 0)))) {
		drop_set(c);
		out->restarted = 1;
	}
	if (c->chunk_len[index]) /* the same part again: nothing new */
		return 0;
	c->total = total;
	memcpy(c->chunk[index], t, len);
	c->chunk[index][len] = 0;
	c->chunk_len[index] = len;
	c->have++;
	c->last_progress_ms = now_ms;
	out->status = DC_COLLECT_PROGRESS;
	out->have = c->have;
	out->total = c->total;
	if (c->have == c->total) {
		ready_set(c, out);
		return 1;
	}
	return 0;
}

dc_collect_status dc_collect_feed(dc_collect *c, uint64_t now_ms,
				  const char *const *texts, const size_t *lens,
				  size_t n, dc_collect_result *out)
{
	dc_collect_result dummy;
	if (!out)
		out = &dummy;
	memset(out, 0, sizeof *out);
	if (!c)
		return DC_COLLECT_IDLE;

	/* What was handed out last time ends now. */
	wipe_single(c);
	if (c->delivered_set)
		wipe_set(c);

	c->frame++;
	if (now_ms > c->now_ms)
		c->now_ms = now_ms;
	for (int i = 0; i < DC_COLLECT_SEEN; i++)
		if (c->seen[i].used && gone(c, &c->seen[i]))
			mbedtls_platform_zeroize(&c->seen[i], sizeof c->seen[i]);

	int timed_out_have = 0, timed_out_total = 0;
	if (c->total && now_ms >= c->last_progress_ms &&
	    now_ms - c->last_progress_ms >= c->timeout_ms) {
		timed_out_have = c->have;
		timed_out_total = c->total;
		drop_set(c);
	}

	for (size_t i = 0; texts && lens && i < n; i++) {
		const char *t = texts[i];
		size_t len = lens[i];
		uint8_t d[32];
		if (!t || len == 0)
			continue;
		digest_of(t, len, d);
		seen_entry *e = find_seen(c, d);
		if (e) { /* still in view: handed out already */
			e->last_frame = c->frame;
			e->last_ms = c->now_ms;
			continue;
		}
		int index = 0, total = 0;
		if (len <= DC_SCAN_MAX_TEXT &&
		    dc_shc_chunk_info(t, len, &index, &total) == DC_OK &&
		    total > 1 && total <= DC_COLLECT_MAX_TEXTS && index >= 1 &&
		    index <= total) {
			mark_seen(c, d);
			if (add_chunk(c, now_ms, t, len, index, total, out))
				break;
			continue;
		}
		mark_seen(c, d);
		/* Longer than any QR text: no source hands these out, and
		 * a cut text would be a different text. */
		if (len > DC_SCAN_MAX_TEXT)
			continue;
		ready_single(c, t, len, out);
		break;
	}
	if (out->status == DC_COLLECT_IDLE && timed_out_total) {
		out->status = DC_COLLECT_TIMEOUT;
		out->have = timed_out_have;
		out->total = timed_out_total;
	}
	if (out->status != DC_COLLECT_READY && out->status != DC_COLLECT_TIMEOUT)
		dc_collect_pending(c, &out->have, &out->total);
	return out->status;
}
