/* Placeholder until the DCC verifier lands: HC1 texts are reported as not
 * verifiable rather than guessed at. Owned by the DCC work. */
#include "dc_dcc.h"

dc_err dc_dcc_verify(const dc_trust *t, double now, const char *text,
		     size_t len, dc_record *out)
{
	(void)t; (void)now; (void)text; (void)len;
	out->format = DC_FORMAT_DCC;
	return dc_record_fail(out, DC_E_UNKNOWN_FORMAT);
}
