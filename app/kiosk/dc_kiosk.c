#include "dc_kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "dc_seen.h"
#include "dc_time.h"

/* snprintf whose result is used, so a cut-off line is accepted on purpose. */
#define FMT(buf, ...) do { if (snprintf((buf), sizeof(buf), __VA_ARGS__) < 0) (buf)[0] = 0; } while (0)

typedef enum { ST_IDLE, ST_CHUNKS, ST_RESULT, ST_INFO } kiosk_state;

struct dc_kiosk {
	dc_kiosk_config cfg;
	dc_seen *admitted_seen;   /* keyed hashes of admitted credentials */
	dc_seen *hasher;          /* same key family; used for the last code */
	kiosk_state st;
	uint64_t since_ms;        /* result shown / last multi-part progress */
	uint32_t info_ms;         /* ST_INFO: how long the info screen stays */
	int64_t wall;
	bool clock_ok;
	unsigned scanned, passed, failed, not_valid, not_verifiable, admitted;
	int64_t day;              /* local day number of the counters */
	uint64_t gen;
	dc_screen scr;
	char oos[192];            /* out-of-service reason from the config */
	/* Working buffers sized at start-up: no allocation per scan. */
	dc_record rec;
	dc_policy_result pol;
};

static bool clock_ok(const dc_kiosk *k, int64_t wall)
{
	return dc_clock_ok(wall, k->cfg.build_time, k->cfg.trust_time, k->cfg.test_clock);
}

static int64_t day_of(const dc_kiosk *k, int64_t wall)
{
	int64_t t = wall + k->cfg.utc_offset_s;
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* The status line shows today's counts: they restart at local midnight.
 * The admitted count is the venue's, not the day's: staff reset it. */
static void roll_day(dc_kiosk *k)
{
	int64_t d = day_of(k, k->wall);
	if (d == k->day)
		return;
	k->day = d;
	k->scanned = k->passed = k->failed = k->not_valid = k->not_verifiable = 0;
}

/* Trust data age in whole days at the current wall time; -1 = unknown. */
static int64_t trust_age(const dc_kiosk *k)
{
	if (k->cfg.trust_time <= 0 || k->wall < k->cfg.trust_time)
		return -1;
	return (k->wall - k->cfg.trust_time) / 86400;
}

static void sync_status(dc_kiosk *k)
{
	roll_day(k);
	dc_screen *s = &k->scr;
	s->clock_ok = k->clock_ok;
	s->trust_age_days = trust_age(k);
	s->trust_stale = k->cfg.trust_warn_days &&
			 s->trust_age_days > (int64_t)k->cfg.trust_warn_days;
	s->scanned = k->scanned;
	s->passed = k->passed;
	s->failed = k->failed;
	s->not_valid = k->not_valid;
	s->not_verifiable = k->not_verifiable;
	s->admitted = k->admitted;
	s->capacity = k->cfg.capacity;
}

/* Why nobody can be served (reason in buf), or NULL. A clock problem
 * comes before the age: on a wrong date the age means nothing. */
static const char *service_problem(const dc_kiosk *k, char *buf, size_t cap)
{
	if (k->oos[0])
		return k->oos;
	if (!k->clock_ok)
		return NULL;
	int64_t age = trust_age(k);
	if (k->cfg.trust_max_days && age > (int64_t)k->cfg.trust_max_days) {
		if (snprintf(buf, cap, "Trust data is %lld days old (limit %u): install an update",
			     (long long)age, k->cfg.trust_max_days) < 0)
			buf[0] = 0;
		return buf;
	}
	return NULL;
}

static bool full(const dc_kiosk *k)
{
	return k->cfg.capacity > 0 && k->admitted >= k->cfg.capacity;
}

static dc_screen_kind idle_kind(const dc_kiosk *k)
{
	char why[192];
	if (service_problem(k, why, sizeof why))
		return DC_SCREEN_OUT_OF_SERVICE;
	if (!k->clock_ok)
		return DC_SCREEN_CLOCK_NOT_SET;
	if (full(k))
		return DC_SCREEN_CAPACITY;
	return DC_SCREEN_SCANNING;
}

/* Zeroises the whole screen model (holder data included) and shows the idle
 * screen. external: also ask the caller to wipe frames and texts. */
static void go_idle(dc_kiosk *k, bool external)
{
	mbedtls_platform_zeroize(&k->scr, sizeof k->scr);
	k->scr.kind = idle_kind(k);
	k->scr.is_result = false;
	char why[192];
	if (k->scr.kind == DC_SCREEN_OUT_OF_SERVICE)
		FMT(k->scr.reason, "%s", service_problem(k, why, sizeof why));
	else if (k->scr.kind == DC_SCREEN_CLOCK_NOT_SET)
		FMT(k->scr.reason, "%s", "Set the date and time: nobody can be passed until then");
	else if (k->scr.kind == DC_SCREEN_CAPACITY)
		FMT(k->scr.reason, "Venue is full: %u of %u admitted", k->admitted,
		    k->cfg.capacity);
	sync_status(k);
	k->st = ST_IDLE;
	k->gen++;
	if (external && k->cfg.wipe)
		k->cfg.wipe(k->cfg.wipe_ctx);
}

dc_kiosk *dc_kiosk_new(const dc_kiosk_config *cfg, uint64_t now_ms, int64_t wall)
{
	if (!cfg || !cfg->check)
		return NULL;
	dc_kiosk *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->cfg = *cfg;
	if (!k->cfg.result_ms)
		k->cfg.result_ms = DC_KIOSK_DEFAULT_RESULT_MS;
	k->cfg.hmac_key = NULL; /* not kept: dc_seen copies it */
	if (cfg->out_of_service)
		FMT(k->oos, "%s", cfg->out_of_service);
	k->cfg.out_of_service = NULL; /* copied into oos */
	k->admitted_seen = dc_seen_new(DC_KIOSK_SEEN_ENTRIES, cfg->hmac_key);
	k->hasher = dc_seen_new(1, cfg->hmac_key);
	if (!k->admitted_seen || !k->hasher) {
		dc_kiosk_free(k);
		return NULL;
	}
	k->wall = wall;
	k->day = day_of(k, wall);
	k->clock_ok = clock_ok(k, wall);
	k->since_ms = now_ms;
	go_idle(k, false);
	return k;
}

void dc_kiosk_free(dc_kiosk *k)
{
	if (!k)
		return;
	dc_seen_free(k->admitted_seen);
	dc_seen_free(k->hasher);
	mbedtls_platform_zeroize(k, sizeof *k);
	free(k);
}

static void cut_date(char *dst, size_t cap, const char *date)
{
	/* "2021-01-29T00:00:00Z" -> "2021-01-29": the day is what staff need. */
	size_t n = strlen(date);
	if (n > 10 && date[4] == '-' && date[7] == '-')
		n = 10;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, date, n);
	dst[n] = 0;
}

static void summarise(const dc_record *r, dc_screen *s)
{
	const dc_event *last_vac = NULL, *last_test = NULL, *last_rec = NULL;
	int doses = 0;
	char d[16];
	for (size_t i = 0; i < r->n_events && i < DC_MAX_EVENTS; i++) {
		const dc_event *e = &r->events[i];
		switch (e->kind) {
		case DC_EVENT_VACCINATION:
			doses++;
			if (!last_vac || strcmp(e->date, last_vac->date) >= 0)
				last_vac = e;
			break;
		case DC_EVENT_TEST:
			if (!last_test || strcmp(e->date, last_test->date) >= 0)
				last_test = e;
			break;
		case DC_EVENT_RECOVERY:
			if (!last_rec || strcmp(e->date, last_rec->date) >= 0)
				last_rec = e;
			break;
		}
	}
	int line = 0;
	if (last_vac) {
		/* DCC carries "dose n of m" in one event; SHC lists each dose. */
		int shown = last_vac->dose_number > doses ? last_vac->dose_number : doses;
		cut_date(d, sizeof d, last_vac->date);
		const char *prod = last_vac->product[0] ? last_vac->product : last_vac->code;
		if (last_vac->series_doses > 0 && shown <= last_vac->series_doses)
			FMT(s->summary[line], "Dose %d of %d, last %s", shown,
			    last_vac->series_doses, d);
		else
			FMT(s->summary[line], "%d dose%s, last %s", shown,
			    shown == 1 ? "" : "s", d);
		line++;
		if (prod[0] && line < DC_SCREEN_SUMMARY_LINES) {
			FMT(s->summary[line], "%s", prod);
			line++;
		}
	}
	if (last_test && line < DC_SCREEN_SUMMARY_LINES) {
		cut_date(d, sizeof d, last_test->date);
		FMT(s->summary[line], "Test %s: %s, %s",
		    last_test->test_type[0] ? last_test->test_type : last_test->code,
		    last_test->result[0] ? last_test->result : last_test->result_code, d);
		line++;
	}
	if (last_rec && line < DC_SCREEN_SUMMARY_LINES) {
		cut_date(d, sizeof d, last_rec->valid_until[0] ? last_rec->valid_until : last_rec->date);
		FMT(s->summary[line], "Recovered, valid until %s", d);
		line++;
	}
	mbedtls_platform_zeroize(d, sizeof d);
}

static void fill_holder(dc_kiosk *k)
{
	const dc_record *r = &k->rec;
	dc_screen *s = &k->scr;
	if (r->name[0])
		FMT(s->name, "%s", r->name);
	else if (r->given_name[0] || r->family_name[0])
		FMT(s->name, "%s%s%s", r->given_name,
		    r->given_name[0] && r->family_name[0] ? " " : "", r->family_name);
	FMT(s->birth_date, "%s", r->birth_date);
	FMT(s->issuer, "%s", r->issuer_name[0] ? r->issuer_name : r->issuer);
	summarise(r, s);
}

static void show_result(dc_kiosk *k, uint64_t now_ms, const uint8_t *hash, bool have_hash)
{
	dc_screen *s = &k->scr;
	const dc_record *r = &k->rec;
	const dc_policy_result *p = &k->pol;
	char why[192];

	mbedtls_platform_zeroize(s, sizeof *s);
	s->is_result = true;
	roll_day(k);
	k->scanned++;

	if (r->verdict == DC_VERDICT_NOT_A_CREDENTIAL) {
		s->kind = DC_SCREEN_NOT_VERIFIABLE;
		FMT(s->reason, "%s", dc_strerror(r->reason));
		k->not_verifiable++;
	} else if (service_problem(k, why, sizeof why)) {
		s->kind = DC_SCREEN_OUT_OF_SERVICE;
		FMT(s->reason, "%s", service_problem(k, why, sizeof why));
		k->not_valid++;
	} else if (!k->clock_ok) {
		/* Expiry and dose ages mean nothing on a wrong date. */
		s->kind = DC_SCREEN_CLOCK_NOT_SET;
		FMT(s->reason, "%s", dc_strerror(DC_E_CLOCK_UNSET));
		k->not_valid++;
	} else if (p->outcome == DC_POLICY_PASS && r->reason == DC_OK) {
		k->passed++;
		if (full(k)) {
			s->kind = DC_SCREEN_CAPACITY;
			FMT(s->reason, "Valid, but the venue is full (%u of %u): do not admit",
			    k->admitted, k->cfg.capacity);
		} else {
			s->kind = DC_SCREEN_PASS;
			fill_holder(k);
			FMT(s->reason, "%s", p->reason[0] ? p->reason : "Meets the entry rule");
			if (k->cfg.dup_warn_minutes && have_hash) {
				uint64_t when, max = (uint64_t)k->cfg.dup_warn_minutes * 60000u;
				if (dc_seen_lookup(k->admitted_seen, hash, now_ms, max, &when)) {
					uint64_t min = (now_ms - when) / 60000u;
					if (min == 0)
						FMT(s->warning, "%s", "Already admitted less than a minute ago");
					else
						FMT(s->warning, "Already admitted %llu minute%s ago",
						    (unsigned long long)min, min == 1 ? "" : "s");
				}
				dc_seen_add(k->admitted_seen, hash, now_ms);
			}
			k->admitted++;
		}
	} else if (p->outcome == DC_POLICY_FAIL && r->reason == DC_OK) {
		s->kind = DC_SCREEN_FAIL;
		fill_holder(k);
		FMT(s->reason, "%s", p->reason[0] ? p->reason : "Does not meet the entry rule");
		k->failed++;
	} else {
		s->kind = DC_SCREEN_NOT_VALID;
		FMT(s->reason, "%s", r->reason != DC_OK ? dc_strerror(r->reason)
			: p->reason[0] ? p->reason : "Record is not valid");
		k->not_valid++;
	}
	sync_status(k);
	k->st = ST_RESULT;
	k->since_ms = now_ms;
	k->gen++;
}

void dc_kiosk_credential(dc_kiosk *k, uint64_t now_ms, int64_t wall,
			 const char *const *texts, const size_t *lens, size_t n)
{
	uint8_t h[DC_SEEN_HASH_LEN];
	if (!k || !texts || !lens || n == 0)
		return;
	bool have_hash = dc_seen_hash(k->hasher, texts, lens, n, h) == 0;
	k->wall = wall;
	k->clock_ok = clock_ok(k, wall);

	dc_record_init(&k->rec);
	memset(&k->pol, 0, sizeof k->pol);
	k->pol.outcome = DC_POLICY_NOT_VALID;
	k->cfg.check(k->cfg.check_ctx, texts, lens, n, (double)wall, &k->rec, &k->pol);
	show_result(k, now_ms, h, have_hash);
	dc_record_wipe(&k->rec);
	mbedtls_platform_zeroize(&k->pol, sizeof k->pol);
	mbedtls_platform_zeroize(h, sizeof h);
}

void dc_kiosk_progress(dc_kiosk *k, uint64_t now_ms, int have, int total)
{
	if (!k || total < 2 || have < 0 || have > total)
		return;
	if (k->st == ST_CHUNKS && k->scr.chunks_have == have &&
	    k->scr.chunks_total == total)
		return;
	/* A new card replaces the result on screen; the collector's buffers
	 * now hold the new card's parts, so no external wipe here. */
	mbedtls_platform_zeroize(&k->scr, sizeof k->scr);
	k->scr.kind = DC_SCREEN_CHUNKS;
	k->scr.chunks_have = have;
	k->scr.chunks_total = total;
	sync_status(k);
	k->st = ST_CHUNKS;
	k->since_ms = now_ms;
	k->gen++;
}

void dc_kiosk_chunks_dropped(dc_kiosk *k, uint64_t now_ms, int64_t wall)
{
	if (!k || k->st != ST_CHUNKS)
		return;
	(void)now_ms;
	k->wall = wall;
	go_idle(k, true);
}

void dc_kiosk_tick(dc_kiosk *k, uint64_t now_ms, int64_t wall)
{
	if (!k)
		return;
	k->wall = wall;
	bool ok = clock_ok(k, wall);
	bool status_changed = ok != k->clock_ok;
	k->clock_ok = ok;

	uint64_t age = now_ms >= k->since_ms ? now_ms - k->since_ms : 0;
	if (k->st == ST_RESULT && age >= k->cfg.result_ms) {
		go_idle(k, true);
		return;
	}
	if (k->st == ST_INFO && age >= k->info_ms) {
		go_idle(k, false);
		return;
	}
	if (k->cfg.dup_warn_minutes)
		dc_seen_expire(k->admitted_seen, now_ms,
			       (uint64_t)k->cfg.dup_warn_minutes * 60000u);
	int64_t days = k->scr.trust_age_days;
	unsigned scanned = k->scr.scanned;
	if (k->st == ST_IDLE && (status_changed || idle_kind(k) != k->scr.kind)) {
		go_idle(k, false);
		return;
	}
	sync_status(k);
	if (status_changed || days != k->scr.trust_age_days || scanned != k->scr.scanned)
		k->gen++;
}

void dc_kiosk_adjust_admitted(dc_kiosk *k, int delta)
{
	if (!k)
		return;
	if (delta == 0)
		k->admitted = 0;
	else if (delta < 0)
		k->admitted = (unsigned)-delta > k->admitted ? 0 : k->admitted - (unsigned)-delta;
	else
		k->admitted += (unsigned)delta;
	if (k->st == ST_IDLE)
		go_idle(k, false);
	else {
		sync_status(k);
		k->gen++;
	}
}

void dc_kiosk_show_info(dc_kiosk *k, uint64_t now_ms, const char *const *lines, size_t n)
{
	if (!k)
		return;
	/* A result on screen is wiped first, as when it times out. */
	if (k->st == ST_RESULT || k->st == ST_CHUNKS)
		go_idle(k, true);
	mbedtls_platform_zeroize(&k->scr, sizeof k->scr);
	k->scr.kind = DC_SCREEN_OPERATOR;
	for (size_t i = 0; i < n && i < DC_SCREEN_INFO_LINES; i++)
		if (lines[i])
			FMT(k->scr.info[i], "%s", lines[i]);
	sync_status(k);
	k->st = ST_INFO;
	k->info_ms = DC_KIOSK_INFO_MS;
	k->since_ms = now_ms;
	k->gen++;
}

void dc_kiosk_show_notice(dc_kiosk *k, uint64_t now_ms, dc_screen_kind kind,
			  const char *headline, const char *detail)
{
	if (!k || (kind != DC_SCREEN_TRUST_INSTALLED && kind != DC_SCREEN_TRUST_REFUSED))
		return;
	if (k->st == ST_RESULT || k->st == ST_CHUNKS)
		go_idle(k, true);
	mbedtls_platform_zeroize(&k->scr, sizeof k->scr);
	k->scr.kind = kind;
	FMT(k->scr.reason, "%s", headline ? headline : "");
	FMT(k->scr.info[0], "%s", detail ? detail : "");
	sync_status(k);
	k->st = ST_INFO;
	k->info_ms = DC_KIOSK_NOTICE_MS;
	k->since_ms = now_ms;
	k->gen++;
}

void dc_kiosk_set_trust(dc_kiosk *k, int64_t trust_time, const char *out_of_service)
{
	if (!k)
		return;
	k->cfg.trust_time = trust_time;
	if (out_of_service)
		FMT(k->oos, "%s", out_of_service);
	else
		k->oos[0] = 0;
	k->clock_ok = clock_ok(k, k->wall);
	if (k->st == ST_IDLE)
		go_idle(k, false);
	else {
		sync_status(k);
		k->gen++;
	}
}

bool dc_kiosk_is_idle(const dc_kiosk *k)
{
	return k && k->st == ST_IDLE;
}

void dc_kiosk_dismiss(dc_kiosk *k, uint64_t now_ms, int64_t wall)
{
	if (!k || k->st == ST_IDLE)
		return;
	(void)now_ms;
	k->wall = wall;
	go_idle(k, true);
}

const dc_screen *dc_kiosk_screen(const dc_kiosk *k)
{
	return k ? &k->scr : NULL;
}

uint64_t dc_kiosk_generation(const dc_kiosk *k)
{
	return k ? k->gen : 0;
}
