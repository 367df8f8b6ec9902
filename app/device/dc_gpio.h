/*
 * dc_gpio: the door lines on a GPIO chip (Linux character device through
 * libgpiod 1.6), behind the dc_doorsig_out interface. Two backends, chosen
 * when linking (meson option `gpio`): dc_gpio_gpiod.c and dc_gpio_none.c.
 *
 * Lines are named per board (boards/NAME.conf: gpio_relay = GPIO17): a name
 * is looked up on the chip (the Raspberry Pi kernel names its header pins
 * GPIO0..GPIO27), a plain number is a line offset. An empty name means the
 * line is not wired. A name ending in "!" (e.g. "GPIO17!") is active-low
 * (relay boards that switch on a low input).
 *
 * The lines are requested as outputs, initially inactive, under the
 * consumer name "doorcheck"; dc_gpio_close sets them inactive and releases
 * them. No personal data passes here.
 */
#ifndef DC_GPIO_H
#define DC_GPIO_H

#include <stddef.h>

#include "dc_doorsig.h"

#define DC_GPIO_NAME_MAX 64

typedef struct {
	char chip[DC_GPIO_NAME_MAX];               /* "gpiochip0", a path, or a label */
	char line[DC_DOORSIG__LINES][DC_GPIO_NAME_MAX]; /* by dc_doorsig_line; "" = none */
} dc_gpio_config;

typedef struct dc_gpio dc_gpio;

/* Opens the chip and requests every named line. 0 on success; -1 with a
 * reason naming the chip or line in err (nothing stays requested). */
int dc_gpio_open(const dc_gpio_config *cfg, dc_gpio **out, char *err, size_t errlen);

/* The lines as a dc_doorsig_out (valid until dc_gpio_close). */
dc_doorsig_out dc_gpio_door_out(dc_gpio *g);

/* Lines inactive, released, chip closed. NULL is safe. */
void dc_gpio_close(dc_gpio *g);

/* "libgpiod" or "none": what this build links. */
const char *dc_gpio_backend(void);

/* True when cfg names at least one line. */
int dc_gpio_config_used(const dc_gpio_config *cfg);

#endif
