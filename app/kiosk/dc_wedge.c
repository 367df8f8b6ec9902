#include "dc_wedge.h"

#include <string.h>

#include <mbedtls/platform_util.h>

static void clear(dc_wedge *w)
{
	if (w->len || w->overflow)
		mbedtls_platform_zeroize(w->text, sizeof w->text);
	w->len = 0;
	w->overflow = false;
	w->pending = w->burst = w->line_ready = w->handed = false;
	memset(&w->held, 0, sizeof w->held);
}

void dc_wedge_init(dc_wedge *w, uint32_t gap_ms)
{
	memset(w, 0, sizeof *w);
	w->gap_ms = gap_ms ? gap_ms : DC_WEDGE_DEFAULT_GAP_MS;
}

void dc_wedge_wipe(dc_wedge *w)
{
	clear(w);
}

void dc_wedge_keydown(dc_wedge *w, uint64_t t, const dc_wedge_key *k, bool is_enter)
{
	if (w->handed || w->line_ready) /* the line was not collected: a new burst starts */
		clear(w);
	if (w->pending && t - w->last_ms < w->gap_ms) {
		w->burst = true;
	} else if (w->pending) {
		/* The held key stood alone but was not polled yet: it is lost
		 * rather than mixed into the next burst. */
		clear(w);
	}
	if (!w->pending) {
		w->pending = true;
		w->held = *k;
	}
	w->last_ms = t;
	if (is_enter && w->burst)
		w->line_ready = true;
}

void dc_wedge_text(dc_wedge *w, const char *utf8)
{
	if (w->handed)
		clear(w);
	if (!w->pending || w->line_ready)
		return;
	size_t n = strlen(utf8);
	if (w->len + n > DC_WEDGE_MAX_TEXT) {
		w->overflow = true; /* a cut code would be another code */
		return;
	}
	memcpy(w->text + w->len, utf8, n);
	w->len += n;
	w->text[w->len] = 0;
}

dc_wedge_out dc_wedge_poll(dc_wedge *w, uint64_t t, dc_wedge_key *key, const char **line,
			   size_t *len)
{
	if (w->handed)
		clear(w);
	if (w->line_ready) {
		bool ok = !w->overflow && w->len > 0;
		if (!ok) {
			clear(w);
			return DC_WEDGE_NONE;
		}
		/* handed out once; wiped at the next call */
		w->line_ready = false;
		w->pending = false;
		w->burst = false;
		w->handed = true;
		*line = w->text;
		*len = w->len;
		return DC_WEDGE_LINE;
	}
	if (!w->pending || t - w->last_ms < w->gap_ms)
		return DC_WEDGE_NONE;
	dc_wedge_out out = DC_WEDGE_NONE;
	if (!w->burst) {
		*key = w->held;
		out = DC_WEDGE_KEY;
	}
	clear(w); /* a burst without Enter: dropped, never keys */
	return out;
}
