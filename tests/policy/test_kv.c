/* dc_kv, the one key=value reader behind the kiosk config and the venue
 * policy: what it accepts, what it passes on, and the line every error names. */
#include "dc_test.h"
#include "dc_kv.h"

static const char *const keys[] = { "alpha", "beta", "gamma" };
static const dc_kv_format fmt = { keys, 3, 32 };

struct seen {
	int n;
	size_t key[8];
	unsigned line[8];
	char value[8][40];
	int fail_at; /* handler call (1-based) that refuses, 0 = none */
};

static bool record(void *ctx, size_t key, const char *value, size_t vlen, unsigned line,
		   char *why, size_t whylen)
{
	struct seen *s = ctx;
	CHECK_EQ_INT(strlen(value), vlen);
	if (s->n < 8) {
		s->key[s->n] = key;
		s->line[s->n] = line;
		snprintf(s->value[s->n], sizeof s->value[0], "%s", value);
	}
	s->n++;
	if (s->n == s->fail_at) {
		snprintf(why, whylen, "%s: refused", keys[key]);
		return false;
	}
	return true;
}

static int run(const char *text, size_t len, struct seen *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	err[0] = 0;
	return dc_kv_parse(&fmt, (const uint8_t *)text, len, record, s, err, errlen);
}

#define RUN(lit, s, err) run((lit), sizeof(lit) - 1, (s), (err), sizeof(err))

static void bad(const char *text, size_t len, const char *want)
{
	struct seen s;
	char err[200];
	CHECK_EQ_INT(run(text, len, &s, err, sizeof err), -1);
	CHECK_MSG(!strcmp(err, want), "got \"%s\", want \"%s\"", err, want);
}

#define BAD(lit, want) bad((lit), sizeof(lit) - 1, (want))

int main(void)
{
	struct seen s;
	char err[200];

	/* Empty input, comments and blank lines only. */
	CHECK_EQ_INT(dc_kv_parse(&fmt, NULL, 0, record, &s, err, sizeof err), 0);
	CHECK_EQ_INT(RUN("# c\n\n \t\r\n   # indented\n", &s, err), 0);
	CHECK_EQ_INT(s.n, 0);

	/* BOM, CRLF, blanks, inline comment, quotes keep '#', no final newline. */
	CHECK_EQ_INT(RUN("\xEF\xBB\xBF alpha = one two  # c\r\n"
			 "\tbeta=\"x # y\"  # c\n"
			 "gamma =", &s, err), 0);
	CHECK_EQ_INT(s.n, 3);
	CHECK_EQ_INT(s.key[0], 0);
	CHECK_STR(s.value[0], "one two");
	CHECK_EQ_INT(s.line[0], 1);
	CHECK_EQ_INT(s.key[1], 1);
	CHECK_STR(s.value[1], "x # y");
	CHECK_EQ_INT(s.line[1], 2);
	CHECK_EQ_INT(s.key[2], 2);
	CHECK_STR(s.value[2], ""); /* empty values go to the handler */
	CHECK_EQ_INT(s.line[2], 3);

	/* A quoted empty string and '=' inside a value. */
	CHECK_EQ_INT(RUN("alpha = \"\"\nbeta = a=b\n", &s, err), 0);
	CHECK_STR(s.value[0], "");
	CHECK_STR(s.value[1], "a=b");

	/* What other key=value readers allow, this one refuses. */
	BAD("[section]\nalpha = 1\n", "line 1: expected 'key = value', got '[section]'");
	BAD("alpha: 1\n", "line 1: expected 'key = value', got 'alpha: 1'");
	BAD("alpha = 1\n  continued\n", "line 2: expected 'key = value', got 'continued'");
	BAD("alpha # = 1\n", "line 1: expected 'key = value', got 'alpha'");
	BAD(" = 1\n", "line 1: expected 'key = value', got '= 1'");
	BAD("; ini comment\n", "line 1: expected 'key = value', got '; ini comment'");
	BAD("Alpha = 1\n", "line 1: unknown key 'Alpha'");
	BAD("alpha = 1\n\nalpha = 2\n", "line 3: duplicate key 'alpha' (first set on line 1)");
	BAD("alpha = \"open\n", "line 1: unterminated quote");
	BAD("alpha = \"a\" b\n", "line 1: text after the closing quote");
	BAD("alpha = 1\nbeta = \0\n", "line 2: contains a NUL byte");
	BAD("alpha = 0123456789012345678901234\n", "line 1: longer than 32 characters");
	BAD("\x01\xff = 1\n", "line 1: unknown key '?\?'");
	/* A line of exactly max_line bytes is fine. */
	CHECK_EQ_INT(RUN("alpha = 012345678901234567890123\n", &s, err), 0);

	/* The handler's reason gets the line number; reading stops there. */
	memset(&s, 0, sizeof s);
	s.fail_at = 2;
	CHECK_EQ_INT(dc_kv_parse(&fmt, (const uint8_t *)"alpha=1\n#\nbeta=2\ngamma=3\n", 24,
				 record, &s, err, sizeof err), -1);
	CHECK_STR(err, "line 3: beta: refused");
	CHECK_EQ_INT(s.n, 2);

	/* NULL err is allowed. */
	CHECK_EQ_INT(dc_kv_parse(&fmt, (const uint8_t *)"x", 1, record, &s, NULL, 0), -1);
	return dc_test_done();
}
