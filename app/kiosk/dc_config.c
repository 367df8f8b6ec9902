#include "dc_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc_collect.h"
#include "dc_kiosk.h"
#include "dc_kv.h"
#include "dc_importstatus.h"
#include "dc_trustbundle.h"

#define DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

void dc_config_defaults(dc_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->camera, sizeof c->camera, "%s", "libcamera");
	c->camera_width = 1280;
	c->camera_height = 720;
	c->fullscreen = true;
	c->result_ms = DC_KIOSK_DEFAULT_RESULT_MS;
	c->chunk_timeout_ms = DC_COLLECT_DEFAULT_TIMEOUT_MS;
	snprintf(c->trust, sizeof c->trust, "%s", DC_TRUST_INSTALLED_DIR);
	c->trust_warn_days = 30;
	c->trust_max_days = 90;
	snprintf(c->trust_import_status, sizeof c->trust_import_status, "%s",
		 DC_IMPORT_STATUS_PATH);
	snprintf(c->font, sizeof c->font, "%s", DEFAULT_FONT);
	c->scan_density = 1;
	c->scan_budget_ms = 0;
}

static int fail(char *err, size_t errlen, const char *key, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", key, why);
	return -1;
}

static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	if (!*v || *v == '-' || *v == '+')
		return -1;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*out = n;
	return 0;
}

/* "4", "4.5", "0.25" seconds -> milliseconds. */
static int parse_seconds(const char *v, uint32_t max_s, uint32_t *ms)
{
	unsigned long whole = 0, frac = 0, scale = 1000;
	const char *p = v;
	if (!(*p >= '0' && *p <= '9'))
		return -1;
	while (*p >= '0' && *p <= '9') {
		whole = whole * 10 + (unsigned long)(*p++ - '0');
		if (whole > max_s)
			return -1;
	}
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9') {
			scale /= 10;
			frac += (unsigned long)(*p++ - '0') * scale;
			if (scale == 1)
				break;
		}
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	*ms = (uint32_t)(whole * 1000 + frac);
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_size(const char *v, int *w, int *h)
{
	unsigned long a, b;
	char tmp[32];
	const char *x = strchr(v, 'x');
	if (!x || (size_t)(x - v) >= sizeof tmp)
		return -1;
	memcpy(tmp, v, (size_t)(x - v));
	tmp[x - v] = 0;
	if (parse_uint(tmp, 16384, &a) || parse_uint(x + 1, 16384, &b) || !a || !b)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int parse_rotation(const char *v, int *out)
{
	unsigned long r;
	if (parse_uint(v, 270, &r) || r % 90)
		return -1;
	*out = (int)r;
	return 0;
}

static int set_str(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);
	if (n >= cap)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

static const char *const keys[] = {
	"camera", "device", "resolution", "rotation", "display", "display_rotation",
	"fullscreen", "result_seconds", "chunk_timeout_seconds", "policy", "trust",
	"capacity", "duplicate_warning_minutes", "tone", "font",
	"scan_density", "scan_budget_ms",
	"trust_pin", "trust_warn_days", "trust_max_days", "trust_import_status",
	"gpio_chip", "gpio_relay", "gpio_led_pass", "gpio_led_fail", "gpio_buzzer",
	"relay_pulse_ms", "rtc",
};

bool dc_config_is_key(const char *key)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(keys[i], key))
			return true;
	return false;
}

int dc_config_set(dc_config *c, const char *key, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	if (!strcmp(key, "camera")) {
		static const char *const kinds[] = { "libcamera", "v4l2", "image", "folder", "text",
						     "evdev", "tty" };
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (!strcmp(v, kinds[i]))
				return set_str(c->camera, sizeof c->camera, v);
		return fail(err, errlen, key, "expected libcamera, v4l2, image, folder, text, evdev or tty");
	}
	if (!strcmp(key, "device"))
		return set_str(c->device, sizeof c->device, v) ? fail(err, errlen, key, "too long") : 0;
	if (!strcmp(key, "resolution"))
		return parse_size(v, &c->camera_width, &c->camera_height)
			? fail(err, errlen, key, "expected WIDTHxHEIGHT, e.g. 1280x720") : 0;
	if (!strcmp(key, "rotation"))
		return parse_rotation(v, &c->camera_rotation)
			? fail(err, errlen, key, "expected 0, 90, 180 or 270") : 0;
	if (!strcmp(key, "display")) {
		if (!strcmp(v, "auto")) {
			c->display_width = c->display_height = 0;
			return 0;
		}
		return parse_size(v, &c->display_width, &c->display_height)
			? fail(err, errlen, key, "expected auto or WIDTHxHEIGHT, e.g. 800x480") : 0;
	}
	if (!strcmp(key, "display_rotation"))
		return parse_rotation(v, &c->display_rotation)
			? fail(err, errlen, key, "expected 0, 90, 180 or 270") : 0;
	if (!strcmp(key, "fullscreen"))
		return parse_bool(v, &c->fullscreen) ? fail(err, errlen, key, "expected on or off") : 0;
	if (!strcmp(key, "tone"))
		return parse_bool(v, &c->tone) ? fail(err, errlen, key, "expected on or off") : 0;
	if (!strcmp(key, "result_seconds"))
		return parse_seconds(v, 600, &c->result_ms) || c->result_ms < 500
			? fail(err, errlen, key, "expected seconds between 0.5 and 600") : 0;
	if (!strcmp(key, "chunk_timeout_seconds"))
		return parse_seconds(v, 600, &c->chunk_timeout_ms) || c->chunk_timeout_ms < 1000
			? fail(err, errlen, key, "expected seconds between 1 and 600") : 0;
	if (!strcmp(key, "policy"))
		return set_str(c->policy, sizeof c->policy, v) ? fail(err, errlen, key, "too long") : 0;
	if (!strcmp(key, "trust"))
		return set_str(c->trust, sizeof c->trust, v) || !*v
			? fail(err, errlen, key, "expected a folder path") : 0;
	if (!strcmp(key, "trust_import_status"))
		return set_str(c->trust_import_status, sizeof c->trust_import_status, v)
			? fail(err, errlen, key, "too long") : 0;
	if (!strcmp(key, "trust_pin"))
		return set_str(c->trust_pin, sizeof c->trust_pin, v)
			? fail(err, errlen, key, "too long") : 0;
	if (!strcmp(key, "trust_warn_days") || !strcmp(key, "trust_max_days")) {
		if (parse_uint(v, 3650, &n))
			return fail(err, errlen, key, "expected days (0 = off, at most 3650)");
		if (!strcmp(key, "trust_warn_days"))
			c->trust_warn_days = (unsigned)n;
		else
			c->trust_max_days = (unsigned)n;
		return 0;
	}
	if (!strcmp(key, "font"))
		return set_str(c->font, sizeof c->font, v) || !*v
			? fail(err, errlen, key, "expected a font file path") : 0;
	if (!strcmp(key, "capacity")) {
		if (parse_uint(v, 1000000, &n))
			return fail(err, errlen, key, "expected a number of people (0 = no limit)");
		c->capacity = (unsigned)n;
		return 0;
	}
	if (!strcmp(key, "duplicate_warning_minutes")) {
		if (parse_uint(v, 7 * 24 * 60, &n))
			return fail(err, errlen, key, "expected minutes (0 = off, at most 10080)");
		c->dup_warn_minutes = (uint32_t)n;
		return 0;
	}
	/* The scanner's (docs/scanner.md); limits as dc_scan.h's. */
	if (!strcmp(key, "scan_density")) {
		if (parse_uint(v, 4, &n) || n < 1)
			return fail(err, errlen, key, "expected 1, 2, 3 or 4");
		c->scan_density = (int)n;
		return 0;
	}
	if (!strcmp(key, "scan_budget_ms")) {
		if (parse_uint(v, 1000, &n))
			return fail(err, errlen, key,
				    "expected milliseconds per frame (0 = by frame size, at most 1000)");
		c->scan_budget_ms = (unsigned)n;
		return 0;
	}
	if (!strcmp(key, "gpio_chip"))
		return set_str(c->gpio_chip, sizeof c->gpio_chip, v)
			? fail(err, errlen, key, "too long") : 0;
	static const char *const gpio_keys[4] = {
		"gpio_relay", "gpio_led_pass", "gpio_led_fail", "gpio_buzzer",
	};
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(key, gpio_keys[i]))
			return set_str(c->gpio_line[i], sizeof c->gpio_line[i], v)
				? fail(err, errlen, key, "too long") : 0;
	if (!strcmp(key, "relay_pulse_ms")) {
		if (parse_uint(v, 30000, &n) || n < 50)
			return fail(err, errlen, key, "expected milliseconds between 50 and 30000");
		c->relay_pulse_ms = (uint32_t)n;
		return 0;
	}
	if (!strcmp(key, "rtc"))
		return set_str(c->rtc, sizeof c->rtc, v) ? fail(err, errlen, key, "too long") : 0;
	return fail(err, errlen, key, "unknown setting");
}

static bool config_line(void *ctx, size_t key, const char *value, size_t vlen,
			unsigned line, char *why, size_t whylen)
{
	(void)vlen;
	(void)line;
	return dc_config_set(ctx, keys[key], value, why, whylen) == 0;
}

int dc_config_parse(dc_config *c, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	static const dc_kv_format format = {
		.keys = keys,
		.n_keys = sizeof keys / sizeof keys[0],
		.max_line = DC_CONFIG_MAX_LINE,
	};
	if (len > DC_CONFIG_MAX_FILE) {
		snprintf(err, errlen, "file larger than %u bytes", DC_CONFIG_MAX_FILE);
		return -1;
	}
	return dc_kv_parse(&format, buf, len, config_line, c, err, errlen);
}
