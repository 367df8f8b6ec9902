#include "dc_ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>
#include <mbedtls/platform_util.h>

#define MAX_FONTS 40
#define SCRATCH 512

/* snprintf whose result is used: a cut line is accepted on purpose. */
#define FMT(buf, ...) do { if (snprintf((buf), sizeof(buf), __VA_ARGS__) < 0) (buf)[0] = 0; } while (0)

struct dc_ui {
	uint8_t *font_data;
	size_t font_len;
	struct { int px; TTF_Font *f; } fonts[MAX_FONTS];
	int n_fonts;
	dc_ui_box boxes[DC_UI_MAX_BOXES];
	size_t n_boxes;
	char scratch[SCRATCH];  /* holder text being formatted; wiped per render */
	char cut[SCRATCH];      /* ellipsised copy; wiped per render */
	bool ttf_inited;
	bool measuring;         /* text_line only measures (layout pass) */
};

static const SDL_Color WHITE = { 255, 255, 255, 255 };
static const SDL_Color INK = { 17, 17, 17, 255 };
static const SDL_Color GREY = { 70, 70, 70, 255 };
static const SDL_Color PAPER = { 246, 246, 244, 255 };
static const SDL_Color STATUS_BG = { 34, 34, 34, 255 };
static const SDL_Color STATUS_INK = { 225, 225, 225, 255 };
static const SDL_Color WARN_BG = { 255, 214, 10, 255 };

SDL_Color dc_ui_colour(dc_screen_kind k)
{
	switch (k) {
	case DC_SCREEN_PASS: return (SDL_Color){ 27, 122, 52, 255 };
	case DC_SCREEN_FAIL: return (SDL_Color){ 183, 28, 28, 255 };
	case DC_SCREEN_NOT_VALID: return (SDL_Color){ 196, 65, 12, 255 };
	case DC_SCREEN_NOT_VERIFIABLE: return (SDL_Color){ 29, 78, 137, 255 };
	case DC_SCREEN_CLOCK_NOT_SET: return (SDL_Color){ 160, 82, 0, 255 };
	case DC_SCREEN_OUT_OF_SERVICE: return (SDL_Color){ 0, 0, 0, 255 };
	case DC_SCREEN_OPERATOR: return (SDL_Color){ 69, 90, 100, 255 };
	case DC_SCREEN_TRUST_INSTALLED: return (SDL_Color){ 0, 105, 92, 255 };
	case DC_SCREEN_TRUST_REFUSED: return (SDL_Color){ 121, 58, 30, 255 };
	case DC_SCREEN_CAPACITY: return (SDL_Color){ 106, 27, 154, 255 };
	case DC_SCREEN_CHUNKS: return (SDL_Color){ 21, 101, 192, 255 };
	case DC_SCREEN_SCANNING:
	default: return (SDL_Color){ 38, 50, 56, 255 };
	}
}

dc_ui *dc_ui_new(const char *font_path, char *err, size_t errlen)
{
	dc_ui *ui = calloc(1, sizeof *ui);
	if (!ui) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!font_path)
		font_path = DC_UI_DEFAULT_FONT;
	size_t len = 0;
	void *data = SDL_LoadFile(font_path, &len);
	if (!data) {
		snprintf(err, errlen, "cannot read font %s: %s", font_path, SDL_GetError());
		goto fail;
	}
	ui->font_data = data;
	ui->font_len = len;
	/* TTF_Init counts its callers; dc_ui_free balances it. */
	if (TTF_Init() != 0) {
		snprintf(err, errlen, "TTF_Init: %s", TTF_GetError());
		goto fail;
	}
	ui->ttf_inited = true;
	/* Check the font opens now rather than on the first scan. */
	SDL_RWops *rw = SDL_RWFromConstMem(ui->font_data, (int)ui->font_len);
	TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, 20) : NULL;
	if (!f) {
		snprintf(err, errlen, "cannot open font %s: %s", font_path, TTF_GetError());
		goto fail;
	}
	ui->fonts[0].px = 20;
	ui->fonts[0].f = f;
	ui->n_fonts = 1;
	return ui;
fail:
	dc_ui_free(ui);
	return NULL;
}

void dc_ui_free(dc_ui *ui)
{
	if (!ui)
		return;
	for (int i = 0; i < ui->n_fonts; i++)
		TTF_CloseFont(ui->fonts[i].f);
	if (ui->ttf_inited)
		TTF_Quit();
	SDL_free(ui->font_data);
	mbedtls_platform_zeroize(ui, sizeof *ui);
	free(ui);
}

static TTF_Font *font(dc_ui *ui, int px)
{
	if (px < 6)
		px = 6;
	for (int i = 0; i < ui->n_fonts; i++)
		if (ui->fonts[i].px == px)
			return ui->fonts[i].f;
	if (ui->n_fonts == MAX_FONTS) {
		/* Layout sizes are few and stable; drop the cache if it fills. */
		for (int i = 1; i < ui->n_fonts; i++)
			TTF_CloseFont(ui->fonts[i].f);
		ui->n_fonts = 1;
	}
	SDL_RWops *rw = SDL_RWFromConstMem(ui->font_data, (int)ui->font_len);
	TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
	if (!f)
		return ui->fonts[0].f;
	ui->fonts[ui->n_fonts].px = px;
	ui->fonts[ui->n_fonts].f = f;
	ui->n_fonts++;
	return f;
}

static void add_box(dc_ui *ui, dc_ui_box_role role, SDL_Rect r, int px)
{
	if (ui->n_boxes < DC_UI_MAX_BOXES)
		ui->boxes[ui->n_boxes++] = (dc_ui_box){ role, r, px };
}

size_t dc_ui_boxes(const dc_ui *ui, const dc_ui_box **boxes)
{
	*boxes = ui->boxes;
	return ui->n_boxes;
}

/* --- shapes ------------------------------------------------------------ */

static SDL_Vertex vtx(float x, float y, SDL_Color c)
{
	SDL_Vertex v = { { x, y }, c, { 0, 0 } };
	return v;
}

static void fill_circle(SDL_Renderer *r, float cx, float cy, float rad, SDL_Color c)
{
	enum { SEG = 64 };
	SDL_Vertex v[SEG + 1];
	int idx[SEG * 3];
	v[0] = vtx(cx, cy, c);
	for (int i = 0; i < SEG; i++) {
		double a = 2.0 * M_PI * i / SEG;
		v[i + 1] = vtx(cx + rad * (float)cos(a), cy + rad * (float)sin(a), c);
		idx[i * 3] = 0;
		idx[i * 3 + 1] = 1 + i;
		idx[i * 3 + 2] = 1 + (i + 1) % SEG;
	}
	SDL_RenderGeometry(r, NULL, v, SEG + 1, idx, SEG * 3);
}

/* A thick segment with round ends. */
static void thick_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
		       float half, SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	if (len > 0.01f) {
		float nx = -dy / len * half, ny = dx / len * half;
		SDL_Vertex v[4] = {
			vtx(x0 + nx, y0 + ny, c), vtx(x0 - nx, y0 - ny, c),
			vtx(x1 + nx, y1 + ny, c), vtx(x1 - nx, y1 - ny, c),
		};
		int idx[6] = { 0, 1, 2, 1, 3, 2 };
		SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
	}
	fill_circle(r, x0, y0, half, c);
	fill_circle(r, x1, y1, half, c);
}

typedef enum { ICON_TICK, ICON_CROSS, ICON_EXCLAIM, ICON_QUESTION, ICON_BAR,
	       ICON_VIEWFINDER } icon_kind;

static icon_kind icon_for(dc_screen_kind k)
{
	switch (k) {
	case DC_SCREEN_PASS: return ICON_TICK;
	case DC_SCREEN_FAIL: return ICON_CROSS;
	case DC_SCREEN_NOT_VALID: return ICON_EXCLAIM;
	case DC_SCREEN_CLOCK_NOT_SET: return ICON_EXCLAIM;
	case DC_SCREEN_OUT_OF_SERVICE: return ICON_EXCLAIM;
	case DC_SCREEN_OPERATOR: return ICON_QUESTION;
	case DC_SCREEN_TRUST_INSTALLED: return ICON_TICK;
	case DC_SCREEN_TRUST_REFUSED: return ICON_EXCLAIM;
	case DC_SCREEN_NOT_VERIFIABLE: return ICON_QUESTION;
	case DC_SCREEN_CAPACITY: return ICON_BAR;
	default: return ICON_VIEWFINDER;
	}
}

/* Icon inside the square (x, y, d): a white disc with the symbol in the
 * banner colour, or white viewfinder corners for the idle screens. */
static void draw_icon(SDL_Renderer *r, icon_kind k, float x, float y, float d, SDL_Color bg)
{
	float t = d * 0.085f; /* stroke half-width */
#define P(fx, fy) x + (fx) * d, y + (fy) * d
	if (k == ICON_VIEWFINDER) {
		float s = 0.28f, h = d * 0.05f;
		float c[4][2] = { { 0.1f, 0.1f }, { 0.9f, 0.1f }, { 0.1f, 0.9f }, { 0.9f, 0.9f } };
		for (int i = 0; i < 4; i++) {
			float sx = c[i][0] < 0.5f ? 1 : -1, sy = c[i][1] < 0.5f ? 1 : -1;
			thick_line(r, P(c[i][0], c[i][1]), P(c[i][0] + sx * s, c[i][1]), h, WHITE);
			thick_line(r, P(c[i][0], c[i][1]), P(c[i][0], c[i][1] + sy * s), h, WHITE);
		}
		/* three finder squares of a QR code */
		float q[3][2] = { { 0.3f, 0.3f }, { 0.56f, 0.3f }, { 0.3f, 0.56f } };
		for (int i = 0; i < 3; i++) {
			SDL_FRect fr = { P(q[i][0], q[i][1]), d * 0.14f, d * 0.14f };
			SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
			SDL_RenderFillRectF(r, &fr);
		}
		return;
	}
	fill_circle(r, x + d / 2, y + d / 2, d / 2, WHITE);
	switch (k) {
	case ICON_TICK:
		thick_line(r, P(0.26f, 0.53f), P(0.43f, 0.70f), t, bg);
		thick_line(r, P(0.43f, 0.70f), P(0.75f, 0.33f), t, bg);
		break;
	case ICON_CROSS:
		thick_line(r, P(0.31f, 0.31f), P(0.69f, 0.69f), t, bg);
		thick_line(r, P(0.69f, 0.31f), P(0.31f, 0.69f), t, bg);
		break;
	case ICON_EXCLAIM:
		thick_line(r, P(0.5f, 0.22f), P(0.5f, 0.58f), t, bg);
		fill_circle(r, P(0.5f, 0.76f), t * 1.25f, bg);
		break;
	case ICON_QUESTION: {
		/* an arc over the top, then the stem down to the middle */
		float cx = 0.5f, cy = 0.37f, rad = 0.15f, px = 0, py = 0;
		for (int i = 0; i <= 12; i++) {
			double a = (160.0 - 215.0 * i / 12.0) * M_PI / 180.0;
			float nx = cx + rad * (float)cos(a), ny = cy - rad * (float)sin(a);
			if (i)
				thick_line(r, P(px, py), P(nx, ny), t * 0.85f, bg);
			px = nx;
			py = ny;
		}
		thick_line(r, P(px, py), P(0.5f, 0.6f), t * 0.85f, bg);
		fill_circle(r, P(0.5f, 0.78f), t * 1.15f, bg);
		break;
	}
	case ICON_BAR:
		thick_line(r, P(0.26f, 0.5f), P(0.74f, 0.5f), t * 1.2f, bg);
		break;
	default:
		break;
	}
#undef P
}

/* --- text -------------------------------------------------------------- */

enum { LEFT, CENTRE };

/* Cuts s (UTF-8) so that s + "..." fits w pixels; writes into ui->cut. */
static const char *ellipsise(dc_ui *ui, TTF_Font *f, const char *s, int w)
{
	size_t n = strlen(s);
	if (n >= SCRATCH - 4)
		n = SCRATCH - 4;
	while (n > 0) {
		do
			n--;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80);
		memcpy(ui->cut, s, n);
		memcpy(ui->cut + n, "\xE2\x80\xA6", 4); /* U+2026 */
		int tw = 0, th = 0;
		if (TTF_SizeUTF8(f, ui->cut, &tw, &th) == 0 && tw <= w)
			return ui->cut;
	}
	return "";
}

/* Size at which s fits w (between min_px and px). */
static int fit_px(dc_ui *ui, const char *s, int px, int min_px, int w)
{
	int tw = 0, th = 0;
	if (min_px > px)
		min_px = px;
	while (px > min_px) {
		if (TTF_SizeUTF8(font(ui, px), s, &tw, &th) != 0 || tw <= w)
			return px;
		int next = (int)((long)px * w / (tw ? tw : 1));
		px = next < px ? next : px - 1;
		if (px < min_px)
			px = min_px;
	}
	return min_px;
}

/* Draws one line of text with its top at y inside [x, x + w); shrinks it
 * down to min_px, then ellipsises. Returns the height used. */
static int text_line(dc_ui *ui, SDL_Renderer *r, const char *s, int px, int min_px,
		     int x, int y, int w, int align, SDL_Color col, dc_ui_box_role role)
{
	if (!s || !*s || w <= 0)
		return 0;
	px = fit_px(ui, s, px, min_px, w);
	TTF_Font *f = font(ui, px);
	int tw = 0, th = 0;
	if (TTF_SizeUTF8(f, s, &tw, &th) == 0 && tw > w)
		s = ellipsise(ui, f, s, w);
	if (!*s)
		return 0;
	if (ui->measuring)
		return TTF_FontHeight(f);
	SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, col);
	if (!surf)
		return 0;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
	SDL_Rect dst = { x, y, surf->w, surf->h };
	if (dst.w > w)
		dst.w = w;
	if (align == CENTRE)
		dst.x = x + (w - dst.w) / 2;
	if (tex) {
		SDL_Rect src = { 0, 0, dst.w, dst.h };
		SDL_RenderCopy(r, tex, &src, &dst);
		SDL_DestroyTexture(tex);
	}
	SDL_FreeSurface(surf);
	add_box(ui, role, dst, px);
	return dst.h;
}

/* Wraps s over at most max_lines lines of width w (breaking at spaces),
 * the last line ellipsised. Returns the height used. */
static int text_wrap(dc_ui *ui, SDL_Renderer *r, const char *s, int px, int x, int y,
		     int w, int max_lines, int align, SDL_Color col, dc_ui_box_role role)
{
	int used = 0;
	char line[SCRATCH];
	TTF_Font *f = font(ui, px);
	while (*s && max_lines-- > 0) {
		size_t n = strlen(s), take = n;
		bool shrink = max_lines == 0; /* the last line may shrink before it is cut */
		if (n >= sizeof line)
			take = n = sizeof line - 1;
		int tw = 0, th = 0;
		memcpy(line, s, take);
		line[take] = 0;
		if (max_lines > 0 && TTF_SizeUTF8(f, line, &tw, &th) == 0 && tw > w) {
			/* longest prefix that fits, ending before a space or
			 * after a hyphen ("Oberhollenzer-" / "Wittgenstein") */
			size_t best = 0;
			for (size_t i = 1; i < n; i++) {
				size_t cut = s[i] == ' ' ? i : s[i - 1] == '-' ? i : 0;
				if (!cut)
					continue;
				memcpy(line, s, cut);
				line[cut] = 0;
				if (TTF_SizeUTF8(f, line, &tw, &th) == 0 && tw <= w)
					best = cut;
				else
					break;
			}
			if (!best) {
				/* one word wider than the line: break after its
				 * first hyphen if it has one, and shrink */
				for (size_t i = 1; i < n && !best; i++)
					if (s[i - 1] == '-' && s[i] != ' ')
						best = i;
				shrink = true;
			}
			if (best)
				take = best;
			memcpy(line, s, take);
			line[take] = 0;
		}
		used += text_line(ui, r, line, px, shrink ? px / 2 : px, x, y + used, w,
				  align, col, role);
		s += take;
		while (*s == ' ')
			s++;
	}
	mbedtls_platform_zeroize(line, sizeof line);
	return used;
}

static void fill_rect(SDL_Renderer *r, SDL_Rect rc, SDL_Color c)
{
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(r, &rc);
}

/* --- layout ------------------------------------------------------------ */

typedef struct {
	int w, h, u;      /* u: the size unit all fonts derive from */
	bool portrait;
	SDL_Rect banner, body, status;
	int pad;
} layout;

static void status_text(const dc_screen *s, char *a, size_t al, char *b, size_t bl)
{
	char trust[64];
	if (s->trust_age_days < 0)
		snprintf(trust, sizeof trust, "Trust data date unknown");
	else if (s->trust_age_days == 0)
		snprintf(trust, sizeof trust, "Trust data from today");
	else if (s->trust_stale)
		snprintf(trust, sizeof trust, "TRUST DATA %lld DAYS OLD: UPDATE IT",
			 (long long)s->trust_age_days);
	else
		snprintf(trust, sizeof trust, "Trust data %lld day%s old",
			 (long long)s->trust_age_days, s->trust_age_days == 1 ? "" : "s");
	snprintf(a, al, "%s \xC2\xB7 %s", trust, s->clock_ok ? "Clock OK" : "CLOCK NOT SET");
	int n = snprintf(b, bl, "Today %u scanned \xC2\xB7 %u pass \xC2\xB7 %u fail \xC2\xB7 %u not valid",
			 s->scanned, s->passed, s->failed, s->not_valid);
	if (s->capacity && n > 0 && (size_t)n < bl)
		snprintf(b + n, bl - (size_t)n, " \xC2\xB7 in %u/%u", s->admitted, s->capacity);
}

static void draw_status(dc_ui *ui, SDL_Renderer *r, layout *L, const dc_screen *s)
{
	char a[128], b[160];
	status_text(s, a, sizeof a, b, sizeof b);
	int px = L->u * 45 / 1000;
	if (px < 11)
		px = 11;
	int lh = px * 3 / 2, tw1 = 0, tw2 = 0, th = 0;
	TTF_Font *f = font(ui, px);
	TTF_SizeUTF8(f, a, &tw1, &th);
	TTF_SizeUTF8(f, b, &tw2, &th);
	bool two = tw1 + tw2 + 3 * L->pad > L->w;
	int bar_h = two ? lh * 2 : lh;
	L->status = (SDL_Rect){ 0, L->h - bar_h, L->w, bar_h };
	fill_rect(r, L->status, STATUS_BG);
	add_box(ui, DC_UI_BOX_STATUS_BAR, L->status, 0);
	int inner = L->w - 2 * L->pad;
	int y0 = L->status.y + (lh - th) / 2;
	if (two) {
		text_line(ui, r, a, px, 8, L->pad, y0, inner, LEFT, STATUS_INK, DC_UI_BOX_STATUS_TEXT);
		text_line(ui, r, b, px, 8, L->pad, y0 + lh, inner, LEFT, STATUS_INK, DC_UI_BOX_STATUS_TEXT);
	} else {
		text_line(ui, r, a, px, 8, L->pad, y0, tw1, LEFT, STATUS_INK, DC_UI_BOX_STATUS_TEXT);
		text_line(ui, r, b, px, 8, L->w - L->pad - tw2, y0, tw2, LEFT, STATUS_INK,
			  DC_UI_BOX_STATUS_TEXT);
	}
}

static void draw_banner(dc_ui *ui, SDL_Renderer *r, layout *L, const dc_screen *s)
{
	SDL_Color c = dc_ui_colour(s->kind);
	fill_rect(r, L->banner, c);
	add_box(ui, DC_UI_BOX_BANNER, L->banner, 0);
	int d = L->banner.h * 72 / 100;
	int ix = L->pad, iy = L->banner.y + (L->banner.h - d) / 2;
	draw_icon(r, icon_for(s->kind), (float)ix, (float)iy, (float)d, c);
	add_box(ui, DC_UI_BOX_ICON, (SDL_Rect){ ix, iy, d, d }, 0);
	int tx = ix + d + L->pad, tw = L->w - tx - L->pad;
	const char *word = dc_screen_word(s->kind);
	int px = fit_px(ui, word, L->banner.h * 55 / 100, L->banner.h * 22 / 100, tw);
	TTF_Font *f = font(ui, px);
	int th = TTF_FontHeight(f);
	text_line(ui, r, word, px, px, tx, L->banner.y + (L->banner.h - th) / 2, tw, LEFT,
		  WHITE, DC_UI_BOX_WORD);
}

/* One body item, measured first so the whole column can be scaled to fit. */
typedef struct {
	const char *text;
	int px;            /* wanted size */
	int lines;         /* wrap to at most this many lines */
	SDL_Color col;
	dc_ui_box_role role;
	bool highlight;    /* drawn on a yellow band (warning) */
	bool keep;         /* reason / warning: shrunk after the other lines */
} item;

static int draw_items(dc_ui *ui, SDL_Renderer *r, layout *L, item *it, int n, int align,
		      bool draw, const int pct[3])
{
	int y = L->body.y + L->pad / 2, x = L->pad, w = L->w - 2 * L->pad;
	ui->measuring = !draw;
	for (int i = 0; i < n; i++) {
		if (!it[i].text || !it[i].text[0])
			continue;
		bool primary = it[i].role == DC_UI_BOX_NAME || it[i].role == DC_UI_BOX_DOB;
		int px = it[i].px * pct[primary ? 2 : it[i].keep ? 1 : 0] / 100;
		if (px < 9)
			px = 9;
		int gap = px / 5;
		if (it[i].highlight) {
			int hp = fit_px(ui, it[i].text, px, px / 2, w - 2 * L->pad);
			SDL_Rect band = { x, y, w, TTF_FontHeight(font(ui, hp)) + gap };
			if (draw)
				fill_rect(r, band, WARN_BG);
			text_line(ui, r, it[i].text, hp, hp, x + L->pad, y + gap / 2,
				  w - 2 * L->pad, align, INK, it[i].role);
			y += band.h + gap;
			continue;
		}
		if (it[i].lines > 1)
			y += text_wrap(ui, r, it[i].text, px, x, y, w, it[i].lines, align, it[i].col,
				       it[i].role);
		else
			y += text_line(ui, r, it[i].text, px, px * 6 / 10, x, y, w, align,
				       it[i].col, it[i].role);
		y += gap;
	}
	ui->measuring = false;
	return y - L->body.y;
}

static void layout_body(dc_ui *ui, SDL_Renderer *r, layout *L, item *it, int n, int align)
{
	/* Shrink the column until it fits the body height: the secondary
	 * lines first, then the reason and warning, the name and birth date
	 * (compared with an ID) last. pct[]: secondary, reason, name. */
	int pct[3] = { 100, 100, 100 };
#define TOO_TALL() (draw_items(ui, r, L, it, n, align, false, pct) > L->body.h)
	while (pct[0] > 55 && TOO_TALL())
		pct[0] -= 5;
	while (pct[1] > 75 && TOO_TALL())
		pct[1] -= 5;
	while (pct[2] > 40 && TOO_TALL()) {
		pct[2] -= 5;
		pct[1] = pct[1] > 48 ? pct[1] - 3 : pct[1];
		pct[0] = pct[0] > 40 ? pct[0] - 3 : pct[0];
	}
#undef TOO_TALL
	draw_items(ui, r, L, it, n, align, true, pct);
}

int dc_ui_render(dc_ui *ui, SDL_Renderer *r, int w, int h, const dc_screen *s)
{
	layout L;
	char prog[64], extra[64];
	ui->n_boxes = 0;
	L.w = w;
	L.h = h;
	L.portrait = h > w;
	/* Landscape: the height limits; portrait: the width does. */
	L.u = L.portrait ? w * 8 / 10 : (h < w * 62 / 100 ? h : w * 62 / 100);
	L.pad = L.u / 30 > 4 ? L.u / 30 : 4;

	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, PAPER.r, PAPER.g, PAPER.b, 255);
	if (SDL_RenderClear(r) != 0)
		return -1;
	draw_status(ui, r, &L, s);
	int bh = L.portrait ? h * 20 / 100 : h * 25 / 100;
	L.banner = (SDL_Rect){ 0, 0, w, bh };
	L.body = (SDL_Rect){ 0, bh, w, L.status.y - bh };
	draw_banner(ui, r, &L, s);

	int U = L.u;
	item it[DC_SCREEN_INFO_LINES > 8 ? DC_SCREEN_INFO_LINES : 8];
	int n = 0;
	memset(it, 0, sizeof it);
	switch (s->kind) {
	case DC_SCREEN_PASS:
	case DC_SCREEN_FAIL:
		/* A long name wraps rather than shrinks: it is what staff compare. */
		/* Portrait has the height to spare: bigger name and date. */
		it[n++] = (item){ s->name, U * (L.portrait ? 16 : 13) / 100, L.portrait ? 3 : 2,
				  INK, DC_UI_BOX_NAME, false, false };
		if (s->birth_date[0]) {
			FMT(ui->scratch, "Born %s", s->birth_date);
			it[n++] = (item){ ui->scratch, U * (L.portrait ? 13 : 11) / 100, 1, INK,
					  DC_UI_BOX_DOB, false, false };
		}
		it[n++] = (item){ s->warning, U * 7 / 100, 1, INK, DC_UI_BOX_WARNING, true, true };
		it[n++] = (item){ s->reason, U * 6 / 100, 2, s->kind == DC_SCREEN_FAIL
				  ? dc_ui_colour(s->kind) : INK, DC_UI_BOX_TEXT, false, true };
		it[n++] = (item){ s->summary[0], U * 5 / 100, 1, GREY, DC_UI_BOX_TEXT, false, false };
		it[n++] = (item){ s->summary[1], U * 5 / 100, 1, GREY, DC_UI_BOX_TEXT, false, false };
		it[n++] = (item){ s->issuer, U * 5 / 100, 1, GREY, DC_UI_BOX_TEXT, false, false };
		layout_body(ui, r, &L, it, n, LEFT);
		break;
	case DC_SCREEN_OPERATOR:
		for (int i = 0; i < DC_SCREEN_INFO_LINES; i++)
			it[n++] = (item){ s->info[i], U * 5 / 100, i == 3 ? 3 : 1, i ? INK : GREY,
					  DC_UI_BOX_TEXT, false, false };
		layout_body(ui, r, &L, it, n, LEFT);
		break;
	case DC_SCREEN_SCANNING:
		it[n++] = (item){ "Hold the QR code up to the camera", U * 8 / 100, 2, INK,
				  DC_UI_BOX_TEXT, false, false };
		it[n++] = (item){ "Then compare the name and date of birth with a photo ID",
				  U * 5 / 100, 2, GREY, DC_UI_BOX_TEXT, false, false };
		layout_body(ui, r, &L, it, n, CENTRE);
		break;
	case DC_SCREEN_CHUNKS: {
		FMT(prog, "%d of %d scanned", s->chunks_have, s->chunks_total);
		it[n++] = (item){ prog, U * 13 / 100, 1, INK, DC_UI_BOX_TEXT, false, false };
		it[n++] = (item){ "This card has several codes: show the next one",
				  U * 6 / 100, 2, GREY, DC_UI_BOX_TEXT, false, false };
		layout_body(ui, r, &L, it, n, CENTRE);
		/* one dot per part, filled when scanned */
		int total = s->chunks_total > 0 && s->chunks_total <= 16 ? s->chunks_total : 0;
		float dr = (float)U * 0.035f, gap = dr * 3.2f;
		float x0 = (float)w / 2 - gap * (float)(total - 1) / 2;
		float y = (float)(L.status.y) - dr * 2.5f;
		SDL_Color c = dc_ui_colour(DC_SCREEN_CHUNKS);
		for (int i = 0; i < total; i++) {
			fill_circle(r, x0 + gap * (float)i, y, dr, c);
			if (i >= s->chunks_have)
				fill_circle(r, x0 + gap * (float)i, y, dr * 0.7f, PAPER);
		}
		break;
	}
	case DC_SCREEN_NOT_VALID:
	case DC_SCREEN_NOT_VERIFIABLE:
	case DC_SCREEN_CLOCK_NOT_SET:
	case DC_SCREEN_CAPACITY:
	default: {
		const char *hint = "";
		if (s->kind == DC_SCREEN_NOT_VALID)
			hint = "Do not admit on this record";
		else if (s->kind == DC_SCREEN_NOT_VERIFIABLE)
			hint = "This is not a failure of the holder";
		else if (s->kind == DC_SCREEN_CLOCK_NOT_SET)
			hint = "Nobody can be passed until the date and time are set";
		else if (s->kind == DC_SCREEN_OUT_OF_SERVICE)
			hint = "Nobody can be passed until the operator installs trust data";
		else if (s->kind == DC_SCREEN_TRUST_INSTALLED ||
			 s->kind == DC_SCREEN_TRUST_REFUSED)
			hint = s->info[0];
		else if (s->kind == DC_SCREEN_CAPACITY && !s->is_result) {
			FMT(extra, "%u of %u admitted", s->admitted, s->capacity);
			hint = extra;
		}
		it[n++] = (item){ s->reason, U * 8 / 100, 3, INK, DC_UI_BOX_TEXT, false, false };
		it[n++] = (item){ hint, U * 6 / 100, 2, GREY, DC_UI_BOX_TEXT, false, false };
		layout_body(ui, r, &L, it, n, LEFT);
		break;
	}
	}
	mbedtls_platform_zeroize(ui->scratch, sizeof ui->scratch);
	mbedtls_platform_zeroize(ui->cut, sizeof ui->cut);
	return 0;
}

int dc_ui_present(dc_ui *ui, SDL_Renderer *r, const dc_screen *s, int rotation,
		  SDL_Texture **target)
{
	int W, H, rc;
	if (SDL_GetRendererOutputSize(r, &W, &H) != 0)
		return -1;
	bool turned = rotation == 90 || rotation == 270;
	int w = turned ? H : W, h = turned ? W : H;
	if (rotation != 90 && rotation != 180 && rotation != 270) {
		rc = dc_ui_render(ui, r, w, h, s);
	} else {
		int tw = 0, th = 0;
		if (*target)
			SDL_QueryTexture(*target, NULL, NULL, &tw, &th);
		if (!*target || tw != w || th != h) {
			if (*target)
				SDL_DestroyTexture(*target);
			*target = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888,
						    SDL_TEXTUREACCESS_TARGET, w, h);
			if (!*target)
				return -1;
		}
		if (SDL_SetRenderTarget(r, *target) != 0)
			return -1;
		rc = dc_ui_render(ui, r, w, h, s);
		SDL_SetRenderTarget(r, NULL);
		SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
		SDL_RenderClear(r);
		/* centred, so that turning it by 90 degrees fills W x H */
		SDL_Rect dst = { (W - w) / 2, (H - h) / 2, w, h };
		if (SDL_RenderCopyEx(r, *target, NULL, &dst, rotation, NULL, SDL_FLIP_NONE) != 0)
			rc = -1;
	}
	SDL_RenderPresent(r);
	return rc;
}
