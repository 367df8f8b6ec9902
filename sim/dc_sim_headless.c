/* doorcheck-sim --headless: the inputs run through the door's pipeline on
 * a virtual clock (HEADLESS_FRAME_MS per frame), each screen change drawn
 * on a software canvas and, with --render DIR, written as PNG. */
#include "dc_sim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_image.h"

#define HEADLESS_FRAME_MS 100  /* virtual time per headless frame */
#define MAX_TEXT_FILE (64u * 1024)

typedef struct {
	dc_sim_opts *o;
	dc_door *d;
	dc_canvas cv;
	uint64_t t;                /* virtual event clock */
	uint64_t rendered_gen;
	unsigned png_seq;
	const char *input_name;    /* stem of the current input */
} headless;

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

static int render(headless *h, bool force)
{
	dc_kiosk *k = dc_door_kiosk(h->d);
	uint64_t gen = dc_kiosk_generation(k);
	if (!force && gen == h->rendered_gen)
		return 0;
	h->rendered_gen = gen;
	const dc_screen *s = dc_kiosk_screen(k);
	if (dc_ui_render(dc_door_ui(h->d), h->cv.renderer, h->cv.w, h->cv.h, s) != 0) {
		fprintf(stderr, "doorcheck-sim: render: %s\n", SDL_GetError());
		return -1;
	}
	char file[128] = "", path[4096], err[512], stem[64];
	if (h->o->render_dir) {
		stem_of(h->input_name ? h->input_name : "start", stem, sizeof stem);
		snprintf(file, sizeof file, "%04u-%s-%s.png", h->png_seq++, stem,
			 dc_screen_name(s->kind));
		snprintf(path, sizeof path, "%s/%s", h->o->render_dir, file);
		if (dc_sim_png_write(h->cv.surface, path, err, sizeof err) != 0) {
			fprintf(stderr, "doorcheck-sim: %s\n", err);
			return -1;
		}
	}
	/* "input: screen  file". A text: input is a code itself: never echo it. */
	if (!h->o->quiet) {
		const char *name = !h->input_name ? "start"
			: !strncmp(h->input_name, "text:", 5) ? "text" : h->input_name;
		const char *base = strrchr(name, '/');
		printf("%s: %-16s%s\n", base ? base + 1 : name, dc_screen_name(s->kind), file);
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

static int frame_done(headless *h)
{
	int rc = render(h, false);
	h->t += HEADLESS_FRAME_MS;
	return rc;
}

/* After one input: hold (tests), then let the result run out and wipe. */
static int finish(headless *h)
{
	const dc_screen *s = dc_kiosk_screen(dc_door_kiosk(h->d));
	if (h->o->hold && s->is_result) {
		char say[64];
		snprintf(say, sizeof say, "RESULT %s", dc_screen_name(s->kind));
		wait_line(say);
	}
	/* The card leaves the camera: empty frames, then the result times out. */
	uint64_t end = h->t + h->o->door.cfg.result_ms + 2 * HEADLESS_FRAME_MS;
	while (h->t < end) {
		dc_door_feed_texts(h->d, h->t, NULL, NULL, 0);
		if (frame_done(h) != 0)
			return -1;
	}
	if (h->o->hold)
		wait_line("WIPED");
	return 0;
}

static int run_file(headless *h, const char *path)
{
	h->input_name = path;
	const char *dot = strrchr(path, '.');
	if (!strncmp(path, "text:", 5)) {
		const char *txt = path + 5;
		size_t len = strlen(txt);
		dc_door_feed_texts(h->d, h->t, &txt, &len, 1);
		if (frame_done(h) != 0)
			return -1;
	} else if (dot && !strcmp(dot, ".txt")) {
		size_t len = 0;
		char *buf = read_text_file(path, &len);
		if (!buf) {
			fprintf(stderr, "doorcheck-sim: cannot read %s\n", path);
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
				dc_door_feed_texts(h->d, h->t, &tx, &l, 1);
				if (frame_done(h) != 0)
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
			fprintf(stderr, "doorcheck-sim: %s\n", err);
			return -1;
		}
		dc_door_feed_grey(h->d, h->t, g.y, g.width, g.height, g.stride);
		dc_grey_free(&g);
		if (frame_done(h) != 0)
			return -1;
	}
	return finish(h);
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

static int run_input(headless *h, const char *in)
{
	struct stat st;
	if (strncmp(in, "text:", 5) != 0 && stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(in);
		char *names[1024];
		size_t n = 0;
		struct dirent *e;
		int rc = 0;
		if (!dir) {
			fprintf(stderr, "doorcheck-sim: cannot open folder %s\n", in);
			return -1;
		}
		while ((e = readdir(dir)) && n < 1024)
			if (wanted_file(e->d_name)) {
				size_t l = strlen(in) + strlen(e->d_name) + 2;
				names[n] = malloc(l);
				if (names[n])
					snprintf(names[n++], l, "%s/%s", in, e->d_name);
			}
		closedir(dir);
		qsort(names, n, sizeof names[0], by_name);
		for (size_t i = 0; i < n; i++) {
			if (rc == 0)
				rc = run_file(h, names[i]);
			free(names[i]);
		}
		return rc;
	}
	return run_file(h, in);
}

int dc_sim_run_headless(dc_sim_opts *o, dc_door *d, size_t first, size_t end,
			unsigned *png_seq)
{
	headless h = { .o = o, .d = d, .png_seq = *png_seq };
	int w = o->door.width ? o->door.width : 800, ht = o->door.height ? o->door.height : 480;
	int rc = 1;
	if (o->render_dir && mkdir(o->render_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "doorcheck-sim: cannot create %s\n", o->render_dir);
		return 1;
	}
	if (dc_canvas_open(&h.cv, w, ht) != 0) {
		fprintf(stderr, "doorcheck-sim: canvas: %s\n", SDL_GetError());
		return 1;
	}
	dc_kiosk *k = dc_door_kiosk(d);
	if (render(&h, true) != 0)
		goto out;
	unsigned target = o->scans;
	do {
		unsigned before = dc_kiosk_screen(k)->scanned;
		for (size_t i = first; i < end && i < o->n_inputs; i++)
			if (run_input(&h, o->inputs[i]) != 0)
				goto out;
		if (dc_kiosk_screen(k)->scanned == before)
			break; /* nothing scannable: do not loop forever */
	} while (dc_kiosk_screen(k)->scanned < target);
	const dc_screen *s = dc_kiosk_screen(k);
	if (!o->quiet) {
		printf("scanned %u: %u pass, %u fail, %u not valid, %u not verifiable\n",
		       s->scanned, s->passed, s->failed, s->not_valid, s->not_verifiable);
		char *where = o->render_dir ? realpath(o->render_dir, NULL) : NULL;
		if (where)
			printf("%u screens rendered into %s\n", h.png_seq - *png_seq, where);
		free(where);
	}
	rc = 0;
out:
	*png_seq = h.png_seq;
	dc_canvas_close(&h.cv);
	return rc;
}
