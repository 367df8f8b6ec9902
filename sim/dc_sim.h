/*
 * dc_sim: what only the desktop simulator (doorcheck-sim) does, on top of
 * the door program (app/kiosk/dc_door.h): its command line, its window
 * keys (paste a code, step through still pictures, screenshot), the
 * headless renderer (--headless, --render DIR), the PNG writer and the
 * demo set-up. Every symbol here is dc_sim_*: the door binary must link
 * none of them (tests/kiosk door_links_no_sim checks it with nm).
 *
 * Files are written only on explicit simulator actions (--render PNGs,
 * the S key's screenshot); nothing about a holder is printed.
 */
#ifndef DC_SIM_H
#define DC_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "dc_door.h"

#define DC_SIM_MAX_INPUTS 256
#define DC_SIM_MAX_GROUPS 4

/* Inputs [first, end) checked at validation time `at` (a test clock). */
typedef struct {
	int64_t at;
	size_t first, end;
	const char *title;
} dc_sim_group;

typedef struct {
	dc_door_opts door;
	/* Headless runs in groups, each with a door started at its own
	 * validation time (the demo: SHC and DCC cards are minted for
	 * different dates); none = all inputs at door.now. */
	dc_sim_group groups[DC_SIM_MAX_GROUPS];
	size_t n_groups;
	bool headless;           /* no window: render inputs to PNG / memory */
	const char *render_dir;  /* headless: write one PNG per screen change */
	const char *inputs[DC_SIM_MAX_INPUTS];
	size_t n_inputs;
	unsigned scans;          /* headless: repeat the inputs this many times (0 = once) */
	bool hold;               /* tests: wait on stdin at each result and after its wipe */
	bool demo;               /* --demo */
	bool quiet;
	const char *screenshot_dir;
} dc_sim_opts;

/* Command line (door options plus the simulator's). 0 run, 1 done, -1 bad. */
int dc_sim_args(dc_sim_opts *o, int argc, char **argv);

/* --demo: the demo cards and the demo trust folder. 0, or -1 (printed). */
int dc_sim_demo_setup(dc_sim_opts *o);

/* Runs inputs [first, end) through the door without a window, rendering
 * each screen change; prints one line per screen: input, screen, and the
 * PNG file that shows it. *png_seq numbers the files across calls. */
int dc_sim_run_headless(dc_sim_opts *o, dc_door *d, size_t first, size_t end,
			unsigned *png_seq);

/* The simulator's window: its keys and still pictures. */
int dc_sim_run_window(dc_sim_opts *o, dc_door *d);

/* Writes an SDL surface as PNG. 0, or -1 with a reason in err. */
int dc_sim_png_write(SDL_Surface *s, const char *path, char *err, size_t errlen);

#endif
