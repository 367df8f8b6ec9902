/* Helpers for the tests that drive doorcheck-sim (argv: sim, demo cards
 * folder, demo trust folder). */
#ifndef DC_SIM_TEST_H
#define DC_SIM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* snprintf whose cut-off result is accepted on purpose. */
#define DC_FMT(buf, cap, ...) do { if (snprintf((buf), (cap), __VA_ARGS__) < 0) (buf)[0] = 0; } while (0)

typedef struct {
	const char *sim, *cards, *trust;
} dc_sim_paths;

static inline void dc_sim_paths_get(int argc, char **argv, dc_sim_paths *p)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s SIM CARDS_DIR TRUST_DIR\n", argv[0]);
		exit(77);
	}
	p->sim = argv[1];
	p->cards = argv[2];
	p->trust = argv[3];
	if (access(p->sim, X_OK) != 0) {
		fprintf(stderr, "%s not built\n", p->sim);
		exit(77);
	}
}

/* A fresh private folder under the build root (or /tmp). */
static inline const char *dc_sim_tmpdir(const char *tag)
{
	static char dir[4096];
	const char *root = getenv("DC_BUILD_ROOT");
	DC_FMT(dir, sizeof dir, "%s/kiosk-%s-XXXXXX", root ? root : "/tmp", tag);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	return dir;
}

#endif
