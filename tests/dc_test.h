/*
 * A minimal test harness: CHECK records a failure and goes on; the program
 * prints "N passed, N failed" and exits non-zero if anything failed.
 * Test data paths come from the environment meson sets (DC_SHARED,
 * DC_SOURCE_ROOT, DC_BUILD_ROOT).
 */
#ifndef DC_TEST_H
#define DC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dc_t_pass, dc_t_fail;

#define CHECK(cond) do { \
	if (cond) dc_t_pass++; \
	else { dc_t_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_MSG(cond, ...) do { \
	if (cond) dc_t_pass++; \
	else { dc_t_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
	       fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#define CHECK_EQ_INT(a, b) do { long long dc_a_ = (long long)(a), dc_b_ = (long long)(b); \
	CHECK_MSG(dc_a_ == dc_b_, "%s = %lld, expected %s = %lld", #a, dc_a_, #b, dc_b_); } while (0)

#define CHECK_STR(a, b) do { const char *dc_a_ = (a), *dc_b_ = (b); \
	CHECK_MSG(dc_a_ && dc_b_ && strcmp(dc_a_, dc_b_) == 0, "%s = \"%s\", expected \"%s\"", \
		  #a, dc_a_ ? dc_a_ : "(null)", dc_b_ ? dc_b_ : "(null)"); } while (0)

static inline int dc_test_done(void)
{
	printf("%d passed, %d failed\n", dc_t_pass, dc_t_fail);
	return dc_t_fail ? 1 : 0;
}

/* Path under an environment-provided root; exits 77 (skip) if unset. */
static inline const char *dc_test_path(const char *env, const char *rel)
{
	static char buf[8][4096];
	static int slot;
	const char *root = getenv(env);
	if (!root) {
		fprintf(stderr, "%s not set: run through meson test\n", env);
		exit(77);
	}
	char *b = buf[slot++ & 7];
	snprintf(b, sizeof buf[0], "%s/%s", root, rel);
	return b;
}

/* Reads a whole file into a NUL-terminated malloc'd buffer; NULL on error. */
static inline char *dc_test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	size_t cap = 4096, n = 0;
	char *p = malloc(cap + 1);
	if (!p) { fclose(f); return NULL; }
	size_t r;
	while ((r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *q = realloc(p, cap * 2 + 1);
			if (!q) { free(p); fclose(f); return NULL; }
			p = q; cap *= 2;
		}
	}
	fclose(f);
	p[n] = 0;
	if (len) *len = n;
	return p;
}

#endif
