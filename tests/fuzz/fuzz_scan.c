/*
 * dc_scan: the scan scheduler on arbitrary grey frames -- the finder's
 * cell grid and flood fill, region clipping from decoder-reported corners
 * (zxing's positions of located but undecoded symbols), the crops, scaled,
 * inverted, stretched and sharpened copies, the motion deconvolution
 * (corpus/scan/motion-blur.bin: modules smeared along the rows), and the
 * zxing shim's result handling.
 *
 * Input: byte 0 and 1 give the frame's width and height (16..128), byte 2
 * the frames to run (1..8, low 3 bits) and the decoders (bit 3: ZBar only,
 * bit 4: zxing only when built in); the rest are the pixels, repeated to
 * fill the frame. The budget is the largest allowed, so every attempt of
 * the schedule runs whatever the machine's speed: an input replays alike.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dc_scan.h"

#define MAXS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dc_scanner *s;
	static uint8_t frame[MAXS * (MAXS + 7)];
	if (size < 4)
		return 0;
	if (!s && !(s = dc_scanner_new(MAXS, MAXS)))
		return 0;
	int w = 16 + data[0] % (MAXS - 15), h = 16 + data[1] % (MAXS - 15);
	int frames = 1 + (data[2] & 7);
	dc_scan_config c;
	dc_scan_config_default(&c);
	c.budget_ms = DC_SCAN_BUDGET_MAX_MS;
	if (data[2] & 8)
		c.decoders = DC_SCAN_ZBAR;
	else if ((data[2] & 16) && (dc_scan_decoders_available() & DC_SCAN_ZXING))
		c.decoders = DC_SCAN_ZXING;
	if (dc_scanner_config(s, &c) != 0)
		return 0;
	/* An odd stride (the last 7 bytes of a row unused) as cameras give. */
	int stride = w + (data[2] >> 5);
	const uint8_t *px = data + 3;
	size_t n = size - 3;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < stride; x++) {
			size_t i = (size_t)y * w + (size_t)(x < w ? x : 0);
			frame[(size_t)y * stride + x] = px[i % n];
		}
	int got = dc_scanner_scan_still(s, frame, w, h, stride, frames, NULL);
	for (int i = 0; i < got; i++) {
		size_t len = 0;
		const char *t = dc_scanner_text(s, i, &len);
		/* Texts are NUL-terminated within the scanner's limit. */
		if (!t || len == 0 || len > DC_SCAN_MAX_TEXT || t[len] != 0)
			__builtin_trap();
	}
	dc_scanner_wipe(s);
	return 0;
}
