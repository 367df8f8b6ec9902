/* dc_collect with a fake clock: repeats, chunk progress in any order,
 * duplicate chunks, mixed totals, timeout, reset. */
#include <stdint.h>
#include <string.h>

#include "dc_collect.h"
#include "dc_test.h"

static uint64_t now; /* the fake clock, ms */
static dc_collect_result r;

/* One frame with up to 4 texts (NULL-terminated list). */
static dc_collect_status frame(dc_collect *c, const char *a, const char *b,
			       const char *d, const char *e)
{
	const char *t[4] = { a, b, d, e };
	size_t l[4];
	size_t n = 0;
	for (int i = 0; i < 4 && t[i]; i++, n++)
		l[i] = strlen(t[i]);
	now += 100;
	return dc_collect_feed(c, now, t, l, n, &r);
}

static int ready_is(size_t n, const char *const *want)
{
	if (r.status != DC_COLLECT_READY || r.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (r.lens[i] != strlen(want[i]) ||
		    strcmp(r.texts[i], want[i]) != 0)
			return 0;
	return 1;
}

#define C1 "shc:/1/3/5676290952432060346029243740446031"
#define C2 "shc:/2/3/5676290952432060346029243740446032"
#define C3 "shc:/3/3/5676290952432060346029243740446033"

static void test_repeats(void)
{
	dc_collect_config cfg = { .gone_frames = 3 };
	dc_collect *c = dc_collect_new(&cfg);
	const char *hc1[] = { "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N" };

	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, hc1));
	const char *held = r.texts[0];
	/* Still in view: suppressed, and the last credential is wiped. */
	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_IDLE);
	CHECK(held[0] == 0);
	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_IDLE);
	/* Out of view for 2 frames (< 3): still the same showing. */
	frame(c, NULL, NULL, NULL, NULL);
	frame(c, NULL, NULL, NULL, NULL);
	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_IDLE);
	/* Out of view for 3 frames: a new showing. */
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(frame(c, NULL, NULL, NULL, NULL), DC_COLLECT_IDLE);
	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, hc1));
	/* Reset (result screen ended): again at once. */
	dc_collect_reset(c);
	CHECK_EQ_INT(frame(c, hc1[0], NULL, NULL, NULL), DC_COLLECT_READY);

	/* Two different codes in one frame: one each frame, neither lost. */
	dc_collect_reset(c);
	const char *a[] = { "https://example.org/a" }, *b[] = { "shc:/5676" };
	CHECK_EQ_INT(frame(c, a[0], b[0], NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, a));
	CHECK_EQ_INT(frame(c, a[0], b[0], NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, b));
	CHECK_EQ_INT(frame(c, a[0], b[0], NULL, NULL), DC_COLLECT_IDLE);

	/* Malformed chunk headers are handed on whole for the verifier. */
	const char *bad[] = { "shc:/1/1/567629" };
	CHECK_EQ_INT(frame(c, bad[0], NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, bad));
	dc_collect_free(c);
	dc_collect_free(NULL);
}

static void test_chunks_any_order(void)
{
	dc_collect *c = dc_collect_new(NULL);
	const char *want[] = { C1, C2, C3 };
	int have = -1, total = -1;

	CHECK_EQ_INT(frame(c, C3, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK_EQ_INT(r.have, 1);
	CHECK_EQ_INT(r.total, 3);
	CHECK(dc_collect_pending(c, &have, &total) && have == 1 && total == 3);
	/* Same chunk held in view: nothing new, progress still shown. */
	CHECK_EQ_INT(frame(c, C3, NULL, NULL, NULL), DC_COLLECT_IDLE);
	CHECK_EQ_INT(r.have, 1);
	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK_EQ_INT(r.have, 2);
	CHECK_EQ_INT(frame(c, C2, NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(3, want)); /* in order 1..3 */
	CHECK_EQ_INT(r.have, 3);
	CHECK(!dc_collect_pending(c, NULL, NULL));
	const char *held = r.texts[1];
	/* All three in view afterwards: nothing again, texts wiped. */
	CHECK_EQ_INT(frame(c, C1, C2, C3, NULL), DC_COLLECT_IDLE);
	CHECK(held[0] == 0);
	CHECK(!dc_collect_pending(c, NULL, NULL));

	/* All chunks in one frame. */
	dc_collect_reset(c);
	CHECK_EQ_INT(frame(c, C2, C3, C1, NULL), DC_COLLECT_READY);
	CHECK(ready_is(3, want));
	dc_collect_free(c);
}

static void test_duplicate_and_mixed(void)
{
	dc_collect_config cfg = { .gone_frames = 1 };
	dc_collect *c = dc_collect_new(&cfg);

	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	frame(c, NULL, NULL, NULL, NULL);
	frame(c, NULL, NULL, NULL, NULL);
	/* The same chunk shown again after leaving view: no double count. */
	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_IDLE);
	CHECK_EQ_INT(r.have, 1);
	CHECK_EQ_INT(r.total, 3);

	/* Another card's part 1 of 2: the 3-part set is dropped. */
	const char *x1 = "shc:/1/2/5676000000", *x2 = "shc:/2/2/5676111111";
	CHECK_EQ_INT(frame(c, x1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK(r.restarted);
	CHECK_EQ_INT(r.have, 1);
	CHECK_EQ_INT(r.total, 2);
	/* A different text for part 1 (same total): another card again. */
	const char *y1 = "shc:/1/2/5676222222";
	CHECK_EQ_INT(frame(c, y1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK(r.restarted);
	CHECK_EQ_INT(r.have, 1);
	const char *want[] = { y1, x2 };
	CHECK_EQ_INT(frame(c, x2, NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(2, want));

	/* A single card while a set is pending: handed out, set kept. */
	dc_collect_reset(c);
	CHECK_EQ_INT(frame(c, C2, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	const char *single[] = { "shc:/567629095243" };
	CHECK_EQ_INT(frame(c, single[0], NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, single));
	CHECK(dc_collect_pending(c, NULL, NULL));
	dc_collect_free(c);
}

static void test_timeout(void)
{
	dc_collect_config cfg = { .chunk_timeout_ms = 5000, .gone_frames = 2 };
	dc_collect *c = dc_collect_new(&cfg);
	int have = 0, total = 0;

	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	now += 2000;
	CHECK_EQ_INT(frame(c, C2, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK_EQ_INT(r.have, 2);
	/* The timeout counts from the last new chunk. */
	now += 4000;
	CHECK_EQ_INT(frame(c, NULL, NULL, NULL, NULL), DC_COLLECT_IDLE);
	CHECK(dc_collect_pending(c, &have, &total) && have == 2);
	now += 1000;
	CHECK_EQ_INT(frame(c, NULL, NULL, NULL, NULL), DC_COLLECT_TIMEOUT);
	CHECK_EQ_INT(r.have, 2);
	CHECK_EQ_INT(r.total, 3);
	CHECK(!dc_collect_pending(c, NULL, NULL));
	CHECK_EQ_INT(frame(c, NULL, NULL, NULL, NULL), DC_COLLECT_IDLE);
	/* The last part alone after the timeout does not complete anything. */
	CHECK_EQ_INT(frame(c, C3, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK_EQ_INT(r.have, 1);

	/* A chunk still held up when its set timed out starts over. */
	dc_collect_reset(c);
	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	now += 6000;
	CHECK_EQ_INT(frame(c, C1, NULL, NULL, NULL), DC_COLLECT_PROGRESS);
	CHECK_EQ_INT(r.have, 1);
	CHECK(dc_collect_pending(c, NULL, NULL));
	/* Timeout and a complete code in the same frame: the code wins. */
	now += 6000;
	const char *s[] = { "HC1:XYZ" };
	CHECK_EQ_INT(frame(c, s[0], NULL, NULL, NULL), DC_COLLECT_READY);
	CHECK(ready_is(1, s));
	CHECK(!dc_collect_pending(c, NULL, NULL));
	dc_collect_free(c);
}

int main(void)
{
	now = 1700000000000ull;
	test_repeats();
	test_chunks_any_order();
	test_duplicate_and_mixed();
	test_timeout();
	return dc_test_done();
}
