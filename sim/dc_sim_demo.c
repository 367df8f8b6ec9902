/* doorcheck-sim --demo: the project's demo cards (minted into the build by
 * tools/demo) checked against the demo issuer's trust folder (keys/demo). */
#include "dc_sim.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef DC_DEMO_CARDS_DIR
static const char *const demo_cards[] = {
	"vaccinated.png", "partial.png", "recent.png", "test-negative.png", "expired.png",
	"revoked.png", "tampered.png", "untrusted.png", "multi-1.png", "multi-2.png",
	"multi-3.png",
};
#endif

int dc_sim_demo_setup(dc_sim_opts *o)
{
#if defined(DC_DEMO_CARDS_DIR) && defined(DC_DEMO_TRUST)
	static char paths[sizeof demo_cards / sizeof demo_cards[0]][4096];
	dc_config *cfg = &o->door.cfg;
	snprintf(cfg->trust, sizeof cfg->trust, "%s", DC_DEMO_TRUST);
	if (o->n_inputs == 0) {
		for (size_t i = 0; i < sizeof demo_cards / sizeof demo_cards[0]; i++) {
			snprintf(paths[i], sizeof paths[i], "%s/%s", DC_DEMO_CARDS_DIR, demo_cards[i]);
			o->inputs[o->n_inputs++] = paths[i];
		}
		o->inputs[o->n_inputs++] = "text:https://www.example.org/my-vaccination-record";
	}
	const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	if (!o->headless && ((disp && *disp) || (wl && *wl))) {
		snprintf(cfg->camera, sizeof cfg->camera, "folder");
		snprintf(cfg->device, sizeof cfg->device, "%s", DC_DEMO_CARDS_DIR);
	} else {
		o->headless = true;
		if (!o->render_dir)
			o->render_dir = "doorcheck-demo";
	}
	return 0;
#else
	(void)o;
	fprintf(stderr, "doorcheck-sim: this build has no demo cards (libqrencode missing?)\n");
	return -1;
#endif
}
