/* Trust bundle JSON (the part after the signature): a bundle that parses
 * must hold only allowed, unique names whose data matches their SHA-256,
 * and must survive a rebuild and re-parse unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dc_bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_bundle *b = NULL, *again = NULL;
	const char *names[DC_BUNDLE_MAX_FILES];
	const uint8_t *bufs[DC_BUNDLE_MAX_FILES];
	size_t lens[DC_BUNDLE_MAX_FILES];
	char *json = NULL;
	size_t jl = 0;

	if (dc_bundle_parse_unsigned(data, size, &b) != DC_OK)
		return 0;
	size_t n = dc_bundle_count(b);
	if (n < 1 || n > DC_BUNDLE_MAX_FILES || dc_bundle_version(b) < 1)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (dc_bundle_file(b, i, &names[i], &bufs[i], &lens[i]) != DC_OK ||
		    !dc_bundle_name_ok(names[i]) || lens[i] > DC_TRUST_MAX_FILE)
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				abort();
	}
	if (dc_bundle_build(dc_bundle_version(b), dc_bundle_created(b), n, names, bufs, lens,
			    &json, &jl) != DC_OK ||
	    dc_bundle_parse_unsigned((const uint8_t *)json, jl, &again) != DC_OK ||
	    dc_bundle_count(again) != n || dc_bundle_version(again) != dc_bundle_version(b) ||
	    dc_bundle_created(again) != dc_bundle_created(b))
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *nm;
		const uint8_t *d;
		size_t l;
		dc_bundle_file(again, i, &nm, &d, &l);
		if (strcmp(nm, names[i]) != 0 || l != lens[i] || (l && memcmp(d, bufs[i], l) != 0))
			abort();
	}
	free(json);
	dc_bundle_free(again);
	dc_bundle_free(b);
	return 0;
}
