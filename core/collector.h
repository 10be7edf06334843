/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The collector: loads the BPF programs, and on each call reads the
 * kernel's cumulative counters once and turns them into a snapshot.
 */
#ifndef CTOP_COLLECTOR_H
#define CTOP_COLLECTOR_H

#include "snapshot.h"
#include "source.h"

struct ctop_collector;

struct ctop_collector_opts {
	double ewma_alpha;	/* weight of the newest sample, 0 < a <= 1 */
	bool cmdlines;		/* read /proc/<pid>/cmdline for process rows */
	bool no_states;		/* leave the run state (paused) unknown, its files unread */
	/*
	 * Leave the processes' IO and their exited threads' CPU at 0, the
	 * procs map unread: a batch read walks all its 64k buckets, a tenth
	 * of an exporter's refresh, for figures only process rows show. The
	 * containers' figures come from the cgroups map and the walk alike.
	 */
	bool no_proc_io;
	const char *root;	/* where /var/lib/docker etc. live; "/" normally */
	unsigned ringbuf_bytes;	/* lifecycle event buffer; 0 for the default,
				   else a power of two of at least a page */
	struct ctop_probes probes;	/* what to measure bytes with; AUTO: cheapest */
	bool light;		/* attach nothing on the system-call path */
	bool legacy;		/* the legacy BPF object even where the main one loads */
	bool rss_central;	/* RSS without the per-CPU parts: only to measure their cost */
	unsigned walk_cap;	/* the walk's room in records; 0: from the host's threads */
	char *log;		/* if set, a failed load's whole libbpf and */
	size_t loglen;		/* verifier log goes here, for -v */
};

/*
 * Loads and attaches the BPF programs. 0, or -errno with err saying what
 * to fix, which the caller turns into exit status 1.
 */
int ctop_collector_new(struct ctop_collector **out, const struct ctop_collector_opts *opts,
		       char *err, size_t errlen);

/* The probes ctop_collector_new() would choose here. 0 or -errno with err. */
int ctop_collector_probes(const struct ctop_collector_opts *opts, struct ctop_probes *out,
			  char *err, size_t errlen);

/*
 * Takes the first read, at now_mono, so that the first snapshot already
 * covers every process that exists. Call once, before sampling. 0 or -errno.
 */
int ctop_collector_start(struct ctop_collector *c, double now_mono);
void ctop_collector_free(struct ctop_collector *c);

/*
 * Reads the kernel once. now_mono and now_wall are the caller's clocks
 * (CLOCK_MONOTONIC and CLOCK_REALTIME, in seconds). The snapshot stays
 * valid until the next call or ctop_collector_free(). 0 or -errno; after
 * an error the previous snapshot is still safe to read (at worst empty).
 */
int ctop_collector_sample(struct ctop_collector *c, double now_mono, double now_wall,
			  const struct ctop_snapshot **out);

/*
 * The collector as a snapshot source: next() samples, free() is
 * ctop_collector_free(). The source is part of c, not a copy.
 */
struct ctop_source *ctop_collector_source(struct ctop_collector *c);

#endif /* CTOP_COLLECTOR_H */
