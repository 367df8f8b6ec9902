#include "dc_policy_words.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *buf;
	size_t cap, len;
} words;

static void add(words *w, const char *fmt, ...)
{
	if (w->len + 1 >= w->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len += (size_t)n < w->cap - w->len ? (size_t)n : w->cap - w->len - 1;
}

/* The value of "key = value" in the written policy, or "" (copied). */
static const char *value(const char *text, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	out[0] = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, kl) || strncmp(p + kl, " = ", 3))
			continue;
		const char *v = p + kl + 3, *e = strchr(v, '\n');
		size_t n = e ? (size_t)(e - v) : strlen(v);
		if (n >= cap)
			n = cap - 1;
		memcpy(out, v, n);
		out[n] = 0;
		break;
	}
	return out;
}

static bool is_true(const char *text, const char *key)
{
	char v[16];
	return !strcmp(value(text, key, v, sizeof v), "true");
}

static int number(const char *text, const char *key)
{
	char v[16];
	return atoi(value(text, key, v, sizeof v));
}

char *dc_policy_words(const dc_policy *p, char *buf, size_t cap)
{
	char text[4096], v[1024];
	words w = { buf, cap, 0 };
	if (!buf || !cap)
		return buf;
	buf[0] = 0;
	if (!p || dc_policy_write(p, text, sizeof text) >= sizeof text) {
		add(&w, "Policy cannot be shown");
		return buf;
	}
	const char *sep = "Admits: ";
	if (is_true(text, "accept_vaccination")) {
		int min = number(text, "min_days_after_last_dose");
		int max = number(text, "max_days_after_last_dose");
		value(text, "vaccine_products", v, sizeof v);
		add(&w, "%s%s (%s%s), last dose ", sep,
		    is_true(text, "require_complete_series") ? "complete vaccination" : "any vaccine dose",
		    !strcmp(v, "any") ? "any COVID-19 vaccine" : "only ", !strcmp(v, "any") ? "" : v);
		if (max > 0)
			add(&w, "%d to %d days ago", min, max);
		else
			add(&w, "%d+ days ago", min);
		sep = "; or ";
	}
	if (is_true(text, "accept_test")) {
		value(text, "test_types", v, sizeof v);
		bool naat = strstr(v, "NAAT") != NULL, antigen = strstr(v, "antigen") != NULL;
		add(&w, "%snegative ", sep);
		if (naat)
			add(&w, "NAAT test up to %d h", number(text, "max_test_age_hours_naat"));
		if (antigen)
			add(&w, "%santigen test up to %d h", naat ? " or " : "",
			    number(text, "max_test_age_hours_antigen"));
		add(&w, " old");
		sep = "; or ";
	}
	if (is_true(text, "accept_recovery"))
		add(&w, "%srecovery %d to %d days after a positive test", sep,
		    number(text, "recovery_min_days"), number(text, "recovery_max_days"));
	return buf;
}
