/*
 * Every screen once in a real window under Xvfb: the window's pixels
 * (SDL_RenderReadPixels) have the banner colour and a drawn icon, and the
 * text boxes stay inside the window. Re-runs itself under `xvfb-run -a`;
 * exits 77 when xvfb-run is missing.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "dc_test.h"
#include "dc_ui.h"
#include "dc_sim.h"
#include "dc_sample_screens.h"
#include "dc_sim_test.h"

static int near(SDL_Color a, SDL_Color b)
{
	return abs(a.r - b.r) < 3 && abs(a.g - b.g) < 3 && abs(a.b - b.b) < 3;
}

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];
	while (path && *path) {
		size_t n = strcspn(path, ":");
		DC_FMT(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

static void check_window(dc_ui *ui, int w, int h)
{
	SDL_Window *win = SDL_CreateWindow("doorcheck test", 0, 0, w, h, SDL_WINDOW_SHOWN);
	CHECK(win != NULL);
	if (!win) {
		fprintf(stderr, "window: %s\n", SDL_GetError());
		return;
	}
	SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	CHECK(r != NULL);
	int ow = 0, oh = 0;
	SDL_GetRendererOutputSize(r, &ow, &oh);
	CHECK_EQ_INT(ow, w);
	CHECK_EQ_INT(oh, h);
	SDL_Surface *shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	for (int k = 0; k < DC_SCREEN__COUNT && r && shot; k++) {
		dc_screen s;
		dc_sample_screen((dc_screen_kind)k, &s);
		CHECK(dc_ui_render(ui, r, w, h, &s) == 0);
		CHECK(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
					   shot->pitch) == 0);
		SDL_RenderPresent(r);
		SDL_PumpEvents();
		const dc_ui_box *b;
		size_t n = dc_ui_boxes(ui, &b);
		SDL_Rect icon = { 0, 0, 0, 0 };
		for (size_t i = 0; i < n; i++) {
			CHECK(b[i].rect.x >= 0 && b[i].rect.y >= 0 && b[i].rect.x + b[i].rect.w <= w &&
			      b[i].rect.y + b[i].rect.h <= h);
			if (b[i].role == DC_UI_BOX_ICON)
				icon = b[i].rect;
		}
		SDL_Color want = dc_ui_colour((dc_screen_kind)k), got, white = { 255, 255, 255, 255 };
		const uint8_t *row = (const uint8_t *)shot->pixels + 3 * (size_t)shot->pitch;
		uint32_t px;
		memcpy(&px, row + (size_t)(w - 3) * 4, 4);
		SDL_GetRGB(px, shot->format, &got.r, &got.g, &got.b);
		CHECK_MSG(near(got, want), "%dx%d %s: window banner %d,%d,%d", w, h,
			  dc_screen_name((dc_screen_kind)k), got.r, got.g, got.b);
		int whites = 0;
		for (int y = icon.y; y < icon.y + icon.h; y += 2)
			for (int x = icon.x; x < icon.x + icon.w; x += 2) {
				memcpy(&px, (const uint8_t *)shot->pixels + (size_t)y * (size_t)shot->pitch +
				       (size_t)x * 4, 4);
				SDL_GetRGB(px, shot->format, &got.r, &got.g, &got.b);
				whites += near(got, white);
			}
		CHECK_MSG(whites > 20, "%dx%d %s: no icon in the window", w, h,
			  dc_screen_name((dc_screen_kind)k));
		if (k == DC_SCREEN_PASS) {
			char path[4096], err[256];
			const char *root = getenv("DC_BUILD_ROOT");
			DC_FMT(path, sizeof path, "%s/screens/window-pass-%dx%d.png", root ? root : ".", w, h);
			if (dc_sim_png_write(shot, path, err, sizeof err) != 0)
				fprintf(stderr, "%s\n", err);
		}
	}
	if (shot)
		SDL_FreeSurface(shot);
	if (r)
		SDL_DestroyRenderer(r);
	SDL_DestroyWindow(win);
}

static SDL_Color read_px(SDL_Renderer *r, int x, int y)
{
	uint32_t px = 0;
	SDL_Rect one = { x, y, 1, 1 };
	SDL_Color c = { 0, 0, 0, 255 };
	SDL_RenderReadPixels(r, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4);
	c.r = (uint8_t)(px >> 16);
	c.g = (uint8_t)(px >> 8);
	c.b = (uint8_t)px;
	return c;
}

/* A landscape 800x480 panel mounted upright: display_rotation 90 lays the
 * screen out as 480x800 portrait and turns it, so the banner (the top of
 * the portrait screen) is on the right edge of the panel and the status
 * line on the left. */
static void check_rotation(dc_ui *ui)
{
	SDL_Window *win = SDL_CreateWindow("doorcheck rotated", 0, 0, 800, 480, SDL_WINDOW_SHOWN);
	SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
	SDL_Texture *target = NULL;
	CHECK(r != NULL);
	if (!r)
		return;
	dc_screen s;
	dc_sample_screen(DC_SCREEN_PASS, &s);
	SDL_Color green = dc_ui_colour(DC_SCREEN_PASS), dark = { 34, 34, 34, 255 };
	for (int rot = 90; rot <= 270; rot += 180) {
		/* The software renderer keeps its surface after presenting, so
		 * what dc_ui_present drew can be read back. */
		CHECK(dc_ui_present(ui, r, &s, rot, &target) == 0);
		const dc_ui_box *b;
		size_t n = dc_ui_boxes(ui, &b);
		CHECK(n > 0 && b[0].rect.w == 480); /* the banner: laid out 480 wide */
		SDL_Color right = read_px(r, 795, 240), left = read_px(r, 4, 240);
		if (rot == 90) {
			CHECK_MSG(near(right, green), "rot 90: right edge %d,%d,%d", right.r, right.g, right.b);
			CHECK_MSG(near(left, dark), "rot 90: left edge %d,%d,%d", left.r, left.g, left.b);
		} else {
			CHECK_MSG(near(left, green), "rot 270: left edge %d,%d,%d", left.r, left.g, left.b);
			CHECK_MSG(near(right, dark), "rot 270: right edge %d,%d,%d", right.r, right.g, right.b);
		}
	}
	SDL_DestroyTexture(target);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(win);
}

int main(int argc, char **argv)
{
	(void)argc;
	if (!getenv("DC_UNDER_XVFB")) {
		if (!in_path("xvfb-run")) {
			fprintf(stderr, "xvfb-run not installed\n");
			return 77;
		}
		setenv("DC_UNDER_XVFB", "1", 1);
		/* libdbus and the X11/GL drivers SDL loads keep allocations until
		 * exit; our own code's leaks are checked by kiosk_ui_render,
		 * which uses no window system. */
		if (getenv("ASAN_OPTIONS"))
			setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", 1);
		execlp("xvfb-run", "xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", argv[0], (char *)NULL);
		perror("xvfb-run");
		return 77;
	}
	setenv("SDL_VIDEODRIVER", "x11", 1);
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "SDL video under Xvfb: %s\n", SDL_GetError());
		return 1;
	}
	CHECK_STR(SDL_GetCurrentVideoDriver(), "x11");
	char err[256];
	dc_ui *ui = dc_ui_new(NULL, err, sizeof err);
	CHECK(ui != NULL);
	if (ui) {
		check_window(ui, 800, 480);
		check_window(ui, 1920, 1080);
		check_rotation(ui);
		dc_ui_free(ui);
	}
	SDL_Quit();
	return dc_test_done();
}
