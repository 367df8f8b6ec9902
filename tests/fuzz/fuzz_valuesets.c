/* EU value-set files (dc_valuesets_parse): parse, look a few codes up,
 * merge into a second copy. Nothing may crash or leak; a parsed set only
 * answers for codes it holds. */
#include <stdint.h>
#include <string.h>

#include "dc_valuesets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_err e;
	dc_valuesets *v = dc_valuesets_parse(data, size, &e);
	if (!v) {
		if (e == DC_OK)
			__builtin_trap();
		return 0;
	}
	static const char *const codes[] = {"EU/1/20/1528", "840539006", "1232", "", "x"};
	for (int s = 0; s < DC_VS__COUNT; s++)
		for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
			const char *n = dc_valuesets_lookup(v, (dc_valueset)s, codes[i]);
			if (n && strlen(n) >= DC_VALUESETS_MAX_DISPLAY)
				__builtin_trap();
		}
	dc_valuesets *w = dc_valuesets_parse(data, size, &e);
	if (w) {
		if (dc_valuesets_merge(v, w) != DC_OK || dc_valuesets_loaded(w) != 0)
			__builtin_trap();
		dc_valuesets_free(w);
	}
	dc_valuesets_free(v);
	return 0;
}
