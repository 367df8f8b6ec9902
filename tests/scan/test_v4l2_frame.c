/* V4L2 buffer -> grey frame for every format the v4l2 source accepts, on
 * buffers made here (no camera needed): Y-first formats are lent without a
 * copy, YUYV and MJPEG are converted, short or corrupt buffers refused. */
#include <linux/videodev2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_scan.h"
#include "dc_source_priv.h"
#include "dc_test.h"
#include "scan_testutil.h"

#define W 320
#define H 240

int main(void)
{
	const char *text = "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N";
	uint8_t *g = tu_blank(W, H, 255);
	uint8_t *grey = malloc(W * H);
	dc_scanner *sc = dc_scanner_new(W, H);
	dc_frame f;
	char err[DC_SRC_ERR_LEN];
	CHECK(tu_draw_qr(g, W, H, W, 40, 10, text, 3) > 0);

	/* NV12 with padded rows: lent as is. */
	int bpl = W + 32;
	size_t nv12_len = (size_t)bpl * H * 3 / 2;
	uint8_t *nv12 = malloc(nv12_len);
	memset(nv12, 128, nv12_len);
	for (int y = 0; y < H; y++)
		memcpy(nv12 + (size_t)y * bpl, g + (size_t)y * W, W);
	memset(&f, 0, sizeof f);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_NV12, nv12, nv12_len, W, H,
				       bpl, grey, &f, err, sizeof err), 1);
	CHECK(f.y == nv12 && f.stride == bpl && f.width == W && f.height == H);
	CHECK_EQ_INT(dc_scanner_scan(sc, f.y, f.width, f.height, f.stride), 1);
	CHECK_STR(dc_scanner_text(sc, 0, NULL), text);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_GREY, nv12,
				       (size_t)bpl * H - 1, W, H, bpl, grey,
				       &f, err, sizeof err), -1);

	/* YUYV: Y gathered into the grey buffer, exactly. */
	bpl = 2 * W + 8;
	uint8_t *yuyv = malloc((size_t)bpl * H);
	memset(yuyv, 128, (size_t)bpl * H);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			yuyv[(size_t)y * bpl + 2 * x] = g[(size_t)y * W + x];
	memset(grey, 0, W * H);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_YUYV, yuyv,
				       (size_t)bpl * H, W, H, bpl, grey, &f,
				       err, sizeof err), 0);
	CHECK(f.y == grey && f.stride == W);
	CHECK(memcmp(grey, g, W * H) == 0);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_YUYV, yuyv, 100, W, H, bpl,
				       grey, &f, err, sizeof err), -1);

	/* MJPEG: decoded into the grey buffer and still readable. */
	size_t jn = 0;
	uint8_t *jpg = tu_jpeg(g, W, H, 75, &jn);
	memset(grey, 0, W * H);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_MJPEG, jpg, jn, W, H, W,
				       grey, &f, err, sizeof err), 0);
	CHECK(f.y == grey && f.width == W && f.height == H);
	CHECK_EQ_INT(dc_scanner_scan(sc, f.y, f.width, f.height, f.stride), 1);
	CHECK_STR(dc_scanner_text(sc, 0, NULL), text);
	/* Cut short (a frame the camera did not finish), or garbage. */
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_MJPEG, jpg, jn / 2, W, H, W,
				       grey, &f, err, sizeof err), -1);
	CHECK_MSG(strncmp(err, "camera frame: truncated", 23) == 0, "err = %s",
		  err);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_MJPEG, g, 1000, W, H, W,
				       grey, &f, err, sizeof err), -1);
	/* A frame bigger than the buffer the source sized at open. */
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_MJPEG, jpg, jn, W / 2, H,
				       W / 2, grey, &f, err, sizeof err), -1);
	CHECK_EQ_INT(dc_src_v4l2_frame(V4L2_PIX_FMT_RGB24, jpg, jn, W, H, W,
				       grey, &f, err, sizeof err), -1);

	free(jpg);
	free(yuyv);
	free(nv12);
	free(grey);
	free(g);
	dc_scanner_free(sc);
	return dc_test_done();
}
