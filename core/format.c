// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "format.h"

char *ctop_fmt_bytes(char *buf, size_t len, double bytes)
{
	static const char units[] = "BKMGTP";
	int u = 0;

	if (bytes < 0)
		bytes = 0;
	while (bytes >= 1000 && u < (int)sizeof(units) - 2) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", bytes);
	else if (bytes < 9.95)
		snprintf(buf, len, "%.1f%c", bytes, units[u]);
	else
		snprintf(buf, len, "%.0f%c", bytes, units[u]);
	return buf;
}

char *ctop_fmt_rate(char *buf, size_t len, double bytes_per_s)
{
	char b[16];

	ctop_fmt_bytes(b, sizeof(b), bytes_per_s);
	snprintf(buf, len, "%s/s", b);
	return buf;
}

char *ctop_fmt_pct(char *buf, size_t len, double pct)
{
	/* !(pct > 0) also catches NaN */
	if (!(pct > 0))
		pct = 0;
	if (pct < 99.95)
		snprintf(buf, len, "%.1f", pct);
	else if (pct < 99999.5)
		snprintf(buf, len, "%.0f", pct);
	else if (pct < 999950)
		snprintf(buf, len, "%.1fk", pct / 1000);
	else if (pct < 999.95e6)
		snprintf(buf, len, "%.1fM", pct / 1e6);
	else
		snprintf(buf, len, "%.0fM", pct < 9999e6 ? pct / 1e6 : 9999.0);
	return buf;
}

char *ctop_fmt_seconds(char *buf, size_t len, double secs)
{
	long s;

	if (!(secs > 0))
		secs = 0;
	if (secs < 59.95) {
		if (secs < 9.995 || secs - (long)secs >= 0.05)
			snprintf(buf, len, "%.1fs", secs);
		else
			snprintf(buf, len, "%.0fs", secs);
		return buf;
	}
	s = (long)(secs + 0.5);
	if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600 && s % 60)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else if (s < 3600)
		snprintf(buf, len, "%ldm", s / 60);
	else
		snprintf(buf, len, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
	return buf;
}

/* Length of the well-formed UTF-8 sequence at s, or 0 if there is none. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *ctop_fmt_utf8(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, n;

	if (!len)
		return dst;
	while (*s) {
		n = utf8_seq(s);
		if (o + (n ? n : 1) >= len)
			break;
		if (n) {
			memcpy(dst + o, s, n);
			o += n;
			s += n;
		} else {
			dst[o++] = '?';
			s++;
		}
	}
	dst[o] = '\0';
	return dst;
}

char *ctop_fmt_column(char *buf, size_t len, const char *src, int cols)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, n;
	int c = 0;

	if (!len)
		return buf;
	while (*s && c < cols) {
		n = utf8_seq(s);
		if (!n)
			n = 1;
		if (o + n >= len)
			break;
		if (n == 1 && *s >= 0x80)
			buf[o++] = '?';
		else
			memcpy(buf + o, s, n), o += n;
		s += n;
		c++;
	}
	while (c++ < cols && o + 1 < len)
		buf[o++] = ' ';
	buf[o] = '\0';
	return buf;
}
