/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Batch output: a readable table, or JSON Lines, of one snapshot. */
#ifndef CTOP_OUTPUT_H
#define CTOP_OUTPUT_H

#include "snapshot.h"

struct ctop_view_opts {
	enum ctop_sort_key sort;
	bool reverse;
	const char *filter;
	bool all;		/* include the [host] row */
	bool processes;		/* include each row's processes */
	bool ascii;		/* the reader's locale is not UTF-8: the table shows each
				   byte from 0x80 as '?' (see ctop_text_next()) */
};

/*
 * The rows to show, filtered and sorted; the host row comes last when
 * `all` is set. v needs room for s->ncontainers + 1. Returns the count.
 */
size_t ctop_view_containers(const struct ctop_snapshot *s, const struct ctop_view_opts *o,
			    const struct ctop_container **v);

/*
 * One JSON object on one line, with a newline; *out is malloc'd. 0 or -errno.
 * Strings are exact (bytes that are not UTF-8 aside) and escaped down to
 * ASCII, so that the text is inert on any terminal.
 */
int ctop_output_json(const struct ctop_snapshot *s, const struct ctop_view_opts *o, char **out);

/* The table of one refresh, as `top -b` prints it; *out is malloc'd. 0 or -errno. */
int ctop_output_table(const struct ctop_snapshot *s, const struct ctop_view_opts *o, char **out);

#endif /* CTOP_OUTPUT_H */
