/* The kiosk configuration file: every key, and errors that name the line. */
#include <dirent.h>

#include "dc_test.h"
#include "dc_config.h"

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
	check_boards();
	return dc_test_done();
}
