/* Linked instead of dc_src_v4l2.c when meson's 'v4l2' feature is off or its
 * dependency is missing. */
#include "dc_source_priv.h"

dc_src_status dc_src_v4l2_open(const dc_source_config *cfg, dc_source **out,
			       char *err, size_t errlen)
{
	(void)cfg;
	*out = NULL;
	dc_src_seterr(err, errlen,
		      "the v4l2 source is not built in (meson -Dv4l2=enabled)");
	return DC_SRC_UNSUPPORTED;
}
