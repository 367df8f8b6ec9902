/*
 * The demo DCCs that `doorcheck-mint dcc` writes (tools/mint/dcc_mint.c),
 * verified by app/core with the demo DSCs pinned: ES256 and PS256,
 * vaccination / test / recovery, text and QR picture, the kid placement
 * knobs, a signer whose key usage excludes the type, and an expired CWT.
 *
 * argv[1]: path of doorcheck-mint.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dc_dcc.h"
#include "dc_test.h"
#include "dc_time.h"
#include "dc_trust.h"

#ifdef DC_HAVE_SCAN
#include "dc_image.h"
#include "dc_scan.h"
#endif

static const char *mint, *keys;
static char dir[] = "/tmp/dc-dcc-demo-XXXXXX";
static double T;
static dc_trust *trust;

static int run_mint(const char *key, const char *prefix, const char *type, const char *kid_in,
		    long long iat, long long exp)
{
	char kp[4096], cp[4096], iats[32], exps[32];
	snprintf(kp, sizeof kp, "%s/dcc-dsc-%s.key.pem", keys, key);
	snprintf(cp, sizeof cp, "%s/dcc-dsc-%s.crt.pem", keys, key);
	snprintf(iats, sizeof iats, "%lld", iat);
	snprintf(exps, sizeof exps, "%lld", exp);
	pid_t pid = fork();
	if (pid == 0) {
		/* Cross builds run this test under qemu-user, which does not
		 * follow execve into another foreign binary: go through the
		 * wrapper meson names in MESON_EXE_WRAPPER (space-separated). */
		char *v[64], *words = NULL;
		int n = 0;
		const char *w = getenv("MESON_EXE_WRAPPER");
		if (w && *w && (words = strdup(w)))
			for (char *tok = strtok(words, " "); tok && n < 40; tok = strtok(NULL, " "))
				v[n++] = tok;
		const char *args[] = {mint, "dcc", "--key", kp, "--cert", cp, "--out", dir,
				      "--prefix", prefix, "--type", type, "--kid-in", kid_in,
				      "--iat", iats, "--exp", exps};
		for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
			v[n++] = (char *)args[i];
		v[n] = NULL;
		execv(v[0], v);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static dc_err verify_file(const char *name, dc_record *r)
{
	char p[4096];
	size_t len;
	snprintf(p, sizeof p, "%s/%s.txt", dir, name);
	char *t = dc_test_read(p, &len);
	if (!t)
		return DC_E_ARG;
	dc_err e = dc_dcc_verify(trust, T, t, len, r);
	free(t);
	return e;
}

#ifdef DC_HAVE_SCAN
static int picture_matches(const char *name)
{
	char p[4096], err[128];
	size_t len;
	dc_grey g = {0};
	int ok = 0;
	snprintf(p, sizeof p, "%s/%s.txt", dir, name);
	char *t = dc_test_read(p, &len);
	snprintf(p, sizeof p, "%s/%s.png", dir, name);
	if (t && dc_image_load(p, &g, err, sizeof err) == 0) {
		dc_scanner *s = dc_scanner_new(g.width, g.height);
		int n = dc_scanner_scan(s, g.y, g.width, g.height, g.stride);
		for (int i = 0; i < n; i++) {
			size_t tl;
			const char *q = dc_scanner_text(s, i, &tl);
			ok |= tl == len && memcmp(q, t, len) == 0;
		}
		dc_scanner_free(s);
		dc_grey_free(&g);
	}
	free(t);
	return ok;
}
#endif

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_dcc_demo DOORCHECK_MINT\n");
		return 77;
	}
	mint = argv[1];
	keys = dc_test_path("DC_SOURCE_ROOT", "keys/demo");
	if (!mkdtemp(dir))
		return 1;
	CHECK(dc_time_parse("2027-06-01T00:00:00Z", 20, &T));
	long long iat = (long long)T - 3600, exp = (long long)T + 86400 * 365;

	trust = dc_trust_new();
	const char *dscs[] = {"es256", "ps256", "testonly"};
	for (int i = 0; i < 3; i++) {
		char p[4096];
		size_t len;
		snprintf(p, sizeof p, "%s/dcc-dsc-%s.crt.pem", keys, dscs[i]);
		char *c = dc_test_read(p, &len);
		CHECK(c && dc_trust_add_dsc(trust, (const uint8_t *)c, len) == DC_OK);
		free(c);
	}

	int rc = run_mint("es256", "es256", "all", "protected", iat, exp);
	if (rc == 127) {
		/* e.g. a cross build whose test runner cannot start the tool */
		printf("cannot run %s: skipped\n", mint);
		dc_trust_free(trust);
		rmdir(dir);
		return 77;
	}
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(run_mint("ps256", "ps256", "all", "protected", iat, exp), 0);
	const char *kinds[] = {"vaccination", "test", "recovery"};
	const dc_event_kind ek[] = {DC_EVENT_VACCINATION, DC_EVENT_TEST, DC_EVENT_RECOVERY};
	for (int a = 0; a < 2; a++) {
		for (int k = 0; k < 3; k++) {
			char name[64];
			dc_record r;
			snprintf(name, sizeof name, "%s-%s", a ? "ps256" : "es256", kinds[k]);
			dc_err e = verify_file(name, &r);
			CHECK_MSG(e == DC_OK, "%s: %s", name, dc_err_code(e));
			CHECK_EQ_INT(r.events[0].kind, ek[k]);
			CHECK_STR(r.name_std, "DEMO<MUSTER<<ERIKA");
			CHECK_EQ_INT(r.issued_at, iat);
			dc_record_wipe(&r);
#ifdef DC_HAVE_SCAN
			CHECK_MSG(picture_matches(name), "%s.png does not scan to its text", name);
#endif
		}
	}

	/* kid placement: only protected ones decide when both are there */
	struct {
		const char *mode;
		dc_err want;
	} kid[] = {{"unprotected", DC_OK}, {"both", DC_OK}, {"both-wrong-unprotected", DC_OK},
		   {"wrong-protected", DC_E_DSC_UNKNOWN}, {"none", DC_E_COSE_KID}};
	for (size_t i = 0; i < sizeof kid / sizeof *kid; i++) {
		dc_record r;
		CHECK_EQ_INT(run_mint("es256", kid[i].mode, "v", kid[i].mode, iat, exp), 0);
		char name[64];
		snprintf(name, sizeof name, "%s-vaccination", kid[i].mode);
		dc_err e = verify_file(name, &r);
		CHECK_MSG(e == kid[i].want, "kid %s: %s", kid[i].mode, dc_err_code(e));
		dc_record_wipe(&r);
	}

	/* a test-results-only signer may not sign a vaccination */
	dc_record r;
	CHECK_EQ_INT(run_mint("testonly", "testonly", "all", "protected", iat, exp), 0);
	CHECK_EQ_INT(verify_file("testonly-vaccination", &r), DC_E_DSC_KEY_USAGE);
	CHECK_EQ_INT(verify_file("testonly-test", &r), DC_OK);
	dc_record_wipe(&r);
	CHECK_EQ_INT(verify_file("testonly-recovery", &r), DC_E_DSC_KEY_USAGE);

	/* expired */
	CHECK_EQ_INT(run_mint("ps256", "expired", "t", "protected", iat - 86400, (long long)T - 60), 0);
	CHECK_EQ_INT(verify_file("expired-test", &r), DC_E_CWT_EXPIRED);

	/* a signer that is not pinned */
	CHECK_EQ_INT(run_mint("altoid", "altoid", "v", "protected", iat, exp), 0);
	CHECK_EQ_INT(verify_file("altoid-vaccination", &r), DC_E_DSC_UNKNOWN);
	CHECK_EQ_INT(r.verdict, DC_VERDICT_ISSUER_NOT_TRUSTED);

	/* usage errors */
	CHECK(run_mint("es256", "x", "q", "protected", iat, exp) != 0);
	CHECK(run_mint("es256", "x", "v", "elsewhere", iat, exp) != 0);

	dc_trust_free(trust);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return dc_test_done();
}
