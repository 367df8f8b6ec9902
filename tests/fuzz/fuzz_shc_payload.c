/* The decoded SHC payload: JSON -> FHIR bundle -> record. */
#include <stdint.h>

#include "dc_shc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_record r;
	char rid[65];
	dc_record_init(&r);
	dc_shc_parse_payload(data, size, 1767225600.0, &r, rid, sizeof rid);
	dc_record_wipe(&r);
	return 0;
}
