/* Software renderer on an SDL surface: headless renders, tests, benches.
 * A file of its own so that a program that only draws to a window (the
 * door) links none of it. */
#include <string.h>

#include "dc_ui.h"

int dc_canvas_open(dc_canvas *c, int w, int h)
{
	memset(c, 0, sizeof *c);
	c->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!c->surface)
		return -1;
	c->renderer = SDL_CreateSoftwareRenderer(c->surface);
	if (!c->renderer) {
		SDL_FreeSurface(c->surface);
		c->surface = NULL;
		return -1;
	}
	c->w = w;
	c->h = h;
	return 0;
}

void dc_canvas_close(dc_canvas *c)
{
	if (!c)
		return;
	if (c->renderer)
		SDL_DestroyRenderer(c->renderer);
	if (c->surface)
		SDL_FreeSurface(c->surface);
	memset(c, 0, sizeof *c);
}

SDL_Color dc_canvas_pixel(const dc_canvas *c, int x, int y)
{
	SDL_Color col = { 0, 0, 0, 0 };
	if (!c->surface || x < 0 || y < 0 || x >= c->w || y >= c->h)
		return col;
	const uint8_t *row = (const uint8_t *)c->surface->pixels + (size_t)y * (size_t)c->surface->pitch;
	uint32_t p;
	memcpy(&p, row + (size_t)x * 4, 4);
	SDL_GetRGBA(p, c->surface->format, &col.r, &col.g, &col.b, &col.a);
	return col;
}
