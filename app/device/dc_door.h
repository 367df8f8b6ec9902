/*
 * dc_door: door signals as pure logic. A verdict becomes timed line
 * changes: a relay pulse on PASS (door strike or turnstile), one LED per
 * verdict, a buzzer pattern. No clock reads, no I/O: the caller passes a
 * monotonic millisecond time to every call and drives dc_door_tick, and the
 * lines are set through a dc_door_out (the GPIO chip in dc_gpio.h, a fake
 * chip in the tests).
 *
 * Safety: the relay only ever switches on for DC_SCREEN_PASS shown as a
 * result; every line starts off, and dc_door_all_off switches everything
 * off (called on exit). A PASS while the relay is on restarts the pulse; any
 * other verdict leaves a running pulse alone (the person before passed) but
 * switches the LEDs and the buzzer to the new verdict.
 *
 * Holds no personal data: only the verdict kind.
 */
#ifndef DC_DOOR_H
#define DC_DOOR_H

#include <stdbool.h>
#include <stdint.h>

#include "dc_screen.h"

typedef enum {
	DC_DOOR_RELAY = 0,
	DC_DOOR_LED_PASS,
	DC_DOOR_LED_FAIL,
	DC_DOOR_BUZZER,
	DC_DOOR__LINES
} dc_door_line;

/* Sets one line (value 1 = active, 0 = inactive; polarity is the chip's
 * business). Returns 0, or -1 on failure (dc_door keeps going: a broken
 * LED must not stop the next relay pulse). */
typedef struct {
	int (*set)(void *ctx, dc_door_line line, int value);
	void *ctx;
} dc_door_out;

#define DC_DOOR_DEFAULT_RELAY_PULSE_MS 1000u
#define DC_DOOR_MAX_RELAY_PULSE_MS 30000u
#define DC_DOOR_DEFAULT_LED_MS 4000u
#define DC_DOOR_MAX_STEPS 8

typedef struct {
	uint32_t relay_pulse_ms; /* 0 = DC_DOOR_DEFAULT_RELAY_PULSE_MS */
	uint32_t led_ms;         /* LED on time per verdict; 0 = DC_DOOR_DEFAULT_LED_MS */
	bool buzzer;             /* false: the buzzer line is never set */
} dc_door_config;

typedef struct {
	/* Alternating on/off durations, starting with on; 0 ends the pattern. */
	uint32_t steps[DC_DOOR_MAX_STEPS];
	int step;          /* index into steps; -1 = idle */
	uint64_t until;    /* end of the current step */
	int value;         /* what the line was last set to */
} dc_door_track;

typedef struct {
	dc_door_config cfg;
	dc_door_out out;
	dc_door_track line[DC_DOOR__LINES];
	unsigned set_errors; /* failed set calls, for the operator screen */
} dc_door;

/* Switches every line off. */
void dc_door_init(dc_door *d, const dc_door_config *cfg, const dc_door_out *out);

/* A verdict was shown at now_ms. Screens that are not results (SCANNING,
 * CHUNKS, the idle CLOCK NOT SET / CAPACITY screens) change nothing. */
void dc_door_signal(dc_door *d, dc_screen_kind kind, bool is_result, uint64_t now_ms);

/* Ends steps whose time passed. Call often (every frame). */
void dc_door_tick(dc_door *d, uint64_t now_ms);

/* Earliest time a line changes next, or UINT64_MAX when all are idle. */
uint64_t dc_door_next_change(const dc_door *d);

/* Every line off now, patterns dropped. */
void dc_door_all_off(dc_door *d);

/* Buzzer patterns (ms on, off, on, ...), exposed for the tests and docs. */
#define DC_DOOR_BUZZ_PASS_MS 120u
#define DC_DOOR_BUZZ_FAIL_ON_MS 150u
#define DC_DOOR_BUZZ_FAIL_OFF_MS 100u

#endif
