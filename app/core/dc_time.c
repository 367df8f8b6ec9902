#include "dc_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int64_t dc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* H. Hinnant's days_from_civil: exact for the proleptic calendar. */
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, size_t len, size_t pos, size_t n, int *out)
{
	int v = 0;
	if (pos + n > len)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[pos + i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

static unsigned month_days(int y, int m)
{
	static const unsigned char md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : md[m - 1];
}

static bool parse_epoch(const char *s, size_t len, double *out)
{
	char buf[40];
	if (len < 2 || len - 1 >= sizeof buf)
		return false;
	memcpy(buf, s + 1, len - 1);
	buf[len - 1] = 0;
	int dots = 0;
	for (size_t i = 0; buf[i]; i++) {
		if (buf[i] == '.') {
			if (++dots > 1 || i == 0 || !buf[i + 1])
				return false;
		} else if (buf[i] < '0' || buf[i] > '9') {
			return false;
		}
	}
	double v;
	if (sscanf(buf, "%lf", &v) != 1 || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool dc_time_parse(const char *s, size_t len, double *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, zh = 0, zm = 0;
	double frac = 0;
	size_t p = 10;

	if (!s || !len)
		return false;
	if (s[0] == '@')
		return parse_epoch(s, len, out);
	if (!digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' ||
	    !digits(s, len, 5, 2, &mo) || s[7] != '-' || !digits(s, len, 8, 2, &d))
		return false;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > month_days(y, mo))
		return false;
	if (len > 10) {
		if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
			return false;
		if (!digits(s, len, 11, 2, &h) || len < 16 || s[13] != ':' ||
		    !digits(s, len, 14, 2, &mi))
			return false;
		p = 16;
		if (p < len && s[p] == ':') {
			if (!digits(s, len, p + 1, 2, &se))
				return false;
			p += 3;
			if (p < len && (s[p] == '.' || s[p] == ',')) {
				double scale = 0.1;
				size_t q = p + 1;
				while (q < len && s[q] >= '0' && s[q] <= '9') {
					frac += (s[q] - '0') * scale;
					scale /= 10;
					q++;
				}
				if (q == p + 1)
					return false;
				p = q;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return false;
		/* A leap second counts as :59, so an event never looks younger
		 * than it is. */
		if (se == 60)
			se = 59;
		if (p < len) {
			char z = s[p];
			if ((z == 'Z' || z == 'z') && p + 1 == len) {
				p++;
			} else if (z == '+' || z == '-') {
				if (!digits(s, len, p + 1, 2, &zh))
					return false;
				size_t q = p + 3;
				if (q < len && s[q] == ':')
					q++;
				/* ISO 8601 allows an hours-only offset (+02). */
				if (q == len && s[q - 1] != ':')
					zm = 0;
				else if (!digits(s, len, q, 2, &zm) || q + 2 != len)
					return false;
				if (zh > 23 || zm > 59)
					return false;
				if (z == '-') {
					zh = -zh;
					zm = -zm;
				}
				p = len;
			} else {
				return false;
			}
		}
	}
	if (p != len)
		return false;
	int64_t days = dc_days_from_civil(y, (unsigned)mo, (unsigned)d);
	double t = (double)(days * 86400 + h * 3600 + mi * 60 + se) + frac;
	t -= zh * 3600 + zm * 60;
	*out = t;
	return true;
}

void dc_time_format(double t, char *out, size_t cap)
{
	int64_t s = (int64_t)floor(t);
	int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	int64_t rem = s - days * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, cap, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

bool dc_clock_ok(int64_t wall, int64_t build_time, int64_t trust_time, bool test_clock)
{
	if (test_clock)
		return true;
	if (build_time > 0 && wall < build_time)
		return false;
	if (trust_time > 0 && wall < trust_time)
		return false;
	return true;
}
