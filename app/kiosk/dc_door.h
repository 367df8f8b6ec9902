/*
 * dc_door: the door program's composition root. Command line and
 * configuration file, trust and policy loading, the frame -> scanner ->
 * collector -> kiosk -> screen pipeline, and the window loop. `doorcheck`
 * (app/kiosk/main.c) is a straight chain of these calls; the simulator
 * (sim/) builds on the same calls and adds its own options, keys and
 * headless renderer through the hooks below, so the door binary carries
 * none of the simulator's code.
 *
 * Keeps nothing: while scanning no file is written and nothing about a
 * holder is logged. When a result ends the kiosk's wipe callback zeroises
 * the camera frame, the scanner's texts and the collector's texts.
 */
#ifndef DC_DOOR_H
#define DC_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "dc_config.h"
#include "dc_kiosk.h"
#include "dc_source.h"
#include "dc_trustbundle.h"
#include "dc_ui.h"

typedef struct {
	dc_config cfg;
	int width, height;  /* window size (0 = from the configuration) */
	/* The wall clock starts here and runs with the event clock (unix
	 * seconds; 0 = the machine clock). It is checked like the machine
	 * clock: a value before the build shows CLOCK NOT SET. */
	int64_t now;
	/* now is an explicit validation time (the simulator's --at, as
	 * doorcheck-verify --at): a test clock, which the clock check
	 * accepts (dc_clock_ok). The door program never sets it. */
	bool test_clock;
	/* The trust folder must be an installed, signed bundle, checked at
	 * start (dc_trustbundle_load with cfg.trust_pin, or
	 * DC_OPERATOR_PIN_PATH): the door program. Otherwise only when
	 * cfg.trust_pin is set. A refused folder leaves the device OUT OF
	 * SERVICE, with the reason on screen. */
	bool require_bundle;
} dc_door_opts;

/* What a program built on the door adds to its command line. */
typedef struct {
	const char *prog;                   /* name in messages and --help */
	void (*defaults)(dc_config *cfg);   /* before the --config file */
	/* argv[*i] is not a door option: 1 = taken (advance *i past its
	 * value), 0 = unknown, -1 = bad (message printed). */
	int (*option)(void *ctx, int argc, char **argv, int *i);
	void (*usage)(void);                /* after the door's options */
	void *ctx;
} dc_door_cli;

/* Parses argv (flags override the --config file, read first). cli may be
 * NULL (the door). Returns 0 to run, 1 when --help or --version was
 * printed, -1 on an error (printed). */
int dc_door_args(dc_door_opts *o, int argc, char **argv, const dc_door_cli *cli);

typedef struct dc_door dc_door;

/* Loads trust and policy, starts the kiosk. virtual_clock: event times
 * are the caller's (starting at 0) instead of CLOCK_MONOTONIC. NULL on an
 * error (printed). o is copied. */
dc_door *dc_door_new(const dc_door_opts *o, bool virtual_clock);
void dc_door_free(dc_door *d); /* NULL is safe; wipes; SDL_Quit */

/* One frame's worth of input at event time t (ms). */
void dc_door_feed_texts(dc_door *d, uint64_t t, const char *const *texts,
			const size_t *lens, size_t n);
void dc_door_feed_grey(dc_door *d, uint64_t t, const uint8_t *y, int w, int h,
		       int stride);

uint64_t dc_door_mono_ms(void);              /* CLOCK_MONOTONIC in ms */
int64_t dc_door_wall(const dc_door *d, uint64_t t); /* wall time of event time t */
const dc_door_opts *dc_door_options(const dc_door *d);
/* The installed bundle (all 0 without one or when it was refused). */
const dc_trustbundle_info *dc_door_bundle(const dc_door *d);
dc_kiosk *dc_door_kiosk(dc_door *d);
dc_ui *dc_door_ui(dc_door *d);

/* Shows the operator screen (O or F2 in the window): version and build
 * date; trust bundle version, created date and age; SHC issuers, DCC
 * signers and revocation entries; the policy in words; camera, frame size
 * and measured fps; clock state; today's counters. No holder data. */
void dc_door_show_operator(dc_door *d, uint64_t t);

/* The USB trust import (cfg.trust_import_status, dc_importstatus.h):
 * at most once per second of event time, and only while the idle screen
 * shows, stat(2)s the status file; a file replaced since the last look
 * (or since the start) is read and shown for DC_KIOSK_NOTICE_MS:
 * "Trust data installed: version N" after the folder was loaded again and
 * re-checked exactly as at start (a bundle refused then leaves the device
 * OUT OF SERVICE), or "Trust update refused: REASON" with the old data
 * kept in use. dc_door_feed_texts calls it every frame. */
void dc_door_poll_import(dc_door *d, uint64_t t);

/* (Re)opens the configured camera or text source. 0, or -1 (printed). */
int dc_door_open_source(dc_door *d);
dc_source *dc_door_source(dc_door *d);       /* NULL when not open */

/* The window loop's extension points (all optional). */
typedef struct {
	const char *title;
	bool desktop;          /* resizable desktop window with a cursor */
	bool source_optional;  /* keep running when the source cannot open */
	/* Once before the loop (after the source opened). */
	void (*start)(void *ctx, dc_door *d);
	/* A key the door does not handle first: true = handled. */
	bool (*key)(void *ctx, dc_door *d, const SDL_KeyboardEvent *ev, uint64_t t,
		    SDL_Renderer *r, bool *quit);
	/* Feeds the pipeline for one loop period instead of the source:
	 * true = it did. */
	bool (*frame)(void *ctx, dc_door *d, uint64_t t);
	/* The screen model changed (s), or the source ran out (source_end). */
	void (*screen)(void *ctx, dc_door *d, const dc_screen *s, bool changed,
		       bool source_end, bool *quit);
	void *ctx;
} dc_door_window;

/* Runs the window until quit. Door keys: Enter/D dismiss, +/- admitted
 * count, Ctrl+0 reset it, O/F2 operator screen, Ctrl+Q quit. Every key goes through dc_wedge
 * first: a keyboard-wedge scanner's burst is fed as a code and reaches
 * neither the door's keys nor w->key; lone keys reach them ~100 ms late.
 * Returns the process exit code. */
int dc_door_run_window(dc_door *d, const dc_door_window *w);

#endif
