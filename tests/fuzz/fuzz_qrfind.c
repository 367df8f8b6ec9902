/*
 * dc_qrfind: the finder-pattern search and the homography fit on arbitrary
 * grey frames -- block thresholds, row runs and cross-checks, the triple
 * choice, the widths along the edges, the timing-pattern count and the
 * outline. Whatever the frame, the call returns 0, 1 or 2 and a 1 comes
 * with a finite outline and a module size > 0.
 *
 * Input: as fuzz_scan's (so its seeds holding QR codes serve here too):
 * bytes 0 and 1 give the frame's width and height (16..128), byte 2 the
 * polarity (its value mod 3) and, with bit 7, a window of the frame's
 * middle half instead of all of it; the rest are the pixels, repeated to
 * fill the frame.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "dc_qrfind.h"

#define MAXS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[MAXS * MAXS];
	static uint8_t thr[4096];
	if (size < 4)
		return 0;
	int w = 16 + data[0] % (MAXS - 15), h = 16 + data[1] % (MAXS - 15);
	int pol = data[2] % 3;
	const uint8_t *px = data + 3;
	size_t n = size - 3;
	for (size_t i = 0; i < (size_t)w * h; i++)
		frame[i] = px[i % n];
	int x0 = 0, y0 = 0, x1 = w, y1 = h;
	if (data[2] & 0x80)
		x0 = w / 4, y0 = h / 4, x1 = w - w / 4, y1 = h - h / 4;
	if (dc_qrfind_thr_size(w, h) > sizeof thr)
		__builtin_trap();
	dc_qrquad q;
	int r = dc_qrfind(frame, w, h, w, x0, y0, x1, y1, pol, thr, sizeof thr, &q);
	if (r < 0 || r > 2)
		__builtin_trap();
	if (r == 1) {
		for (int i = 0; i < 4; i++)
			if (!isfinite(q.qx[i]) || !isfinite(q.qy[i]))
				__builtin_trap();
		if (!(q.module > 0) || !(q.modules >= 21) || !(q.modules <= 187))
			__builtin_trap();
	}
	if (r == 2 && !(q.module > 0))
		__builtin_trap();
	return 0;
}
