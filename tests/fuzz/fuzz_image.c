/* dc_image: PNG and JPEG decoding from memory, and JPEG into a fixed frame
 * buffer (the V4L2 MJPEG path); small decoded images then go through the
 * still-image scan path of doorcheck-verify --image and doorcheck-scan
 * (dc_scanner_scan_still; tests/fuzz/fuzz_scan.c covers the scheduler on
 * raw frames). */
#include <stddef.h>
#include <stdint.h>

#include "dc_image.h"
#include "dc_scan.h"

/* Larger images are decoded but not scanned: a fuzzer's time is better
 * spent on many inputs. */
#define SCAN_MAX_PIXELS (256 * 256)

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
		if ((size_t)g.width * g.height <= SCAN_MAX_PIXELS) {
			dc_scanner *s = dc_scanner_new(g.width, g.height);
			if (s)
				(void)dc_scanner_scan_still(s, g.y, g.width,
							    g.height, g.stride, 4,
							    NULL);
			dc_scanner_free(s);
		}
		dc_grey_free(&g);
	}
	(void)dc_image_jpeg_into(data, size, frame, 320, 320, 240, &w, &h, err,
				 sizeof err);
	return 0;
}
