/*
 * doorcheck-sim --headless on the demo cards at 800x480 and 1920x1080: each
 * card gives the expected screen (from the PNG file names the simulator
 * writes), and each PNG's banner has that screen's colour. Also the clock
 * check (a simulated clock before the build: CLOCK NOT SET, nobody passes)
 * and the capacity screen.
 */
#include <dirent.h>
#include <png.h>

#include "dc_test.h"
#include "dc_ui.h"
#include "dc_sim_test.h"

static dc_sim_paths P;

static int run(const char *dir, const char *size, const char *extra, const char *inputs)
{
	char cmd[8192];
	DC_FMT(cmd, sizeof cmd, "'%s' --headless --quiet --render '%s' --size %s --trust '%s' %s %s",
		 P.sim, dir, size, P.trust, extra, inputs);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The PNG whose name contains "-<stem>-<screen>.png"; 1 if found. */
static int find_png(const char *dir, const char *stem, const char *screen, char *path, size_t cap)
{
	char want[256];
	DC_FMT(want, sizeof want, "-%s-%s.png", stem, screen);
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, want)) {
			DC_FMT(path, cap, "%s/%s", dir, e->d_name);
			found = 1;
			break;
		}
	if (d)
		closedir(d);
	return found;
}

static dc_screen_kind kind_of(const char *name)
{
	for (int k = 0; k < DC_SCREEN__COUNT; k++)
		if (!strcmp(dc_screen_name((dc_screen_kind)k), name))
			return (dc_screen_kind)k;
	return DC_SCREEN__COUNT;
}

static void check_png(const char *path, int w, int h, dc_screen_kind k)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, path)) {
		CHECK_MSG(0, "cannot read %s", path);
		return;
	}
	img.format = PNG_FORMAT_RGB;
	uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
	CHECK(px && png_image_finish_read(&img, NULL, px, 0, NULL));
	CHECK_EQ_INT(img.width, w);
	CHECK_EQ_INT(img.height, h);
	SDL_Color want = dc_ui_colour(k);
	/* top right corner and left edge of the banner, well inside it */
	int pts[2][2] = { { w - 3, 3 }, { 2, h / 6 } };
	for (int i = 0; i < 2 && px; i++) {
		const uint8_t *p = px + ((size_t)pts[i][1] * (size_t)w + (size_t)pts[i][0]) * 3;
		CHECK_MSG(abs(p[0] - want.r) < 3 && abs(p[1] - want.g) < 3 && abs(p[2] - want.b) < 3,
			  "%s: banner %d,%d,%d, want %d,%d,%d", path, p[0], p[1], p[2],
			  want.r, want.g, want.b);
	}
	free(px);
}

static void expect(const char *dir, const char *stem, const char *screen, int w, int h)
{
	char path[4096];
	int ok = find_png(dir, stem, screen, path, sizeof path);
	CHECK_MSG(ok, "%dx%d: no %s screen for %s", w, h, screen, stem);
	if (ok)
		check_png(path, w, h, kind_of(screen));
}

int main(int argc, char **argv)
{
	char inputs[8192];
	dc_sim_paths_get(argc, argv, &P);
	static const struct { const char *card, *screen; } cards[] = {
		{ "vaccinated.png", "pass" },
		{ "partial.png", "fail" },
		{ "expired.png", "not_valid" },
		{ "revoked.txt", "not_valid" },
		{ "tampered.png", "not_valid" },
		{ "untrusted.txt", "not_valid" },
		{ "multi.txt", "chunk_progress" },
		{ "multi.txt", "pass" },
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++)
		if (i == 0 || strcmp(cards[i].card, cards[i - 1].card))
			n += (size_t)snprintf(inputs + n, sizeof inputs - n, "'%s/%s' ", P.cards, cards[i].card);
	DC_FMT(inputs + n, sizeof inputs - n, "text:https://www.example.org/record");

	static const int sizes[2][2] = { { 800, 480 }, { 1920, 1080 } };
	for (int s = 0; s < 2; s++) {
		char size[32];
		int w = sizes[s][0], h = sizes[s][1];
		DC_FMT(size, sizeof size, "%dx%d", w, h);
		const char *dir = dc_sim_tmpdir("render");
		CHECK_EQ_INT(run(dir, size, "", inputs), 0);
		expect(dir, "start", "scanning", w, h);
		for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
			char stem[64];
			DC_FMT(stem, sizeof stem, "%.*s", (int)strcspn(cards[i].card, "."), cards[i].card);
			expect(dir, stem, cards[i].screen, w, h);
		}
		expect(dir, "text", "not_verifiable", w, h);

		/* A clock before the build: nobody passes. */
		dir = dc_sim_tmpdir("clock");
		DC_FMT(inputs, sizeof inputs, "'%s/vaccinated.png'", P.cards);
		CHECK_EQ_INT(run(dir, size, "--now 1000000000", inputs), 0);
		expect(dir, "start", "clock_not_set", w, h);
		expect(dir, "vaccinated", "clock_not_set", w, h);
		char path[4096];
		CHECK(!find_png(dir, "vaccinated", "pass", path, sizeof path));

		/* The same time as --at is a test clock: the card is checked at
		 * that time (before it was issued: NOT VALID), not refused for
		 * the clock. */
		dir = dc_sim_tmpdir("at");
		CHECK_EQ_INT(run(dir, size, "--at @1000000000", inputs), 0);
		expect(dir, "start", "scanning", w, h);
		expect(dir, "vaccinated", "not_valid", w, h);
		CHECK(!find_png(dir, "vaccinated", "clock_not_set", path, sizeof path));
		dir = dc_sim_tmpdir("at-iso");
		CHECK_EQ_INT(run(dir, size, "--at 2026-01-01T00:00:00Z", inputs), 0);
		expect(dir, "vaccinated", "pass", w, h);

		/* Capacity 1: the second valid card is not admitted. */
		dir = dc_sim_tmpdir("capacity");
		DC_FMT(inputs, sizeof inputs, "'%s/vaccinated.png' '%s/multi.txt'", P.cards, P.cards);
		CHECK_EQ_INT(run(dir, size, "--capacity 1", inputs), 0);
		expect(dir, "vaccinated", "pass", w, h);
		expect(dir, "multi", "capacity_reached", w, h);
		CHECK(!find_png(dir, "multi", "pass", path, sizeof path));

		/* rebuild the first input list for the next size */
		n = 0;
		for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++)
			if (i == 0 || strcmp(cards[i].card, cards[i - 1].card))
				n += (size_t)snprintf(inputs + n, sizeof inputs - n, "'%s/%s' ", P.cards,
						      cards[i].card);
		DC_FMT(inputs + n, sizeof inputs - n, "text:https://www.example.org/record");
	}
	/* Bad usage is refused. */
	CHECK(run("/nonexistent", "800x480", "--capacity lots", "x.png") != 0);
	CHECK(run("/nonexistent", "800x480", "--at yesterday", "x.png") != 0);
	return dc_test_done();
}
