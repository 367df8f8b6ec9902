/*
 * dc_ui: draws a dc_screen (app/kiosk/dc_screen.h) into any SDL_Renderer:
 * a window's (kiosk: KMSDRM full screen; simulator: a desktop window) or a
 * software renderer on an SDL_Surface (headless renders, tests, benches).
 *
 * Every verdict is a word, a drawn icon (tick, cross, exclamation mark,
 * question mark, bar) and a colour, never colour alone. The layout adapts
 * to the target size: landscape (800x480, 480x320, 1920x1080) and portrait
 * (480x800). Text is shrunk to fit its box, then cut with an ellipsis, so
 * nothing is drawn outside the screen.
 *
 * Privacy: the renderer copies holder text only into its scratch buffer,
 * which it zeroises at the end of every dc_ui_render call. What stays in
 * SDL after a render is pixels, not text.
 */
#ifndef DC_UI_H
#define DC_UI_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "dc_screen.h"

#define DC_UI_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#define DC_UI_MAX_BOXES 48

typedef enum {
	DC_UI_BOX_BANNER = 0,
	DC_UI_BOX_ICON,
	DC_UI_BOX_WORD,       /* the verdict word */
	DC_UI_BOX_NAME,       /* holder name */
	DC_UI_BOX_DOB,        /* date of birth */
	DC_UI_BOX_WARNING,    /* "already admitted" */
	DC_UI_BOX_TEXT,       /* reason, issuer, summary, instructions */
	DC_UI_BOX_STATUS_BAR,
	DC_UI_BOX_STATUS_TEXT,
} dc_ui_box_role;

typedef struct {
	dc_ui_box_role role;
	SDL_Rect rect;
	int font_px;          /* text boxes: font size used */
} dc_ui_box;

typedef struct dc_ui dc_ui;

/* Loads the font file once (font_path NULL = DC_UI_DEFAULT_FONT). Calls
 * TTF_Init. NULL with a reason in err on failure. */
dc_ui *dc_ui_new(const char *font_path, char *err, size_t errlen);
void dc_ui_free(dc_ui *ui); /* NULL is safe */

/* Draws s over the whole w x h output of r. 0 on success, -1 on an SDL
 * error (message in SDL_GetError). */
int dc_ui_render(dc_ui *ui, SDL_Renderer *r, int w, int h, const dc_screen *s);

/* Draws s on a window's renderer and presents it. rotation 90 or 270
 * turns a landscape panel into a portrait screen (and 180 flips it): the
 * screen is laid out for the rotated size in *target (created and resized
 * as needed; the caller destroys it) and copied rotated. 0 or -1. */
int dc_ui_present(dc_ui *ui, SDL_Renderer *r, const dc_screen *s, int rotation,
		  SDL_Texture **target);

/* What the last render drew, for tests and layout checks. */
size_t dc_ui_boxes(const dc_ui *ui, const dc_ui_box **boxes);

/* Banner colour of each screen. */
SDL_Color dc_ui_colour(dc_screen_kind k);

/* A software renderer on a surface: headless renders, tests, benches. No
 * video subsystem is needed. */
typedef struct {
	SDL_Surface *surface;
	SDL_Renderer *renderer;
	int w, h;
} dc_canvas;

int dc_canvas_open(dc_canvas *c, int w, int h);
void dc_canvas_close(dc_canvas *c);
/* Reads a pixel of the canvas (after dc_ui_render). */
SDL_Color dc_canvas_pixel(const dc_canvas *c, int x, int y);

#endif
