/*
 * 1000 scans of the demo cards through doorcheck-sim (headless, rendering
 * every screen in memory) under `strace -f -e trace=%file,write` (plus
 * writev, pwrite64, pwritev, sendto, sendmsg):
 *  - no file is opened for writing or created, renamed, removed...;
 *  - nothing written (stdout, stderr, anything) holds personal data: the
 *    demo holders' names and birth dates, or pieces of the QR texts.
 * Positive controls: the trace does show the cards being opened and the
 * simulator's stdout lines, so an empty or broken trace cannot pass.
 */
#define _GNU_SOURCE
#include <ctype.h>

#include "dc_test.h"
#include "dc_sim_test.h"
#include "dc_demo_needles.h"

static dc_sim_paths P;

static const char *const stems[] = {
	"vaccinated", "partial", "janssen", "recent", "test-negative", "expired",
	"not-yet-valid", "revoked", "tampered", "untrusted", "multi",
	"frame-640x480", "frame-1280x720",
};

/* strace -xx prints every string byte as \xNN: decode a line in place. */
static size_t decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'x' && isxdigit((unsigned char)p[2]) &&
		    isxdigit((unsigned char)p[3])) {
			char h[3] = { p[2], p[3], 0 };
			*o++ = (char)strtol(h, NULL, 16);
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	return (size_t)(o - s);
}

static int writes_to_fs(const char *l)
{
	static const char *const calls[] = {
		"creat(", "mkdir(", "mkdirat(", "unlink(", "unlinkat(", "rename(", "renameat(",
		"renameat2(", "truncate(", "link(", "linkat(", "symlink(", "symlinkat(", "mknod(",
		"mknodat(", "chmod(", "fchmodat(", "chown(", "fchownat(", "lchown(", "utimensat(",
		"setxattr(", "lsetxattr(", "removexattr(",
	};
	const char *call = strchr(l, ' ');
	call = call ? call + 1 : l;
	while (*call == ' ')
		call++;
	if (!strncmp(call, "open(", 5) || !strncmp(call, "openat(", 7) || !strncmp(call, "openat2(", 8))
		return strstr(call, "O_WRONLY") || strstr(call, "O_RDWR") || strstr(call, "O_CREAT") ||
		       strstr(call, "O_TRUNC");
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
		if (!strncmp(call, calls[i], strlen(calls[i])))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char cmd[16384], logpath[4096];
	dc_sim_paths_get(argc, argv, &P);
	if (system("strace -V >/dev/null 2>&1") != 0) {
		fprintf(stderr, "strace not installed\n");
		return 77;
	}
	if (system("strace -qq -o /dev/null true >/dev/null 2>&1") != 0) {
		fprintf(stderr, "strace cannot trace here (no ptrace permission?)\n");
		return 77;
	}
	dc_needles nd;
	CHECK(dc_demo_needles(P.cards, P.trust, stems, sizeof stems / sizeof stems[0], &nd) == 0);
	fprintf(stderr, "%zu personal-data needles\n", nd.n);
	CHECK(nd.n >= 10);

	const char *dir = dc_sim_tmpdir("strace");
	DC_FMT(logpath, sizeof logpath, "%s/trace.log", dir);
	size_t n = (size_t)snprintf(cmd, sizeof cmd,
		/* LeakSanitizer cannot run under ptrace: leaks are checked by
		 * the other simulator tests. */
		"ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "
		"strace -f -qq -xx -s 65536 "
		"-e trace=%%file,write,writev,pwrite64,pwritev,sendto,sendmsg -o '%s' "
		"'%s' --headless --scans 1000 --trust '%s'", logpath, P.sim, P.trust);
	for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
		if (strcmp(stems[i], "multi")) /* multi: one PNG per part, below */
			n += (size_t)snprintf(cmd + n, sizeof cmd - n, " '%s/%s.txt' '%s/%s.png'",
					      P.cards, stems[i], P.cards, stems[i]);
	n += (size_t)snprintf(cmd + n, sizeof cmd - n, " '%s/multi.txt'", P.cards);
	n += (size_t)snprintf(cmd + n, sizeof cmd - n, " '%s/multi-1.png' '%s/multi-2.png' "
			      "'%s/multi-3.png' text:https://www.example.org/record >%s/out.txt",
			      P.cards, P.cards, P.cards, dir);
	int rc = system(cmd);
	if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
		fprintf(stderr, "strace or the simulator failed (%d): %s\n", rc, cmd);
		CHECK(0);
		return dc_test_done();
	}

	FILE *f = fopen(logpath, "r");
	CHECK(f != NULL);
	size_t cap = 1 << 22, lines = 0, opened_card = 0, stdout_lines = 0, bad_opens = 0;
	char *line = malloc(cap);
	while (f && line && fgets(line, (int)cap, f)) {
		lines++;
		decode(line);
		if (writes_to_fs(line)) {
			if (bad_opens++ < 10)
				fprintf(stderr, "writes to the file system: %.300s", line);
		}
		if (strstr(line, "vaccinated.png") && strstr(line, "O_RDONLY"))
			opened_card++;
		if (strstr(line, "write(1,") && strstr(line, ": pass"))
			stdout_lines++;
		for (size_t i = 0; i < nd.n; i++)
			CHECK_MSG(!strstr(line, nd.s[i]), "personal data \"%s\" written: %.200s",
				  nd.s[i], line);
	}
	if (f)
		fclose(f);
	free(line);
	CHECK_EQ_INT(bad_opens, 0);
	CHECK_MSG(opened_card >= 10, "trace shows vaccinated.png opened %zu times", opened_card);
	CHECK_MSG(stdout_lines >= 10, "trace shows %zu result lines on stdout", stdout_lines);

	/* The simulator did 1000 scans. */
	char outpath[4096];
	DC_FMT(outpath, sizeof outpath, "%s/out.txt", dir);
	size_t olen = 0;
	char *out = dc_test_read(outpath, &olen);
	unsigned scanned = 0;
	const char *sum = out ? strstr(out, "scanned ") : NULL;
	while (sum && strstr(sum + 1, "scanned "))
		sum = strstr(sum + 1, "scanned ");
	if (sum)
		sscanf(sum, "scanned %u", &scanned);
	CHECK_MSG(scanned >= 1000, "scanned %u", scanned);
	free(out);
	fprintf(stderr, "%zu trace lines checked\n", lines);
	remove(logpath);
	remove(outpath);
	rmdir(dir);
	return dc_test_done();
}
