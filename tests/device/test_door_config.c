/*
 * The door keys of the kiosk configuration (app/kiosk/dc_config.c): every
 * board file parses, the door lines land in dc_doorsig_line order, and bad
 * values are refused with the key named.
 */
#include <stdio.h>
#include <string.h>

#include "dc_config.h"
#include "dc_doorsig.h"
#include "dc_test.h"

static int parse(dc_config *c, const char *text, char *err, size_t n)
{
	dc_config_defaults(c);
	return dc_config_parse(c, (const uint8_t *)text, strlen(text), err, n);
}

int main(void)
{
	dc_config c;
	char err[256];
	const char *board = dc_test_path("DC_SOURCE_ROOT", "boards/rpi4-official-display.conf");
	size_t len;
	char *buf = dc_test_read(board, &len);
	CHECK(buf != NULL);
	if (buf) {
		dc_config_defaults(&c);
		CHECK_MSG(dc_config_parse(&c, (const uint8_t *)buf, len, err, sizeof err) == 0, "%s", err);
		CHECK_STR(c.gpio_chip, "gpiochip0");
		CHECK_STR(c.gpio_line[DC_DOORSIG_RELAY], "GPIO17");
		CHECK_STR(c.gpio_line[DC_DOORSIG_LED_PASS], "GPIO27");
		CHECK_STR(c.gpio_line[DC_DOORSIG_LED_FAIL], "GPIO22");
		CHECK_STR(c.gpio_line[DC_DOORSIG_BUZZER], "GPIO23");
		CHECK_EQ_INT(c.relay_pulse_ms, 1000);
		CHECK_STR(c.rtc, "/dev/rtc0");
		free(buf);
	}
	CHECK_EQ_INT(parse(&c, "relay_pulse_ms = 2500\ngpio_relay = \"GPIO5!\"\n", err, sizeof err), 0);
	CHECK_EQ_INT(c.relay_pulse_ms, 2500);
	CHECK_STR(c.gpio_line[DC_DOORSIG_RELAY], "GPIO5!");
	CHECK_EQ_INT(parse(&c, "relay_pulse_ms = 60000\n", err, sizeof err), -1);
	CHECK_MSG(strstr(err, "relay_pulse_ms") != NULL, "%s", err);
	CHECK_EQ_INT(parse(&c, "relay_pulse_ms = 10\n", err, sizeof err), -1);
	CHECK_EQ_INT(parse(&c, "relay_pulse_ms = -5\n", err, sizeof err), -1);
	CHECK_EQ_INT(parse(&c, "gpio_relais = GPIO17\n", err, sizeof err), -1);
	CHECK_MSG(strstr(err, "gpio_relais") != NULL, "%s", err);
	/* The defaults wire nothing. */
	dc_config_defaults(&c);
	CHECK_STR(c.gpio_chip, "");
	CHECK_EQ_INT(c.relay_pulse_ms, 0);
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		CHECK_STR(c.gpio_line[l], "");
	return dc_test_done();
}
