// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Times as a person types them: HH:MM[:SS] or YYYY-MM-DD HH:MM[:SS], local. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "timeparse.h"

/* Exactly n digits at *s, moved past; -1 if not. */
static int digits(const char **s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + (*s)[i] - '0';
	}
	*s += n;
	return v;
}

/* "HH:MM[:SS]" at s, all of it. */
static int clock_part(const char *s, struct tm *tm)
{
	int h, m, sec = 0;

	if ((h = digits(&s, 2)) < 0 || *s++ != ':' || (m = digits(&s, 2)) < 0)
		return -EINVAL;
	if (*s == ':' && (s++, (sec = digits(&s, 2)) < 0))
		return -EINVAL;
	if (*s || h > 23 || m > 59 || sec > 59)
		return -EINVAL;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	return 0;
}

int ctop_time_parse(const char *s, double ref, double *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	time_t r = (time_t)ref, t;
	struct tm tm;
	int y, mo, d;

	if (!s || !localtime_r(&r, &tm))
		return -EINVAL;
	if (strlen(s) >= 10 && s[4] == '-') {
		const char *p = s;

		if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 ||
		    *p++ != '-' || (d = digits(&p, 2)) < 0 || *p++ != ' ')
			return -EINVAL;
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
		    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
			return -EINVAL;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		s = p;
	}
	if (clock_part(s, &tm))
		return -EINVAL;
	tm.tm_isdst = -1;	/* whatever the date says, not ref's */
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = (double)t;
	return 0;
}

int ctop_size_parse(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		mul = 1ULL << 10;
		break;
	case 'M': case 'm':
		mul = 1ULL << 20;
		break;
	case 'G': case 'g':
		mul = 1ULL << 30;
		break;
	case 'T': case 't':
		mul = 1ULL << 40;
		break;
	default:
		return -EINVAL;
	}
	if (*p && p[1] && strcmp(p + 1, "iB") && strcmp(p + 1, "B"))
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}
