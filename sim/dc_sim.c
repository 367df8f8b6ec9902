/*
 * doorcheck-sim: the desktop simulator. The door program (dc_door: the same
 * core, state machine and screens as `doorcheck`) in a window, with frames
 * from images, a folder (step with the keys), a V4L2 webcam or pasted
 * text; or headless (--headless --render DIR input...) rendering each
 * screen to PNG; --demo runs the project's demo cards.
 */
#include "dc_sim.h"

#include <stdio.h>

#include "dc_time.h"

int main(int argc, char **argv)
{
	static dc_sim_opts o;
	int rc = dc_sim_args(&o, argc, argv);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	if (!o.headless) {
		dc_door *d = dc_door_new(&o.door, false);
		rc = d ? dc_sim_run_window(&o, d) : 1;
		dc_door_free(d);
		return rc;
	}
	if (o.n_groups == 0)
		o.groups[o.n_groups++] = (dc_sim_group){ .at = 0, .first = 0, .end = o.n_inputs };
	unsigned seq = 0;
	for (size_t g = 0; g < o.n_groups && rc == 0; g++) {
		dc_door_opts dopt = o.door;
		if (o.groups[g].at) {
			dopt.now = o.groups[g].at;
			dopt.test_clock = true;
		}
		if (o.groups[g].title && !o.quiet) {
			char when[32];
			dc_time_format((double)dopt.now, when, sizeof when);
			printf("%s%s, checked at %s:\n", g ? "\n" : "", o.groups[g].title, when);
		}
		dc_door *d = dc_door_new(&dopt, true);
		rc = d ? dc_sim_run_headless(&o, d, o.groups[g].first, o.groups[g].end, &seq) : 1;
		dc_door_free(d);
	}
	return rc;
}
