/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where snapshots come from, as the modes (screen, batch, export) see it:
 * the live collector today, a recording being replayed later. A mode holds
 * a struct ctop_source * and never asks which it has.
 *
 * An implementation embeds struct ctop_source in its own state and sets
 * ops and name; see ctop_collector_source().
 */
#ifndef CTOP_SOURCE_H
#define CTOP_SOURCE_H

#include "snapshot.h"

struct ctop_source;

struct ctop_source_ops {
	/*
	 * The snapshot for the refresh at now_mono (CLOCK_MONOTONIC) and
	 * now_wall (CLOCK_REALTIME), in seconds. It belongs to the source and
	 * stays valid until the next call or free. 0 or -errno; after an
	 * error the previous snapshot is still safe to read. -ENOENT: there
	 * are no more (a replay printed to its end), not a failure.
	 */
	int (*next)(struct ctop_source *src, double now_mono, double now_wall,
		    const struct ctop_snapshot **out);
	/* Frees the source and everything it owns, its snapshots too. */
	void (*free)(struct ctop_source *src);
};

struct ctop_source {
	const struct ctop_source_ops *ops;
	/* What next() reads, for messages: "reading <name> failed: ..." */
	const char *name;
	/*
	 * Set by a next() that failed writing rather than reading: what it
	 * wrote, "the recording FILE"; the modes then exit 3 (a write error).
	 */
	const char *write_failed;
};

static inline int ctop_source_next(struct ctop_source *src, double now_mono, double now_wall,
				   const struct ctop_snapshot **out)
{
	return src->ops->next(src, now_mono, now_wall, out);
}

/* NULL is a no-op. */
static inline void ctop_source_free(struct ctop_source *src)
{
	if (src)
		src->ops->free(src);
}

#endif /* CTOP_SOURCE_H */
