/*
 * dc_time: ISO 8601 / RFC 3339 date-time text -> unix seconds, pure (no
 * time zone database, no locale, no libc time functions that read TZ).
 */
#ifndef DC_TIME_H
#define DC_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t dc_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * Accepts "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDThh:mm[:ss[(.|,)frac]]"
 * with "Z", "+hh:mm", "-hh:mm", "+hhmm", "+hh" or no zone (taken as UTC), and
 * "@EPOCH" (seconds, may be fractional). A space may replace 'T'. Field
 * ranges are checked (year >= 1, month 1-12, day within the month, hour < 24,
 * ...); a leap second :60 counts as :59.
 */
bool dc_time_parse(const char *s, size_t len, double *out);

/* Formats unix seconds as "YYYY-MM-DDThh:mm:ssZ" (out >= 21 bytes). */
void dc_time_format(double t, char *out, size_t cap);

/* The one clock rule of every front end (kiosk, simulator, CLI): an offline
 * device must not pass anyone on a wrong date, and a machine clock earlier
 * than the build or than the trust data (unix seconds; 0 = unknown) cannot
 * be right. An explicit validation time (--at) is a test clock: the caller
 * chose it, so it is not checked. */
bool dc_clock_ok(int64_t wall, int64_t build_time, int64_t trust_time, bool test_clock);

#endif
