/* dc_image: PNG and JPEG decoding from memory, and JPEG into a fixed frame
 * buffer (the V4L2 MJPEG path). */
#include <stddef.h>
#include <stdint.h>

#include "dc_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[320 * 240];
	char err[160];
	dc_grey g;
	int w, h;

	if (dc_image_load_mem(data, size, &g, err, sizeof err) == 0) {
		/* Touch every pixel so a short buffer shows up under ASan. */
		unsigned sum = 0;
		for (int y = 0; y < g.height; y++)
			for (int x = 0; x < g.width; x++)
				sum += g.y[(size_t)y * g.stride + x];
		(void)sum;
		dc_grey_free(&g);
	}
	(void)dc_image_jpeg_into(data, size, frame, 320, 320, 240, &w, &h, err,
				 sizeof err);
	return 0;
}
