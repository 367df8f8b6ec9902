#include "dc_importstatus.h"

#include <stdlib.h>
#include <string.h>

/* Copies [v, v + n) into dst (cap bytes), printable ASCII only. */
static void copy_clean(char *dst, size_t cap, const uint8_t *v, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		dst[o++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	dst[o] = 0;
}

void dc_import_status_parse(const uint8_t *buf, size_t len, dc_import_status *st)
{
	memset(st, 0, sizeof *st);
	st->version = -1;
	if (!buf)
		return;
	if (len > DC_IMPORT_STATUS_MAX)
		len = DC_IMPORT_STATUS_MAX;
	size_t i = 0;
	while (i < len) {
		const uint8_t *line = buf + i;
		const uint8_t *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;
		i += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		const uint8_t *eq = memchr(line, '=', n);
		if (!eq)
			continue;
		size_t kl = (size_t)(eq - line), vl = n - kl - 1;
		const uint8_t *v = eq + 1;
#define KEY(s) (kl == sizeof(s) - 1 && !memcmp(line, s, kl))
		if (KEY("result")) {
			static const struct { const char *w; dc_import_result r; } words[] = {
				{ "installed", DC_IMPORT_INSTALLED }, { "refused", DC_IMPORT_REFUSED },
				{ "ignored", DC_IMPORT_IGNORED }, { "error", DC_IMPORT_ERROR },
			};
			st->result = DC_IMPORT_UNKNOWN;
			for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
				if (vl == strlen(words[w].w) && !memcmp(v, words[w].w, vl))
					st->result = words[w].r;
		} else if (KEY("version")) {
			char num[24];
			char *end;
			if (vl == 0 || vl >= sizeof num)
				continue;
			memcpy(num, v, vl);
			num[vl] = 0;
			long long x = strtoll(num, &end, 10);
			if (*end == 0 && x >= 0)
				st->version = x;
		} else if (KEY("reason")) {
			copy_clean(st->reason, sizeof st->reason, v, vl);
		} else if (KEY("time")) {
			copy_clean(st->time, sizeof st->time, v, vl);
		}
#undef KEY
	}
}
