/* PNG output of a rendered screen (headless renders, screenshots): the
 * simulator's only file writer. The door binary links none of it. */
#include <stdio.h>
#include <string.h>

#include <png.h>

#include "dc_sim.h"

int dc_sim_png_write(SDL_Surface *src, const char *path, char *err, size_t errlen)
{
	/* volatile: both are read after a libpng longjmp */
	volatile int ret = -1;
	FILE *volatile f = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	SDL_Surface *rgb = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_RGB24, 0);
	if (!rgb) {
		snprintf(err, errlen, "convert: %s", SDL_GetError());
		goto out;
	}
	f = fopen(path, "wb");
	if (!f) {
		snprintf(err, errlen, "cannot write %s", path);
		goto out;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		snprintf(err, errlen, "libpng: out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		snprintf(err, errlen, "libpng: write error on %s", path);
		goto out;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)rgb->w, (png_uint_32)rgb->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < rgb->h; y++)
		png_write_row(png, (png_const_bytep)rgb->pixels + (size_t)y * (size_t)rgb->pitch);
	png_write_end(png, NULL);
	ret = 0;
out:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	if (f && fclose(f) != 0 && ret == 0) {
		snprintf(err, errlen, "cannot write %s", path);
		ret = -1;
	}
	if (rgb)
		SDL_FreeSurface(rgb);
	return ret;
}
