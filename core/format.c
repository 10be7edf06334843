// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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

char *ctop_fmt_count(char *buf, size_t len, double n)
{
	snprintf(buf, len, "%.0f", n > 0 ? n : 0);
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

char *ctop_fmt_clock(char *buf, size_t len, double unix_s)
{
	time_t t = (time_t)unix_s;
	struct tm tm;

	if (!(unix_s > 0) || !localtime_r(&t, &tm) || !strftime(buf, len, "%H:%M", &tm))
		snprintf(buf, len, "-");
	return buf;
}

/* Length of the well-formed UTF-8 sequence at s, or 0 if there is none; *cp its value. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, v = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, v = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, v = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

static size_t utf8_seq(const unsigned char *s)
{
	uint32_t cp;

	return utf8_decode(s, &cp);
}

/*
 * Code points a terminal acts on, or that draw nothing and so can hide,
 * join or reorder what follows them: controls, the bidirectional
 * embeddings, overrides, isolates and marks (Unicode's Bidi_Control), and
 * the invisible format characters (zero-width spaces and joiners, word
 * joiner, invisible operators, BOM, fillers, tags).
 */
static const struct {
	uint32_t lo, hi;
} unsafe_ranges[] = {
	{ 0x0000, 0x001f }, { 0x007f, 0x009f },	/* C0, DEL, C1 */
	{ 0x00ad, 0x00ad },			/* soft hyphen */
	{ 0x034f, 0x034f },			/* combining grapheme joiner */
	{ 0x061c, 0x061c },			/* Arabic letter mark */
	{ 0x115f, 0x1160 }, { 0x3164, 0x3164 }, { 0xffa0, 0xffa0 },	/* Hangul fillers */
	{ 0x17b4, 0x17b5 },			/* Khmer inherent vowels */
	{ 0x180b, 0x180f },			/* Mongolian selectors and separator */
	{ 0x200b, 0x200f },			/* zero-width space, (non-)joiner, LRM, RLM */
	{ 0x2028, 0x202e },			/* line/paragraph separators, LRE..RLO */
	{ 0x2060, 0x206f },			/* word joiner .. LRI RLI FSI PDI .. */
	{ 0xfeff, 0xfeff },			/* BOM, zero-width no-break space */
	{ 0xfff9, 0xfffb },			/* interlinear annotation */
	{ 0x1bca0, 0x1bca3 },			/* shorthand format controls */
	{ 0x1d173, 0x1d17a },			/* musical format controls */
	{ 0xe0000, 0xe007f },			/* tags */
};

static bool unsafe_cp(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof(unsafe_ranges) / sizeof(unsafe_ranges[0]); i++)
		if (cp >= unsafe_ranges[i].lo && cp <= unsafe_ranges[i].hi)
			return true;
	return false;
}

size_t ctop_text_next(const char *src, bool utf8, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n;

	if (!*s)
		return 0;
	n = utf8 ? utf8_decode(s, cp) : 1;
	if (!utf8)
		*cp = s[0];
	if (!n) {
		*cp = '?';
		return 1;
	}
	if (unsafe_cp(*cp) || (!utf8 && *cp >= 0x80))
		*cp = '?';
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

char *ctop_fmt_safe(char *dst, size_t len, const char *src, bool utf8)
{
	size_t o = 0, n;
	uint32_t cp;

	if (!len)
		return dst;
	while ((n = ctop_text_next(src, utf8, &cp)) && o + (cp == '?' ? 1 : n) < len) {
		if (cp == '?')
			dst[o++] = '?';
		else
			memcpy(dst + o, src, n), o += n;
		src += n;
	}
	dst[o] = '\0';
	return dst;
}

char *ctop_fmt_column(char *buf, size_t len, const char *src, int cols, bool utf8)
{
	size_t o = 0, n;
	uint32_t cp;
	int c = 0;

	if (!len)
		return buf;
	while (c < cols && (n = ctop_text_next(src, utf8, &cp))) {
		if (o + (cp == '?' ? 1 : n) >= len)
			break;
		if (cp == '?')
			buf[o++] = '?';
		else
			memcpy(buf + o, src, n), o += n;
		src += n;
		c++;
	}
	while (c++ < cols && o + 1 < len)
		buf[o++] = ' ';
	buf[o] = '\0';
	return buf;
}

int ctop_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
