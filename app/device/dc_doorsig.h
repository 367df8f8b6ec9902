/*
 * dc_doorsig: door signals as pure logic. A verdict becomes timed line
 * changes: a relay pulse on PASS (door strike or turnstile), one LED per
 * verdict, a buzzer pattern. No clock reads, no I/O: the caller passes a
 * monotonic millisecond time to every call and drives dc_doorsig_tick, and the
 * lines are set through a dc_doorsig_out (the GPIO chip in dc_gpio.h, a fake
 * chip in the tests).
 *
 * Safety: the relay only ever switches on for DC_SCREEN_PASS shown as a
 * result; every line starts off, and dc_doorsig_all_off switches everything
 * off (called on exit). A PASS while the relay is on restarts the pulse; any
 * other verdict leaves a running pulse alone (the person before passed) but
 * switches the LEDs and the buzzer to the new verdict.
 *
 * Holds no personal data: only the verdict kind.
 */
#ifndef DC_DOORSIG_H
#define DC_DOORSIG_H

#include <stdbool.h>
#include <stdint.h>

#include "dc_screen.h"

typedef enum {
	DC_DOORSIG_RELAY = 0,
	DC_DOORSIG_LED_PASS,
	DC_DOORSIG_LED_FAIL,
	DC_DOORSIG_BUZZER,
	DC_DOORSIG__LINES
} dc_doorsig_line;

/* Sets one line (value 1 = active, 0 = inactive; polarity is the chip's
 * business). Returns 0, or -1 on failure (dc_doorsig keeps going: a broken
 * LED must not stop the next relay pulse). */
typedef struct {
	int (*set)(void *ctx, dc_doorsig_line line, int value);
	void *ctx;
} dc_doorsig_out;

#define DC_DOORSIG_DEFAULT_RELAY_PULSE_MS 1000u
#define DC_DOORSIG_MAX_RELAY_PULSE_MS 30000u
#define DC_DOORSIG_DEFAULT_LED_MS 4000u
#define DC_DOORSIG_MAX_STEPS 8

typedef struct {
	uint32_t relay_pulse_ms; /* 0 = DC_DOORSIG_DEFAULT_RELAY_PULSE_MS */
	uint32_t led_ms;         /* LED on time per verdict; 0 = DC_DOORSIG_DEFAULT_LED_MS */
	bool buzzer;             /* false: the buzzer line is never set */
} dc_doorsig_config;

typedef struct {
	/* Alternating on/off durations, starting with on; 0 ends the pattern. */
	uint32_t steps[DC_DOORSIG_MAX_STEPS];
	int step;          /* index into steps; -1 = idle */
	uint64_t until;    /* end of the current step */
	int value;         /* what the line was last set to */
} dc_doorsig_track;

typedef struct {
	dc_doorsig_config cfg;
	dc_doorsig_out out;
	dc_doorsig_track line[DC_DOORSIG__LINES];
	unsigned set_errors; /* failed set calls, for the operator screen */
} dc_doorsig;

/* Switches every line off. */
void dc_doorsig_init(dc_doorsig *d, const dc_doorsig_config *cfg, const dc_doorsig_out *out);

/* A verdict was shown at now_ms. Screens that are not results (SCANNING,
 * CHUNKS, the idle CLOCK NOT SET / CAPACITY screens) change nothing. */
void dc_doorsig_signal(dc_doorsig *d, dc_screen_kind kind, bool is_result, uint64_t now_ms);

/* Ends steps whose time passed. Call often (every frame). */
void dc_doorsig_tick(dc_doorsig *d, uint64_t now_ms);

/* Earliest time a line changes next, or UINT64_MAX when all are idle. */
uint64_t dc_doorsig_next_change(const dc_doorsig *d);

/* Every line off now, patterns dropped. */
void dc_doorsig_all_off(dc_doorsig *d);

/* Buzzer patterns (ms on, off, on, ...), exposed for the tests and docs. */
#define DC_DOORSIG_BUZZ_PASS_MS 120u
#define DC_DOORSIG_BUZZ_FAIL_ON_MS 150u
#define DC_DOORSIG_BUZZ_FAIL_OFF_MS 100u

#endif
