/* State machine tests with a fake clock and a fake verifier. Repeats and
 * the multi-part timeout are the collector's: test_kiosk_pipeline.c. */
#define _GNU_SOURCE
#include <string.h>

#include "dc_test.h"
#include "dc_kiosk.h"
#include "dc_seen.h"
#include "dc_time.h"

static int wipes;
static void count_wipe(void *ctx) { (void)ctx; wipes++; }

/* "PASS:<name>", "FAIL:<name>", "BAD:x" (bad signature), "http..." (link). */
static void fake_check(void *ctx, const char *const *texts, const size_t *lens, size_t n,
		       double now, dc_record *rec, dc_policy_result *pol)
{
	(void)ctx; (void)now; (void)lens;
	dc_record_init(rec);
	memset(pol, 0, sizeof *pol);
	const char *t = texts[0];
	if (!strncmp(t, "http", 4)) {
		rec->format = DC_FORMAT_URL;
		dc_record_fail(rec, DC_E_URL);
		pol->outcome = DC_POLICY_NOT_VALID;
		return;
	}
	if (!strncmp(t, "BAD:", 4)) {
		rec->format = DC_FORMAT_SHC;
		dc_record_fail(rec, DC_E_SIG_MISMATCH);
		pol->outcome = DC_POLICY_NOT_VALID;
		return;
	}
	rec->format = DC_FORMAT_SHC;
	dc_record_fail(rec, DC_OK);
	const char *colon = strchr(t, ':');
	dc_record_copy(rec->name, sizeof rec->name, colon ? colon + 1 : t);
	dc_record_copy(rec->birth_date, sizeof rec->birth_date, "1961-02-03");
	dc_record_copy(rec->issuer_name, sizeof rec->issuer_name, "Demo Issuer");
	rec->n_events = 2;
	for (int i = 0; i < 2; i++) {
		rec->events[i].kind = DC_EVENT_VACCINATION;
		dc_record_copy(rec->events[i].product, sizeof rec->events[i].product, "Vaccine X");
	}
	dc_record_copy(rec->events[0].date, sizeof rec->events[0].date, "2021-01-01");
	dc_record_copy(rec->events[1].date, sizeof rec->events[1].date, "2021-02-01T10:00:00Z");
	if (n > 1)
		dc_record_copy(rec->name, sizeof rec->name, "Multi Part");
	if (!strncmp(t, "FAIL:", 5)) {
		pol->outcome = DC_POLICY_FAIL;
		snprintf(pol->reason, sizeof pol->reason, "Last dose 5 days ago (needs 14)");
	} else {
		pol->outcome = DC_POLICY_PASS;
		snprintf(pol->reason, sizeof pol->reason, "Fully vaccinated");
	}
}

static const int64_t WALL = 1800000000; /* 2027-01-15 */
static const uint8_t KEY[DC_SEEN_KEY_LEN] = { 1, 2, 3 };

static dc_kiosk *mk_clock(unsigned capacity, uint32_t dup_min, int64_t build_time,
			  bool test_clock)
{
	dc_kiosk_config c = {
		.result_ms = 3000, .test_clock = test_clock,
		.capacity = capacity, .dup_warn_minutes = dup_min,
		.build_time = build_time, .trust_time = WALL - 10 * 86400,
		.hmac_key = KEY, .check = fake_check, .wipe = count_wipe,
	};
	wipes = 0;
	return dc_kiosk_new(&c, 0, WALL);
}

static dc_kiosk *mk(unsigned capacity, uint32_t dup_min, int64_t build_time)
{
	return mk_clock(capacity, dup_min, build_time, false);
}

static void scan(dc_kiosk *k, uint64_t t, const char *text)
{
	size_t len = strlen(text);
	dc_kiosk_credential(k, t, WALL + (int64_t)(t / 1000), &text, &len, 1);
}

static int holds(const dc_screen *s, const char *needle)
{
	return memmem(s, sizeof *s, needle, strlen(needle)) != NULL;
}

static void test_result_timeout(void)
{
	dc_kiosk *k = mk(0, 0, 0);
	CHECK(k != NULL);
	const dc_screen *s = dc_kiosk_screen(k);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(s->trust_age_days, 10);
	uint64_t g = dc_kiosk_generation(k);
	scan(k, 100, "PASS:Ada Lovelace");
	CHECK(dc_kiosk_generation(k) != g);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_STR(s->name, "Ada Lovelace");
	CHECK_STR(s->birth_date, "1961-02-03");
	CHECK_STR(s->issuer, "Demo Issuer");
	CHECK_STR(s->summary[0], "2 doses, last 2021-02-01");
	CHECK_STR(s->summary[1], "Vaccine X");
	CHECK_STR(s->reason, "Fully vaccinated");
	CHECK_EQ_INT(s->scanned, 1);
	CHECK_EQ_INT(s->passed, 1);
	dc_kiosk_tick(k, 3099, WALL + 3);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(wipes, 0);
	dc_kiosk_tick(k, 3100, WALL + 3);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(wipes, 1);
	CHECK(!holds(s, "Lovelace"));
	CHECK(!holds(s, "1961-02-03"));
	CHECK(!holds(s, "Vaccine X"));
	CHECK_EQ_INT(s->passed, 1); /* counters survive the wipe */
	dc_kiosk_free(k);
}

static void test_same_and_different_code(void)
{
	dc_kiosk *k = mk(0, 0, 0);
	const dc_screen *s = dc_kiosk_screen(k);
	scan(k, 0, "PASS:Ada Lovelace");
	CHECK_EQ_INT(s->scanned, 1);
	dc_kiosk_tick(k, 3000, WALL + 3);      /* 3000 since shown: ends */
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	/* Every credential handed over is a new showing (the collector
	 * decides that: test_kiosk_pipeline.c). */
	scan(k, 4600, "PASS:Ada Lovelace");
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(s->scanned, 2);
	/* A different code while a result shows replaces it at once. */
	scan(k, 4700, "FAIL:Grace Hopper");
	CHECK_EQ_INT(s->kind, DC_SCREEN_FAIL);
	CHECK_STR(s->name, "Grace Hopper");
	CHECK_STR(s->reason, "Last dose 5 days ago (needs 14)");
	CHECK(!holds(s, "Lovelace"));
	CHECK_EQ_INT(s->scanned, 3);
	CHECK_EQ_INT(s->failed, 1);
	scan(k, 4800, "BAD:xyz");
	CHECK_EQ_INT(s->kind, DC_SCREEN_NOT_VALID);
	CHECK_STR(s->reason, dc_strerror(DC_E_SIG_MISMATCH));
	CHECK_STR(s->name, "");
	CHECK(!holds(s, "Hopper"));
	scan(k, 4900, "https://example.org/info");
	CHECK_EQ_INT(s->kind, DC_SCREEN_NOT_VERIFIABLE);
	CHECK_STR(s->reason, dc_strerror(DC_E_URL));
	CHECK_EQ_INT(s->not_valid, 1);
	CHECK_EQ_INT(s->not_verifiable, 1);
	CHECK_EQ_INT(s->scanned, 5);
	dc_kiosk_dismiss(k, 5000, WALL + 5);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	dc_kiosk_free(k);
}

static void test_chunk_timeout(void)
{
	dc_kiosk *k = mk(0, 0, 0);
	const dc_screen *s = dc_kiosk_screen(k);
	dc_kiosk_progress(k, 1000, 1, 3);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CHUNKS);
	CHECK_EQ_INT(s->chunks_have, 1);
	CHECK_EQ_INT(s->chunks_total, 3);
	dc_kiosk_tick(k, 8000, WALL + 8);
	dc_kiosk_progress(k, 8000, 2, 3);
	CHECK_EQ_INT(s->chunks_have, 2);
	/* No timer of its own: the progress stays until the collector gives
	 * the parts up. */
	dc_kiosk_tick(k, 600000, WALL + 600);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CHUNKS);
	CHECK_EQ_INT(wipes, 0);
	dc_kiosk_chunks_dropped(k, 600000, WALL + 600);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(wipes, 1);
	dc_kiosk_chunks_dropped(k, 600100, WALL + 600); /* nothing shown: no-op */
	CHECK_EQ_INT(wipes, 1);
	/* Completing the parts gives a result. */
	dc_kiosk_progress(k, 20000, 1, 2);
	const char *texts[2] = { "PASS:part2", "PASS:part1" };
	size_t lens[2] = { 10, 10 };
	dc_kiosk_credential(k, 21000, WALL + 21, texts, lens, 2);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_STR(s->name, "Multi Part");
	/* Bad progress values are ignored. */
	dc_kiosk_progress(k, 21100, 4, 3);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	dc_kiosk_free(k);
}

static void test_duplicate_warning(void)
{
	dc_kiosk *k = mk(0, 10, 0);
	const dc_screen *s = dc_kiosk_screen(k);
	const uint64_t MIN = 60000;
	scan(k, 0, "PASS:Ada Lovelace");
	CHECK_STR(s->warning, "");
	dc_kiosk_tick(k, 5000, WALL + 5);
	scan(k, 10000, "PASS:Ada Lovelace");
	CHECK_STR(s->warning, "Already admitted less than a minute ago");
	dc_kiosk_tick(k, 20000, WALL + 20);
	scan(k, 10000 + 3 * MIN, "PASS:Ada Lovelace");
	CHECK_STR(s->warning, "Already admitted 3 minutes ago");
	scan(k, 10000 + 3 * MIN + 100, "PASS:Grace Hopper");
	CHECK_STR(s->warning, "");
	dc_kiosk_tick(k, 10000 + 3 * MIN + 5000, WALL + 200);
	/* 10 minutes and 1 ms after the last admission: expired. */
	dc_kiosk_tick(k, 10000 + 13 * MIN + 1, WALL + 800);
	scan(k, 10000 + 13 * MIN + 1, "PASS:Ada Lovelace");
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_STR(s->warning, "");
	CHECK_EQ_INT(s->admitted, 5);
	dc_kiosk_free(k);

	/* Feature off: never a warning. */
	k = mk(0, 0, 0);
	s = dc_kiosk_screen(k);
	scan(k, 0, "PASS:Ada Lovelace");
	dc_kiosk_tick(k, 5000, WALL + 5);
	scan(k, 10000, "PASS:Ada Lovelace");
	CHECK_STR(s->warning, "");
	dc_kiosk_free(k);
}

static void test_capacity(void)
{
	dc_kiosk *k = mk(2, 0, 0);
	const dc_screen *s = dc_kiosk_screen(k);
	scan(k, 0, "PASS:One");
	scan(k, 100, "PASS:Two");
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(s->admitted, 2);
	CHECK_EQ_INT(s->capacity, 2);
	dc_kiosk_tick(k, 5000, WALL + 5);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CAPACITY);
	CHECK(!s->is_result);
	scan(k, 6000, "PASS:Three");
	CHECK_EQ_INT(s->kind, DC_SCREEN_CAPACITY);
	CHECK(s->is_result);
	CHECK_STR(s->name, "");
	CHECK_EQ_INT(s->admitted, 2);
	scan(k, 6100, "FAIL:Four");       /* failures still show as failures */
	CHECK_EQ_INT(s->kind, DC_SCREEN_FAIL);
	dc_kiosk_tick(k, 10000, WALL + 10);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CAPACITY);
	dc_kiosk_adjust_admitted(k, -1);  /* someone left */
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(s->admitted, 1);
	scan(k, 12000, "PASS:Five");
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(s->admitted, 2);
	dc_kiosk_adjust_admitted(k, 0);   /* reset */
	CHECK_EQ_INT(s->admitted, 0);
	dc_kiosk_free(k);
}

static void test_clock_not_set(void)
{
	/* Built "after" the clock's time: the clock cannot be right. */
	dc_kiosk *k = mk(0, 0, WALL + 86400);
	const dc_screen *s = dc_kiosk_screen(k);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CLOCK_NOT_SET);
	CHECK(!s->clock_ok);
	scan(k, 0, "PASS:Ada Lovelace");
	CHECK_EQ_INT(s->kind, DC_SCREEN_CLOCK_NOT_SET);
	CHECK(s->is_result);
	CHECK_STR(s->name, "");
	CHECK_EQ_INT(s->passed, 0);
	scan(k, 100, "https://example.org/");
	CHECK_EQ_INT(s->kind, DC_SCREEN_NOT_VERIFIABLE);
	dc_kiosk_tick(k, 5000, WALL + 5);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CLOCK_NOT_SET);
	/* The clock gets set: back to scanning, and PASS works. */
	dc_kiosk_tick(k, 6000, WALL + 2 * 86400);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK(s->clock_ok);
	size_t len = 17;
	const char *t = "PASS:Ada Lovelace";
	dc_kiosk_credential(k, 9000, WALL + 2 * 86400, &t, &len, 1);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	dc_kiosk_free(k);

	/* The one clock rule (app/core dc_clock_ok, also doorcheck-verify's). */
	CHECK(dc_clock_ok(100, 0, 0, false));
	CHECK(!dc_clock_ok(100, 101, 0, false));
	CHECK(!dc_clock_ok(100, 50, 101, false));
	CHECK(dc_clock_ok(101, 50, 101, false));
	CHECK(dc_clock_ok(100, 101, 0, true));  /* --at: a test clock */
	CHECK(dc_clock_ok(100, 50, 101, true));

	/* An explicit validation time before the build is a test clock: the
	 * card is checked at that time. */
	k = mk_clock(0, 0, WALL + 86400, true);
	s = dc_kiosk_screen(k);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK(s->clock_ok);
	scan(k, 0, "PASS:Ada Lovelace");
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	dc_kiosk_free(k);
}

static void test_day_rollover(void)
{
	/* UTC+2: local midnight is 22:00 UTC. WALL is 2027-01-15 08:00 UTC. */
	dc_kiosk_config c = { .utc_offset_s = 7200, .hmac_key = KEY, .check = fake_check };
	int64_t midnight = (WALL + 7200) / 86400 * 86400 + 86400 - 7200;
	dc_kiosk *k = dc_kiosk_new(&c, 0, WALL);
	const dc_screen *s = dc_kiosk_screen(k);
	size_t len = 8;
	const char *t = "PASS:One", *f = "FAIL:Two";
	dc_kiosk_credential(k, 1000, midnight - 60, &t, &len, 1);
	dc_kiosk_credential(k, 2000, midnight - 59, &f, &len, 1);
	CHECK_EQ_INT(s->scanned, 2);
	dc_kiosk_tick(k, 10000, midnight - 1);
	CHECK_EQ_INT(s->scanned, 2);
	uint64_t g = dc_kiosk_generation(k);
	dc_kiosk_tick(k, 11000, midnight);
	CHECK_EQ_INT(s->scanned, 0);
	CHECK_EQ_INT(s->passed, 0);
	CHECK_EQ_INT(s->failed, 0);
	CHECK_EQ_INT(s->admitted, 1); /* the venue's count is not the day's */
	CHECK(dc_kiosk_generation(k) != g);
	dc_kiosk_free(k);
}

/* Random events on a fake clock; invariants checked after every one. */
static void test_random_events(void)
{
	static const char *const codes[] = {
		"PASS:Ada Lovelace", "PASS:Grace Hopper", "FAIL:Alan Turing", "BAD:x",
		"https://example.org/", "PASS:Katherine Johnson",
	};
	uint32_t seed = 12345;
	dc_kiosk *k = mk(3, 5, 0);
	const dc_screen *s = dc_kiosk_screen(k);
	uint64_t t = 0, result_start = 0;
	int bad = 0;
	for (int i = 0; i < 20000 && bad < 5; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 16) % 100;
		t += (seed >> 8) % 700;
		int64_t wall = WALL + (int64_t)(t / 1000);
		unsigned scanned_before = s->scanned;
		if (r < 40) {
			const char *c = codes[(seed >> 4) % 6];
			size_t len = strlen(c);
			dc_kiosk_credential(k, t, wall, &c, &len, 1);
		} else if (r < 50) {
			dc_kiosk_progress(k, t, 1 + (int)((seed >> 3) % 3), 3);
		} else if (r < 53) {
			dc_kiosk_adjust_admitted(k, -1);
		} else if (r < 55) {
			dc_kiosk_dismiss(k, t, wall);
		} else {
			dc_kiosk_tick(k, t, wall);
		}
		if (s->scanned != scanned_before) /* a new result is shown from now */
			result_start = t;
		int ok = 1;
		ok &= s->scanned == s->passed + s->failed + s->not_valid + s->not_verifiable;
		ok &= s->admitted <= 3;
		if (!s->is_result)
			ok &= !s->name[0] && !s->birth_date[0] && !s->summary[0][0] && !s->warning[0];
		if (s->kind == DC_SCREEN_NOT_VALID || s->kind == DC_SCREEN_NOT_VERIFIABLE ||
		    s->kind == DC_SCREEN_CAPACITY)
			ok &= !s->name[0];
		if (s->kind == DC_SCREEN_CHUNKS)
			ok &= s->chunks_have >= 1 && s->chunks_have <= s->chunks_total;
		if (s->kind == DC_SCREEN_PASS || s->kind == DC_SCREEN_FAIL)
			ok &= s->name[0] != 0 && s->is_result;
		/* after a tick, no result is older than result_ms */
		if (r >= 55 && s->is_result)
			ok &= t - result_start < 3000 + 700;
		if (!ok) {
			bad++;
			fprintf(stderr, "invariant broken at event %d (r=%u kind=%s)\n", i, r,
				dc_screen_name(s->kind));
		}
	}
	CHECK_EQ_INT(bad, 0);
	CHECK(s->scanned > 1000);
	dc_kiosk_free(k);
}

static void test_seen_hash(void)
{
	dc_seen *a = dc_seen_new(4, KEY), *r1 = dc_seen_new(4, NULL), *r2 = dc_seen_new(4, NULL);
	CHECK(a && r1 && r2);
	const char *t1[2] = { "shc:/1/2/11", "shc:/2/2/22" }, *t2[2] = { "shc:/2/2/22", "shc:/1/2/11" };
	const char *t3[2] = { "shc:/1/2/1", "1shc:/2/2/22" };
	size_t l1[2] = { 11, 11 }, l3[2] = { 10, 12 };
	uint8_t h1[32], h2[32], h3[32], h4[32], h5[32];
	CHECK(dc_seen_hash(a, t1, l1, 2, h1) == 0);
	CHECK(dc_seen_hash(a, t2, l1, 2, h2) == 0);
	CHECK(dc_seen_hash(a, t3, l3, 2, h3) == 0);
	CHECK(memcmp(h1, h2, 32) == 0);
	CHECK(memcmp(h1, h3, 32) != 0);
	/* Random keys per start: the same card hashes differently. */
	CHECK(dc_seen_hash(r1, t1, l1, 2, h4) == 0);
	CHECK(dc_seen_hash(r2, t1, l1, 2, h5) == 0);
	CHECK(memcmp(h4, h5, 32) != 0);
	/* Full table forgets the oldest. */
	for (int i = 0; i < 5; i++) {
		uint8_t h[32] = { (uint8_t)i };
		dc_seen_add(a, h, 1000 + (uint64_t)i);
	}
	uint8_t h0[32] = { 0 }, hl[32] = { 4 };
	CHECK(!dc_seen_lookup(a, h0, 2000, 100000, NULL));
	uint64_t when = 0;
	CHECK(dc_seen_lookup(a, hl, 2000, 100000, &when));
	CHECK_EQ_INT(when, 1004);
	CHECK_EQ_INT(dc_seen_count(a), 4);
	dc_seen_expire(a, 1003 + 5000, 5000);
	CHECK_EQ_INT(dc_seen_count(a), 2); /* 1003 is exactly 5000 old: kept */
	CHECK(dc_seen_new(0, NULL) == NULL);
	dc_seen_free(a);
	dc_seen_free(r1);
	dc_seen_free(r2);
	dc_seen_free(NULL);
}

int main(void)
{
	test_result_timeout();
	test_same_and_different_code();
	test_chunk_timeout();
	test_duplicate_warning();
	test_capacity();
	test_clock_not_set();
	test_seen_hash();
	test_day_rollover();
	test_random_events();
	return dc_test_done();
}
