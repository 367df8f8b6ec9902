/* Personal data of the demo cards, as the tests look for it: the verified
 * holder names and birth dates, and pieces of the QR texts. */
#ifndef DC_DEMO_NEEDLES_H
#define DC_DEMO_NEEDLES_H

#include <time.h>

#include "dc_trustload.h"
#include "dc_verify.h"

#define DC_MAX_NEEDLES 128

typedef struct {
	char s[DC_MAX_NEEDLES][96];
	size_t n;
} dc_needles;

static inline void dc_needle_add(dc_needles *nd, const char *s, size_t len)
{
	if (len < 6 || nd->n == DC_MAX_NEEDLES)
		return;
	if (len >= sizeof nd->s[0])
		len = sizeof nd->s[0] - 1;
	for (size_t i = 0; i < nd->n; i++)
		if (strlen(nd->s[i]) == len && !memcmp(nd->s[i], s, len))
			return;
	memcpy(nd->s[nd->n], s, len);
	nd->s[nd->n][len] = 0;
	nd->n++;
}

/* Verifies each card's .txt (one line per part) with the demo trust data
 * and collects the names, birth dates and QR text pieces. */
static inline int dc_demo_needles(const char *cards, const char *trust_dir,
				  const char *const *stems, size_t n, dc_needles *nd)
{
	char err[512];
	dc_trust *t = dc_trust_new();
	memset(nd, 0, sizeof *nd);
	dc_core_init();
	if (!t || dc_trustload_dir(t, trust_dir, err, sizeof err) != 0) {
		fprintf(stderr, "trust: %s\n", err);
		dc_trust_free(t);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		size_t len = 0;
		DC_FMT(path, sizeof path, "%s/%s.txt", cards, stems[i]);
		char *buf = dc_test_read(path, &len);
		if (!buf)
			continue;
		const char *texts[DC_MAX_TEXTS];
		size_t lens[DC_MAX_TEXTS], k = 0;
		for (char *line = strtok(buf, "\r\n"); line && k < DC_MAX_TEXTS; line = strtok(NULL, "\r\n")) {
			texts[k] = line;
			lens[k++] = strlen(line);
			/* a piece from the middle of the code's digits */
			if (lens[k - 1] > 80)
				dc_needle_add(nd, line + lens[k - 1] / 2, 40);
		}
		dc_record rec;
		dc_verify_opts vo = { .trust = t, .now = (double)time(NULL) };
		dc_verify_texts(&vo, texts, lens, k, &rec);
		dc_needle_add(nd, rec.name, strlen(rec.name));
		dc_needle_add(nd, rec.birth_date, strlen(rec.birth_date));
		dc_record_wipe(&rec);
		free(buf);
	}
	dc_trust_free(t);
	return 0;
}

#endif
