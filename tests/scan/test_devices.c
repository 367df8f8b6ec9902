/* Cameras: without one, v4l2 and libcamera must refuse with
 * DC_SRC_NO_DEVICE and a clear message, and the test skips (77). With a
 * camera, one frame is grabbed and checked for shape. A backend that is not
 * built must say so (DC_SRC_UNSUPPORTED). */
#include <string.h>

#include "dc_source.h"
#include "dc_test.h"

static int tried_device; /* a camera was present */

static void try_kind(const char *kind, const char *dev, const char *absent_msg)
{
	dc_source_config cfg = { .kind = kind, .device = dev, .width = 640,
				 .height = 480 };
	dc_source *s = NULL;
	dc_src_status st = dc_source_open(&cfg, &s);
	const char *err = dc_source_error(s);

	printf("%s: status %d: %s\n", kind, (int)st, st ? err : "open");
	if (st == DC_SRC_UNSUPPORTED && strstr(err, "not built in")) {
		CHECK(s != NULL);
	} else if (st == DC_SRC_NO_DEVICE) {
		CHECK_MSG(strstr(err, absent_msg) != NULL, "%s: error = %s",
			  kind, err);
		dc_frame f;
		CHECK_EQ_INT(dc_source_next(s, &f, 0), DC_SRC_NO_DEVICE);
	} else if (st == DC_SRC_OK) {
		tried_device = 1;
		dc_frame f;
		dc_src_status n = DC_SRC_AGAIN;
		for (int i = 0; i < 20 && n == DC_SRC_AGAIN; i++)
			n = dc_source_next(s, &f, 500);
		CHECK_MSG(n == DC_SRC_OK, "%s: no frame: %s", kind,
			  dc_source_error(s));
		if (n == DC_SRC_OK) {
			CHECK_EQ_INT(f.kind, DC_FRAME_GREY);
			CHECK(f.y != NULL && f.width > 0 && f.height > 0 &&
			      f.stride >= f.width);
			printf("%s: frame %dx%d stride %d\n", kind, f.width,
			       f.height, f.stride);
		}
	} else {
		/* Present but unusable (permissions, format): not a pass. */
		CHECK_MSG(0, "%s: unexpected status %d: %s", kind, (int)st, err);
	}
	dc_source_free(s);
}

int main(void)
{
	try_kind("v4l2", NULL, "no camera at /dev/video0");
	try_kind("libcamera", NULL, "no camera found");
	int rc = dc_test_done();
	if (rc == 0 && !tried_device) {
		printf("no camera on this machine: skipped\n");
		return 77;
	}
	return rc;
}
