/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure writers for the two exposition formats Prometheus scrapes: the
 * text format 0.0.4 and OpenMetrics 1.0. They append to a growable
 * buffer; nothing here knows about snapshots or HTTP.
 *
 * Names are given as the text format spells them: a counter's name ends
 * in _total. In OpenMetrics the family (HELP, TYPE, UNIT) is named
 * without the suffix and the sample with it, as the standard requires.
 * Label values and HELP text are escaped; bytes that are not UTF-8, and
 * control characters other than the escaped newline, become U+FFFD, so
 * that no tenant text reaches a scraper as anything but a value.
 */
#ifndef CTOP_OPENMETRICS_H
#define CTOP_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>

enum ctop_om_format {
	CTOP_OM_TEXT,		/* text/plain; version=0.0.4 */
	CTOP_OM_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
};

enum ctop_om_type {
	CTOP_OM_COUNTER,
	CTOP_OM_GAUGE,
};

/* The bytes written so far. data is NUL-terminated whenever len > 0. */
struct ctop_om_buf {
	char *data;		/* owned; free with ctop_om_buf_fini() */
	size_t len;
	size_t cap;
	int err;		/* the first error; later writes do nothing */
};

struct ctop_om_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]* */
	const char *value;	/* any bytes; escaped and sanitised here */
};

void ctop_om_buf_init(struct ctop_om_buf *b);
/* Frees the data; the buffer is then as after init. */
void ctop_om_buf_fini(struct ctop_om_buf *b);
/* Forgets what was written and any error, keeping the memory. */
void ctop_om_buf_reset(struct ctop_om_buf *b);

/* The Content-Type header value for a format. */
const char *ctop_om_content_type(enum ctop_om_format f);

/*
 * The family header: # HELP, # TYPE and, in OpenMetrics, # UNIT when unit
 * is not NULL and the family's name ends in _<unit> (the standard allows
 * a unit only there). name must end in _total for a counter. 0, -EINVAL
 * for a name the formats cannot carry, or -ENOMEM (also kept in b->err).
 */
int ctop_om_family(struct ctop_om_buf *b, enum ctop_om_format f, const char *name,
		   enum ctop_om_type type, const char *unit, const char *help);

/*
 * One sample: name{l1="v1",...} value. NaN and infinities are written as
 * the formats spell them. 0, -EINVAL (a bad metric or label name, or a
 * label name given twice) or -ENOMEM.
 */
int ctop_om_sample(struct ctop_om_buf *b, const char *name, const struct ctop_om_label *labels,
		   size_t nlabels, double value);

/*
 * The label set of ctop_om_sample(), {l1="v1",...} (nothing for none),
 * appended to b: a series' labels, escaped once for all its families.
 * 0, -EINVAL or -ENOMEM as there.
 */
int ctop_om_labels(struct ctop_om_buf *b, const struct ctop_om_label *labels, size_t nlabels);

/* A sample whose label set ctop_om_labels() wrote: name, set[len], value. */
int ctop_om_sample_set(struct ctop_om_buf *b, const char *name, const char *set, size_t len,
		       double value);

/*
 * n bytes as they are, such as samples another buffer holds: the caller
 * vouches that they are well-formed. 0 or -ENOMEM.
 */
int ctop_om_append(struct ctop_om_buf *b, const char *s, size_t n);

/* "# EOF\n" for OpenMetrics, nothing for the text format. 0 or -ENOMEM. */
int ctop_om_end(struct ctop_om_buf *b, enum ctop_om_format f);

/* Whether s is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*). */
bool ctop_om_valid_metric_name(const char *s);
/* Whether s is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not __*). */
bool ctop_om_valid_label_name(const char *s);

#endif /* CTOP_OPENMETRICS_H */
