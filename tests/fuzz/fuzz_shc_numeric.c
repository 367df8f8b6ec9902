/* shc:/ numeric decoding and chunk assembly. Input: one or more texts
 * separated by newlines (chunks of one card). */
#include <stdint.h>
#include <string.h>

#include "dc_shc.h"

static char out[DC_SHC_MAX_JWS + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *texts[DC_SHC_MAX_CHUNKS + 1];
	size_t lens[DC_SHC_MAX_CHUNKS + 1], n = 0, start = 0, ol;
	for (size_t i = 0; i <= size && n <= DC_SHC_MAX_CHUNKS; i++) {
		if (i == size || data[i] == '\n') {
			texts[n] = (const char *)data + start;
			lens[n++] = i - start;
			start = i + 1;
		}
	}
	int idx, total;
	for (size_t i = 0; i < n; i++)
		dc_shc_chunk_info(texts[i], lens[i], &idx, &total);
	dc_shc_decode(texts, lens, n, out, sizeof out, &ol);
	return 0;
}
