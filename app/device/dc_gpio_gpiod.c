/* dc_gpio backend on libgpiod 1.6 (Debian 12 libgpiod-dev). */
#include "dc_gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "doorcheck"

struct dc_gpio {
	struct gpiod_chip *chip;
	struct gpiod_line *line[DC_DOORSIG__LINES];
};

static const char *const line_key[DC_DOORSIG__LINES] = {
	"gpio_relay", "gpio_led_pass", "gpio_led_fail", "gpio_buzzer",
};

const char *dc_gpio_backend(void)
{
	return "libgpiod";
}

int dc_gpio_config_used(const dc_gpio_config *cfg)
{
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		if (cfg->line[l][0])
			return 1;
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	if (err && errlen)
		snprintf(err, errlen, fmt, a, b);
	return -1;
}

/* A line by name ("GPIO17") or offset ("17"). */
static struct gpiod_line *find_line(struct gpiod_chip *chip, const char *name)
{
	char *end;
	if (name[0] >= '0' && name[0] <= '9') {
		unsigned long off = strtoul(name, &end, 10);
		if (*end || off >= gpiod_chip_num_lines(chip))
			return NULL;
		return gpiod_chip_get_line(chip, (unsigned)off);
	}
	return gpiod_chip_find_line(chip, name);
}

int dc_gpio_open(const dc_gpio_config *cfg, dc_gpio **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!cfg->chip[0])
		return fail(err, errlen, "gpio_chip is not set%s%s", "", "");
	dc_gpio *g = calloc(1, sizeof *g);
	if (!g)
		return fail(err, errlen, "out of memory%s%s", "", "");
	/* gpiod_chip_open_lookup takes a name, a number, a path or a label. */
	g->chip = gpiod_chip_open_lookup(cfg->chip);
	if (!g->chip) {
		fail(err, errlen, "cannot open GPIO chip %s: %s", cfg->chip, strerror(errno));
		free(g);
		return -1;
	}
	for (int l = 0; l < DC_DOORSIG__LINES; l++) {
		char name[DC_GPIO_NAME_MAX];
		size_t n = strlen(cfg->line[l]);
		if (!n)
			continue;
		memcpy(name, cfg->line[l], n + 1);
		bool low = name[n - 1] == '!';
		if (low)
			name[--n] = 0;
		struct gpiod_line *line = n ? find_line(g->chip, name) : NULL;
		if (!line) {
			char what[2 * DC_GPIO_NAME_MAX + 4];
			snprintf(what, sizeof what, "%s = %s", line_key[l], cfg->line[l]);
			fail(err, errlen, "%s: no such line on %s", what, cfg->chip);
			dc_gpio_close(g);
			return -1;
		}
		struct gpiod_line_request_config rc = {
			.consumer = CONSUMER,
			.request_type = GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
			.flags = low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0,
		};
		if (gpiod_line_request(line, &rc, 0) != 0) {
			char what[2 * DC_GPIO_NAME_MAX + 4];
			snprintf(what, sizeof what, "%s = %s", line_key[l], cfg->line[l]);
			fail(err, errlen, "%s: cannot request the line (in use?): %s", what, strerror(errno));
			dc_gpio_close(g);
			return -1;
		}
		g->line[l] = line;
	}
	*out = g;
	return 0;
}

static int set_line(void *ctx, dc_doorsig_line l, int value)
{
	dc_gpio *g = ctx;
	if (l < 0 || l >= DC_DOORSIG__LINES || !g->line[l])
		return 0; /* not wired */
	return gpiod_line_set_value(g->line[l], value ? 1 : 0) == 0 ? 0 : -1;
}

dc_doorsig_out dc_gpio_door_out(dc_gpio *g)
{
	dc_doorsig_out o = { set_line, g };
	return o;
}

void dc_gpio_close(dc_gpio *g)
{
	if (!g)
		return;
	for (int l = 0; l < DC_DOORSIG__LINES; l++) {
		if (g->line[l]) {
			gpiod_line_set_value(g->line[l], 0);
			gpiod_line_release(g->line[l]);
		}
	}
	if (g->chip)
		gpiod_chip_close(g->chip);
	free(g);
}
