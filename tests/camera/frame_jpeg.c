/*
 * frame-jpeg IN.png OUT.jpg WIDTH HEIGHT: a camera frame for libcamera's
 * virtual camera, which plays JPEG files only. The picture (a demo card)
 * is decoded to grey, scaled by a whole factor (nearest pixel, so QR
 * modules stay sharp) to fit, centred on white, and written as a baseline
 * greyscale JPEG. The virtual camera scales a frame to the stream size
 * without keeping the aspect ratio, so WIDTHxHEIGHT should be that size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "dc_image.h"

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s IN.png OUT.jpg WIDTH HEIGHT\n", argv[0]);
		return 2;
	}
	int W = atoi(argv[3]), H = atoi(argv[4]);
	if (W < 16 || H < 16 || W > 4096 || H > 4096 || W % 2 || H % 2) {
		fprintf(stderr, "frame-jpeg: size must be even, 16..4096\n");
		return 2;
	}
	dc_grey g;
	char err[256];
	if (dc_image_load(argv[1], &g, err, sizeof err) != 0) {
		fprintf(stderr, "frame-jpeg: %s: %s\n", argv[1], err);
		return 1;
	}
	/* Whole factors up (a small card) or down (a large one). */
	int up = 1, down = 1;
	while (g.width * (up + 1) <= W && g.height * (up + 1) <= H)
		up++;
	while (g.width / down > W || g.height / down > H)
		down++;
	int sw = g.width * up / down, sh = g.height * up / down;
	int x0 = (W - sw) / 2, y0 = (H - sh) / 2;
	unsigned char *out = malloc((size_t)W * H);
	if (!out) {
		dc_grey_free(&g);
		return 1;
	}
	memset(out, 255, (size_t)W * H);
	for (int y = 0; y < sh; y++)
		for (int x = 0; x < sw; x++)
			out[(size_t)(y0 + y) * W + x0 + x] =
				g.y[(size_t)(y * down / up) * g.stride + x * down / up];
	dc_grey_free(&g);

	FILE *f = fopen(argv[2], "wb");
	if (!f) {
		perror(argv[2]);
		free(out);
		return 1;
	}
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)W;
	c.image_height = (JDIMENSION)H;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 92, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = out + (size_t)c.next_scanline * W;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(out);
	if (fclose(f) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
