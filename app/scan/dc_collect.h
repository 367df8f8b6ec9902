/*
 * dc_collect: from the QR texts seen frame by frame to one credential at a
 * time, for the kiosk. Feed it every frame's texts (also frames with none,
 * so that its frame count and timeout advance) with a timestamp in ms from
 * the caller's clock; it never reads a clock itself.
 *
 *  - Repeats: a code is handed out once. It counts as new again only after
 *    it has been out of view for `gone_frames` consecutive frames, or after
 *    dc_collect_reset() (call it when the result screen ends).
 *  - SHC chunks (shc:/C/N/...) are gathered across frames in any order;
 *    progress is reported ("2 of 3 scanned"). A partial set is dropped and
 *    wiped when no new chunk arrived for `chunk_timeout_ms`. A chunk of a
 *    different total, or a different text for a part already held, means
 *    another card: the old set is dropped and gathering starts over.
 *  - Everything else (single SHC, HC1:, links, unknown text, malformed
 *    chunk headers) is a complete credential of one text: the verifier
 *    gives the reason.
 *
 * Storage is fixed at dc_collect_new(). A READY credential's texts belong
 * to the collector and stay valid until the next dc_collect_feed(),
 * dc_collect_reset() or dc_collect_free(), which wipe them. Seen codes are
 * remembered as SHA-256 digests, not texts.
 */
#ifndef DC_COLLECT_H
#define DC_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "dc_scan.h"

#define DC_COLLECT_MAX_TEXTS 16            /* = DC_SHC_MAX_CHUNKS */
#define DC_COLLECT_SEEN 32                 /* codes remembered as in view */
#define DC_COLLECT_DEFAULT_TIMEOUT_MS 20000u
#define DC_COLLECT_DEFAULT_GONE_FRAMES 5

typedef struct {
	uint32_t chunk_timeout_ms; /* 0 = default */
	int gone_frames;           /* 0 = default */
} dc_collect_config;

typedef enum {
	DC_COLLECT_IDLE = 0,  /* nothing new in this frame */
	DC_COLLECT_PROGRESS,  /* new chunk(s): have of total */
	DC_COLLECT_READY,     /* a credential is complete: texts[0..n) */
	DC_COLLECT_TIMEOUT,   /* a partial set timed out and was wiped */
} dc_collect_status;

typedef struct {
	dc_collect_status status;
	int have, total;     /* chunk progress; for TIMEOUT what had been seen */
	int restarted;       /* a partial set was replaced by another card's */
	size_t n;            /* READY: number of texts (chunks in order 1..N) */
	const char *texts[DC_COLLECT_MAX_TEXTS];
	size_t lens[DC_COLLECT_MAX_TEXTS];
} dc_collect_result;

typedef struct dc_collect dc_collect;

dc_collect *dc_collect_new(const dc_collect_config *cfg); /* NULL: defaults */
void dc_collect_free(dc_collect *c);                      /* NULL safe; wipes */

/* One frame: its n texts (n may be 0). Returns out->status. */
dc_collect_status dc_collect_feed(dc_collect *c, uint64_t now_ms,
				  const char *const *texts, const size_t *lens,
				  size_t n, dc_collect_result *out);

/* Chunks gathered so far: 1 and have/total when a set is pending. */
int dc_collect_pending(const dc_collect *c, int *have, int *total);

/* Forgets everything (seen codes, partial chunks, last credential) and
 * wipes it: the result screen has ended. */
void dc_collect_reset(dc_collect *c);

#endif
