/*
 * doorcheck-sim: the desktop simulator. The door program (dc_door: the same
 * core, state machine and screens as `doorcheck`) in a window, with frames
 * from images, a folder (step with the keys), a V4L2 webcam or pasted
 * text; or headless (--headless --render DIR input...) rendering each
 * screen to PNG; --demo runs the project's demo cards.
 */
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

int main(int argc, char **argv)
{
	static dc_sim_opts o;
	int rc = dc_sim_args(&o, argc, argv);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	if (!o.headless) {
		dc_door *d = dc_door_new(&o.door, false);
		rc = d ? dc_sim_run_window(&o, d) : 1;
		dc_door_free(d);
		return rc;
	}
	if (o.n_groups == 0)
		o.groups[o.n_groups++] = (dc_sim_group){ .at = 0, .first = 0, .end = o.n_inputs };
	unsigned seq = 0;
	for (size_t g = 0; g < o.n_groups && rc == 0; g++) {
		dc_door_opts dopt = o.door;
		if (o.groups[g].at) {
			dopt.now = o.groups[g].at;
			dopt.test_clock = true;
		}
		if (o.groups[g].title && !o.quiet) {
			char when[32];
			dc_time_format((double)dopt.now, when, sizeof when);
			printf("%s%s, checked at %s:\n", g ? "\n" : "", o.groups[g].title, when);
		}
		dc_door *d = dc_door_new(&dopt, true);
		rc = d ? dc_sim_run_headless(&o, d, o.groups[g].first, o.groups[g].end, &seq) : 1;
		dc_door_free(d);
	}
	return rc;
}
