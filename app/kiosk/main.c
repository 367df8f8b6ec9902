/*
 * doorcheck: the door kiosk. Full screen (SDL_VIDEODRIVER=kmsdrm on a
 * Raspberry Pi without a desktop), frames from the configured camera,
 * the kiosk state machine, the screens (dc_door.h; configuration in
 * docs/kiosk.md). Links none of the simulator (sim/).
 */
#include "dc_door.h"

int main(int argc, char **argv)
{
	static dc_door_opts o;
	int rc = dc_door_args(&o, argc, argv, NULL);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	dc_door *d = dc_door_new(&o, false);
	rc = d ? dc_door_run_window(d, NULL) : 1;
	dc_door_free(d);
	return rc;
}
