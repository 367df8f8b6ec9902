/* The collector and the kiosk together, as dc_door wires them: the
 * collector (gone_ms, hold until the result ends) is the one owner of
 * "still in view" and of the multi-part timeout; the kiosk shows what it
 * is handed. Frames every 100 ms on a fake clock. */
#define _GNU_SOURCE
#include <string.h>

#include "dc_collect.h"
#include "dc_kiosk.h"
#include "dc_seen.h"
#include "dc_test.h"

static const int64_t WALL = 1800000000;
static const uint8_t KEY[DC_SEEN_KEY_LEN] = { 7 };

typedef struct {
	dc_collect *col;
	dc_kiosk *k;
	int wipes;
	uint64_t now;
} rig;

static void fake_check(void *ctx, const char *const *texts, const size_t *lens, size_t n,
		       double now, dc_record *rec, dc_policy_result *pol)
{
	(void)ctx; (void)now; (void)lens;
	dc_record_init(rec);
	memset(pol, 0, sizeof *pol);
	rec->format = DC_FORMAT_SHC;
	dc_record_fail(rec, DC_OK);
	dc_record_copy(rec->name, sizeof rec->name, n > 1 ? "Multi Part" : texts[0]);
	pol->outcome = DC_POLICY_PASS;
}

/* As dc_door's wipe callback. */
static void wipe(void *ctx)
{
	rig *r = ctx;
	r->wipes++;
	if (dc_collect_pending(r->col, NULL, NULL))
		dc_collect_reset(r->col);
	else
		dc_collect_release(r->col);
}

static void rig_open(rig *r, uint32_t chunk_timeout_ms)
{
	memset(r, 0, sizeof *r);
	dc_collect_config cc = { .chunk_timeout_ms = chunk_timeout_ms, .gone_ms = 1000, .hold = 1 };
	r->col = dc_collect_new(&cc);
	dc_kiosk_config kc = {
		.result_ms = 3000, .hmac_key = KEY, .check = fake_check,
		.wipe = wipe, .wipe_ctx = r,
	};
	r->k = dc_kiosk_new(&kc, 0, WALL);
	CHECK(r->col && r->k);
}

static void rig_close(rig *r)
{
	dc_kiosk_free(r->k);
	dc_collect_free(r->col);
}

/* As dc_door_feed_texts: one frame with text t (NULL: none). */
static void frame_at(rig *r, uint64_t t, const char *text)
{
	dc_collect_result res;
	size_t len = text ? strlen(text) : 0;
	int64_t wall = WALL + (int64_t)(t / 1000);
	r->now = t;
	switch (dc_collect_feed(r->col, t, text ? &text : NULL, text ? &len : NULL,
				text ? 1 : 0, &res)) {
	case DC_COLLECT_PROGRESS:
		dc_kiosk_progress(r->k, t, res.have, res.total);
		break;
	case DC_COLLECT_READY:
		dc_kiosk_credential(r->k, t, wall, res.texts, res.lens, res.n);
		break;
	case DC_COLLECT_TIMEOUT:
		dc_kiosk_chunks_dropped(r->k, t, wall);
		break;
	default:
		break;
	}
	dc_kiosk_tick(r->k, t, wall);
}

/* Empty frames every 100 ms from after the last frame up to before t. */
static void empty_until(rig *r, uint64_t t)
{
	for (uint64_t f = r->now + 100; f < t; f += 100)
		frame_at(r, f, NULL);
}

static void test_same_code(void)
{
	rig r;
	rig_open(&r, 10000);
	const dc_screen *s = dc_kiosk_screen(r.k);
	const char *ada = "shc:/ada";
	frame_at(&r, 0, ada);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	empty_until(&r, 500);
	frame_at(&r, 500, ada);   /* still in view: ignored */
	empty_until(&r, 2900);
	frame_at(&r, 2900, ada);  /* away 2.4 s but its result still shows: ignored */
	CHECK_EQ_INT(s->scanned, 1);
	empty_until(&r, 3100);    /* 3000 since shown: ends */
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(r.wipes, 1);
	empty_until(&r, 3500);
	frame_at(&r, 3500, ada);  /* seen 600 ms ago: still ignored */
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(s->scanned, 1);
	empty_until(&r, 4600);
	frame_at(&r, 4600, ada);  /* away 1100 ms: a new scan */
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(s->scanned, 2);
	/* A card left in front of the camera is one showing for as long as
	 * it stays there. */
	for (uint64_t t = 4700; t < 20000; t += 100)
		frame_at(&r, t, ada);
	CHECK_EQ_INT(s->scanned, 2);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	/* A different code while a result shows replaces it at once. */
	frame_at(&r, 20000, "shc:/grace");
	frame_at(&r, 20100, "shc:/hopper");
	CHECK_EQ_INT(s->scanned, 4);
	CHECK_STR(s->name, "shc:/hopper");
	rig_close(&r);
}

#define C1 "shc:/1/3/5676290952432060346029243740446031"
#define C2 "shc:/2/3/5676290952432060346029243740446032"
#define C3 "shc:/3/3/5676290952432060346029243740446033"

static void test_chunk_timeout(void)
{
	rig r;
	rig_open(&r, 10000);
	const dc_screen *s = dc_kiosk_screen(r.k);
	empty_until(&r, 1000);
	frame_at(&r, 1000, C1);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CHUNKS);
	CHECK_EQ_INT(s->chunks_have, 1);
	CHECK_EQ_INT(s->chunks_total, 3);
	empty_until(&r, 8000);
	frame_at(&r, 8000, C2);   /* progress restarts the timeout */
	CHECK_EQ_INT(s->chunks_have, 2);
	empty_until(&r, 17999);
	frame_at(&r, 17999, NULL);
	CHECK_EQ_INT(s->kind, DC_SCREEN_CHUNKS);
	CHECK_EQ_INT(r.wipes, 0);
	frame_at(&r, 18000, NULL);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT(r.wipes, 1);
	CHECK(!dc_collect_pending(r.col, NULL, NULL));
	/* Completing the parts gives one result. */
	frame_at(&r, 20000, C3);
	frame_at(&r, 20100, C1);
	frame_at(&r, 20200, C2);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_STR(s->name, "Multi Part");
	CHECK_EQ_INT(s->scanned, 1);
	rig_close(&r);
}

int main(void)
{
	test_same_code();
	test_chunk_timeout();
	return dc_test_done();
}
