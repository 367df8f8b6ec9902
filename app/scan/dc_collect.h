/*
 * dc_collect: from the QR texts seen frame by frame to one credential at a
 * time, for the kiosk. Feed it every frame's texts (also frames with none,
 * so that its frame count and timeout advance) with a timestamp in ms from
 * the caller's clock; it never reads a clock itself.
 *
 * It is the one owner of "is this a new showing?" in the kiosk pipeline:
 * the kiosk state machine does no repeat suppression and no multi-part
 * timeout of its own (docs/kiosk.md).
 *
 *  - Repeats: a code is handed out once. It counts as new again only after
 *    it has been out of view for `gone_frames` consecutive frames and for
 *    `gone_ms` milliseconds, or after dc_collect_reset(). With `hold`, the
 *    codes of a credential handed out stay "in view" until
 *    dc_collect_release() (call it when its result screen ends), so a card
 *    taken away and shown again while its result still shows is one
 *    showing; the out-of-view time still counts from its last frame.
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
#define DC_COLLECT_DEFAULT_TIMEOUT_MS 15000u
#define DC_COLLECT_DEFAULT_GONE_FRAMES 5
/* The kiosk's out-of-view time: a card moved about in front of the camera
 * for a second is still the same showing. */
#define DC_COLLECT_KIOSK_GONE_MS 1500u

typedef struct {
	uint32_t chunk_timeout_ms; /* 0 = DC_COLLECT_DEFAULT_TIMEOUT_MS */
	int gone_frames;           /* 0 = DC_COLLECT_DEFAULT_GONE_FRAMES */
	uint32_t gone_ms;          /* 0 = frames only */
	int hold;                  /* 1 = hold handed-out codes until release */
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
 * wipes it. */
void dc_collect_reset(dc_collect *c);

/* The result of the last credential ended: its codes count as new again
 * once out of view (see `hold`), and its texts are wiped. */
void dc_collect_release(dc_collect *c);

#endif
