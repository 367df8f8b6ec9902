/*
 * After the result screen ends, the holder's name and birth date are no
 * longer anywhere in the simulator's memory. The simulator runs headless
 * with --hold: it stops while the result shows ("RESULT ...") and again
 * after the wipe ("WIPED"); each time this test reads every readable
 * mapping of the process through /proc/PID/maps and /proc/PID/mem. While
 * the result shows the name must be found (proof that the search works);
 * after the wipe it must not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>

#include "dc_test.h"
#include "dc_sim_test.h"
#include "dc_demo_needles.h"

static dc_sim_paths P;

/* Counts needle occurrences over all readable mappings of pid. */
static long count_in_memory(pid_t pid, const char *needle)
{
	char path[64], line[512];
	long hits = 0;
	size_t nl = strlen(needle);
	DC_FMT(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *maps = fopen(path, "r");
	DC_FMT(path, sizeof path, "/proc/%d/mem", (int)pid);
	int mem = open(path, O_RDONLY);
	if (!maps || mem < 0) {
		int e = errno;
		fprintf(stderr, "cannot read the memory of %d: %s\n", (int)pid, strerror(e));
		if (e == EPERM || e == EACCES) {
			/* no ptrace permission here (Yama, containers) */
			kill(pid, SIGKILL);
			exit(77);
		}
		if (maps)
			fclose(maps);
		if (mem >= 0)
			close(mem);
		return -1;
	}
	size_t cap = 1 << 20;
	char *buf = malloc(cap + nl);
	while (buf && fgets(line, sizeof line, maps)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r')
			continue;
		if (strstr(line, "[vvar]") || strstr(line, "[vsyscall]"))
			continue;
		/* AddressSanitizer's shadow memory is terabytes of reserved
		 * zero pages; no heap, stack or data mapping is that large. */
		if (hi - lo > (1ul << 32))
			continue;
		/* read in blocks, overlapping by the needle length */
		for (unsigned long a = lo; a < hi; a += cap) {
			size_t want = hi - a < cap + nl ? hi - a : cap + nl;
			ssize_t got = pread(mem, buf, want, (off_t)a);
			if (got <= 0)
				break;
			for (char *p = buf; (p = memmem(p, (size_t)got - (size_t)(p - buf), needle, nl));
			     p++) {
				if ((size_t)(p - buf) < cap) /* not counted twice */
					hits++;
				if ((size_t)(p - buf) + nl >= (size_t)got)
					break;
			}
		}
	}
	free(buf);
	fclose(maps);
	close(mem);
	return hits;
}

static int read_line(FILE *f, char *line, size_t cap)
{
	while (fgets(line, (int)cap, f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "RESULT", 6) || !strcmp(line, "WIPED"))
			return 0;
	}
	return -1;
}

static void run_card(const char *card, const char *expect_screen, const dc_needles *nd)
{
	int in[2], out[2];
	char input[4096], line[256];
	DC_FMT(input, sizeof input, "%s/%s", P.cards, card);
	if (pipe(in) || pipe(out)) {
		CHECK(0);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(P.sim, P.sim, "--headless", "--hold", "--quiet", "--trust", P.trust, input,
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	FILE *from = fdopen(out[0], "r");
	CHECK(read_line(from, line, sizeof line) == 0);
	CHECK_MSG(!strcmp(line + 7, expect_screen), "%s gave \"%s\"", card, line);
	/* While the result shows: every needle that is on screen is found. */
	long before = 0;
	for (size_t i = 0; i < nd->n; i++) {
		long c = count_in_memory(pid, nd->s[i]);
		CHECK(c >= 0);
		before += c;
	}
	CHECK_MSG(before >= 2, "%s: name and birth date not found while shown (%ld)", card, before);
	CHECK(write(in[1], "\n", 1) == 1);
	CHECK(read_line(from, line, sizeof line) == 0);
	CHECK_STR(line, "WIPED");
	for (size_t i = 0; i < nd->n; i++) {
		long c = count_in_memory(pid, nd->s[i]);
		CHECK_MSG(c == 0, "%s: \"%s\" still in memory %ld time(s) after the wipe", card,
			  nd->s[i], c);
	}
	CHECK(write(in[1], "\n", 1) == 1);
	close(in[1]);
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fclose(from);
}

int main(int argc, char **argv)
{
	dc_sim_paths_get(argc, argv, &P);
	signal(SIGPIPE, SIG_IGN);
	static const char *const one[] = { "vaccinated" }, *const multi[] = { "multi" };
	dc_needles nd;
	/* Name and birth date only: the QR text itself is not kept on
	 * screen, so it is not expected while the result shows. */
	CHECK(dc_demo_needles(P.cards, P.trust, one, 1, &nd) == 0);
	dc_needles names = { .n = 0 };
	for (size_t i = 0; i < nd.n; i++)
		if (strlen(nd.s[i]) < 40 && !strstr(nd.s[i], "shc"))
			dc_needle_add(&names, nd.s[i], strlen(nd.s[i]));
	CHECK_EQ_INT(names.n, 2);
	run_card("vaccinated.png", "pass", &names);
	run_card("vaccinated.txt", "pass", &names);

	static const char *const partial[] = { "partial" };
	CHECK(dc_demo_needles(P.cards, P.trust, partial, 1, &nd) == 0);
	names.n = 0;
	for (size_t i = 0; i < nd.n; i++)
		if (strlen(nd.s[i]) < 40 && !strstr(nd.s[i], "shc"))
			dc_needle_add(&names, nd.s[i], strlen(nd.s[i]));
	CHECK_EQ_INT(names.n, 2);
	run_card("partial.png", "fail", &names); /* FAIL shows the holder too */

	CHECK(dc_demo_needles(P.cards, P.trust, multi, 1, &nd) == 0);
	names.n = 0;
	for (size_t i = 0; i < nd.n; i++)
		if (strlen(nd.s[i]) < 40 && !strstr(nd.s[i], "shc"))
			dc_needle_add(&names, nd.s[i], strlen(nd.s[i]));
	CHECK_EQ_INT(names.n, 2);
	run_card("multi.txt", "pass", &names);
	return dc_test_done();
}
