/*
 * dc_app: what the kiosk (`doorcheck`, app/main.c) and the simulator
 * (`doorcheck-sim`, sim/) share: command line + configuration file, trust
 * and policy loading, the frame -> scanner -> collector -> kiosk -> screen
 * pipeline, the SDL window loop and the headless renderer.
 *
 * Keeps nothing: while scanning no file is written (screenshots and
 * --render PNGs are explicit simulator actions) and nothing about a holder
 * is logged. When a result ends the kiosk's wipe callback zeroises the
 * camera frame, the scanner's texts and the collector's texts.
 */
#ifndef DC_APP_H
#define DC_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_config.h"

#define DC_APP_MAX_INPUTS 256

typedef struct {
	dc_config cfg;
	bool sim;                /* doorcheck-sim (windowed, sim keys) */
	bool headless;           /* no window: render inputs to PNG / memory */
	const char *render_dir;  /* headless: write one PNG per screen change */
	int width, height;       /* headless / window size (0 = from config) */
	const char *inputs[DC_APP_MAX_INPUTS];
	size_t n_inputs;
	unsigned scans;          /* headless: repeat the inputs this many times (0 = once) */
	int64_t now;             /* simulated wall clock start (0 = real clock) */
	bool hold;               /* tests: wait on stdin at each result and after its wipe */
	bool demo;               /* doorcheck-sim --demo */
	bool quiet;
	const char *screenshot_dir;
} dc_app_opts;

/* Parses argv (flags override the --config file, read first). Returns 0 to
 * run, 1 when --help was printed, -1 on an error (printed). */
int dc_app_args(dc_app_opts *o, int argc, char **argv, bool sim);

/* Runs until quit (window) or until the inputs are done (headless).
 * Returns the process exit code. */
int dc_app_run(dc_app_opts *o);

#endif
