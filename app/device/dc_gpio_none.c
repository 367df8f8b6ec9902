/* dc_gpio backend for builds without libgpiod (meson -Dgpio=disabled):
 * a config that names lines is refused, so a door wired for a relay never
 * silently runs without it. */
#include "dc_gpio.h"

#include <stdio.h>

const char *dc_gpio_backend(void)
{
	return "none";
}

int dc_gpio_config_used(const dc_gpio_config *cfg)
{
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		if (cfg->line[l][0])
			return 1;
	return 0;
}

int dc_gpio_open(const dc_gpio_config *cfg, dc_gpio **out, char *err, size_t errlen)
{
	(void)cfg;
	*out = NULL;
	if (err && errlen)
		snprintf(err, errlen, "GPIO lines are configured but this doorcheck was built "
			 "without GPIO support (meson -Dgpio=enabled, libgpiod-dev)");
	return -1;
}

static int set_none(void *ctx, dc_doorsig_line l, int value)
{
	(void)ctx, (void)l, (void)value;
	return 0;
}

dc_doorsig_out dc_gpio_door_out(dc_gpio *g)
{
	dc_doorsig_out o = { set_none, g };
	return o;
}

void dc_gpio_close(dc_gpio *g)
{
	(void)g;
}
