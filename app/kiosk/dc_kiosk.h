/*
 * dc_kiosk: the door kiosk's state machine as pure logic. No SDL, no
 * clock reads, no I/O: every event carries the time it happened, as a
 * monotonic millisecond count (timeouts) and as wall-clock unix seconds
 * (clock sanity, validity dates). The caller (dc_door, tests) owns the clock.
 *
 *   SCANNING --credential--> RESULT (PASS / FAIL / NOT VALID /
 *            NOT VERIFIABLE / CLOCK NOT SET / CAPACITY REACHED)
 *   SCANNING --part of a multi-part card--> CHUNKS ("2 of 3 scanned")
 *   RESULT   --result_ms passed, or another credential--> SCANNING (wipe)
 *   CHUNKS   --the collector dropped the parts--> SCANNING (wipe)
 *
 * Every credential it is given is a new showing: whether a code is still
 * in view, and when a partial multi-part card is given up, is the
 * collector's job (app/scan/dc_collect), the one owner of both.
 *
 * The idle screen is SCANNING, or OUT OF SERVICE (trust data refused, or
 * older than trust_max_days), or CLOCK NOT SET when the wall clock cannot
 * be right (dc_clock_ok: earlier than the build time or the trust data
 * time; then nobody gets PASS), or CAPACITY REACHED when the admitted
 * count reached the cap.
 *
 * Verification is injected (dc_kiosk_check_fn): the app passes one that
 * calls dc_verify_texts + dc_policy_evaluate; tests pass fakes.
 *
 * Memory and privacy: the kiosk never keeps QR texts. It keeps the screen
 * model (holder data while a result shows, zeroised when it ends), anonymous
 * counters, and keyed hashes (dc_seen) of the last code and of admitted
 * credentials. When a result or a partial multi-part scan ends it calls the
 * config's wipe callback so the caller zeroises frames, scanner and
 * collector buffers.
 */
#ifndef DC_KIOSK_H
#define DC_KIOSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_policy.h"
#include "dc_record.h"
#include "dc_screen.h"

#define DC_KIOSK_DEFAULT_RESULT_MS 4000u
#define DC_KIOSK_INFO_MS 30000u /* the operator screen goes away after this */
#define DC_KIOSK_NOTICE_MS 15000u /* a trust import result goes away after this */
#define DC_KIOSK_SEEN_ENTRIES 4096u

/* Fills rec and pol for n texts at wall time now. Must always initialise
 * both. The kiosk wipes them afterwards. */
typedef void (*dc_kiosk_check_fn)(void *ctx, const char *const *texts,
				  const size_t *lens, size_t n, double now,
				  dc_record *rec, dc_policy_result *pol);

typedef struct {
	uint32_t result_ms;        /* 0 = DC_KIOSK_DEFAULT_RESULT_MS */
	unsigned capacity;         /* 0 = no limit */
	uint32_t dup_warn_minutes; /* 0 = no "already admitted" warning */
	int64_t build_time;        /* unix seconds; the clock cannot be earlier */
	int64_t trust_time;        /* dc_trust_data_time(); 0 = unknown */
	bool test_clock;           /* wall times are an explicit validation
				    * time (--at): not checked (dc_clock_ok) */
	/* Trust data age (from trust_time): past warn days the status line
	 * says so; past max days the device is OUT OF SERVICE. 0 = off. */
	unsigned trust_warn_days, trust_max_days;
	/* Set: the device is OUT OF SERVICE for this reason (no personal
	 * data; e.g. the trust folder was refused). Copied. NULL = in service. */
	const char *out_of_service;
	int32_t utc_offset_s;      /* local time offset: "today's" counters
				    * restart at local midnight */
	const uint8_t *hmac_key;   /* DC_SEEN_KEY_LEN bytes; NULL = random */
	dc_kiosk_check_fn check;
	void *check_ctx;
	void (*wipe)(void *ctx);   /* may be NULL */
	void *wipe_ctx;
} dc_kiosk_config;

typedef struct dc_kiosk dc_kiosk;

/* NULL on bad config or when no random key could be drawn. */
dc_kiosk *dc_kiosk_new(const dc_kiosk_config *cfg, uint64_t now_ms, int64_t wall);
void dc_kiosk_free(dc_kiosk *k); /* NULL is safe; wipes everything */

/* A complete credential was read: one text, or every part of a multi-part
 * card. The texts are borrowed for the call only. */
void dc_kiosk_credential(dc_kiosk *k, uint64_t now_ms, int64_t wall,
			 const char *const *texts, const size_t *lens, size_t n);

/* A part of a multi-part card was read: have of total parts so far. */
void dc_kiosk_progress(dc_kiosk *k, uint64_t now_ms, int have, int total);

/* The collector gave up a partial multi-part card: back to the idle
 * screen (with the wipe callback) if its progress is still shown. */
void dc_kiosk_chunks_dropped(dc_kiosk *k, uint64_t now_ms, int64_t wall);

/* Time passed: ends results, re-checks the clock. Call it every frame (or
 * at least every 100 ms). */
void dc_kiosk_tick(dc_kiosk *k, uint64_t now_ms, int64_t wall);

/* Staff keys: delta < 0: people left; delta > 0: people let in by hand;
 * delta == 0: reset the admitted count to 0. */
void dc_kiosk_adjust_admitted(dc_kiosk *k, int delta);

/* The operator screen: n (<= DC_SCREEN_INFO_LINES) lines of device
 * information, copied; never holder data. It shows until
 * DC_KIOSK_INFO_MS passed, a dismiss, or a credential. */
void dc_kiosk_show_info(dc_kiosk *k, uint64_t now_ms, const char *const *lines, size_t n);

/* A trust import's result (kind DC_SCREEN_TRUST_INSTALLED or
 * DC_SCREEN_TRUST_REFUSED): headline and detail (no personal data) are
 * copied. It shows until DC_KIOSK_NOTICE_MS passed, a dismiss, or a
 * credential; a result on screen is wiped first. */
void dc_kiosk_show_notice(dc_kiosk *k, uint64_t now_ms, dc_screen_kind kind,
			  const char *headline, const char *detail);

/* New trust data is in use (a reload after a trust import): its time
 * (dc_kiosk_config.trust_time) and out-of-service reason (NULL = in
 * service) replace the configured ones; the clock and age checks and the
 * idle screen follow at once. */
void dc_kiosk_set_trust(dc_kiosk *k, int64_t trust_time, const char *out_of_service);

/* True while the idle screen shows (no result, progress, operator or
 * notice screen): background work such as the trust import poll waits
 * for it. */
bool dc_kiosk_is_idle(const dc_kiosk *k);

/* Ends the current result now (staff pressed a key). */
void dc_kiosk_dismiss(dc_kiosk *k, uint64_t now_ms, int64_t wall);

const dc_screen *dc_kiosk_screen(const dc_kiosk *k);

/* Increases whenever the screen model changes: render again when it does. */
uint64_t dc_kiosk_generation(const dc_kiosk *k);

#endif
