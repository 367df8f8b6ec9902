/*
 * dc_gpio on a real GPIO chip.
 *   test_gpio errors  the backend's refusals (no such chip, no such line;
 *                     the _none backend refuses any configured line)
 *   test_gpio sim     the kernel's gpio-sim: a chip with named lines is made
 *                     in configfs, the door lines are driven through dc_doorsig
 *                     and read back from sysfs. Exits 77 (skip) where
 *                     gpio-sim is not loaded and cannot be (containers,
 *                     kernels without CONFIG_GPIO_SIM).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dc_doorsig.h"
#include "dc_gpio.h"
#include "dc_test.h"

static void test_errors(void)
{
	dc_gpio_config cfg;
	dc_gpio *g = (dc_gpio *)1;
	char err[256] = "";
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.chip, sizeof cfg.chip, "doorcheck-no-such-chip");
	snprintf(cfg.line[DC_DOORSIG_RELAY], sizeof cfg.line[0], "GPIO17");
	CHECK(dc_gpio_config_used(&cfg));
	CHECK_EQ_INT(dc_gpio_open(&cfg, &g, err, sizeof err), -1);
	CHECK(g == NULL);
	if (strcmp(dc_gpio_backend(), "none") == 0)
		CHECK_MSG(strstr(err, "without GPIO support") != NULL, "%s", err);
	else
		CHECK_MSG(strstr(err, "cannot open GPIO chip doorcheck-no-such-chip") != NULL, "%s", err);
	memset(&cfg, 0, sizeof cfg);
	CHECK(!dc_gpio_config_used(&cfg));
	dc_gpio_close(NULL);
}

/* --- gpio-sim ----------------------------------------------------------- */

#define CFS "/sys/kernel/config/gpio-sim"

static char sim_dir[256];

static int put(const char *dir, const char *file, const char *v)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	int rc = fputs(v, f) < 0 ? -1 : 0;
	return fclose(f) || rc ? -1 : 0;
}

static int get(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)n, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static const char *const names[DC_DOORSIG__LINES] = {
	"DOOR_RELAY", "DOOR_LED_PASS", "DOOR_LED_FAIL", "DOOR_BUZZER",
};

static void sim_cleanup(void)
{
	char p[512];
	if (!sim_dir[0])
		return;
	put(sim_dir, "live", "0");
	for (int l = 0; l < DC_DOORSIG__LINES; l++) {
		snprintf(p, sizeof p, "%s/bank0/line%d", sim_dir, l);
		rmdir(p);
	}
	snprintf(p, sizeof p, "%s/bank0", sim_dir);
	rmdir(p);
	rmdir(sim_dir);
}

/* Value of line l as the simulated chip sees it. */
static int sim_value(const char *dev, const char *chip, int l)
{
	char p[512], v[16];
	snprintf(p, sizeof p, "/sys/devices/platform/%s/%s/sim_gpio%d/value", dev, chip, l);
	if (get(p, v, sizeof v))
		return -1;
	return atoi(v);
}

static int test_sim(void)
{
	char p[512], dev[64], chip[64], err[256];
	struct stat st;
	if (stat(CFS, &st) != 0) {
		/* Try to load it; a container has no modprobe or no modules. */
		if (system("modprobe gpio-sim >/dev/null 2>&1") != 0 || stat(CFS, &st) != 0) {
			printf("skip: gpio-sim is not available (%s missing, module not loadable)\n", CFS);
			return 77;
		}
	}
	if (strcmp(dc_gpio_backend(), "none") == 0) {
		printf("skip: built without GPIO support\n");
		return 77;
	}
	snprintf(sim_dir, sizeof sim_dir, CFS "/doorcheck-test-%ld", (long)getpid());
	snprintf(p, sizeof p, "%s/bank0", sim_dir);
	if (mkdir(sim_dir, 0755) || mkdir(p, 0755)) {
		printf("skip: cannot create a gpio-sim chip: %s\n", strerror(errno));
		sim_cleanup();
		return 77;
	}
	CHECK(put(p, "num_lines", "4") == 0);
	for (int l = 0; l < DC_DOORSIG__LINES; l++) {
		char ld[600];
		snprintf(ld, sizeof ld, "%s/line%d", p, l);
		CHECK(mkdir(ld, 0755) == 0);
		CHECK(put(ld, "name", names[l]) == 0);
	}
	CHECK(put(sim_dir, "live", "1") == 0);
	snprintf(p, sizeof p, "%s/dev_name", sim_dir);
	CHECK(get(p, dev, sizeof dev) == 0);
	snprintf(p, sizeof p, "%s/bank0/chip_name", sim_dir);
	CHECK(get(p, chip, sizeof chip) == 0);

	dc_gpio_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.chip, sizeof cfg.chip, "%s", chip);
	for (int l = 0; l < DC_DOORSIG__LINES; l++)
		snprintf(cfg.line[l], sizeof cfg.line[l], "%s", names[l]);
	/* The LED by offset, the relay active-low. */
	snprintf(cfg.line[DC_DOORSIG_LED_FAIL], sizeof cfg.line[0], "2");
	snprintf(cfg.line[DC_DOORSIG_RELAY], sizeof cfg.line[0], "DOOR_RELAY!");
	dc_gpio *g = NULL;
	int rc = dc_gpio_open(&cfg, &g, err, sizeof err);
	CHECK_MSG(rc == 0, "%s", err);
	if (rc == 0) {
		dc_doorsig d;
		dc_doorsig_config dcfg = { .relay_pulse_ms = 300, .led_ms = 1000, .buzzer = true };
		dc_doorsig_out out = dc_gpio_door_out(g);
		dc_doorsig_init(&d, &dcfg, &out);
		CHECK_EQ_INT(sim_value(dev, chip, 0), 1); /* active-low relay: idle high */
		dc_doorsig_signal(&d, DC_SCREEN_PASS, true, 0);
		CHECK_EQ_INT(sim_value(dev, chip, 0), 0);
		CHECK_EQ_INT(sim_value(dev, chip, 1), 1);
		CHECK_EQ_INT(sim_value(dev, chip, 2), 0);
		CHECK_EQ_INT(sim_value(dev, chip, 3), 1);
		dc_doorsig_tick(&d, 299);
		CHECK_EQ_INT(sim_value(dev, chip, 0), 0);
		dc_doorsig_tick(&d, 300);
		CHECK_EQ_INT(sim_value(dev, chip, 0), 1);
		CHECK_EQ_INT(sim_value(dev, chip, 3), 0);
		dc_doorsig_signal(&d, DC_SCREEN_NOT_VALID, true, 400);
		CHECK_EQ_INT(sim_value(dev, chip, 1), 0);
		CHECK_EQ_INT(sim_value(dev, chip, 2), 1);
		CHECK_EQ_INT(sim_value(dev, chip, 0), 1);
		CHECK_EQ_INT(d.set_errors, 0);
		/* A second request for a line in use is refused with a reason. */
		dc_gpio *g2 = NULL;
		CHECK(dc_gpio_open(&cfg, &g2, err, sizeof err) == -1);
		CHECK_MSG(strstr(err, "cannot request") != NULL, "%s", err);
		dc_gpio_close(g);
	}
	snprintf(cfg.line[DC_DOORSIG_BUZZER], sizeof cfg.line[0], "NO_SUCH_LINE");
	CHECK(dc_gpio_open(&cfg, &g, err, sizeof err) == -1);
	CHECK_MSG(strstr(err, "gpio_buzzer = NO_SUCH_LINE: no such line") != NULL, "%s", err);
	sim_cleanup();
	return dc_test_done();
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sim") == 0)
		return test_sim();
	test_errors();
	return dc_test_done();
}
