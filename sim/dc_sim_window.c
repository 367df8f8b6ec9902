/* doorcheck-sim in a window: the door's window loop plus the simulator's
 * keys (Esc/Q quit, Ctrl+V paste a code, S screenshot, Right/Space/N next
 * still picture), still pictures held "in front of the camera", and one
 * "screen: NAME" line per screen change. */
#include "dc_sim.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#define STILL_SCAN_MS 100 /* a held picture is scanned this often */

typedef struct {
	dc_sim_opts *o;
	bool still;        /* camera image / folder: the step keys work */
	bool have;         /* a still picture is held */
	dc_frame f;
	uint64_t last_scan;
	dc_screen_kind last_kind;
	unsigned shots;
} sim_window;

/* Still pictures: show the next one (the step key). */
static void next_still(sim_window *sw, dc_door *d)
{
	dc_src_status st;
	if (!dc_door_source(d))
		return;
	do
		st = dc_source_next(dc_door_source(d), &sw->f, 0);
	while (st == DC_SRC_IO);
	if (st == DC_SRC_END) {
		/* start over: the same pictures again */
		if (dc_door_open_source(d) != 0)
			return;
		st = dc_source_next(dc_door_source(d), &sw->f, 0);
	}
	sw->have = st == DC_SRC_OK;
}

static void screenshot(sim_window *sw, dc_door *d, int w, int h)
{
	dc_canvas cv;
	char path[4096], err[512];
	if (dc_canvas_open(&cv, w, h) != 0)
		return;
	const dc_screen *s = dc_kiosk_screen(dc_door_kiosk(d));
	dc_ui_render(dc_door_ui(d), cv.renderer, w, h, s);
	snprintf(path, sizeof path, "%s/doorcheck-%s-%u.png",
		 sw->o->screenshot_dir ? sw->o->screenshot_dir : ".", dc_screen_name(s->kind),
		 sw->shots++);
	if (dc_sim_png_write(cv.surface, path, err, sizeof err) == 0)
		printf("screenshot: %s\n", path);
	else
		fprintf(stderr, "doorcheck-sim: %s\n", err);
	dc_canvas_close(&cv);
}

static void paste(dc_door *d, uint64_t t)
{
	char *txt = SDL_GetClipboardText();
	if (!txt)
		return;
	size_t len = strlen(txt);
	while (len && (txt[len - 1] == '\n' || txt[len - 1] == '\r' || txt[len - 1] == ' '))
		len--;
	if (len) {
		const char *p = txt;
		dc_door_feed_texts(d, t, &p, &len, 1);
	}
	mbedtls_platform_zeroize(txt, strlen(txt));
	SDL_free(txt);
}

static void sim_start(void *ctx, dc_door *d)
{
	sim_window *sw = ctx;
	sw->last_kind = dc_kiosk_screen(dc_door_kiosk(d))->kind;
	if (sw->still)
		next_still(sw, d);
}

static bool sim_key(void *ctx, dc_door *d, const SDL_KeyboardEvent *ev, uint64_t t,
		    SDL_Renderer *r, bool *quit)
{
	sim_window *sw = ctx;
	SDL_Keycode k = ev->keysym.sym;
	bool ctrl = ev->keysym.mod & KMOD_CTRL;
	int rot = dc_door_options(d)->cfg.display_rotation;
	if (k == SDLK_ESCAPE || k == SDLK_q) {
		*quit = true;
	} else if (ctrl && k == SDLK_v) {
		paste(d, t);
	} else if (sw->still && (k == SDLK_RIGHT || k == SDLK_SPACE || k == SDLK_n)) {
		next_still(sw, d);
	} else if (k == SDLK_s) {
		int w, h;
		SDL_GetRendererOutputSize(r, &w, &h);
		screenshot(sw, d, rot % 180 ? h : w, rot % 180 ? w : h);
	} else {
		return false;
	}
	return true;
}

static bool sim_frame(void *ctx, dc_door *d, uint64_t t)
{
	sim_window *sw = ctx;
	if (!sw->still)
		return false;
	/* the held picture is "in front of the camera" until it is wiped at
	 * the end of its result */
	if (sw->have && sw->f.kind == DC_FRAME_GREY && t - sw->last_scan >= STILL_SCAN_MS) {
		sw->last_scan = t;
		dc_door_feed_grey(d, t, sw->f.y, sw->f.width, sw->f.height, sw->f.stride);
	} else {
		dc_door_feed_texts(d, t, NULL, NULL, 0);
	}
	return true;
}

static void sim_screen(void *ctx, dc_door *d, const dc_screen *s, bool changed,
		       bool source_end, bool *quit)
{
	sim_window *sw = ctx;
	(void)d;
	if (changed && !sw->o->quiet && s->kind != sw->last_kind) {
		printf("screen: %s\n", dc_screen_name(s->kind));
		fflush(stdout);
	}
	if (changed)
		sw->last_kind = s->kind;
	/* Codes read from a file or a pipe: stop when they run out and the
	 * last result has ended. */
	if (source_end && !s->is_result && s->kind != DC_SCREEN_CHUNKS)
		*quit = true;
}

int dc_sim_run_window(dc_sim_opts *o, dc_door *d)
{
	const char *cam = o->door.cfg.camera;
	sim_window sw = {
		.o = o,
		.still = !strcmp(cam, "image") || !strcmp(cam, "folder"),
	};
	const dc_door_window w = {
		.title = "doorcheck-sim",
		.desktop = true,
		.source_optional = true,
		.start = sim_start,
		.key = sim_key,
		.frame = sim_frame,
		.screen = sim_screen,
		.ctx = &sw,
	};
	return dc_door_run_window(d, &w);
}
