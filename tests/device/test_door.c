/*
 * dc_doorsig against a fake chip behind dc_doorsig_out: every set() is recorded
 * with the fake clock's time, so the test checks what a wired door would
 * see: the relay pulse length on PASS (and only on PASS), the LED per
 * verdict, the buzzer patterns, late ticks, and everything off at exit.
 */
#include <stdint.h>

#include "dc_doorsig.h"
#include "dc_test.h"

#define MAX_EV 256

typedef struct {
	uint64_t now;               /* the fake clock, set by the test */
	int value[DC_DOORSIG__LINES];
	uint64_t on_at[DC_DOORSIG__LINES];
	uint64_t last_on_ms[DC_DOORSIG__LINES]; /* length of the last on period */
	int rises[DC_DOORSIG__LINES];
	int sets;
	int fail_line;              /* this line's set() fails; -1 = none */
} fake_chip;

static int fake_set(void *ctx, dc_doorsig_line l, int v)
{
	fake_chip *c = ctx;
	c->sets++;
	if ((int)l == c->fail_line)
		return -1;
	if (v && !c->value[l]) {
		c->on_at[l] = c->now;
		c->rises[l]++;
	}
	if (!v && c->value[l])
		c->last_on_ms[l] = c->now - c->on_at[l];
	c->value[l] = v;
	return 0;
}

static void reset(fake_chip *c)
{
	memset(c, 0, sizeof *c);
	c->fail_line = -1;
}

/* Runs the fake clock from c->now to end in 1 ms ticks. */
static void run_until(dc_doorsig *d, fake_chip *c, uint64_t end)
{
	while (c->now < end) {
		c->now++;
		dc_doorsig_tick(d, c->now);
	}
}

static void test_pass_pulse(void)
{
	fake_chip c;
	dc_doorsig d;
	reset(&c);
	c.now = 1000;
	dc_doorsig_config cfg = { .relay_pulse_ms = 700, .led_ms = 3000, .buzzer = true };
	dc_doorsig_out out = { fake_set, &c };
	dc_doorsig_init(&d, &cfg, &out);
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		CHECK_EQ_INT(c.value[l], 0);

	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, c.now);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_PASS], 1);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_FAIL], 0);
	CHECK_EQ_INT(c.value[DC_DOORSIG_BUZZER], 1);
	CHECK_EQ_INT(dc_doorsig_next_change(&d), 1000 + DC_DOORSIG_BUZZ_PASS_MS);

	run_until(&d, &c, 1000 + 699);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);
	CHECK_EQ_INT(c.value[DC_DOORSIG_BUZZER], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_BUZZER], DC_DOORSIG_BUZZ_PASS_MS);
	run_until(&d, &c, 1000 + 700);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_RELAY], 700);
	CHECK_EQ_INT(c.rises[DC_DOORSIG_RELAY], 1);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_PASS], 1);
	run_until(&d, &c, 1000 + 3000);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_PASS], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_LED_PASS], 3000);
	CHECK_EQ_INT(dc_doorsig_next_change(&d), UINT64_MAX);
	CHECK_EQ_INT(c.rises[DC_DOORSIG_LED_FAIL], 0);
}

/* Every verdict that is not PASS: red LED, three beeps, relay never. */
static void test_other_verdicts(void)
{
	static const dc_screen_kind kinds[] = {
		DC_SCREEN_FAIL, DC_SCREEN_NOT_VALID, DC_SCREEN_NOT_VERIFIABLE,
		DC_SCREEN_CLOCK_NOT_SET, DC_SCREEN_CAPACITY,
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		fake_chip c;
		dc_doorsig d;
		reset(&c);
		dc_doorsig_config cfg = { .relay_pulse_ms = 500, .led_ms = 2000, .buzzer = true };
		dc_doorsig_out out = { fake_set, &c };
		dc_doorsig_init(&d, &cfg, &out);
		dc_doorsig_signal(&d, kinds[i], true, c.now);
		CHECK_EQ_INT(c.value[DC_DOORSIG_LED_FAIL], 1);
		CHECK_EQ_INT(c.value[DC_DOORSIG_LED_PASS], 0);
		run_until(&d, &c, 5000);
		CHECK_MSG(c.rises[DC_DOORSIG_RELAY] == 0, "relay switched on for %s", dc_screen_name(kinds[i]));
		CHECK_EQ_INT(c.rises[DC_DOORSIG_BUZZER], 3);
		CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_BUZZER], DC_DOORSIG_BUZZ_FAIL_ON_MS);
		CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_LED_FAIL], 2000);
		CHECK_EQ_INT(c.value[DC_DOORSIG_LED_FAIL], 0);
	}
}

/* Idle screens and progress change no line. */
static void test_not_results(void)
{
	fake_chip c;
	dc_doorsig d;
	reset(&c);
	dc_doorsig_out out = { fake_set, &c };
	dc_doorsig_init(&d, NULL, &out);
	int sets = c.sets;
	dc_doorsig_signal(&d, DC_SCREEN_SCANNING, false, 10);
	dc_doorsig_signal(&d, DC_SCREEN_CHUNKS, false, 10);
	dc_doorsig_signal(&d, DC_SCREEN_CLOCK_NOT_SET, false, 10); /* idle screen */
	dc_doorsig_signal(&d, DC_SCREEN_PASS, false, 10);          /* not a result */
	dc_doorsig_signal(&d, DC_SCREEN__COUNT, true, 10);
	CHECK_EQ_INT(c.sets, sets);
	/* The defaults and the buzzer switch: buzzer off means never set. */
	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, 0);
	CHECK_EQ_INT(c.value[DC_DOORSIG_BUZZER], 0);
	run_until(&d, &c, DC_DOORSIG_DEFAULT_RELAY_PULSE_MS);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_RELAY], DC_DOORSIG_DEFAULT_RELAY_PULSE_MS);
	CHECK_EQ_INT(c.rises[DC_DOORSIG_BUZZER], 0);
}

/* PASS during a pulse restarts it; FAIL during a pulse leaves it alone. */
static void test_overlap(void)
{
	fake_chip c;
	dc_doorsig d;
	reset(&c);
	dc_doorsig_config cfg = { .relay_pulse_ms = 1000, .led_ms = 4000 };
	dc_doorsig_out out = { fake_set, &c };
	dc_doorsig_init(&d, &cfg, &out);
	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, 0);
	run_until(&d, &c, 600);
	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, c.now);
	run_until(&d, &c, 1599);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);
	run_until(&d, &c, 1600);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_RELAY], 1600); /* one long pulse */
	CHECK_EQ_INT(c.rises[DC_DOORSIG_RELAY], 1);

	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, c.now);
	run_until(&d, &c, 1800);
	dc_doorsig_signal(&d, DC_SCREEN_NOT_VALID, true, c.now);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_PASS], 0);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_FAIL], 1);
	run_until(&d, &c, 2600);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_RELAY], 1000);
}

/* A tick that comes late ends the pulse at once and walks a whole buzzer
 * pattern; all_off drops everything; a failing line is counted and the
 * others still switch. */
static void test_late_tick_and_off(void)
{
	fake_chip c;
	dc_doorsig d;
	reset(&c);
	dc_doorsig_config cfg = { .relay_pulse_ms = 200, .buzzer = true };
	dc_doorsig_out out = { fake_set, &c };
	dc_doorsig_init(&d, &cfg, &out);
	dc_doorsig_signal(&d, DC_SCREEN_FAIL, true, 0);
	c.now = 10000;
	dc_doorsig_tick(&d, c.now);
	CHECK_EQ_INT(c.value[DC_DOORSIG_BUZZER], 0);
	CHECK_EQ_INT(c.value[DC_DOORSIG_LED_FAIL], 0);
	CHECK_EQ_INT(dc_doorsig_next_change(&d), UINT64_MAX);

	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, c.now);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);
	dc_doorsig_all_off(&d);
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		CHECK_EQ_INT(c.value[l], 0);
	CHECK_EQ_INT(dc_doorsig_next_change(&d), UINT64_MAX);

	reset(&c);
	c.fail_line = DC_DOORSIG_LED_PASS;
	dc_doorsig_init(&d, &cfg, &out);
	unsigned before = d.set_errors;
	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, 0);
	CHECK(d.set_errors > before);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 1);

	/* A pulse longer than the cap is cut to it. */
	reset(&c);
	dc_doorsig_config big = { .relay_pulse_ms = 10u * DC_DOORSIG_MAX_RELAY_PULSE_MS };
	dc_doorsig_init(&d, &big, &out);
	dc_doorsig_signal(&d, DC_SCREEN_PASS, true, 0);
	CHECK_EQ_INT(dc_doorsig_next_change(&d), DC_DOORSIG_MAX_RELAY_PULSE_MS < DC_DOORSIG_DEFAULT_LED_MS
		     ? DC_DOORSIG_MAX_RELAY_PULSE_MS : DC_DOORSIG_DEFAULT_LED_MS);
	c.now = DC_DOORSIG_MAX_RELAY_PULSE_MS;
	dc_doorsig_tick(&d, c.now);
	CHECK_EQ_INT(c.value[DC_DOORSIG_RELAY], 0);
	CHECK_EQ_INT(c.last_on_ms[DC_DOORSIG_RELAY], DC_DOORSIG_MAX_RELAY_PULSE_MS);
}

int main(void)
{
	test_pass_pulse();
	test_other_verdicts();
	test_not_results();
	test_overlap();
	test_late_tick_and_off();
	return dc_test_done();
}
