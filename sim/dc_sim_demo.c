/* doorcheck-sim --demo: every demo card the build minted (tools/demo: SMART
 * Health Cards; tools/demo-dcc: EU DCCs, ES256 and PS256) checked against
 * the demo trust folder (the demo issuer and the two demo DSCs), each set
 * at the time it was minted for, the same times tools/run-demo.sh prints
 * its table at (DC_DEMO_AT, DC_DEMO_DCC_AT from meson). */
#include "dc_sim.h"

#include <stdio.h>
#include <stdlib.h>

#if defined(DC_DEMO_CARDS_DIR) && defined(DC_DEMO_TRUST) && defined(DC_DEMO_AT)
/* The order of the table in tools/run-demo.sh; the 3-part card as three
 * pictures shown one after the other. */
static const char *const shc_cards[] = {
	"vaccinated.png", "partial.png", "janssen.png", "recent.png", "test-negative.png",
	"multi-1.png", "multi-2.png", "multi-3.png", "expired.png", "not-yet-valid.png",
	"revoked.png", "tampered.png", "untrusted.png",
};
#define N_SHC (sizeof shc_cards / sizeof shc_cards[0])
#if defined(DC_DEMO_DCC_DIR) && defined(DC_DEMO_DCC_AT)
static const char *const dcc_cards[] = {
	"dcc-es256-vaccination.png", "dcc-es256-test.png", "dcc-es256-recovery.png",
	"dcc-ps256-vaccination.png", "dcc-ps256-test.png", "dcc-ps256-recovery.png",
};
#define N_DCC (sizeof dcc_cards / sizeof dcc_cards[0])
#define HAVE_DCC 1
#else
#define N_DCC 0
#endif
#endif

int dc_sim_demo_setup(dc_sim_opts *o)
{
#if defined(DC_DEMO_CARDS_DIR) && defined(DC_DEMO_TRUST) && defined(DC_DEMO_AT)
	static char paths[N_SHC + N_DCC][4096];
	dc_config *cfg = &o->door.cfg;
	snprintf(cfg->trust, sizeof cfg->trust, "%s", DC_DEMO_TRUST);
	o->door.now = DC_DEMO_AT;
	o->door.test_clock = true;
	const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	if (!o->headless && ((disp && *disp) || (wl && *wl))) {
		/* a window on the SHC cards folder, stepped with the keys */
		snprintf(cfg->camera, sizeof cfg->camera, "folder");
		snprintf(cfg->device, sizeof cfg->device, "%s", DC_DEMO_CARDS_DIR);
		return 0;
	}
	o->headless = true;
	if (!o->render_dir)
		o->render_dir = "doorcheck-demo";
	if (o->n_inputs != 0) /* the caller's own inputs, at the SHC demo time */
		return 0;
	size_t p = 0;
	dc_sim_group *g = &o->groups[o->n_groups++];
	*g = (dc_sim_group){ .at = DC_DEMO_AT, .first = o->n_inputs,
			     .title = "SMART Health Cards" };
	for (size_t i = 0; i < N_SHC; i++, p++) {
		snprintf(paths[p], sizeof paths[p], "%s/%s", DC_DEMO_CARDS_DIR, shc_cards[i]);
		o->inputs[o->n_inputs++] = paths[p];
	}
	o->inputs[o->n_inputs++] = "text:https://www.example.org/my-vaccination-record";
	g->end = o->n_inputs;
#ifdef HAVE_DCC
	g = &o->groups[o->n_groups++];
	*g = (dc_sim_group){ .at = DC_DEMO_DCC_AT, .first = o->n_inputs,
			     .title = "EU Digital COVID Certificates" };
	for (size_t i = 0; i < N_DCC; i++, p++) {
		snprintf(paths[p], sizeof paths[p], "%s/%s", DC_DEMO_DCC_DIR, dcc_cards[i]);
		o->inputs[o->n_inputs++] = paths[p];
	}
	g->end = o->n_inputs;
#endif
	return 0;
#else
	(void)o;
	fprintf(stderr, "doorcheck-sim: this build has no demo cards (libqrencode missing?)\n");
	return -1;
#endif
}
