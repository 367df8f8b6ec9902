/*
 * The USB trust import on the kiosk's screen, end to end: the import unit's
 * own script (firmware/trust-import, with doorcheck-trust) runs on folders
 * standing in for USB sticks while a kiosk (dc_door, virtual clock) runs;
 * the kiosk notices the new status file on its idle screen, and
 *   - a newer bundle: the folder is loaded again and re-checked, the screen
 *     says "Trust data installed: version 3", the card still passes on the
 *     new data; a result on screen is not interrupted by it;
 *   - an older bundle: "Trust update refused: ..." with the old data kept
 *     (version 3 stays in use, the card still passes);
 *   - a status saying "installed" over a folder edited by hand: refused at
 *     load, then OUT OF SERVICE (the signature is checked at every load);
 *   - a status written before the kiosk started is not shown again.
 * Every notice is rendered headless at 800x480 and 480x320: its banner
 * colour, every box inside the screen, and no holder data in the model.
 *   test_trust_import_screen TRUST_IMPORT DOORCHECK_TRUST CARDS_DIR KEYS_DIR
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dc_test.h"
#include "dc_sim_test.h"
#include "dc_demo_needles.h"
#include "dc_door.h"

static char w[4096], tool[4200];
static const char *imp, *keys;
static dc_needles nd;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof cmd)
		return -1;
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Feeds empty frames (100 ms apart) from *t up to `until`. */
static void idle_until(dc_door *d, uint64_t *t, uint64_t until)
{
	for (; *t < until; *t += 100)
		dc_door_feed_texts(d, *t, NULL, NULL, 0);
}

static void check_render(dc_door *d, const dc_screen *s)
{
	static const int sizes[][2] = { { 800, 480 }, { 480, 320 } };
	for (size_t k = 0; k < 2; k++) {
		int cw = sizes[k][0], ch = sizes[k][1];
		dc_canvas cv;
		CHECK(dc_canvas_open(&cv, cw, ch) == 0);
		CHECK(dc_ui_render(dc_door_ui(d), cv.renderer, cw, ch, s) == 0);
		const dc_ui_box *b;
		size_t nb = dc_ui_boxes(dc_door_ui(d), &b), texts = 0, words = 0;
		for (size_t i = 0; i < nb; i++) {
			CHECK(b[i].rect.x >= 0 && b[i].rect.y >= 0 && b[i].rect.x + b[i].rect.w <= cw &&
			      b[i].rect.y + b[i].rect.h <= ch);
			texts += b[i].role == DC_UI_BOX_TEXT;
			words += b[i].role == DC_UI_BOX_WORD;
		}
		CHECK(texts >= 2 && words == 1); /* headline and detail under the word */
		SDL_Color want = dc_ui_colour(s->kind), got = dc_canvas_pixel(&cv, cw - 2, 2);
		CHECK_MSG(got.r == want.r && got.g == want.g && got.b == want.b,
			  "banner colour of %s", dc_screen_name(s->kind));
		dc_canvas_close(&cv);
	}
	for (size_t i = 0; i < nd.n; i++)
		CHECK_MSG(!memmem(s, sizeof *s, nd.s[i], strlen(nd.s[i])), "\"%s\" on the %s screen",
			  nd.s[i], dc_screen_name(s->kind));
}

static int import(const char *stick)
{
	return sh("DOORCHECK_TRUST_DIR='%s/trust' DOORCHECK_OPERATOR_KEY='%s/operator.pub.pem' "
		  "DOORCHECK_IMPORT_STATUS='%s/run/trust-import.status' DOORCHECK_TRUST_BIN='%s' "
		  "sh '%s' '%s/%s' 2>/dev/null", w, keys, w, tool, imp, w, stick);
}

static void show_card(dc_door *d, uint64_t *t, const char *card, size_t len, dc_screen_kind want)
{
	const char *txt = card;
	dc_door_feed_texts(d, *t, &txt, &len, 1);
	CHECK_MSG(dc_kiosk_screen(dc_door_kiosk(d))->kind == want, "card: %s, wanted %s",
		  dc_screen_name(dc_kiosk_screen(dc_door_kiosk(d))->kind), dc_screen_name(want));
	dc_kiosk_dismiss(dc_door_kiosk(d), *t, dc_door_wall(d, *t));
	*t += 100;
	idle_until(d, t, *t + 200); /* the card leaves the camera */
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s TRUST_IMPORT DOORCHECK_TRUST CARDS_DIR KEYS_DIR\n", argv[0]);
		return 2;
	}
	imp = argv[1];
	keys = argv[4];
	static const char *const stems[] = { "vaccinated" };
	CHECK_EQ_INT(dc_demo_needles(argv[3], keys, stems, 1, &nd), 0);
	snprintf(w, sizeof w, "%s", dc_sim_tmpdir("import"));
	/* The import script starts doorcheck-trust; in a cross build through
	 * the exe wrapper (qemu), so a two-line script stands in for it. */
	const char *wrap = getenv("DC_EXE_WRAPPER");
	snprintf(tool, sizeof tool, "%s/doorcheck-trust", w);
	FILE *f = fopen(tool, "w");
	CHECK(f != NULL);
	if (!f)
		return dc_test_done();
	fprintf(f, "#!/bin/sh\nexec %s '%s' \"$@\"\n", wrap ? wrap : "", argv[2]);
	fclose(f);
	chmod(tool, 0755);

	/* Bundles 1, 2, 3 of the demo issuer, signed by the demo operator key;
	 * version 2 installed before the kiosk starts. */
	CHECK_EQ_INT(sh("mkdir -p '%s/src' '%s/run' '%s/stick1' '%s/stick2' '%s/stick3' && "
			"cp '%s/demo.issuer.json' '%s/src/'", w, w, w, w, w, keys, w), 0);
	for (int v = 1; v <= 3; v++)
		CHECK_EQ_INT(sh("'%s' pack --key '%s/operator.key.pem' --version %d "
				"--created 2025-12-0%dT00:00:00Z --out '%s/stick%d/doorcheck-trust' '%s/src' >/dev/null",
				tool, keys, v, v, w, v, w), 0);
	CHECK_EQ_INT(sh("'%s' install --pin '%s/operator.pub.pem' '%s/stick2/doorcheck-trust' '%s/trust' >/dev/null",
			tool, keys, w, w), 0);

	static dc_door_opts o;
	dc_config_defaults(&o.cfg);
	DC_FMT(o.cfg.trust, sizeof o.cfg.trust, "%s/trust", w);
	DC_FMT(o.cfg.trust_pin, sizeof o.cfg.trust_pin, "%s/operator.pub.pem", keys);
	DC_FMT(o.cfg.trust_import_status, sizeof o.cfg.trust_import_status,
	       "%s/run/trust-import.status", w);
	snprintf(o.cfg.camera, sizeof o.cfg.camera, "text");
	o.now = 1767225600; /* the demo cards' time */
	o.test_clock = true;
	dc_door *d = dc_door_new(&o, true);
	CHECK(d != NULL);
	if (!d)
		return dc_test_done();
	const dc_screen *s = dc_kiosk_screen(dc_door_kiosk(d));
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	CHECK_EQ_INT((int)dc_door_bundle(d)->version, 2);

	char path[4200];
	snprintf(path, sizeof path, "%s/vaccinated.txt", argv[3]);
	size_t len = 0;
	char *card = dc_test_read(path, &len);
	CHECK(card != NULL);
	while (card && len && (card[len - 1] == '\n' || card[len - 1] == '\r'))
		card[--len] = 0;

	/* A newer bundle arrives while a result shows: the result stays. */
	uint64_t t = 100;
	const char *txt = card;
	dc_door_feed_texts(d, t, &txt, &len, 1);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT(import("stick3"), 0);
	idle_until(d, &t, 3000);
	CHECK_EQ_INT(s->kind, DC_SCREEN_PASS);
	CHECK_EQ_INT((int)dc_door_bundle(d)->version, 2);
	/* The result ends; at most a second later the notice shows. */
	idle_until(d, &t, 100 + DC_KIOSK_DEFAULT_RESULT_MS + 1100);
	CHECK_MSG(s->kind == DC_SCREEN_TRUST_INSTALLED, "screen %s", dc_screen_name(s->kind));
	printf("  %s | %s\n", s->reason, s->info[0]);
	CHECK(!strcmp(s->reason, "Trust data installed: version 3"));
	CHECK(!strcmp(s->info[0], "Checked again and in use: 1 SHC issuers, 0 DCC signers"));
	CHECK_EQ_INT((int)dc_door_bundle(d)->version, 3);
	check_render(d, s);
	/* It goes away by itself; the same status is not shown twice. */
	uint64_t shown = t;
	idle_until(d, &t, shown + DC_KIOSK_NOTICE_MS + 3000);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	show_card(d, &t, card, len, DC_SCREEN_PASS);

	/* An older bundle: refused by the import, old data kept and shown so. */
	CHECK_EQ_INT(import("stick1"), 1);
	uint64_t before = t;
	idle_until(d, &t, before + 1100);
	CHECK_MSG(s->kind == DC_SCREEN_TRUST_REFUSED, "screen %s", dc_screen_name(s->kind));
	printf("  %s | %s\n", s->reason, s->info[0]);
	CHECK(!strncmp(s->reason, "Trust update refused: ", 22));
	CHECK(strstr(s->reason, "version 1") != NULL);
	CHECK(!strcmp(s->info[0], "Old trust data kept (version 3)"));
	CHECK_EQ_INT((int)dc_door_bundle(d)->version, 3);
	check_render(d, s);
	dc_kiosk_dismiss(dc_door_kiosk(d), t, dc_door_wall(d, t));
	idle_until(d, &t, t + 3000);
	CHECK_EQ_INT(s->kind, DC_SCREEN_SCANNING);
	show_card(d, &t, card, len, DC_SCREEN_PASS);

	/* A status file left from before the start is old news. */
	dc_door *d2 = dc_door_new(&o, true);
	CHECK(d2 != NULL);
	if (d2) {
		uint64_t t2 = 0;
		idle_until(d2, &t2, 3000);
		CHECK_EQ_INT(dc_kiosk_screen(dc_door_kiosk(d2))->kind, DC_SCREEN_SCANNING);
		dc_door_free(d2);
	}

	/* "installed" over a folder edited by hand: the reload checks the
	 * signed bundle again and refuses it; then nobody passes. */
	CHECK_EQ_INT(sh("printf ' ' >>'%s/trust/demo.issuer.json' && "
			"printf 'result=installed\\nversion=3\\n' >'%s/run/new' && "
			"mv '%s/run/new' '%s/run/trust-import.status'", w, w, w, w), 0);
	before = t;
	idle_until(d, &t, before + 1100);
	CHECK_MSG(s->kind == DC_SCREEN_TRUST_REFUSED, "screen %s", dc_screen_name(s->kind));
	printf("  %s | %s\n", s->reason, s->info[0]);
	CHECK(!strncmp(s->reason, "Installed trust data refused at load: ", 38));
	CHECK_EQ_INT((int)dc_door_bundle(d)->version, 0);
	check_render(d, s);
	idle_until(d, &t, t + DC_KIOSK_NOTICE_MS + 200);
	CHECK_EQ_INT(s->kind, DC_SCREEN_OUT_OF_SERVICE);
	txt = card;
	dc_door_feed_texts(d, t, &txt, &len, 1);
	CHECK_EQ_INT(s->kind, DC_SCREEN_OUT_OF_SERVICE);

	if (card) {
		memset(card, 0, len);
		free(card);
	}
	dc_door_free(d);
	sh("rm -rf '%s'", w);
	return dc_test_done();
}
