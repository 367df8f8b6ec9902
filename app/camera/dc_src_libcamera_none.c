/* Linked instead of dc_libcamera.cpp when meson's 'libcamera' feature is off or its
 * dependency is missing. */
#include "dc_source_priv.h"

dc_src_status dc_src_libcamera_open(const dc_source_config *cfg, dc_source **out,
				    char *err, size_t errlen)
{
	(void)cfg;
	*out = NULL;
	dc_src_seterr(err, errlen,
		      "the libcamera source is not built in (meson -Dlibcamera=enabled)");
	return DC_SRC_UNSUPPORTED;
}
