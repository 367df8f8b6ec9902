/*
 * dc_config: the kiosk's one configuration file (documented in
 * docs/kiosk.md; examples in boards/). Pure: the caller reads the file.
 *
 * Format (read by app/core/dc_kv.h, the policy file's reader too): one
 * `key = value` per line; `#` starts a comment; blank lines are ignored;
 * values may be wrapped in double quotes. Unknown keys, keys set twice and
 * bad values are errors that name the line (a typo must not silently change
 * how the door behaves). Command-line flags go through dc_config_set with
 * the same keys, so they override the file.
 */
#ifndef DC_CONFIG_H
#define DC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DC_CONFIG_MAX_FILE (64u * 1024)
#define DC_CONFIG_MAX_LINE 512
#define DC_CONFIG_PATH_MAX 256

typedef struct {
	char camera[16];        /* libcamera | v4l2 | image | folder | text */
	char device[DC_CONFIG_PATH_MAX];
	int camera_width, camera_height;
	int camera_rotation;    /* 0, 90, 180, 270 */
	int display_width, display_height; /* 0 = the display's own size */
	int display_rotation;   /* 0, 90, 180, 270 (90/270 = portrait) */
	bool fullscreen;
	uint32_t result_ms;
	uint32_t chunk_timeout_ms;
	char policy[DC_CONFIG_PATH_MAX]; /* "" = built-in default policy */
	char trust[DC_CONFIG_PATH_MAX];  /* trust folder */
	/* The operator's public key: the trust folder must be an installed,
	 * signed bundle (dc_trustbundle.h). "" = a plain folder (simulator,
	 * development); the door program always checks, with
	 * DC_OPERATOR_PIN_PATH when this is empty. */
	char trust_pin[DC_CONFIG_PATH_MAX];
	unsigned trust_warn_days; /* status line warns past this age; 0 = off */
	unsigned trust_max_days;  /* nobody passes past this age; 0 = off */
	/* The USB trust import's result file (dc_importstatus.h), polled
	 * while the idle screen shows: a new result is shown, and after an
	 * install the trust folder is loaded and checked again. "" = off. */
	char trust_import_status[DC_CONFIG_PATH_MAX];
	unsigned capacity;      /* 0 = no limit */
	uint32_t dup_warn_minutes; /* 0 = off */
	bool tone;
	char font[DC_CONFIG_PATH_MAX];
	int scan_density;       /* 1..4: ZBar's density (dc_scanner_set_density) */
	unsigned scan_budget_ms; /* 0 = by frame size; per-frame scan CPU budget */
	/* Door hardware (app/device/dc_gpio.h): chip and line names, "" = not
	 * wired. Lines in dc_doorsig_line order: relay, LED pass, LED fail,
	 * buzzer. */
	char gpio_chip[64];
	char gpio_line[4][64];
	uint32_t relay_pulse_ms; /* 0 = the default (1000) */
	char rtc[DC_CONFIG_PATH_MAX]; /* the board's RTC device (documentation
				       * and the operator screen); "" = none */
} dc_config;

void dc_config_defaults(dc_config *c);

/* Sets one key. 0 on success; -1 with a reason in err. */
int dc_config_set(dc_config *c, const char *key, const char *value, char *err,
		  size_t errlen);

/* Parses a whole file over the current values. 0 on success; -1 with
 * "line N: reason" in err (values set before the bad line stay set). */
int dc_config_parse(dc_config *c, const uint8_t *buf, size_t len, char *err,
		    size_t errlen);

/* True when key is a configuration key. */
bool dc_config_is_key(const char *key);

#endif
