/* doorcheck-sim's command line: the door's options plus the simulator's. */
#include "dc_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dc_time.h"

static void sim_defaults(dc_config *cfg)
{
	cfg->fullscreen = false;
	snprintf(cfg->camera, sizeof cfg->camera, "folder");
}

static void sim_usage(void)
{
	printf(
	"simulator:\n"
	"  input...               images (.png/.jpg), text files (.txt, one code per line),\n"
	"                         folders of them, or text:CODE\n"
	"  --headless             no window: run the inputs through the kiosk and render\n"
	"  --render DIR           headless: write one PNG per screen change into DIR\n"
	"  --size WxH             headless / window size (default 800x480)\n"
	"  --now EPOCH            simulated machine clock start (unix seconds); checked\n"
	"                         like the machine clock (before the build: CLOCK NOT SET)\n"
	"  --at TIME              validation time, as doorcheck-verify --at: ISO 8601 or\n"
	"                         @epoch; a test clock, so the clock check accepts it\n"
	"  --scans N              headless: repeat the inputs until N codes were checked\n"
	"  --screenshot-dir DIR   where the S key saves screenshots (default .)\n"
	"  --demo                 the project's demo cards: a window when there is a\n"
	"                         display, otherwise headless renders into --render DIR\n"
	"                         (default ./doorcheck-demo)\n"
	"  --quiet\n"
	"keys: Right/Space next picture, Ctrl+V paste a code, S screenshot, D dismiss,\n"
	"      +/- admitted count, Ctrl+0 reset count, Esc quit\n");
}

static int parse_size(const char *v, int *w, int *h)
{
	char *end;
	long a = strtol(v, &end, 10);
	if (*end != 'x' || a < 64 || a > 8192)
		return -1;
	long b = strtol(end + 1, &end, 10);
	if (*end || b < 64 || b > 8192)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int sim_option(void *ctx, int argc, char **argv, int *i)
{
	dc_sim_opts *o = ctx;
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	if (!strcmp(a, "--headless")) {
		o->headless = true;
	} else if (!strcmp(a, "--hold")) {
		o->hold = true;
	} else if (!strcmp(a, "--demo")) {
		o->demo = true;
	} else if (!strcmp(a, "--quiet")) {
		o->quiet = true;
	} else if (!strcmp(a, "--render") && v) {
		o->render_dir = v;
		++*i;
	} else if (!strcmp(a, "--screenshot-dir") && v) {
		o->screenshot_dir = v;
		++*i;
	} else if (!strcmp(a, "--size") && v) {
		if (parse_size(v, &o->door.width, &o->door.height) != 0) {
			fprintf(stderr, "%s: --size: expected WIDTHxHEIGHT\n", argv[0]);
			return -1;
		}
		++*i;
	} else if (!strcmp(a, "--now") && v) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n <= 0) {
			fprintf(stderr, "%s: --now: expected unix seconds\n", argv[0]);
			return -1;
		}
		o->door.now = n;
		++*i;
	} else if (!strcmp(a, "--at") && v) {
		double at;
		if (!dc_time_parse(v, strlen(v), &at) || at < 1) {
			fprintf(stderr, "%s: --at needs ISO 8601 (2026-01-31T12:00:00Z) or @epoch\n",
				argv[0]);
			return -1;
		}
		o->door.now = (int64_t)at;
		o->door.test_clock = true;
		++*i;
	} else if (!strcmp(a, "--scans") && v) {
		o->scans = (unsigned)strtoul(v, NULL, 10);
		++*i;
	} else if (a[0] != '-') {
		if (o->n_inputs == DC_SIM_MAX_INPUTS) {
			fprintf(stderr, "%s: too many inputs\n", argv[0]);
			return -1;
		}
		o->inputs[o->n_inputs++] = a;
	} else {
		return 0;
	}
	return 1;
}

int dc_sim_args(dc_sim_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	const dc_door_cli cli = {
		.prog = "doorcheck-sim",
		.defaults = sim_defaults,
		.option = sim_option,
		.usage = sim_usage,
		.ctx = o,
	};
	int rc = dc_door_args(&o->door, argc, argv, &cli);
	if (rc != 0)
		return rc;
	if (o->render_dir)
		o->headless = true; /* --render DIR implies --headless */
	if (o->demo && dc_sim_demo_setup(o) != 0)
		return -1;
	/* Inputs in a window: one picture, or a folder to step through. */
	if (!o->headless && o->n_inputs == 1 && !o->demo) {
		struct stat st;
		if (stat(o->inputs[0], &st) == 0) {
			dc_config *cfg = &o->door.cfg;
			snprintf(cfg->camera, sizeof cfg->camera, "%s",
				 S_ISDIR(st.st_mode) ? "folder" : "image");
			snprintf(cfg->device, sizeof cfg->device, "%s", o->inputs[0]);
		}
	}
	if (o->headless && o->n_inputs == 0) {
		fprintf(stderr, "%s: --headless needs inputs\n", argv[0]);
		return -1;
	}
	return 0;
}
