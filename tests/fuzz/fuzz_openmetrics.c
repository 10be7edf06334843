// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exposition writers over any tenant text: whatever the label value,
 * HELP text, metric or label name, what ctop_om_*() accept comes out as
 * valid exposition. Every line is a comment the format defines, a sample
 * that matches the grammar, or (OpenMetrics, last) # EOF; the whole body
 * is UTF-8 with no control byte but the newline that ends each line.
 *
 * Input: byte 0 picks the format, byte 1 and 2 the lengths of the metric
 * name and the label name; then those two names, then the label value up
 * to a 0xfe byte, then the HELP text.
 */
#include <math.h>
#include "fuzz.h"
#include "openmetrics.h"

static bool is_name_char(char c, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (colon && c == ':');
}

/* A name at *p; moves past it. */
static bool name(const char **p, bool colon)
{
	const char *s = *p;

	if (!is_name_char(*s, colon) || (*s >= '0' && *s <= '9'))
		return false;
	while (is_name_char(*s, colon))
		s++;
	*p = s;
	return true;
}

/*
 * Escaped text up to `stop` (the closing quote, or the end of the line):
 * only \\, \n and, where quoted, \" escapes; no raw quote where the
 * format escapes it.
 */
static bool escaped(const char **p, char stop, bool quote_escaped)
{
	const char *s = *p;

	while (*s && *s != stop) {
		if (*s == '\\') {
			if (s[1] != '\\' && s[1] != 'n' && !(quote_escaped && s[1] == '"'))
				return false;
			s += 2;
			continue;
		}
		if (*s == '"' && quote_escaped)
			return false;
		s++;
	}
	if (*s != stop)
		return false;
	*p = s;
	return true;
}

static bool value(const char *s)
{
	char *end;

	if (!strcmp(s, "NaN") || !strcmp(s, "+Inf") || !strcmp(s, "-Inf"))
		return true;
	if (!*s || strchr(s, ' ') || strstr(s, "nan") || strstr(s, "inf"))
		return false;
	strtod(s, &end);
	return *end == '\0';
}

static bool sample_line(const char *s)
{
	if (!name(&s, true))
		return false;
	if (*s == '{') {
		s++;
		while (*s != '}') {
			if (!name(&s, false) || strncmp(s, "=\"", 2))
				return false;
			s += 2;
			if (!escaped(&s, '"', true))
				return false;
			s++;
			if (*s == ',')
				s++;
			else if (*s != '}')
				return false;
		}
		s++;
	}
	if (*s != ' ')
		return false;
	return value(s + 1);
}

static bool comment_line(const char *s, bool om)
{
	if (!strncmp(s, "# HELP ", 7)) {
		s += 7;
		if (!name(&s, true) || *s != ' ')
			return false;
		s++;
		return escaped(&s, '\0', om);
	}
	if (!strncmp(s, "# TYPE ", 7)) {
		s += 7;
		return name(&s, true) && (!strcmp(s, " counter") || !strcmp(s, " gauge"));
	}
	if (om && !strncmp(s, "# UNIT ", 7)) {
		s += 7;
		return name(&s, true) && *s == ' ' && (s++, name(&s, false)) && !*s;
	}
	return false;
}

static bool utf8_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		if (*p == '\n' || (*p >= 0x20 && *p < 0x7f)) {
			p++;
		} else if (*p >= 0xc2 && *p <= 0xdf && (p[1] & 0xc0) == 0x80) {
			if (*p == 0xc2 && p[1] < 0xa0)
				return false;	/* C1 */
			p += 2;
		} else if (*p >= 0xe0 && *p <= 0xef && (p[1] & 0xc0) == 0x80 &&
			   (p[2] & 0xc0) == 0x80) {
			if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0))
				return false;
			p += 3;
		} else if (*p >= 0xf0 && *p <= 0xf4 && (p[1] & 0xc0) == 0x80 &&
			   (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80) {
			if ((*p == 0xf0 && p[1] < 0x90) || (*p == 0xf4 && p[1] >= 0x90))
				return false;
			p += 4;
		} else {
			return false;
		}
	}
	return true;
}

static void check(const struct ctop_om_buf *b, bool om)
{
	char *copy, *line, *next;
	bool eof = false;

	if (!b->len)
		return;
	FUZZ_CHECK(strlen(b->data) == b->len);
	FUZZ_CHECK(b->data[b->len - 1] == '\n');
	FUZZ_CHECK(utf8_clean(b->data));
	copy = fuzz_strndup((const uint8_t *)b->data, b->len - 1);
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		FUZZ_CHECK(!eof);	/* nothing after # EOF */
		if (om && !strcmp(line, "# EOF"))
			eof = true;
		else if (line[0] == '#')
			FUZZ_CHECK(comment_line(line, om));
		else
			FUZZ_CHECK(sample_line(line));
	}
	FUZZ_CHECK(eof == om);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *metric, *lname, *rest, *lvalue, *help, *sep;
	static const double values[] = { 0, 1.5, -2, 1e300, NAN, INFINITY, -INFINITY, 0.1 };
	struct ctop_om_label l[2];
	struct ctop_om_buf b;
	size_t nm, nl;
	bool om;
	int counter;

	if (size < 3)
		return 0;
	om = data[0] & 1;
	counter = data[0] & 2;
	nm = data[1] % 32;
	nl = data[2] % 16;
	data += 3;
	size -= 3;
	if (nm + nl > size)
		return 0;
	metric = fuzz_strndup(data, nm);
	lname = fuzz_strndup(data + nm, nl);
	rest = fuzz_strndup(data + nm + nl, size - nm - nl);
	lvalue = rest;
	sep = strchr(rest, '\xfe');
	help = "";
	if (sep) {
		*sep = '\0';
		help = sep + 1;
	}
	l[0] = (struct ctop_om_label){ "id", lvalue };
	l[1] = (struct ctop_om_label){ lname, help };

	ctop_om_buf_init(&b);
	/* the fixed names always work; the fuzzed ones only when valid */
	FUZZ_CHECK(ctop_om_family(&b, om, "ctop_x_bytes_total", CTOP_OM_COUNTER, "bytes",
				  help) == 0);
	FUZZ_CHECK(ctop_om_sample(&b, "ctop_x_bytes_total", l, 1, 1) == 0);
	if (ctop_om_family(&b, om, metric, counter ? CTOP_OM_COUNTER : CTOP_OM_GAUGE,
			   nl ? lname : NULL, lvalue) == 0)
		FUZZ_CHECK(ctop_om_valid_metric_name(metric));
	if (ctop_om_sample(&b, metric, l, 2, values[nm % 8]) == 0)
		FUZZ_CHECK(ctop_om_valid_label_name(lname) && strcmp(lname, "id"));
	FUZZ_CHECK(ctop_om_end(&b, om) == 0);
	FUZZ_CHECK(b.err == 0);
	check(&b, om);
	ctop_om_buf_fini(&b);
	free(metric);
	free(lname);
	free(rest);
	return 0;
}
