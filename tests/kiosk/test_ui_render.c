/*
 * Headless renders of every screen at several sizes, checked: banner
 * colour sampled from the pixels, every drawn box inside the screen, body
 * text boxes not overlapping, holder name and birth date large enough to
 * read from a metre, and a PNG of each written to the build folder.
 */
#include <sys/stat.h>

#include "dc_test.h"
#include "dc_ui.h"
#include "dc_sim.h"
#include "dc_sample_screens.h"

static int inside(SDL_Rect r, int w, int h)
{
	return r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0 && r.x + r.w <= w && r.y + r.h <= h;
}

static int overlap(SDL_Rect a, SDL_Rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int same_colour(SDL_Color a, SDL_Color b)
{
	return abs(a.r - b.r) <= 2 && abs(a.g - b.g) <= 2 && abs(a.b - b.b) <= 2;
}

static void check_screen(dc_ui *ui, int w, int h, dc_screen_kind k, const char *outdir)
{
	dc_canvas c;
	dc_screen s;
	dc_sample_screen(k, &s);
	CHECK(dc_canvas_open(&c, w, h) == 0);
	CHECK(dc_ui_render(ui, c.renderer, w, h, &s) == 0);

	const dc_ui_box *b;
	size_t n = dc_ui_boxes(ui, &b);
	SDL_Rect banner = { 0, 0, 0, 0 }, icon = banner, word = banner;
	int name_px = 0, name_min = 0, dob_px = 0, texts = 0, status_texts = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK_MSG(inside(b[i].rect, w, h), "%dx%d %s box %zu (role %d) at %d,%d %dx%d",
			  w, h, dc_screen_name(k), i, b[i].role, b[i].rect.x, b[i].rect.y,
			  b[i].rect.w, b[i].rect.h);
		if (b[i].role == DC_UI_BOX_BANNER) banner = b[i].rect;
		if (b[i].role == DC_UI_BOX_ICON) icon = b[i].rect;
		if (b[i].role == DC_UI_BOX_WORD) word = b[i].rect;
		if (b[i].role == DC_UI_BOX_NAME) {
			/* a long name wraps; only its last line may shrink */
			if (b[i].font_px > name_px) name_px = b[i].font_px;
			if (!name_min || b[i].font_px < name_min) name_min = b[i].font_px;
		}
		if (b[i].role == DC_UI_BOX_DOB) dob_px = b[i].font_px;
		if (b[i].role == DC_UI_BOX_TEXT) texts++;
		if (b[i].role == DC_UI_BOX_STATUS_TEXT) status_texts++;
		/* text in the body must not overlap other text or the banner */
		if (b[i].role >= DC_UI_BOX_NAME && b[i].role <= DC_UI_BOX_TEXT) {
			for (size_t j = i + 1; j < n; j++)
				if (b[j].role >= DC_UI_BOX_NAME && b[j].role <= DC_UI_BOX_TEXT)
					CHECK_MSG(!overlap(b[i].rect, b[j].rect),
						  "%dx%d %s: boxes %zu and %zu overlap", w, h,
						  dc_screen_name(k), i, j);
		}
	}
	CHECK_MSG(banner.w == w && banner.h > h / 8, "%dx%d %s banner", w, h, dc_screen_name(k));
	CHECK(icon.w > 0 && word.w > 0);
	CHECK(!overlap(icon, word));
	CHECK(word.y >= banner.y && word.y + word.h <= banner.y + banner.h);
	CHECK(texts >= 1);
	CHECK(status_texts >= 2);

	/* The banner colour, sampled from the pixels at both ends. */
	SDL_Color want = dc_ui_colour(k);
	SDL_Color p1 = dc_canvas_pixel(&c, w - 2, 2);
	SDL_Color p2 = dc_canvas_pixel(&c, 1, banner.h - 2);
	CHECK_MSG(same_colour(p1, want) && same_colour(p2, want),
		  "%dx%d %s banner pixel %d,%d,%d want %d,%d,%d", w, h, dc_screen_name(k),
		  p1.r, p1.g, p1.b, want.r, want.g, want.b);
	/* The icon is drawn: its centre differs from the banner colour
	 * (white disc), not colour alone. */
	int white = 0;
	for (int y = icon.y; y < icon.y + icon.h; y += 2)
		for (int x = icon.x; x < icon.x + icon.w; x += 2) {
			SDL_Color p = dc_canvas_pixel(&c, x, y);
			white += p.r > 240 && p.g > 240 && p.b > 240;
		}
	CHECK_MSG(white > icon.w * icon.h / 4 / 20, "%dx%d %s icon not drawn (%d)", w, h,
		  dc_screen_name(k), white);

	if (k == DC_SCREEN_PASS || k == DC_SCREEN_FAIL) {
		/* About 1/10 of the short side, never below 28 px. */
		int minpx = (w < h ? w : h) / 10;
		if (minpx < 28)
			minpx = 28;
		CHECK_MSG(name_px >= minpx, "%dx%d name font %d < %d", w, h, name_px, minpx);
		CHECK_MSG(name_min >= minpx * 6 / 10, "%dx%d name line font %d", w, h, name_min);
		CHECK_MSG(dob_px >= minpx * 8 / 10, "%dx%d dob font %d", w, h, dob_px);
	}
	if (outdir) {
		char path[4200], err[256];
		if (snprintf(path, sizeof path, "%s/%s-%dx%d.png", outdir, dc_screen_name(k), w, h) < 0)
			path[0] = 0;
		CHECK_MSG(dc_sim_png_write(c.surface, path, err, sizeof err) == 0, "%s", err);
		struct stat st;
		CHECK(stat(path, &st) == 0 && st.st_size > 1000);
	}
	dc_canvas_close(&c);
}

int main(void)
{
	char err[256], outdir[4096];
	const char *root = getenv("DC_BUILD_ROOT");
	dc_ui *ui = dc_ui_new(NULL, err, sizeof err);
	if (!ui) {
		fprintf(stderr, "%s\n", err);
		return 77;
	}
	snprintf(outdir, sizeof outdir, "%s/screens", root ? root : ".");
	mkdir(outdir, 0755);
	static const int sizes[][2] = { { 800, 480 }, { 1920, 1080 }, { 480, 320 }, { 480, 800 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int k = 0; k < DC_SCREEN__COUNT; k++)
			check_screen(ui, sizes[i][0], sizes[i][1], (dc_screen_kind)k, outdir);
	printf("renders in %s\n", outdir);

	/* Long text is cut, not drawn past the edge. */
	dc_canvas c;
	dc_screen s;
	dc_sample_screen(DC_SCREEN_FAIL, &s);
	memset(s.name, 'W', sizeof s.name - 1);
	memset(s.reason, 'M', sizeof s.reason - 1);
	CHECK(dc_canvas_open(&c, 480, 320) == 0);
	CHECK(dc_ui_render(ui, c.renderer, 480, 320, &s) == 0);
	const dc_ui_box *b;
	size_t n = dc_ui_boxes(ui, &b);
	for (size_t i = 0; i < n; i++)
		CHECK(inside(b[i].rect, 480, 320));
	dc_canvas_close(&c);
	dc_ui_free(ui);
	return dc_test_done();
}
