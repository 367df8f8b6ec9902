/*
 * doorcheck: the door kiosk. Full screen (SDL_VIDEODRIVER=kmsdrm on a
 * Raspberry Pi without a desktop), frames from the configured camera,
 * the kiosk state machine, the screens. Setup is a straight chain in
 * dc_app (app/ui/dc_app.c); configuration in docs/kiosk.md.
 */
#include "dc_app.h"

int main(int argc, char **argv)
{
	static dc_app_opts o;
	int rc = dc_app_args(&o, argc, argv, false);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	return dc_app_run(&o);
}
