#include "dc_doorsig.h"

#include <string.h>

static void put(dc_doorsig *d, dc_doorsig_line l, int v)
{
	dc_doorsig_track *t = &d->line[l];
	if (l == DC_DOORSIG_BUZZER && !d->cfg.buzzer)
		return;
	if (t->value == v)
		return;
	t->value = v;
	if (d->out.set && d->out.set(d->out.ctx, l, v) != 0)
		d->set_errors++;
}

static void force_off(dc_doorsig *d, dc_doorsig_line l)
{
	d->line[l].step = -1;
	d->line[l].value = 1; /* so put() writes the 0 whatever was known */
	put(d, l, 0);
	d->line[l].value = 0;
}

void dc_doorsig_init(dc_doorsig *d, const dc_doorsig_config *cfg, const dc_doorsig_out *out)
{
	memset(d, 0, sizeof *d);
	if (cfg)
		d->cfg = *cfg;
	if (!d->cfg.relay_pulse_ms)
		d->cfg.relay_pulse_ms = DC_DOORSIG_DEFAULT_RELAY_PULSE_MS;
	if (d->cfg.relay_pulse_ms > DC_DOORSIG_MAX_RELAY_PULSE_MS)
		d->cfg.relay_pulse_ms = DC_DOORSIG_MAX_RELAY_PULSE_MS;
	if (!d->cfg.led_ms)
		d->cfg.led_ms = DC_DOORSIG_DEFAULT_LED_MS;
	if (out)
		d->out = *out;
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		force_off(d, (dc_doorsig_line)l);
}

/* Starts a pattern on a line at now (replacing any running one). */
static void start(dc_doorsig *d, dc_doorsig_line l, const uint32_t *steps, int n, uint64_t now)
{
	dc_doorsig_track *t = &d->line[l];
	if (l == DC_DOORSIG_BUZZER && !d->cfg.buzzer)
		return; /* not even timed: dc_doorsig_next_change ignores it */
	memset(t->steps, 0, sizeof t->steps);
	for (int i = 0; i < n && i < DC_DOORSIG_MAX_STEPS; i++)
		t->steps[i] = steps[i];
	t->step = 0;
	t->until = now + t->steps[0];
	put(d, l, 1);
}

static void stop(dc_doorsig *d, dc_doorsig_line l)
{
	d->line[l].step = -1;
	put(d, l, 0);
}

void dc_doorsig_signal(dc_doorsig *d, dc_screen_kind kind, bool is_result, uint64_t now_ms)
{
	if (!is_result || kind == DC_SCREEN_SCANNING || kind == DC_SCREEN_CHUNKS ||
	    kind >= DC_SCREEN__COUNT)
		return;
	uint32_t led[1] = { d->cfg.led_ms };
	if (kind == DC_SCREEN_PASS) {
		uint32_t pulse[1] = { d->cfg.relay_pulse_ms };
		uint32_t buzz[1] = { DC_DOORSIG_BUZZ_PASS_MS };
		stop(d, DC_DOORSIG_LED_FAIL);
		start(d, DC_DOORSIG_RELAY, pulse, 1, now_ms);
		start(d, DC_DOORSIG_LED_PASS, led, 1, now_ms);
		start(d, DC_DOORSIG_BUZZER, buzz, 1, now_ms);
		return;
	}
	/* Every other result means "do not let in (yet)": red LED, three beeps. */
	uint32_t buzz[5] = { DC_DOORSIG_BUZZ_FAIL_ON_MS, DC_DOORSIG_BUZZ_FAIL_OFF_MS,
			     DC_DOORSIG_BUZZ_FAIL_ON_MS, DC_DOORSIG_BUZZ_FAIL_OFF_MS,
			     DC_DOORSIG_BUZZ_FAIL_ON_MS };
	stop(d, DC_DOORSIG_LED_PASS);
	start(d, DC_DOORSIG_LED_FAIL, led, 1, now_ms);
	start(d, DC_DOORSIG_BUZZER, buzz, 5, now_ms);
}

void dc_doorsig_tick(dc_doorsig *d, uint64_t now_ms)
{
	for (int l = 0; l < DC_DOORSIG__LINES; l++) {
		dc_doorsig_track *t = &d->line[l];
		/* A late tick may cross several steps: walk them all. */
		while (t->step >= 0 && now_ms >= t->until) {
			t->step++;
			if (t->step >= DC_DOORSIG_MAX_STEPS || !t->steps[t->step]) {
				stop(d, (dc_doorsig_line)l);
				break;
			}
			t->until += t->steps[t->step];
			put(d, (dc_doorsig_line)l, (t->step % 2) == 0);
		}
	}
}

uint64_t dc_doorsig_next_change(const dc_doorsig *d)
{
	uint64_t next = UINT64_MAX;
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		if (d->line[l].step >= 0 && d->line[l].until < next)
			next = d->line[l].until;
	return next;
}

void dc_doorsig_all_off(dc_doorsig *d)
{
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		force_off(d, (dc_doorsig_line)l);
}
