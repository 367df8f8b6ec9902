/*
 * A keyboard-wedge scanner's keystrokes never reach the staff keys, nor the
 * simulator's keys (S screenshot, Q/Esc quit, Ctrl+V), even when it types
 * into the window: dc_wedge on a fake clock, then the simulator's real
 * window loop (SDL offscreen driver) with key events pushed by timers as a
 * scanner and as staff would send them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "dc_sim.h"
#include "dc_test.h"
#include "dc_wedge.h"

/* --- dc_wedge alone ------------------------------------------------------ */

static void press(dc_wedge *w, uint64_t t, char c)
{
	dc_wedge_key k = { .sym = c == '\n' ? '\r' : c };
	char s[2] = { c, 0 };
	dc_wedge_keydown(w, t, &k, c == '\n');
	if (c != '\n')
		dc_wedge_text(w, s);
}

static void test_wedge_logic(void)
{
	dc_wedge w;
	dc_wedge_key k;
	const char *line;
	size_t len;
	uint64_t t = 1000;
	dc_wedge_init(&w, 50);
	/* A scanner: 4 ms a key, Enter at the end: one line, no key. */
	const char *code = "shc:/56sqd+-\n";
	int keys = 0, lines = 0;
	for (const char *p = code; *p; p++, t += 4) {
		press(&w, t, *p);
		dc_wedge_out o = dc_wedge_poll(&w, t, &k, &line, &len);
		keys += o == DC_WEDGE_KEY;
		if (o == DC_WEDGE_LINE) {
			lines++;
			CHECK_EQ_INT(len, 12);
			CHECK(!memcmp(line, "shc:/56sqd+-", 12));
		}
	}
	for (int i = 0; i < 10; i++, t += 20)
		keys += dc_wedge_poll(&w, t, &k, &line, &len) == DC_WEDGE_KEY;
	CHECK_EQ_INT(lines, 1);
	CHECK_EQ_INT(keys, 0);
	CHECK(w.text[0] == 0); /* the line was wiped after it was handed out */
	/* Staff: one key alone comes out once the gap has passed. */
	press(&w, t, 'd');
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 49, &k, &line, &len), DC_WEDGE_NONE);
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 50, &k, &line, &len), DC_WEDGE_KEY);
	CHECK_EQ_INT(k.sym, 'd');
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 100, &k, &line, &len), DC_WEDGE_NONE);
	/* Two staff keys 200 ms apart: two keys. */
	t += 1000;
	press(&w, t, '+');
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 60, &k, &line, &len), DC_WEDGE_KEY);
	press(&w, t + 200, '+');
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 260, &k, &line, &len), DC_WEDGE_KEY);
	/* A burst without Enter is dropped: neither keys nor a line. */
	t += 1000;
	for (const char *p = "sq"; *p; p++, t += 3)
		press(&w, t, *p);
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 100, &k, &line, &len), DC_WEDGE_NONE);
	CHECK(w.text[0] == 0);
	/* Longer than any QR text: dropped whole, never cut. */
	t += 1000;
	for (int i = 0; i < DC_WEDGE_MAX_TEXT + 10; i++, t++)
		press(&w, t, '7');
	press(&w, t, '\n');
	CHECK_EQ_INT(dc_wedge_poll(&w, t, &k, &line, &len), DC_WEDGE_NONE);
	CHECK_EQ_INT(dc_wedge_poll(&w, t + 200, &k, &line, &len), DC_WEDGE_NONE);
	dc_wedge_wipe(&w);
}

/* --- the simulator's window ---------------------------------------------- */

static void push_key(SDL_Keycode sym, const char *text)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_KEYDOWN;
	e.key.state = SDL_PRESSED;
	e.key.keysym.sym = sym;
	SDL_PushEvent(&e);
	if (text) {
		memset(&e, 0, sizeof e);
		e.type = SDL_TEXTINPUT;
		snprintf(e.text.text, sizeof e.text.text, "%s", text);
		SDL_PushEvent(&e);
	}
}

/* A scanner types a code containing s, q, d, + and -, then Enter. */
static Uint32 scanner_types(Uint32 interval, void *p)
{
	(void)interval; (void)p;
	for (const char *c = "shc:/5676sq+d-s"; *c; c++) {
		char s[2] = { *c, 0 };
		push_key((SDL_Keycode)*c, s);
	}
	push_key(SDLK_RETURN, NULL);
	return 0;
}

static Uint32 staff_plus(Uint32 interval, void *p)
{
	(void)interval; (void)p;
	push_key(SDLK_PLUS, "+");
	return 0;
}

static Uint32 staff_screenshot(Uint32 interval, void *p)
{
	(void)interval; (void)p;
	push_key(SDLK_s, "s");
	return 0;
}

static Uint32 staff_quit(Uint32 interval, void *p)
{
	(void)interval; (void)p;
	push_key(SDLK_ESCAPE, NULL);
	return 0;
}

static int count_png(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".png") != NULL;
	if (d)
		closedir(d);
	return n;
}

static void test_sim_window(const char *trust)
{
	static dc_sim_opts o;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/kiosk-wedge-XXXXXX",
		 getenv("DC_BUILD_ROOT") ? getenv("DC_BUILD_ROOT") : "/tmp");
	CHECK(mkdtemp(dir) != NULL);
	char *argv[] = { "doorcheck-sim", "--trust", (char *)trust, "--camera", "v4l2",
			 "--device", "/nonexistent/video", "--result-seconds", "30",
			 "--screenshot-dir", dir, NULL };
	CHECK_EQ_INT(dc_sim_args(&o, 11, argv), 0);
	dc_door *d = dc_door_new(&o.door, false);
	CHECK(d != NULL);
	if (!d)
		return;
	/* The loop's own SDL_Init then only counts up. */
	CHECK_EQ_INT(SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER), 0);
	SDL_AddTimer(300, scanner_types, NULL);
	SDL_AddTimer(900, staff_plus, NULL);
	SDL_AddTimer(1500, staff_screenshot, NULL);
	SDL_AddTimer(2100, staff_quit, NULL);
	uint64_t t0 = SDL_GetTicks();
	CHECK_EQ_INT(dc_sim_run_window(&o, d), 0);
	const dc_screen *s = dc_kiosk_screen(dc_door_kiosk(d));
	/* The typed code went to the pipeline: one scan, NOT VALID (a made-up
	 * code), still on screen (30 s): its d was not a dismiss. */
	CHECK_EQ_INT(s->scanned, 1);
	CHECK_EQ_INT(s->not_valid, 1);
	CHECK_EQ_INT(s->kind, DC_SCREEN_NOT_VALID);
	/* Its + and - were not staff keys; the staff's + was. */
	CHECK_EQ_INT(s->admitted, 1);
	/* Its s were no screenshots and its q no quit; the staff's S was one
	 * screenshot, and the staff's Esc ended the loop. */
	CHECK_EQ_INT(count_png(dir), 1);
	CHECK(SDL_GetTicks() - t0 >= 2000);
	dc_door_free(d);
}

int main(int argc, char **argv)
{
	test_wedge_logic();
	if (argc < 2) {
		fprintf(stderr, "usage: %s TRUST_DIR\n", argv[0]);
		return 2;
	}
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	setenv("SDL_AUDIODRIVER", "dummy", 1);
	test_sim_window(argv[1]);
	return dc_test_done();
}
