#include "dc_app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <mbedtls/platform_util.h>

#include "dc_collect.h"
#include "dc_image.h"
#include "dc_kiosk.h"
#include "dc_policy.h"
#include "dc_scan.h"
#include "dc_source.h"
#include "dc_tone.h"
#include "dc_trust.h"
#include "dc_trustload.h"
#include "dc_ui.h"
#include "dc_verify.h"

#ifndef DC_BUILD_EPOCH
#define DC_BUILD_EPOCH 0LL
#endif
#ifndef DC_VERSION
#define DC_VERSION "dev"
#endif

#define FRAME_MS 33            /* window loop period */
#define HEADLESS_FRAME_MS 100  /* virtual time per headless frame */
#define MAX_TEXT_FILE (64u * 1024)

typedef struct {
	dc_app_opts *o;
	dc_trust *trust;
	dc_policy *policy;
	dc_kiosk *kiosk;
	dc_scanner *scanner;
	int scan_w, scan_h;
	dc_collect *collect;
	dc_source *src;
	dc_ui *ui;
	dc_tone *tone;
	uint64_t now_ms;           /* last event time */
	uint64_t mono0;            /* real clock: start */
	int64_t wall0;             /* simulated wall clock at start */
	uint64_t rendered_gen;
	unsigned png_seq;
	const char *input_name;    /* headless: stem of the current input */
} app;

/* --- clocks -------------------------------------------------------------- */

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wall time for an event time: the real clock, or the simulated one that
 * starts at --now and runs with the (real or virtual) milliseconds. */
static int64_t wall_at(const app *a, uint64_t ms)
{
	if (a->o->now || a->o->headless)
		return a->wall0 + (int64_t)((ms - a->mono0) / 1000u);
	return (int64_t)time(NULL);
}

/* The local time zone's offset, so that "today" ends at local midnight. */
static int32_t local_offset(int64_t wall)
{
	struct tm tm;
	time_t t = (time_t)wall;
	if (!localtime_r(&t, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

/* --- pipeline ------------------------------------------------------------ */

static void app_check(void *ctx, const char *const *texts, const size_t *lens, size_t n,
		      double now, dc_record *rec, dc_policy_result *pol)
{
	app *a = ctx;
	dc_verify_opts vo = { .trust = a->trust, .now = now };
	dc_verify_texts(&vo, texts, lens, n, rec);
	dc_policy_evaluate(a->policy, rec, now, pol);
}

/* The result screen ended: zeroise every buffer that held the card. */
static void app_wipe(void *ctx)
{
	app *a = ctx;
	dc_collect_result r;
	if (a->src)
		dc_source_wipe(a->src);
	if (a->scanner)
		dc_scanner_wipe(a->scanner);
	if (dc_collect_pending(a->collect, NULL, NULL))
		dc_collect_reset(a->collect);
	else /* an empty frame wipes the last credential's texts but keeps
	      * the seen list, so a card left in view is not counted again */
		dc_collect_feed(a->collect, a->now_ms, NULL, NULL, 0, &r);
	mbedtls_platform_zeroize(&r, sizeof r);
}

static void feed_texts(app *a, uint64_t t, const char *const *texts, const size_t *lens,
		       size_t n)
{
	dc_collect_result r;
	a->now_ms = t;
	switch (dc_collect_feed(a->collect, t, texts, lens, n, &r)) {
	case DC_COLLECT_PROGRESS:
		dc_kiosk_progress(a->kiosk, t, r.have, r.total);
		break;
	case DC_COLLECT_READY:
		dc_kiosk_credential(a->kiosk, t, wall_at(a, t), r.texts, r.lens, r.n);
		break;
	case DC_COLLECT_TIMEOUT:
		if (dc_kiosk_screen(a->kiosk)->kind == DC_SCREEN_CHUNKS)
			dc_kiosk_dismiss(a->kiosk, t, wall_at(a, t));
		break;
	default:
		break;
	}
	mbedtls_platform_zeroize(&r, sizeof r);
	dc_kiosk_tick(a->kiosk, t, wall_at(a, t));
}

static int ensure_scanner(app *a, int w, int h)
{
	if (a->scanner && w <= a->scan_w && h <= a->scan_h)
		return 0;
	dc_scanner_free(a->scanner);
	a->scan_w = w > a->scan_w ? w : a->scan_w;
	a->scan_h = h > a->scan_h ? h : a->scan_h;
	a->scanner = dc_scanner_new(a->scan_w, a->scan_h);
	if (!a->scanner)
		return -1;
	/* Keys scan_density and scan_budget_ms (docs/scanner.md). */
	dc_scan_config sc;
	dc_scan_config_default(&sc);
	sc.density = a->o->cfg.scan_density;
	sc.budget_ms = a->o->cfg.scan_budget_ms;
	return dc_scanner_config(a->scanner, &sc);
}

static void feed_grey(app *a, uint64_t t, const uint8_t *y, int w, int h, int stride)
{
	const char *texts[DC_SCAN_MAX_CODES];
	size_t lens[DC_SCAN_MAX_CODES];
	int n = 0;
	if (y && ensure_scanner(a, w, h) == 0)
		n = dc_scanner_scan(a->scanner, y, w, h, stride);
	if (n < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		texts[i] = dc_scanner_text(a->scanner, i, &lens[i]);
	feed_texts(a, t, texts, lens, (size_t)n);
	mbedtls_platform_zeroize(texts, sizeof texts);
}

/* --- setup --------------------------------------------------------------- */

static int load_policy(app *a, char *err, size_t errlen)
{
	const char *path = a->o->cfg.policy;
	if (!path[0]) {
		a->policy = dc_policy_new_default();
		return a->policy ? 0 : -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0;
	char why[256];
	if (dc_read_file(path, 1u << 20, &buf, &len, err, errlen) != 0)
		return -1;
	a->policy = dc_policy_parse(buf, len, why, sizeof why);
	free(buf);
	if (!a->policy) {
		if (snprintf(err, errlen, "%s: %s", path, why) < 0)
			err[0] = 0;
		return -1;
	}
	return 0;
}

static int app_setup(app *a, dc_app_opts *o)
{
	char err[512];
	memset(a, 0, sizeof *a);
	a->o = o;
	dc_core_init();
	a->trust = dc_trust_new();
	if (!a->trust || dc_trustload_dir(a->trust, o->cfg.trust, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck: trust data: %s\n", a->trust ? err : "out of memory");
		return -1;
	}
	if (load_policy(a, err, sizeof err) != 0) {
		fprintf(stderr, "doorcheck: policy: %s\n", err);
		return -1;
	}
	dc_collect_config cc = { .chunk_timeout_ms = o->cfg.chunk_timeout_ms };
	a->collect = dc_collect_new(&cc);
	a->ui = dc_ui_new(o->cfg.font, err, sizeof err);
	if (!a->collect || !a->ui) {
		fprintf(stderr, "doorcheck: %s\n", a->ui ? "out of memory" : err);
		return -1;
	}
	if (ensure_scanner(a, o->cfg.camera_width > 0 ? o->cfg.camera_width : 1280,
			   o->cfg.camera_height > 0 ? o->cfg.camera_height : 720) != 0) {
		fprintf(stderr, "doorcheck: cannot size the scanner\n");
		return -1;
	}
	a->mono0 = o->headless ? 0 : mono_ms();
	a->now_ms = a->mono0;
	a->wall0 = o->now ? o->now : (int64_t)time(NULL);
	dc_kiosk_config kc = {
		.result_ms = o->cfg.result_ms,
		.chunk_timeout_ms = o->cfg.chunk_timeout_ms,
		.capacity = o->cfg.capacity,
		.dup_warn_minutes = o->cfg.dup_warn_minutes,
		.build_time = DC_BUILD_EPOCH,
		.trust_time = dc_trust_data_time(a->trust),
		.utc_offset_s = local_offset(a->wall0),
		.check = app_check, .check_ctx = a,
		.wipe = app_wipe, .wipe_ctx = a,
	};
	a->kiosk = dc_kiosk_new(&kc, a->now_ms, wall_at(a, a->now_ms));
	if (!a->kiosk) {
		fprintf(stderr, "doorcheck: cannot start the kiosk (no random key?)\n");
		return -1;
	}
	return 0;
}

static void app_teardown(app *a)
{
	dc_kiosk_free(a->kiosk);
	dc_source_free(a->src);
	dc_scanner_free(a->scanner);
	dc_collect_free(a->collect);
	dc_tone_free(a->tone);
	dc_ui_free(a->ui);
	dc_policy_free(a->policy);
	dc_trust_free(a->trust);
	mbedtls_platform_zeroize(a, sizeof *a);
}

/* --- headless ------------------------------------------------------------ */

static void stem_of(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (!strncmp(path, "text:", 5))
		b = "text";
	size_t n = strcspn(b, ".");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, b, n);
	out[n] = 0;
	for (char *p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			*p = '_';
}

static int render_headless(app *a, dc_canvas *cv, bool force)
{
	uint64_t gen = dc_kiosk_generation(a->kiosk);
	if (!force && gen == a->rendered_gen)
		return 0;
	a->rendered_gen = gen;
	const dc_screen *s = dc_kiosk_screen(a->kiosk);
	if (dc_ui_render(a->ui, cv->renderer, cv->w, cv->h, s) != 0) {
		fprintf(stderr, "doorcheck: render: %s\n", SDL_GetError());
		return -1;
	}
	/* A text: input is a code itself: never echo it. */
	if (!a->o->quiet)
		printf("%s: %s\n", !a->input_name ? "-" : strncmp(a->input_name, "text:", 5)
		       ? a->input_name : "text", dc_screen_name(s->kind));
	if (a->o->render_dir) {
		char path[4096], err[512], stem[64];
		stem_of(a->input_name ? a->input_name : "start", stem, sizeof stem);
		snprintf(path, sizeof path, "%s/%04u-%s-%s.png", a->o->render_dir, a->png_seq++,
			 stem, dc_screen_name(s->kind));
		if (dc_png_write_surface(cv->surface, path, err, sizeof err) != 0) {
			fprintf(stderr, "doorcheck: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static void wait_line(const char *say)
{
	char line[16];
	printf("%s\n", say);
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin))
		return;
}

/* Reads a small text file without stdio (no buffer left behind holding
 * the code); the caller wipes and frees it. */
static char *read_text_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = calloc(1, MAX_TEXT_FILE + 1);
	size_t n = 0;
	ssize_t r;
	while (buf && n < MAX_TEXT_FILE && (r = read(fd, buf + n, MAX_TEXT_FILE - n)) > 0)
		n += (size_t)r;
	close(fd);
	*len = n;
	return buf;
}

static int headless_frame_done(app *a, dc_canvas *cv, uint64_t *t)
{
	int rc = render_headless(a, cv, false);
	*t += HEADLESS_FRAME_MS;
	return rc;
}

/* After one input: hold (tests), then let the result run out and wipe. */
static int headless_finish(app *a, dc_canvas *cv, uint64_t *t)
{
	const dc_screen *s = dc_kiosk_screen(a->kiosk);
	if (a->o->hold && s->is_result) {
		char say[64];
		snprintf(say, sizeof say, "RESULT %s", dc_screen_name(s->kind));
		wait_line(say);
	}
	/* The card leaves the camera: empty frames, then the result times out. */
	uint64_t end = *t + a->o->cfg.result_ms + 2 * HEADLESS_FRAME_MS;
	while (*t < end) {
		feed_texts(a, *t, NULL, NULL, 0);
		if (headless_frame_done(a, cv, t) != 0)
			return -1;
	}
	if (a->o->hold)
		wait_line("WIPED");
	return 0;
}

static int headless_file(app *a, dc_canvas *cv, const char *path, uint64_t *t)
{
	a->input_name = path;
	const char *dot = strrchr(path, '.');
	if (!strncmp(path, "text:", 5)) {
		const char *txt = path + 5;
		size_t len = strlen(txt);
		feed_texts(a, *t, &txt, &len, 1);
		if (headless_frame_done(a, cv, t) != 0)
			return -1;
	} else if (dot && !strcmp(dot, ".txt")) {
		size_t len = 0;
		char *buf = read_text_file(path, &len);
		if (!buf) {
			fprintf(stderr, "doorcheck: cannot read %s\n", path);
			return -1;
		}
		/* One line = one code in one frame (multi-part cards: one line
		 * per part, as if shown one after the other). */
		char *p = buf, *end = buf + len;
		while (p < end) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t l = (size_t)((nl ? nl : end) - p);
			while (l && (p[l - 1] == '\r' || p[l - 1] == ' '))
				l--;
			if (l) {
				const char *tx = p;
				feed_texts(a, *t, &tx, &l, 1);
				if (headless_frame_done(a, cv, t) != 0)
					break;
			}
			p += (nl ? (size_t)(nl - p) + 1 : (size_t)(end - p));
		}
		mbedtls_platform_zeroize(buf, MAX_TEXT_FILE + 1);
		free(buf);
	} else {
		dc_grey g;
		char err[512];
		if (dc_image_load(path, &g, err, sizeof err) != 0) {
			fprintf(stderr, "doorcheck: %s\n", err);
			return -1;
		}
		feed_grey(a, *t, g.y, g.width, g.height, g.stride);
		dc_grey_free(&g);
		if (headless_frame_done(a, cv, t) != 0)
			return -1;
	}
	return headless_finish(a, cv, t);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool wanted_file(const char *name)
{
	const char *dot = strrchr(name, '.');
	return name[0] != '.' && dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") ||
					 !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".txt"));
}

static int headless_input(app *a, dc_canvas *cv, const char *in, uint64_t *t)
{
	struct stat st;
	if (strncmp(in, "text:", 5) != 0 && stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(in);
		char *names[1024];
		size_t n = 0;
		struct dirent *e;
		int rc = 0;
		if (!d) {
			fprintf(stderr, "doorcheck: cannot open folder %s\n", in);
			return -1;
		}
		while ((e = readdir(d)) && n < 1024)
			if (wanted_file(e->d_name)) {
				size_t l = strlen(in) + strlen(e->d_name) + 2;
				names[n] = malloc(l);
				if (names[n])
					snprintf(names[n++], l, "%s/%s", in, e->d_name);
			}
		closedir(d);
		qsort(names, n, sizeof names[0], by_name);
		for (size_t i = 0; i < n; i++) {
			if (rc == 0)
				rc = headless_file(a, cv, names[i], t);
			free(names[i]);
		}
		return rc;
	}
	return headless_file(a, cv, in, t);
}

static int run_headless(app *a)
{
	dc_canvas cv;
	int w = a->o->width ? a->o->width : 800, h = a->o->height ? a->o->height : 480;
	uint64_t t = 0;
	int rc = 1;
	if (a->o->render_dir && mkdir(a->o->render_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "doorcheck: cannot create %s\n", a->o->render_dir);
		return 1;
	}
	if (dc_canvas_open(&cv, w, h) != 0) {
		fprintf(stderr, "doorcheck: canvas: %s\n", SDL_GetError());
		return 1;
	}
	if (render_headless(a, &cv, true) != 0)
		goto out;
	unsigned target = a->o->scans;
	do {
		unsigned before = dc_kiosk_screen(a->kiosk)->scanned;
		for (size_t i = 0; i < a->o->n_inputs; i++)
			if (headless_input(a, &cv, a->o->inputs[i], &t) != 0)
				goto out;
		if (dc_kiosk_screen(a->kiosk)->scanned == before)
			break; /* nothing scannable: do not loop forever */
	} while (dc_kiosk_screen(a->kiosk)->scanned < target);
	const dc_screen *s = dc_kiosk_screen(a->kiosk);
	if (!a->o->quiet) {
		printf("scanned %u: %u pass, %u fail, %u not valid, %u not verifiable\n",
		       s->scanned, s->passed, s->failed, s->not_valid, s->not_verifiable);
		char *where = a->o->render_dir ? realpath(a->o->render_dir, NULL) : NULL;
		if (where)
			printf("%u screens rendered into %s\n", a->png_seq, where);
		free(where);
	}
	rc = 0;
out:
	dc_canvas_close(&cv);
	return rc;
}

/* --- window -------------------------------------------------------------- */

static bool is_still(const dc_app_opts *o)
{
	return !strcmp(o->cfg.camera, "image") || !strcmp(o->cfg.camera, "folder");
}

static int open_source(app *a)
{
	dc_source_config sc = {
		.kind = a->o->cfg.camera,
		.device = a->o->cfg.device[0] ? a->o->cfg.device : NULL,
		.width = a->o->cfg.camera_width,
		.height = a->o->cfg.camera_height,
		.rotation = a->o->cfg.camera_rotation,
	};
	dc_source_free(a->src);
	a->src = NULL;
	dc_src_status st = dc_source_open(&sc, &a->src);
	if (st != DC_SRC_OK) {
		fprintf(stderr, "doorcheck: camera %s: %s\n", sc.kind,
			a->src ? dc_source_error(a->src) : "cannot open");
		dc_source_free(a->src);
		a->src = NULL;
		return -1;
	}
	return 0;
}

typedef struct {
	bool have;
	dc_frame f;
} held_frame;

/* Still pictures: show the next one (the sim's step key). */
static void next_still(app *a, held_frame *hf)
{
	dc_src_status st;
	if (!a->src)
		return;
	do
		st = dc_source_next(a->src, &hf->f, 0);
	while (st == DC_SRC_IO);
	if (st == DC_SRC_END) {
		/* start over: the same pictures again */
		if (open_source(a) != 0)
			return;
		st = dc_source_next(a->src, &hf->f, 0);
	}
	hf->have = st == DC_SRC_OK;
}

static void screenshot(app *a, int w, int h)
{
	dc_canvas cv;
	char path[4096], err[512];
	static unsigned n;
	if (dc_canvas_open(&cv, w, h) != 0)
		return;
	const dc_screen *s = dc_kiosk_screen(a->kiosk);
	dc_ui_render(a->ui, cv.renderer, w, h, s);
	snprintf(path, sizeof path, "%s/doorcheck-%s-%u.png",
		 a->o->screenshot_dir ? a->o->screenshot_dir : ".", dc_screen_name(s->kind), n++);
	if (dc_png_write_surface(cv.surface, path, err, sizeof err) == 0)
		printf("screenshot: %s\n", path);
	else
		fprintf(stderr, "doorcheck: %s\n", err);
	dc_canvas_close(&cv);
}

static void paste(app *a, uint64_t t)
{
	char *txt = SDL_GetClipboardText();
	if (!txt)
		return;
	size_t len = strlen(txt);
	while (len && (txt[len - 1] == '\n' || txt[len - 1] == '\r' || txt[len - 1] == ' '))
		len--;
	if (len) {
		const char *p = txt;
		feed_texts(a, t, &p, &len, 1);
	}
	mbedtls_platform_zeroize(txt, strlen(txt));
	SDL_free(txt);
}

static int run_window(app *a)
{
	dc_app_opts *o = a->o;
	int rc = 1, rot = o->cfg.display_rotation;
	SDL_Window *win = NULL;
	SDL_Renderer *r = NULL;
	SDL_Texture *target = NULL;
	held_frame hf = { 0 };
	bool still = is_still(o);

	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "doorcheck: no display (%s); try --headless\n", SDL_GetError());
		return 1;
	}
	int w = o->width ? o->width : o->cfg.display_width;
	int h = o->height ? o->height : o->cfg.display_height;
	if (!w || !h) {
		w = 800;
		h = 480;
	}
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	if (o->sim)
		flags |= SDL_WINDOW_RESIZABLE;
	else if (o->cfg.fullscreen)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	if (!o->sim)
		SDL_ShowCursor(SDL_DISABLE);
	win = SDL_CreateWindow(o->sim ? "doorcheck-sim" : "doorcheck", SDL_WINDOWPOS_CENTERED,
			       SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (win)
		r = SDL_CreateRenderer(win, -1, SDL_RENDERER_PRESENTVSYNC);
	if (win && !r)
		r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	if (!r) {
		fprintf(stderr, "doorcheck: window: %s\n", SDL_GetError());
		goto out;
	}
	if (o->cfg.tone)
		a->tone = dc_tone_new();
	if (open_source(a) != 0 && !o->sim)
		goto out;
	if (still)
		next_still(a, &hf);

	dc_screen_kind last_kind = dc_kiosk_screen(a->kiosk)->kind;
	uint64_t last_gen = 0, last_scan = 0;
	unsigned last_scanned = dc_kiosk_screen(a->kiosk)->scanned;
	bool dirty = true, quit = false, src_done = false;
	while (!quit) {
		uint64_t t = mono_ms();
		SDL_Event ev;
		while (SDL_PollEvent(&ev)) {
			if (ev.type == SDL_QUIT) {
				quit = true;
			} else if (ev.type == SDL_WINDOWEVENT) {
				dirty = true;
			} else if (ev.type == SDL_KEYDOWN) {
				SDL_Keycode k = ev.key.keysym.sym;
				bool ctrl = ev.key.keysym.mod & KMOD_CTRL;
				if (o->sim && (k == SDLK_ESCAPE || k == SDLK_q))
					quit = true;
				else if (!o->sim && ctrl && k == SDLK_q)
					quit = true;
				else if (o->sim && ctrl && k == SDLK_v)
					paste(a, t);
				else if (still && (k == SDLK_RIGHT || k == SDLK_SPACE || k == SDLK_n))
					next_still(a, &hf);
				else if (o->sim && k == SDLK_s) {
					int sw, sh;
					SDL_GetRendererOutputSize(r, &sw, &sh);
					screenshot(a, rot % 180 ? sh : sw, rot % 180 ? sw : sh);
				} else if (k == SDLK_RETURN || k == SDLK_d)
					dc_kiosk_dismiss(a->kiosk, t, wall_at(a, t));
				else if (k == SDLK_MINUS || k == SDLK_KP_MINUS)
					dc_kiosk_adjust_admitted(a->kiosk, -1);
				else if (k == SDLK_PLUS || k == SDLK_KP_PLUS || k == SDLK_EQUALS)
					dc_kiosk_adjust_admitted(a->kiosk, 1);
				else if (k == SDLK_0 && ctrl)
					dc_kiosk_adjust_admitted(a->kiosk, 0);
			}
		}
		if (still) {
			/* the held picture is "in front of the camera" until it is
			 * wiped at the end of its result */
			if (hf.have && hf.f.kind == DC_FRAME_GREY && t - last_scan >= 100) {
				last_scan = t;
				feed_grey(a, t, hf.f.y, hf.f.width, hf.f.height, hf.f.stride);
			} else {
				feed_texts(a, t, NULL, NULL, 0);
			}
			SDL_Delay(FRAME_MS);
		} else if (a->src) {
			dc_frame f;
			dc_src_status st = dc_source_next(a->src, &f, FRAME_MS);
			t = mono_ms();
			if (st == DC_SRC_OK && f.kind == DC_FRAME_GREY)
				feed_grey(a, t, f.y, f.width, f.height, f.stride);
			else if (st == DC_SRC_OK && f.kind == DC_FRAME_TEXT)
				feed_texts(a, t, &f.text, &f.text_len, 1);
			else
				feed_texts(a, t, NULL, NULL, 0);
			if (st == DC_SRC_END || st == DC_SRC_NO_DEVICE || st == DC_SRC_IO)
				SDL_Delay(FRAME_MS);
			src_done = st == DC_SRC_END;
		} else {
			feed_texts(a, t, NULL, NULL, 0);
			SDL_Delay(FRAME_MS);
		}
		const dc_screen *s = dc_kiosk_screen(a->kiosk);
		if (dirty || dc_kiosk_generation(a->kiosk) != last_gen) {
			/* a new result counts one more scan: beep once for it */
			if (s->is_result && s->scanned != last_scanned)
				dc_tone_play(a->tone, s->kind);
			last_scanned = s->scanned;
			if (o->sim && !o->quiet && s->kind != last_kind) {
				printf("screen: %s\n", dc_screen_name(s->kind));
				fflush(stdout);
			}
			last_gen = dc_kiosk_generation(a->kiosk);
			last_kind = s->kind;
			dc_ui_present(a->ui, r, dc_kiosk_screen(a->kiosk), rot, &target);
			dirty = false;
		}
		/* The simulator reading codes from a file or a pipe stops when
		 * they run out and the last result has ended. */
		if (src_done && o->sim && !s->is_result && s->kind != DC_SCREEN_CHUNKS)
			quit = true;
	}
	rc = 0;
out:
	if (target)
		SDL_DestroyTexture(target);
	if (r)
		SDL_DestroyRenderer(r);
	if (win)
		SDL_DestroyWindow(win);
	return rc;
}

int dc_app_run(dc_app_opts *o)
{
	app a;
	int rc = 1;
	/* Headless rendering needs no SDL subsystem (surfaces and the
	 * software renderer work without one). SDL_Init would connect to the
	 * desktop bus, and with DISPLAY set libdbus starts dbus-launch. */
	if (!o->headless && SDL_Init(0) != 0) {
		fprintf(stderr, "doorcheck: SDL: %s\n", SDL_GetError());
		return 1;
	}
	if (app_setup(&a, o) == 0)
		rc = o->headless ? run_headless(&a) : run_window(&a);
	app_teardown(&a);
	SDL_Quit();
	return rc;
}

/* --- command line -------------------------------------------------------- */

static void usage(bool sim)
{
	printf("usage: %s [options]%s\n", sim ? "doorcheck-sim" : "doorcheck",
	       sim ? " [input...]" : "");
	printf(
	"  --config FILE          configuration file (docs/kiosk.md); flags below override it\n"
	"  --camera KIND          libcamera | v4l2 | image | folder | text\n"
	"  --device PATH          camera device, image, folder or text file\n"
	"  --resolution WxH       camera frame size\n"
	"  --rotation DEG         camera rotation (0, 90, 180, 270)\n"
	"  --display WxH|auto     window / screen size\n"
	"  --display-rotation DEG rotate the screen (90, 270: portrait)\n"
	"  --fullscreen on|off\n"
	"  --result-seconds S     how long a result stays on screen\n"
	"  --chunk-timeout-seconds S\n"
	"  --policy FILE          venue policy (docs/policy.md); default: built in\n"
	"  --trust DIR            trust folder\n"
	"  --capacity N           admissions before CAPACITY REACHED (0 = no limit)\n"
	"  --duplicate-warning-minutes N  warn when a card is shown again (0 = off)\n"
	"  --tone on|off          beep per verdict\n"
	"  --font FILE\n");
	if (sim)
		printf(
	"simulator:\n"
	"  input...               images (.png/.jpg), text files (.txt, one code per line),\n"
	"                         folders of them, or text:CODE\n"
	"  --headless             no window: run the inputs through the kiosk and render\n"
	"  --render DIR           headless: write one PNG per screen change into DIR\n"
	"  --size WxH             headless / window size (default 800x480)\n"
	"  --now EPOCH            simulated wall clock start (unix seconds)\n"
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

#ifdef DC_DEMO_CARDS_DIR
static const char *const demo_cards[] = {
	"vaccinated.png", "partial.png", "recent.png", "test-negative.png", "expired.png",
	"revoked.png", "tampered.png", "untrusted.png", "multi-1.png", "multi-2.png",
	"multi-3.png",
};
#endif

static int setup_demo(dc_app_opts *o)
{
#if defined(DC_DEMO_CARDS_DIR) && defined(DC_DEMO_TRUST)
	static char paths[sizeof demo_cards / sizeof demo_cards[0]][4096];
	snprintf(o->cfg.trust, sizeof o->cfg.trust, "%s", DC_DEMO_TRUST);
	if (o->n_inputs == 0) {
		for (size_t i = 0; i < sizeof demo_cards / sizeof demo_cards[0]; i++) {
			snprintf(paths[i], sizeof paths[i], "%s/%s", DC_DEMO_CARDS_DIR, demo_cards[i]);
			o->inputs[o->n_inputs++] = paths[i];
		}
		o->inputs[o->n_inputs++] = "text:https://www.example.org/my-vaccination-record";
	}
	const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	if (!o->headless && ((disp && *disp) || (wl && *wl))) {
		snprintf(o->cfg.camera, sizeof o->cfg.camera, "folder");
		snprintf(o->cfg.device, sizeof o->cfg.device, "%s", DC_DEMO_CARDS_DIR);
	} else {
		o->headless = true;
		if (!o->render_dir)
			o->render_dir = "doorcheck-demo";
	}
	return 0;
#else
	(void)o;
	fprintf(stderr, "doorcheck-sim: this build has no demo cards (libqrencode missing?)\n");
	return -1;
#endif
}

int dc_app_args(dc_app_opts *o, int argc, char **argv, bool sim)
{
	char err[256], key[64];
	uint8_t *buf = NULL;
	size_t len = 0;
	memset(o, 0, sizeof *o);
	dc_config_defaults(&o->cfg);
	o->sim = sim;
	if (sim) {
		o->cfg.fullscreen = false;
		snprintf(o->cfg.camera, sizeof o->cfg.camera, "folder");
	}
	/* The config file first, so that every flag overrides it. */
	for (int i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "--config")) {
			if (dc_read_file(argv[i + 1], DC_CONFIG_MAX_FILE, &buf, &len, err, sizeof err) != 0 ||
			    dc_config_parse(&o->cfg, buf, len, err, sizeof err) != 0) {
				fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i + 1], err);
				free(buf);
				return -1;
			}
			free(buf);
			buf = NULL;
		}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(sim);
			return 1;
		} else if (!strcmp(a, "--version")) {
			printf("doorcheck %s\n", DC_VERSION);
			return 1;
		} else if (!strcmp(a, "--config") && v) {
			i++;
		} else if (sim && !strcmp(a, "--headless")) {
			o->headless = true;
		} else if (sim && !strcmp(a, "--hold")) {
			o->hold = true;
		} else if (sim && !strcmp(a, "--demo")) {
			o->demo = true;
		} else if (sim && !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else if (sim && !strcmp(a, "--render") && v) {
			o->render_dir = v;
			i++;
		} else if (sim && !strcmp(a, "--screenshot-dir") && v) {
			o->screenshot_dir = v;
			i++;
		} else if (sim && !strcmp(a, "--size") && v) {
			if (parse_size(v, &o->width, &o->height) != 0) {
				fprintf(stderr, "%s: --size: expected WIDTHxHEIGHT\n", argv[0]);
				return -1;
			}
			i++;
		} else if (sim && !strcmp(a, "--now") && v) {
			char *end;
			long long n = strtoll(v, &end, 10);
			if (*end || n <= 0) {
				fprintf(stderr, "%s: --now: expected unix seconds\n", argv[0]);
				return -1;
			}
			o->now = n;
			i++;
		} else if (sim && !strcmp(a, "--scans") && v) {
			o->scans = (unsigned)strtoul(v, NULL, 10);
			i++;
		} else if (!strncmp(a, "--", 2) && strlen(a) < sizeof key + 2) {
			snprintf(key, sizeof key, "%s", a + 2);
			for (char *p = key; *p; p++)
				if (*p == '-')
					*p = '_';
			if (!dc_config_is_key(key) || !v) {
				fprintf(stderr, "%s: unknown option %s (see --help)\n", argv[0], a);
				return -1;
			}
			if (dc_config_set(&o->cfg, key, v, err, sizeof err) != 0) {
				fprintf(stderr, "%s: --%s\n", argv[0], err);
				return -1;
			}
			i++;
		} else if (sim && a[0] != '-') {
			if (o->n_inputs == DC_APP_MAX_INPUTS) {
				fprintf(stderr, "%s: too many inputs\n", argv[0]);
				return -1;
			}
			o->inputs[o->n_inputs++] = a;
		} else {
			fprintf(stderr, "%s: unknown option %s (see --help)\n", argv[0], a);
			return -1;
		}
	}
	if (o->render_dir)
		o->headless = true; /* --render DIR implies --headless */
	if (o->demo && setup_demo(o) != 0)
		return -1;
	/* Simulator inputs in a window: one picture, or a folder to step. */
	if (sim && !o->headless && o->n_inputs == 1 && !o->demo) {
		struct stat st;
		if (stat(o->inputs[0], &st) == 0) {
			snprintf(o->cfg.camera, sizeof o->cfg.camera, "%s",
				 S_ISDIR(st.st_mode) ? "folder" : "image");
			snprintf(o->cfg.device, sizeof o->cfg.device, "%s", o->inputs[0]);
		}
	}
	if (o->headless && o->n_inputs == 0) {
		fprintf(stderr, "%s: --headless needs inputs\n", argv[0]);
		return -1;
	}
	return 0;
}
