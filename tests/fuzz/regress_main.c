/*
 * Replays inputs through a libFuzzer harness without libFuzzer, so every
 * seed and every past crash runs as an ordinary test in any build (gcc,
 * sanitizers, cross builds under qemu).
 *
 * usage: fuzz-replay-<name> PATH...
 * Each PATH is a file or a directory; a directory's regular files (not
 * dot-files) are replayed in name order, not recursively. Each input is
 * copied into a heap buffer of exactly its size, so an AddressSanitizer
 * build reports a harness or parser reading past `size`.
 *
 * Exit status: 0 when every input ran, 77 (meson's "skipped") when there
 * was nothing to run, 2 when a path could not be read. A crash or a
 * sanitizer report ends the process, which fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Far above any seed; a bigger file is a mistake in the corpus. */
#define REPLAY_MAX_INPUT (64u * 1024u * 1024u)

static int replay_file(const char *path)
{
	FILE *f = NULL;
	uint8_t *buf = NULL;
	struct stat st;
	int rc = -1;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: larger than %u bytes\n", path, REPLAY_MAX_INPUT);
		goto out;
	}
	size_t len = (size_t)st.st_size;
	/* malloc(0) may return NULL; libFuzzer never passes NULL data. */
	buf = malloc(len ? len : 1);
	if (!buf) {
		fprintf(stderr, "replay: out of memory\n");
		goto out;
	}
	if (len && fread(buf, 1, len, f) != len) {
		fprintf(stderr, "replay: %s: short read\n", path);
		goto out;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	rc = 0;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns the number of inputs replayed, or -1 on a read error. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int count = -1;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **q = realloc(names, ncap * sizeof *q);
			if (!q)
				goto out;
			names = q;
			cap = ncap;
		}
		names[n] = strdup(e->d_name);
		if (!names[n])
			goto out;
		n++;
	}
	if (n)
		qsort(names, n, sizeof *names, by_name);
	count = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0) {
			count = -1;
			goto out;
		}
		count++;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return count;
}

int main(int argc, char **argv)
{
	int total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			int n = replay_dir(argv[i]);
			if (n < 0)
				return 2;
			total += n;
		} else {
			if (replay_file(argv[i]) != 0)
				return 2;
			total++;
		}
	}
	printf("replayed %d input%s\n", total, total == 1 ? "" : "s");
	return total ? 0 : 77;
}
