/*
 * dc_wedge: tells a keyboard-wedge scanner from staff at the keyboard.
 * A wedge scanner "types" a whole code and presses Enter, faster than any
 * person (a few ms per key). Keys that follow each other within gap_ms are
 * one burst (the default gap is wide because SDL stamps events when the
 * loop collects them, every frame, not when the key went down): the
 * burst's characters are a typed code, handed out as one
 * line when Enter ends it, and none of its keys is ever handed out as a
 * key; a burst without Enter is dropped. A key that stands alone (no other
 * key within gap_ms before or after it) is a staff key, handed out gap_ms
 * late. Pure logic: the caller passes event times (ms) and key codes.
 *
 * The typed text is personal data: dc_wedge_poll() hands out a line that
 * stays valid until the next call on w; the buffer is wiped then and by
 * dc_wedge_wipe().
 */
#ifndef DC_WEDGE_H
#define DC_WEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DC_WEDGE_DEFAULT_GAP_MS 100u
#define DC_WEDGE_MAX_TEXT 7089 /* = DC_SCAN_MAX_TEXT: the longest QR text */

typedef struct {
	int32_t sym;      /* the caller's key code (SDL_Keycode) */
	uint16_t mod;     /* the caller's modifier bits */
	int32_t scancode;
} dc_wedge_key;

typedef enum {
	DC_WEDGE_NONE = 0,
	DC_WEDGE_KEY,     /* a staff key: *key */
	DC_WEDGE_LINE,    /* a typed code: *line, *len */
} dc_wedge_out;

typedef struct {
	uint32_t gap_ms;
	bool pending;     /* keys held back, waiting for the gap */
	bool burst;       /* more than one key within gap_ms */
	bool line_ready;
	bool handed;      /* a line was handed out: wipe at the next call */
	uint64_t last_ms;
	dc_wedge_key held;
	size_t len;
	bool overflow;
	char text[DC_WEDGE_MAX_TEXT + 1];
} dc_wedge;

void dc_wedge_init(dc_wedge *w, uint32_t gap_ms); /* 0 = default */

/* A key went down at t (not a modifier key alone, not a key repeat). */
void dc_wedge_keydown(dc_wedge *w, uint64_t t, const dc_wedge_key *k, bool is_enter);

/* The characters that key typed (SDL_TEXTINPUT), UTF-8. */
void dc_wedge_text(dc_wedge *w, const char *utf8);

/* Call every loop: what is ready at time t. */
dc_wedge_out dc_wedge_poll(dc_wedge *w, uint64_t t, dc_wedge_key *key, const char **line,
			   size_t *len);

void dc_wedge_wipe(dc_wedge *w);

#endif
