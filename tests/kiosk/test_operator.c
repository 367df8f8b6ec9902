/*
 * The operator screen: after a scan, O/F2 (dc_door_show_operator) shows
 * version and build date, trust data, counts, the policy in words, camera
 * and fps, clock and today's counters; nothing about the holder. Rendered
 * at 800x480 and 480x320: every box inside the screen, operator colour.
 *   test_operator CARDS_DIR TRUST_DIR
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc_test.h"
#include "dc_sim_test.h"
#include "dc_demo_needles.h"
#include "dc_door.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s CARDS_DIR TRUST_DIR\n", argv[0]);
		return 2;
	}
	static const char *const stems[] = { "vaccinated" };
	dc_needles nd;
	CHECK_EQ_INT(dc_demo_needles(argv[1], argv[2], stems, 1, &nd), 0);
	CHECK(nd.n >= 2);

	static dc_door_opts o;
	dc_config_defaults(&o.cfg);
	snprintf(o.cfg.trust, sizeof o.cfg.trust, "%s", argv[2]);
	snprintf(o.cfg.camera, sizeof o.cfg.camera, "text");
	o.now = 1767225600; /* the demo cards' time */
	o.test_clock = true;
	dc_door *d = dc_door_new(&o, true);
	CHECK(d != NULL);
	if (!d)
		return dc_test_done();
	char path[4096];
	snprintf(path, sizeof path, "%s/vaccinated.txt", argv[1]);
	size_t len = 0;
	char *card = dc_test_read(path, &len);
	while (card && len && (card[len - 1] == '\n' || card[len - 1] == '\r'))
		card[--len] = 0;
	const char *txt = card;
	dc_door_feed_texts(d, 100, &txt, &len, 1);
	const dc_screen *s = dc_kiosk_screen(dc_door_kiosk(d));
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);

	dc_door_show_operator(d, 200);
	CHECK_EQ_INT(s->kind, DC_SCREEN_OPERATOR);
	CHECK(!s->is_result);
	for (int i = 0; i < 7; i++)
		printf("  %s\n", s->info[i]);
	CHECK(!strncmp(s->info[0], "doorcheck 0.1.0, built 20", 25));
	CHECK(strstr(s->info[1], "no signed bundle") != NULL);
	/* The demo issuer's CRL lists one rid (keys/demo/demo.issuer.json). */
	CHECK(!strcmp(s->info[2], "1 SHC issuers, 1 SHC revocations; 0 DCC signers, 0 DCC revocations"));
	/* The built-in policy, in words, whole on one line. */
	CHECK(!strcmp(s->info[3], "Admits: complete vaccination (any COVID-19 vaccine), last dose "
		      "14+ days ago; or negative NAAT test up to 72 h or antigen test up to 24 h "
		      "old; or recovery 11 to 180 days after a positive test"));
	CHECK(!strncmp(s->info[4], "Camera: text ", 13) && strstr(s->info[4], "fps"));
	CHECK(!strncmp(s->info[5], "Test clock: 2026-01-01T00:00:", 29));
	CHECK(!strncmp(s->info[6], "Today: 1 scanned, 1 pass, 0 fail", 32));
	/* No holder data anywhere in the screen model. */
	for (size_t i = 0; i < nd.n; i++)
		CHECK_MSG(!memmem(s, sizeof *s, nd.s[i], strlen(nd.s[i])), "\"%s\" on the operator screen",
			  nd.s[i]);

	static const int sizes[][2] = { { 800, 480 }, { 480, 320 }, { 480, 800 } };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		dc_canvas cv;
		CHECK(dc_canvas_open(&cv, w, h) == 0);
		CHECK(dc_ui_render(dc_door_ui(d), cv.renderer, w, h, s) == 0);
		const dc_ui_box *b;
		size_t nb = dc_ui_boxes(dc_door_ui(d), &b), texts = 0;
		for (size_t i = 0; i < nb; i++) {
			CHECK(b[i].rect.x >= 0 && b[i].rect.y >= 0 && b[i].rect.x + b[i].rect.w <= w &&
			      b[i].rect.y + b[i].rect.h <= h);
			texts += b[i].role == DC_UI_BOX_TEXT;
		}
		CHECK(texts >= 7);
		SDL_Color want = dc_ui_colour(DC_SCREEN_OPERATOR), got = dc_canvas_pixel(&cv, w - 2, 2);
		CHECK(got.r == want.r && got.g == want.g && got.b == want.b);
		dc_canvas_close(&cv);
	}
	/* It goes away after DC_KIOSK_INFO_MS, or when dismissed. */
	dc_door_feed_texts(d, 200 + DC_KIOSK_INFO_MS - 1, NULL, NULL, 0);
	CHECK_EQ_INT(s->kind, DC_SCREEN_OPERATOR);
	dc_door_feed_texts(d, 200 + DC_KIOSK_INFO_MS, NULL, NULL, 0);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	if (card) {
		memset(card, 0, len);
		free(card);
	}
	dc_door_free(d);
	return dc_test_done();
}
