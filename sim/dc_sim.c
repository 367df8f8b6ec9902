/*
 * doorcheck-sim: the desktop simulator. The same core, state machine and
 * screens as the kiosk, in a window, with frames from images, a folder
 * (step with the keys), a V4L2 webcam or pasted text; or headless
 * (--headless --render DIR input...) rendering each screen to PNG;
 * --demo runs the project's demo cards.
 */
#include "dc_app.h"

int main(int argc, char **argv)
{
	static dc_app_opts o;
	int rc = dc_app_args(&o, argc, argv, true);
	if (rc != 0)
		return rc < 0 ? 2 : 0;
	return dc_app_run(&o);
}
