// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "openmetrics.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

void ctop_om_buf_init(struct ctop_om_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void ctop_om_buf_fini(struct ctop_om_buf *b)
{
	free(b->data);
	ctop_om_buf_init(b);
}

void ctop_om_buf_reset(struct ctop_om_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *ctop_om_content_type(enum ctop_om_format f)
{
	return f == CTOP_OM_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
					: "text/plain; version=0.0.4; charset=utf-8";
}

/* Room for n more bytes and a NUL. */
static int reserve(struct ctop_om_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->err)
		return b->err;
	if (n > SIZE_MAX / 2 - b->len) {
		b->err = -ENOMEM;
		return b->err;
	}
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->err = -ENOMEM;
		return b->err;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

static int put(struct ctop_om_buf *b, const char *s, size_t n)
{
	int err = reserve(b, n);

	if (err)
		return err;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int ctop_om_append(struct ctop_om_buf *b, const char *s, size_t n)
{
	return put(b, s, n);
}

static int puts_(struct ctop_om_buf *b, const char *s)
{
	return put(b, s, strlen(s));
}

/*
 * The length of the well-formed UTF-8 sequence at s (1 to 4), or 0 for
 * an ill-formed one: overlong forms, surrogates and code points above
 * U+10FFFF are ill-formed (RFC 3629).
 */
static size_t utf8_len(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * s escaped for a label value (quote true) or HELP text: backslash and
 * newline always, the double quote where the format escapes it.
 */
static int put_escaped(struct ctop_om_buf *b, const char *s, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;
	int err = 0;

	while (*p && !err) {
		/* a run of printable ASCII that needs no escape, in one copy */
		for (n = 0; p[n] >= 0x20 && p[n] < 0x7f && p[n] != '\\' && (p[n] != '"' || !quote);
		     n++)
			;
		if (n) {
			err = put(b, (const char *)p, n);
			p += n;
			continue;
		}
		n = utf8_len(p, &cp);
		if (!n) {
			err = puts_(b, REPLACEMENT);
			p++;
		} else if (cp == '\\') {
			err = puts_(b, "\\\\");
			p++;
		} else if (cp == '\n') {
			err = puts_(b, "\\n");
			p++;
		} else if (cp == '"' && quote) {
			err = puts_(b, "\\\"");
			p++;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			/* C0, DEL and C1: nothing a terminal reading a scrape acts on */
			err = puts_(b, REPLACEMENT);
			p += n;
		} else {
			err = put(b, (const char *)p, n);
			p += n;
		}
	}
	return err ? err : b->err;
}

bool ctop_om_valid_metric_name(const char *s)
{
	const char *p;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == ':'))
			return false;
	return true;
}

bool ctop_om_valid_label_name(const char *s)
{
	/* names starting with __ are Prometheus's own */
	if (!ctop_om_valid_metric_name(s) || strchr(s, ':') || !strncmp(s, "__", 2))
		return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int ctop_om_family(struct ctop_om_buf *b, enum ctop_om_format f, const char *name,
		   enum ctop_om_type type, const char *unit, const char *help)
{
	bool om = f == CTOP_OM_OPENMETRICS;
	char family[256], suffix[128];
	size_t n;

	if (b->err)
		return b->err;
	n = name ? strlen(name) : 0;
	if (!ctop_om_valid_metric_name(name) || n >= sizeof(family) ||
	    (type == CTOP_OM_COUNTER && (!ends_with(name, "_total") || n == strlen("_total"))) ||
	    (type != CTOP_OM_COUNTER && type != CTOP_OM_GAUGE))
		return -EINVAL;
	if (unit && (!*unit || strlen(unit) >= sizeof(suffix) - 1 ||
		     !ctop_om_valid_label_name(unit)))
		return -EINVAL;
	memcpy(family, name, n + 1);
	if (om && type == CTOP_OM_COUNTER)
		family[n - strlen("_total")] = '\0';
	puts_(b, "# HELP ");
	puts_(b, family);
	puts_(b, " ");
	put_escaped(b, help ? help : "", om);
	puts_(b, "\n# TYPE ");
	puts_(b, family);
	puts_(b, type == CTOP_OM_COUNTER ? " counter\n" : " gauge\n");
	if (om && unit) {
		snprintf(suffix, sizeof(suffix), "_%s", unit);
		if (ends_with(family, suffix)) {
			puts_(b, "# UNIT ");
			puts_(b, family);
			puts_(b, " ");
			puts_(b, unit);
			puts_(b, "\n");
		}
	}
	return b->err;
}

/* The shortest form that reads back as the same double. */
static int put_value(struct ctop_om_buf *b, double v)
{
	char num[40];
	int prec;

	if (isnan(v))
		return puts_(b, "NaN");
	if (isinf(v))
		return puts_(b, v > 0 ? "+Inf" : "-Inf");
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {	/* 2^53: exact as an integer */
		/* by hand: most samples are whole, and printf's float path is slow */
		char *e = num + sizeof(num), *d = e;
		uint64_t u = (uint64_t)fabs(v);

		do
			*--d = (char)('0' + u % 10);
		while (u /= 10);
		if (signbit(v))
			*--d = '-';	/* as %.0f: -0 stays -0 */
		return put(b, d, (size_t)(e - d));
	} else
		for (prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, v);
			if (strtod(num, NULL) == v)
				break;
		}
	return puts_(b, num);
}

static bool labels_valid(const struct ctop_om_label *labels, size_t nlabels)
{
	for (size_t i = 0; i < nlabels; i++) {
		if (!ctop_om_valid_label_name(labels[i].name))
			return false;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(labels[i].name, labels[j].name))
				return false;
	}
	return true;
}

static int put_labels(struct ctop_om_buf *b, const struct ctop_om_label *labels, size_t nlabels)
{
	for (size_t i = 0; i < nlabels; i++) {
		puts_(b, i ? "," : "{");
		puts_(b, labels[i].name);
		puts_(b, "=\"");
		put_escaped(b, labels[i].value ? labels[i].value : "", true);
		puts_(b, "\"");
	}
	if (nlabels)
		puts_(b, "}");
	return b->err;
}

int ctop_om_labels(struct ctop_om_buf *b, const struct ctop_om_label *labels, size_t nlabels)
{
	if (b->err)
		return b->err;
	return labels_valid(labels, nlabels) ? put_labels(b, labels, nlabels) : -EINVAL;
}

static int sample_value(struct ctop_om_buf *b, double value)
{
	puts_(b, " ");
	put_value(b, value);
	puts_(b, "\n");
	return b->err;
}

int ctop_om_sample(struct ctop_om_buf *b, const char *name, const struct ctop_om_label *labels,
		   size_t nlabels, double value)
{
	if (b->err)
		return b->err;
	if (!ctop_om_valid_metric_name(name) || !labels_valid(labels, nlabels))
		return -EINVAL;
	puts_(b, name);
	put_labels(b, labels, nlabels);
	return sample_value(b, value);
}

int ctop_om_sample_set(struct ctop_om_buf *b, const char *name, const char *set, size_t len,
		       double value)
{
	if (b->err)
		return b->err;
	if (!ctop_om_valid_metric_name(name))
		return -EINVAL;
	puts_(b, name);
	put(b, set, len);
	return sample_value(b, value);
}

int ctop_om_end(struct ctop_om_buf *b, enum ctop_om_format f)
{
	if (f == CTOP_OM_OPENMETRICS)
		return puts_(b, "# EOF\n");
	return b->err;
}
