// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A source that records: another source's snapshots, each appended to a recording. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "source_record.h"

struct rec_source {
	struct ctop_source src;
	struct ctop_source *inner;
	struct ctop_recorder *w;
	char what[4200];
};

static int source_next(struct ctop_source *src, double now_mono, double now_wall,
		       const struct ctop_snapshot **out)
{
	struct rec_source *rs = (struct rec_source *)src;
	const struct ctop_snapshot *s;
	int e;

	src->write_failed = NULL;
	e = ctop_source_next(rs->inner, now_mono, now_wall, &s);
	if (e)
		return e;
	e = ctop_recorder_write(rs->w, s);
	if (e) {
		src->write_failed = rs->what;
		return e;
	}
	*out = s;
	return 0;
}

static void source_free(struct ctop_source *src)
{
	struct rec_source *rs = (struct rec_source *)src;

	ctop_recorder_close(rs->w);
	ctop_source_free(rs->inner);
	free(rs);
}

static const struct ctop_source_ops source_ops = { source_next, source_free };

int ctop_record_source_new(struct ctop_source *inner, struct ctop_recorder *w, const char *path,
			   struct ctop_source **out)
{
	struct rec_source *rs = calloc(1, sizeof(*rs));

	*out = NULL;
	if (!rs)
		return -ENOMEM;
	rs->inner = inner;
	rs->w = w;
	rs->src.ops = &source_ops;
	rs->src.name = inner->name;
	snprintf(rs->what, sizeof(rs->what), "the recording %s", path);
	*out = &rs->src;
	return 0;
}
