/* The scan path end to end on the SHC specification's example QR images:
 * folder source -> scanner -> collector -> dc_shc_decode. The folder is
 * the shared spec-examples folder itself (read in place, never copied):
 * its PNGs come in name order, so example-02's three chunks arrive one
 * frame after another and must assemble into example-02's JWS. */
#include <string.h>

#include "dc_collect.h"
#include "dc_scan.h"
#include "dc_shc.h"
#include "dc_source.h"
#include "dc_test.h"

static char *read_text(const char *rel, size_t *len)
{
	char *t = dc_test_read(dc_test_path("DC_SHARED", rel), len);
	while (t && *len && (t[*len - 1] == '\n' || t[*len - 1] == '\r'))
		t[--*len] = 0;
	return t;
}

int main(void)
{
	dc_source_config cfg = {
		.kind = "folder",
		.device = dc_test_path("DC_SHARED", "testdata/shc/spec-examples"),
	};
	dc_source *src = NULL;
	dc_scanner *sc = dc_scanner_new(1024, 1024);
	dc_collect *col = dc_collect_new(NULL);
	dc_collect_result r;
	dc_frame f;
	uint64_t now = 5000;
	int frames = 0, singles = 0, progress = 0, sets = 0;

	CHECK(sc && col);
	CHECK_EQ_INT(dc_source_open(&cfg, &src), DC_SRC_OK);
	for (;;) {
		dc_src_status st = dc_source_next(src, &f, 0);
		if (st == DC_SRC_END)
			break;
		CHECK_MSG(st == DC_SRC_OK, "%s", dc_source_error(src));
		if (st != DC_SRC_OK)
			break;
		frames++;
		int n = dc_scanner_scan(sc, f.y, f.width, f.height, f.stride);
		CHECK_EQ_INT(n, 1);
		const char *texts[DC_SCAN_MAX_CODES];
		size_t lens[DC_SCAN_MAX_CODES];
		for (int i = 0; i < n; i++)
			texts[i] = dc_scanner_text(sc, i, &lens[i]);
		now += 33;
		dc_collect_feed(col, now, texts, lens, n > 0 ? (size_t)n : 0,
				&r);
		if (r.status == DC_COLLECT_PROGRESS) {
			progress++;
			CHECK_EQ_INT(r.total, 3);
			CHECK_EQ_INT(r.have, progress);
		} else if (r.status == DC_COLLECT_READY && r.n == 1) {
			singles++;
			CHECK(strncmp(r.texts[0], "shc:/", 5) == 0);
		} else if (r.status == DC_COLLECT_READY && r.n == 3) {
			sets++;
			/* The parts, in order, are the published texts... */
			for (int i = 0; i < 3; i++) {
				char rel[128];
				size_t len = 0;
				snprintf(rel, sizeof rel,
					 "testdata/shc/spec-examples/example-02-"
					 "f-qr-code-numeric-value-%d.txt", i);
				char *want = read_text(rel, &len);
				CHECK_MSG(want && r.lens[i] == len &&
						  memcmp(r.texts[i], want, len) == 0,
					  "part %d differs", i + 1);
				free(want);
			}
			/* ...and decode to the published JWS. */
			static char jws[DC_SHC_MAX_JWS + 1];
			size_t jlen = 0, wlen = 0;
			CHECK_EQ_INT(dc_shc_decode(r.texts, r.lens, r.n, jws,
						   sizeof jws, &jlen), 0);
			char *want = read_text("testdata/shc/spec-examples/"
					       "example-02-d-jws.txt", &wlen);
			CHECK_MSG(want && jlen == wlen &&
					  memcmp(jws, want, wlen) == 0,
				  "JWS differs (%zu vs %zu bytes)", jlen, wlen);
			free(want);
		} else {
			CHECK_MSG(0, "frame %d: status %d", frames, r.status);
		}
	}
	CHECK_EQ_INT(frames, 6);  /* 00, 01, 02 x3, 03 */
	CHECK_EQ_INT(singles, 3);
	CHECK_EQ_INT(progress, 2);
	CHECK_EQ_INT(sets, 1);
	CHECK(!dc_collect_pending(col, NULL, NULL));
	dc_source_free(src);
	dc_scanner_free(sc);
	dc_collect_free(col);
	return dc_test_done();
}
