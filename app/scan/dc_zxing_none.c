/* dc_zxing without zxing-cpp (meson -Dzxing=disabled or not installed):
 * the scheduler then plans with ZBar alone. */
#include "dc_zxing.h"

int dc_zx_available(void)
{
	return 0;
}

int dc_zx_read(const uint8_t *img, int width, int height, int row_stride,
	       int pix_stride, const dc_zx_opts *opts, dc_zx_hit_fn hit,
	       void *ctx)
{
	(void)img, (void)width, (void)height, (void)row_stride;
	(void)pix_stride, (void)opts, (void)hit, (void)ctx;
	return -1;
}
