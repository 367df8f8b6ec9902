/*
 * Line assembly for text-producing sources (pasted text, serial scanners).
 * One fixed buffer per source, sized for the longest QR text; a longer
 * line is dropped whole rather than cut, because half a code is worse than
 * none.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "dc_source_priv.h"

void dc_src_lines_init(dc_src_lines *l, int fd)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
}

void dc_src_lines_wipe(dc_src_lines *l)
{
	mbedtls_platform_zeroize(l->line, sizeof l->line);
	mbedtls_platform_zeroize(l->rd, sizeof l->rd);
	l->len = 0;
	l->rd_pos = l->rd_len = 0;
	l->skipping = 0;
}

dc_src_status dc_src_lines_next(dc_src_lines *l, int timeout_ms,
				const char **text, size_t *len, char *err,
				size_t errlen)
{
	long long deadline = dc_src_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		while (l->rd_pos < l->rd_len) {
			char c = l->rd[l->rd_pos++];
			if (c == '\n' || c == '\r') {
				int was_skipping = l->skipping;
				l->skipping = 0;
				if (was_skipping) {
					dc_src_seterr(err, errlen,
						      "text longer than %d "
						      "characters dropped",
						      DC_SRC_MAX_TEXT);
					l->len = 0;
					return DC_SRC_IO;
				}
				if (l->len == 0)
					continue; /* CRLF, blank line */
				l->line[l->len] = 0;
				*text = l->line;
				*len = l->len;
				l->len = 0; /* next call starts a new line */
				return DC_SRC_OK;
			}
			if (l->skipping)
				continue;
			if (l->len == DC_SRC_MAX_TEXT) {
				mbedtls_platform_zeroize(l->line, sizeof l->line);
				l->len = 0;
				l->skipping = 1;
				continue;
			}
			l->line[l->len++] = c;
		}
		if (l->eof) {
			if (l->len && !l->skipping) {
				/* Last line without a newline still counts. */
				l->line[l->len] = 0;
				*text = l->line;
				*len = l->len;
				l->len = 0;
				return DC_SRC_OK;
			}
			return DC_SRC_END;
		}
		struct pollfd p = { .fd = l->fd, .events = POLLIN };
		int r = poll(&p, 1, dc_src_remaining(deadline, timeout_ms));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			dc_src_seterr(err, errlen, "poll: %s", strerror(errno));
			return DC_SRC_IO;
		}
		if (r == 0)
			return DC_SRC_AGAIN;
		ssize_t n = read(l->fd, l->rd, sizeof l->rd);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			dc_src_seterr(err, errlen, "read: %s", strerror(errno));
			return DC_SRC_IO;
		}
		if (n == 0 && (p.revents & (POLLHUP | POLLIN))) {
			l->eof = 1;
			continue;
		}
		l->rd_pos = 0;
		l->rd_len = (size_t)n;
	}
}
