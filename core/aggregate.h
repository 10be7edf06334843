/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Aggregation: turns successive reads of the kernel's cumulative counters
 * into per-process and per-container rates, totals and smoothed history.
 * Pure apart from the callbacks, so tests feed it made-up reads.
 */
#ifndef CTOP_AGGREGATE_H
#define CTOP_AGGREGATE_H

#include <stdbool.h>
#include "raw.h"
#include "snapshot.h"

enum ctop_resolve {
	CTOP_RESOLVE_UNKNOWN = -1,	/* no such cgroup (yet, or any more) */
	CTOP_RESOLVE_HOST = 0,
	CTOP_RESOLVE_CONTAINER = 1,
};

struct ctop_agg_ops {
	/*
	 * Says what a cgroup id is. For a container it fills the identity
	 * fields of *row (id, name, runtime, image, cgroup, pod, ns).
	 */
	enum ctop_resolve (*resolve)(void *ud, uint64_t cgid, struct ctop_container *row);
	/* Looks at the cgroup hierarchy again before the next resolve. */
	void (*rescan)(void *ud);
	/* Lets the kernel drop a cgroup's counters: it is gone and fully read. */
	void (*forget)(void *ud, uint64_t cgid);
	/* Reads a command line; NULL when not wanted. 0 or -errno. */
	int (*cmdline)(void *ud, uint32_t pid, char *buf, size_t len);
	/* Reads a container's cgroup figures (cgroup_stats.h); NULL: none. */
	void (*cgroup_stats)(void *ud, const struct ctop_container *row,
			     struct ctop_cg_stats *out);
	void *ud;
};

struct ctop_agg;

/* alpha: EWMA weight of the newest sample. ops is copied. */
struct ctop_agg *ctop_agg_new(const struct ctop_agg_ops *ops, double alpha);
void ctop_agg_free(struct ctop_agg *a);

/*
 * Takes one read. The first call only records where every counter stands
 * and sets *out to NULL; every later call produces a snapshot covering the
 * time since the previous call, valid until the next. host supplies what
 * the kernel read does not (names, memory); the rest is computed. 0 or -errno.
 */
int ctop_agg_ingest(struct ctop_agg *a, const struct ctop_raw *raw, double now_mono,
		    double now_wall, const struct ctop_host *host,
		    const struct ctop_snapshot **out);

#endif /* CTOP_AGGREGATE_H */
