/* The kiosk configuration file: every key, and errors that name the line. */
#include <dirent.h>

#include "dc_test.h"
#include "dc_config.h"
#include "dc_importstatus.h"
#include "dc_policy_words.h"

/* Every example in boards/ parses. */
static void check_boards(void)
{
	const char *dir = dc_test_path("DC_SOURCE_ROOT", "boards");
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".conf"))
			continue;
		char path[4352], err[256];
		size_t len = 0;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < 0)
			continue;
		char *buf = dc_test_read(path, &len);
		dc_config c;
		dc_config_defaults(&c);
		CHECK(buf != NULL);
		err[0] = 0;
		CHECK_MSG(buf && dc_config_parse(&c, (const uint8_t *)buf, len, err, sizeof err) == 0,
			  "%s: %s", e->d_name, err);
		free(buf);
		n++;
	}
	if (d)
		closedir(d);
	CHECK(n >= 4);
}

static int parse(dc_config *c, const char *text, char *err, size_t errlen)
{
	return dc_config_parse(c, (const uint8_t *)text, strlen(text), err, errlen);
}

int main(void)
{
	dc_config c;
	char err[256];
	dc_config_defaults(&c);
	CHECK_STR(c.camera, "libcamera");
	CHECK_EQ_INT(c.result_ms, 4000);
	CHECK(c.fullscreen);
	CHECK(!c.tone);
	CHECK_EQ_INT(c.scan_density, 1);
	CHECK_EQ_INT(c.scan_budget_ms, 0);

	const char *good =
		"# Raspberry Pi 4, official 7\" display\n"
		"camera = v4l2\n"
		"device = \"/dev/video0\"   # USB webcam\n"
		"resolution = 1280x720\n"
		"rotation = 180\n"
		"display = 800x480\n"
		"display_rotation = 90\n"
		"fullscreen = off\n"
		"result_seconds = 2.5\n"
		"chunk_timeout_seconds = 30\n"
		"policy = /etc/doorcheck/policy.conf\n"
		"trust = \"/var/lib/doorcheck/trust # not a comment\"\n"
		"capacity = 250\n"
		"duplicate_warning_minutes = 90\n"
		"tone = on\r\n"
		"scan_density = 2\n"
		"scan_budget_ms = 25\n"
		"\n"
		"   font = /usr/share/fonts/x.ttf  \n";
	CHECK_EQ_INT(parse(&c, good, err, sizeof err), 0);
	CHECK_STR(c.camera, "v4l2");
	CHECK_STR(c.device, "/dev/video0");
	CHECK_EQ_INT(c.camera_width, 1280);
	CHECK_EQ_INT(c.camera_height, 720);
	CHECK_EQ_INT(c.camera_rotation, 180);
	CHECK_EQ_INT(c.display_width, 800);
	CHECK_EQ_INT(c.display_height, 480);
	CHECK_EQ_INT(c.display_rotation, 90);
	CHECK(!c.fullscreen);
	CHECK_EQ_INT(c.result_ms, 2500);
	CHECK_EQ_INT(c.chunk_timeout_ms, 30000);
	CHECK_STR(c.policy, "/etc/doorcheck/policy.conf");
	CHECK_STR(c.trust, "/var/lib/doorcheck/trust # not a comment");
	CHECK_EQ_INT(c.capacity, 250);
	CHECK_EQ_INT(c.dup_warn_minutes, 90);
	CHECK(c.tone);
	CHECK_STR(c.font, "/usr/share/fonts/x.ttf");
	CHECK_EQ_INT(c.scan_density, 2);
	CHECK_EQ_INT(c.scan_budget_ms, 25);

	/* A flag overrides the file through the same keys. */
	CHECK_EQ_INT(dc_config_set(&c, "capacity", "0", err, sizeof err), 0);
	CHECK_EQ_INT(c.capacity, 0);
	CHECK_EQ_INT(dc_config_set(&c, "display", "auto", err, sizeof err), 0);
	CHECK_EQ_INT(c.display_width, 0);

	static const struct { const char *text, *msg; } bad[] = {
		{ "camera = v4l2\ncolour = red\n", "line 2: unknown key 'colour'" },
		{ "camera = webcam\n", "line 1: camera: expected libcamera, v4l2, image, folder, text, evdev or tty" },
		{ "rotation = 45\n", "line 1: rotation: expected 0, 90, 180 or 270" },
		{ "resolution = 1280\n", "line 1: resolution: expected WIDTHxHEIGHT, e.g. 1280x720" },
		{ "resolution = 0x720\n", "line 1: resolution: expected WIDTHxHEIGHT, e.g. 1280x720" },
		{ "result_seconds = 0.1\n", "line 1: result_seconds: expected seconds between 0.5 and 600" },
		{ "result_seconds = -3\n", "line 1: result_seconds: expected seconds between 0.5 and 600" },
		{ "result_seconds = 3s\n", "line 1: result_seconds: expected seconds between 0.5 and 600" },
		{ "capacity = -1\n", "line 1: capacity: expected a number of people (0 = no limit)" },
		{ "capacity = 99999999999999999999\n", "line 1: capacity: expected a number of people (0 = no limit)" },
		{ "tone = loud\n", "line 1: tone: expected on or off" },
		{ "scan_density = 0\n", "line 1: scan_density: expected 1, 2, 3 or 4" },
		{ "scan_density = 5\n", "line 1: scan_density: expected 1, 2, 3 or 4" },
		{ "scan_budget_ms = 1001\n", "line 1: scan_budget_ms: expected milliseconds per frame (0 = by frame size, at most 1000)" },
		{ "scan_budget_ms = 12.5\n", "line 1: scan_budget_ms: expected milliseconds per frame (0 = by frame size, at most 1000)" },
		{ "\n\njust words\n", "line 3: expected 'key = value', got 'just words'" },
		{ "device = \"/dev/video0\n", "line 1: unterminated quote" },
		{ "trust =\n", "line 1: trust: expected a folder path" },
		{ "tone = on\ntone = off\n", "line 2: duplicate key 'tone' (first set on line 1)" },
		{ "[kiosk]\n", "line 1: expected 'key = value', got '[kiosk]'" },
		{ "tone: on\n", "line 1: expected 'key = value', got 'tone: on'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dc_config_defaults(&c);
		err[0] = 0;
		CHECK_EQ_INT(parse(&c, bad[i].text, err, sizeof err), -1);
		CHECK_STR(err, bad[i].msg);
	}
	/* Limits: an overlong line and an embedded NUL are refused. */
	char longline[DC_CONFIG_MAX_LINE + 20];
	memset(longline, 'a', sizeof longline - 1);
	longline[sizeof longline - 1] = 0;
	CHECK_EQ_INT(parse(&c, longline, err, sizeof err), -1);
	CHECK_EQ_INT(dc_config_parse(&c, (const uint8_t *)"tone = on\0x\n", 12, err, sizeof err), -1);
	/* Trust on the device: the installed folder, its pin, the age limits. */
	dc_config_defaults(&c);
	CHECK_STR(c.trust, "/var/lib/doorcheck/trust");
	CHECK_STR(c.trust_pin, "");
	CHECK_EQ_INT(c.trust_warn_days, 30);
	CHECK_EQ_INT(c.trust_max_days, 90);
	CHECK_EQ_INT(parse(&c, "trust_pin = /etc/doorcheck/operator.pub.pem\ntrust_warn_days = 14\n"
			   "trust_max_days = 0\n", err, sizeof err), 0);
	CHECK_STR(c.trust_pin, "/etc/doorcheck/operator.pub.pem");
	CHECK_EQ_INT(c.trust_warn_days, 14);
	CHECK_EQ_INT(c.trust_max_days, 0);
	CHECK_EQ_INT(parse(&c, "trust_max_days = 5000\n", err, sizeof err), -1);
	CHECK_STR(err, "line 1: trust_max_days: expected days (0 = off, at most 3650)");
	/* Text scanners: a keyboard-wedge (evdev) and a serial (tty) one. */
	dc_config_defaults(&c);
	CHECK_EQ_INT(parse(&c, "camera = evdev\ndevice = /dev/input/by-id/x-event-kbd\n", err,
			   sizeof err), 0);
	CHECK_STR(c.camera, "evdev");
	CHECK_EQ_INT(parse(&c, "camera = tty\ndevice = /dev/ttyACM0,115200\n", err, sizeof err), 0);
	CHECK_STR(c.camera, "tty");
	CHECK_STR(c.device, "/dev/ttyACM0,115200");
	{
		size_t len = 0;
		char *buf = dc_test_read(dc_test_path("DC_SOURCE_ROOT", "boards/keyboard-scanner.conf"),
					 &len);
		dc_config_defaults(&c);
		CHECK(buf && dc_config_parse(&c, (const uint8_t *)buf, len, err, sizeof err) == 0);
		CHECK_STR(c.camera, "tty");
		free(buf);
	}
	CHECK(dc_config_is_key("duplicate_warning_minutes"));
	CHECK(!dc_config_is_key("duplicate-warning-minutes"));
	/* The USB import's status file (firmware/trust-import writes it). */
	dc_config_defaults(&c);
	CHECK_STR(c.trust_import_status, DC_IMPORT_STATUS_PATH);
	CHECK_EQ_INT(parse(&c, "trust_import_status = \"\"\n", err, sizeof err), 0);
	CHECK_STR(c.trust_import_status, "");
	{
		dc_import_status st;
		static const char ok[] = "result=installed\nversion=7\ntime=2026-12-02T10:00:00Z\n";
		dc_import_status_parse((const uint8_t *)ok, sizeof ok - 1, &st);
		CHECK_EQ_INT(st.result, DC_IMPORT_INSTALLED);
		CHECK_EQ_INT((int)st.version, 7);
		CHECK_STR(st.time, "2026-12-02T10:00:00Z");
		CHECK_STR(st.reason, "");
		static const char no[] = "result=refused\r\nversion=x\nreason=bad\x01\xc3\xa9sig\nfoo\n";
		dc_import_status_parse((const uint8_t *)no, sizeof no - 1, &st);
		CHECK_EQ_INT(st.result, DC_IMPORT_REFUSED);
		CHECK_EQ_INT((int)st.version, -1);
		CHECK_STR(st.reason, "bad???sig"); /* printable ASCII only */
		dc_import_status_parse((const uint8_t *)"result=maybe", 12, &st);
		CHECK_EQ_INT(st.result, DC_IMPORT_UNKNOWN);
		dc_import_status_parse(NULL, 0, &st);
		CHECK_EQ_INT(st.result, DC_IMPORT_UNKNOWN);
	}
	/* The policy in words: every accepted way in, with its numbers. */
	{
		char words[192], why[160];
		static const char pol[] =
			"accept_recovery = false\nvaccine_products = 208, EU/1/20/1528\n"
			"require_complete_series = false\nmin_days_after_last_dose = 7\n"
			"max_days_after_last_dose = 270\ntest_types = antigen\n"
			"max_test_age_hours_antigen = 12\n";
		dc_policy *p = dc_policy_parse((const uint8_t *)pol, sizeof pol - 1, why, sizeof why);
		CHECK(p != NULL);
		CHECK_STR(dc_policy_words(p, words, sizeof words),
			  "Admits: any vaccine dose (only 208, EU/1/20/1528), last dose 7 to 270 days "
			  "ago; or negative antigen test up to 12 h old");
		dc_policy_free(p);
		static const char tests_only[] = "accept_vaccination = false\naccept_recovery = false\n";
		p = dc_policy_parse((const uint8_t *)tests_only, sizeof tests_only - 1, why, sizeof why);
		CHECK(p != NULL);
		CHECK_STR(dc_policy_words(p, words, sizeof words),
			  "Admits: negative NAAT test up to 72 h or antigen test up to 24 h old");
		dc_policy_free(p);
		p = dc_policy_new_default();
		char small[24];
		CHECK_STR(dc_policy_words(p, small, sizeof small), "Admits: complete vaccin");
		dc_policy_free(p);
	}
	check_boards();
	return dc_test_done();
}
