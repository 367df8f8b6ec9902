/* libFuzzer harness: the kiosk configuration file parser (dc_config). */
#include <stddef.h>
#include <stdint.h>

#include "dc_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_config c;
	char err[256];
	dc_config_defaults(&c);
	if (dc_config_parse(&c, data, size, err, sizeof err) == 0) {
		/* Parsed values stay inside their documented ranges. */
		if (c.camera_rotation % 90 || c.display_rotation % 90 || c.result_ms < 500 ||
		    c.chunk_timeout_ms < 1000 || !c.trust[0] || !c.font[0])
			__builtin_trap();
	}
	return 0;
}
